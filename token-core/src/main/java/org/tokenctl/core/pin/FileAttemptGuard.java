package org.tokenctl.core.pin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.tokenctl.core.io.InputFiles;
import org.tokenctl.core.io.SafeFiles;

/**
 * An {@link AttemptGuard} that keeps its counts in a small text file, so that the
 * limits hold across runs and across processes.
 *
 * <p>Every read-modify-write happens under an exclusive lock on a sibling
 * {@code .lock} file (and, within the JVM, a monitor per file, since file locks
 * are per process), and the new state is written to a temporary file and renamed
 * over the old one, so a crash never leaves a half-written state; the file, its
 * lock and their directory are the owner's alone whatever the umask, and no link
 * planted beside them is followed ({@link SafeFiles#replaceState}). A state file
 * that cannot be read or parsed is an error, never a silent reset: forgetting
 * counts is exactly what the guard must not do.
 *
 * <p>File format: one line per token PIN, {@code serial<TAB>USER|SO<TAB>yyyy-mm-dd<TAB>daily<TAB>consecutive};
 * lines starting with {@code #} are comments.
 */
public final class FileAttemptGuard implements AttemptGuard {

    /** Per state file, in this JVM: its monitor (file locks are per process) and the withdrawals waiting. */
    private static final Map<Path, Shared> SHARED = new ConcurrentHashMap<>();

    /** Guarded by its own monitor, which every read-modify-write of the file holds. */
    private static final class Shared {
        private int deferrals;
        private final List<Withdrawal> waiting = new ArrayList<>();
    }

    /** A reservation to withdraw ({@link #settle}), kept until the next write while deferred. */
    private record Withdrawal(String key, LocalDate day, boolean keepRun) {
    }

    /**
     * The most a state file may hold: a line is under 100 bytes, so this is some ten
     * thousand token PINs; more is not a state file tokenctl wrote.
     */
    public static final long MAX_BYTES = 1024 * 1024;

    private static final FileAttribute<?> LOCK_FILE_PERMISSIONS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path file;
    private final GuardLimits limits;
    private final Clock clock;

    /**
     * @param file the state file (created with its directory when first written)
     * @param limits the thresholds
     * @param clock the time source; days are calendar days in the clock's zone
     */
    public FileAttemptGuard(Path file, GuardLimits limits, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the state file */
    public Path file() {
        return file;
    }

    /** @return the thresholds */
    public GuardLimits limits() {
        return limits;
    }

    @Override
    public Ticket begin(String serial, UserType userType) throws AttemptGuardException {
        LocalDate today = LocalDate.now(clock);
        String k = key(serial, userType);
        GuardRecord[] reserved = new GuardRecord[1];
        locked(records -> {
            GuardRecord r = records.get(k);
            refuseIfOverLimit(r, serial, userType, today);
            reserved[0] = r == null ? new GuardRecord(serial, userType, today, 1, 1)
                    : new GuardRecord(serial, userType, today, r.dailyOn(today) + 1, r.consecutive() + 1);
            records.put(k, reserved[0]);
            return true;
        });
        return new Ticket() {
            @Override
            public java.util.Optional<GuardStanding> wrongPin() {
                // the reservation already counted it
                return java.util.Optional.of(GuardStanding.of(reserved[0], limits, today));
            }

            @Override
            public void correctPin() throws AttemptGuardException {
                settle(k, today, false);
            }

            @Override
            public void noVerdict() throws AttemptGuardException {
                settle(k, today, true);
            }
        };
    }

    /**
     * Withdraws a reservation made on {@code day}; a correct PIN also ends the run of
     * failures. While a {@link #deferWithdrawals} scope is open it waits for the next
     * write instead (every read-modify-write applies the waiting ones first).
     */
    private void settle(String k, LocalDate day, boolean keepRun) throws AttemptGuardException {
        Withdrawal w = new Withdrawal(k, day, keepRun);
        Shared shared = shared();
        synchronized (shared) {
            if (shared.deferrals > 0) {
                shared.waiting.add(w);
                return;
            }
            // no fsync: if this write is lost, the reservation stands as a wrong PIN (the safe side)
            locked(records -> withdraw(records, w), false);
        }
    }

    private static boolean withdraw(Map<String, GuardRecord> records, Withdrawal w) {
        GuardRecord r = records.get(w.key());
        if (r == null) {
            return false; // reset meanwhile
        }
        int daily = r.day().equals(w.day()) ? Math.max(0, r.daily() - 1) : r.daily();
        int run = w.keepRun() ? Math.max(0, r.consecutive() - 1) : 0;
        if (daily == 0 && run == 0) {
            // nothing left to count: no line, so that the file holds only tokens with wrong PINs and
            // every login rewrites a file of that size, not one line per token ever logged into
            records.remove(w.key());
        } else {
            records.put(w.key(), new GuardRecord(r.serial(), r.userType(), r.day(), daily, run));
        }
        return true;
    }

    /**
     * While the scope is open, a withdrawal is written with this process's next write to
     * the state file (the next reservation, on whichever token) rather than on its own;
     * closing the last open scope writes what still waits (not fsync'd, as a withdrawal
     * never is). Shared by every guard on the same file in this JVM.
     */
    @Override
    public Deferral deferWithdrawals() {
        Shared shared = shared();
        synchronized (shared) {
            shared.deferrals++;
        }
        boolean[] closed = new boolean[1];
        return () -> {
            synchronized (shared) {
                if (closed[0]) {
                    return;
                }
                closed[0] = true;
                shared.deferrals--;
                if (shared.deferrals == 0 && !shared.waiting.isEmpty()) {
                    locked(records -> false, false); // applies the waiting withdrawals
                }
            }
        };
    }

    private Shared shared() {
        return SHARED.computeIfAbsent(file, f -> new Shared());
    }

    private void refuseIfOverLimit(GuardRecord r, String serial, UserType userType, LocalDate today)
            throws AttemptGuardException {
        if (r == null) {
            return;
        }
        // Say only what holds for every caller: who may reset the count, and how, is the
        // caller's to say (an SO login cannot reset the SO PIN's own count: it is refused here).
        if (r.consecutive() >= limits.consecutiveLimit()) {
            throw new AttemptGuardException(AttemptGuardException.Reason.CONSECUTIVE_LIMIT, serial, userType, null,
                    r.consecutive() + " wrong " + userType.pinName() + "s in a row on token " + serial
                            + ": no further attempts until the count is reset", null);
        }
        if (r.dailyOn(today) >= limits.dailyLimit()) {
            LocalDate tomorrow = today.plusDays(1);
            throw new AttemptGuardException(AttemptGuardException.Reason.DAILY_LIMIT, serial, userType, tomorrow,
                    r.dailyOn(today) + " wrong " + userType.pinName() + "s today on token " + serial
                            + ": no further attempts until " + tomorrow, null);
        }
    }

    @Override
    public void reset(String serial) throws AttemptGuardException {
        locked(records -> records.keySet().removeIf(k -> k.startsWith(serial + "\t")));
    }

    /**
     * @param serial a token serial
     * @return what the guard remembers about that token's PINs (possibly nothing)
     * @throws AttemptGuardException if the state is unreadable
     */
    public List<GuardRecord> records(String serial) throws AttemptGuardException {
        List<GuardRecord> out = new ArrayList<>();
        for (GuardRecord r : read().values()) {
            if (serial == null || r.serial().equals(serial)) {
                out.add(r);
            }
        }
        return out;
    }

    private static String key(String serial, UserType userType) {
        return serial + "\t" + userType.name();
    }

    /** A change to the records; returns whether anything changed (and must be written). */
    private interface Change {
        boolean apply(Map<String, GuardRecord> records) throws AttemptGuardException;
    }

    /** Applies a change under the file lock, durably, and returns the records as they are afterwards. */
    private Map<String, GuardRecord> locked(Change change) throws AttemptGuardException {
        return locked(change, true);
    }

    /**
     * Applies a change under the file lock and returns the records as they are afterwards.
     *
     * @param durable whether to fsync before the rename: needed where losing the write would
     *                lose a count (a reservation, a reset); not where losing it only leaves a
     *                reservation standing as a wrong PIN, which errs on the safe side (settling)
     */
    private Map<String, GuardRecord> locked(Change change, boolean durable) throws AttemptGuardException {
        Shared shared = shared();
        synchronized (shared) {
            try {
                SafeFiles.createPrivateDirectories(file.getParent());
                Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
                // no link followed (a link placed there fails with ELOOP), owner-only whatever the umask
                try (FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), LOCK_FILE_PERMISSIONS);
                     FileLock ignored = ch.lock()) {
                    Map<String, GuardRecord> records = parse();
                    // withdrawals waiting come first: they happened before this change
                    boolean changed = false;
                    for (Withdrawal w : shared.waiting) {
                        changed |= withdraw(records, w);
                    }
                    changed |= change.apply(records);
                    if (changed) {
                        write(records, durable);
                    }
                    // only once written: a failure above leaves them waiting for the next write
                    shared.waiting.clear();
                    return records;
                }
            } catch (IOException | UncheckedIOException e) {
                throw unavailable(e);
            }
        }
    }

    private Map<String, GuardRecord> read() throws AttemptGuardException {
        return locked(records -> false);
    }

    private Map<String, GuardRecord> parse() throws IOException, AttemptGuardException {
        Map<String, GuardRecord> records = new TreeMap<>();
        byte[] content;
        try {
            content = InputFiles.readAtMost(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return records;
        }
        if (content == null) {
            // a device without end (/dev/zero) or a file that is not ours: never read it whole
            throw new AttemptGuardException(AttemptGuardException.Reason.STATE_UNAVAILABLE, null, null,
                    "Attempt guard state " + file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB, which no"
                            + " state file tokenctl writes is; refusing PIN attempts rather than forgetting counts."
                            + " Point the guard at its own state file, or remove the file", null);
        }
        if (content.length == 0) {
            // every write starts with a header line: an empty file is a write a crash cut short
            throw new AttemptGuardException(AttemptGuardException.Reason.STATE_UNAVAILABLE, null, null,
                    "Attempt guard state " + file + " is empty (cut short by a crash?); refusing PIN attempts rather"
                            + " than forgetting counts. Remove the file to start counting afresh", null);
        }
        int notUtf8 = InputFiles.firstNonUtf8Line(content);
        if (notUtf8 > 0) {
            throw corrupt(notUtf8, "not UTF-8 text", null);
        }
        List<String> lines = new String(content, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw corrupt(n, "expected 5 tab-separated fields, found " + f.length, null);
            }
            // the messages say which field is wrong, never what it holds: this may be any file
            UserType userType;
            try {
                userType = UserType.valueOf(f[1]);
            } catch (IllegalArgumentException e) {
                throw corrupt(n, "field 2 must be USER or SO", e);
            }
            LocalDate day;
            try {
                day = LocalDate.parse(f[2]);
            } catch (DateTimeParseException e) {
                throw corrupt(n, "field 3 must be a date, yyyy-mm-dd", e);
            }
            int daily = count(f[3], n, 4);
            int consecutive = count(f[4], n, 5);
            GuardRecord r = new GuardRecord(f[0], userType, day, daily, consecutive);
            records.put(key(r.serial(), r.userType()), r);
        }
        return records;
    }

    private int count(String field, int line, int index) throws AttemptGuardException {
        try {
            int n = Integer.parseInt(field);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw corrupt(line, "field " + index + " must be a count (a whole number, 0 or more)", null);
    }

    private AttemptGuardException corrupt(int line, String problem, Throwable cause) {
        return new AttemptGuardException(AttemptGuardException.Reason.STATE_UNAVAILABLE, null, null,
                "Attempt guard state " + file + " is corrupt at line " + line + " (" + problem
                        + "); refusing PIN attempts rather than forgetting counts. Fix or remove the file", cause);
    }

    private void write(Map<String, GuardRecord> records, boolean durable) throws IOException {
        StringBuilder sb = new StringBuilder("# tokenctl attempt guard: serial, PIN, day, wrong today, wrong in a row\n");
        for (GuardRecord r : records.values()) {
            sb.append(r.serial()).append('\t').append(r.userType().name()).append('\t').append(r.day()).append('\t')
                    .append(r.daily()).append('\t').append(r.consecutive()).append('\n');
        }
        SafeFiles.replaceState(file, sb.toString().getBytes(StandardCharsets.UTF_8), durable);
    }

    private AttemptGuardException unavailable(Exception e) {
        return new AttemptGuardException(AttemptGuardException.Reason.STATE_UNAVAILABLE, null, null,
                "Attempt guard state " + file + " cannot be used (" + e.getMessage()
                        + "); refusing PIN attempts rather than forgetting counts", e);
    }

    @Override
    public String toString() {
        return "FileAttemptGuard[" + file + ", " + limits + "]";
    }
}
