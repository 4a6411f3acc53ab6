package org.tokenctl.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tokenctl.cli.batch.BatchResult;
import org.tokenctl.cli.batch.ManifestEntry;
import org.tokenctl.cli.batch.Outcome;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.Views;
import org.tokenctl.cli.station.Journal;
import org.tokenctl.cli.station.JournalRecord;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.Cancellation;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.SharedPin;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.cert.X509Time;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenctl station}: a provisioning desk that enrolls each token as it is plugged in. */
@Command(name = "station", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {StationReportCommand.class},
        description = {"Run a provisioning desk: wait for tokens, enroll each initialised token as it is plugged in"
                + " (what `tokenctl batch-enroll` does to one token: non-exportable key, request signed on the token,"
                + " certificate installed, rollback on failure), tell the operator it may be removed, notice the"
                + " removal, and go on until Ctrl-C or SIGTERM, which finish or roll back the tokens under way and"
                + " print the day's summary.",
            "Slot events come from C_WaitForSlotEvent on a thread of their own; a module without them (SoftHSM) is"
                + " polled every --poll-interval. Several tokens present at once are enrolled in parallel"
                + " (--parallel). A token already holding the enrollment is reported already-enrolled (batch-enroll's"
                + " resume rule), after a restart too. A token pulled in the middle is reported pulled; when it is"
                + " back, the key pair left on it is enrolled, never a second one.",
            "PINs, templates and the manifest are batch-enroll's; once a token refuses the shared PIN it is tried on"
                + " no other token (they are reported skipped until the station is restarted with the right one).",
            "--journal FILE appends one JSON line per token, flushed to disk before the operator is told to remove"
                + " it (docs/schema/station-journal.schema.json); `tokenctl station report` summarises it."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl station --pin-file desk.pin \\",
            "      --subject \"CN=Token {serial},O=Example Bank\" --key-spec ec:p256 \\",
            "      --ca-cert ca.pem --ca-key ca.key --journal desk.journal",
            "  tokenctl station --manifest tokens.csv --pin-env PIN \\",
            "      --cmp-server https://ca.example.com/pkix/ --cmp-ref 1234 \\",
            "      --cmp-secret-file desk.secret --journal desk.journal --json",
            "  tokenctl station report --journal desk.journal"})
final class StationCommand extends ModuleCommand {

    /** With slot events, how often the slots are read again all the same (an event a module lost). */
    private static final long SAFETY_RESCAN_MS = 5_000;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Spec
    private CommandSpec spec;

    @Mixin
    private ManyTokensOptions tokens;

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "500",
            description = "How often to look at the slots when the module reports no slot events, in milliseconds"
                    + " (default: ${DEFAULT-VALUE}).")
    private long pollInterval;

    @Option(names = "--journal", paramLabel = "FILE", description = "The audit journal to append to (JSON Lines).")
    private Path journalFile;

    @Option(names = "--station", paramLabel = "NAME", description = "This station's name in the journal (default:"
            + " the host name).")
    private String station;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who is at the desk, for the journal (default:"
            + " the login name).")
    private String operator;

    /** What the desk sees; one line each (JSON Lines with --json). */
    private final Object printLock = new Object();
    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    private int pulled;
    private int notInitialised;

    @Override
    public Integer call() throws Exception {
        int workers = checkCombinations();
        CliContext ctx = ctx();
        List<ManifestEntry> rows = tokens.rows();
        if (rows != null) {
            for (ManifestEntry row : rows) {
                tokens.requireUsablePinSource(row, ctx);
            }
        }
        EnrollTemplate template = tokens.template();
        String stationName = station != null ? station : hostName();
        String operatorName = operator != null ? operator : System.getProperty("user.name", "unknown");
        Cancellation cancellation = top().cancellation();
        long start = System.nanoTime();
        // the journal first: a station that cannot record what it does must not start
        Journal.Opened opened = journalFile == null ? null : Journal.open(journalFile);
        if (opened != null && opened.tornLastLine()) {
            ctx.err().println("tokenctl: warning: the journal " + journalFile + " ended with a torn line (a crash"
                    + " while writing?); it is left as it is, and the next record starts on a new line");
        }
        // busy for the whole run: a signal waits for the tokens under way and the summary
        try (Journal journal = opened == null ? null : opened.journal();
             Cancellation.Active busy = cancellation.begin();
             CertificateIssuer issuer = tokens.issuing().issuer(ctx, false);
             Pkcs11Module m = openModule();
             SharedPin shared = new SharedPin(new PinReader(ctx).read(tokens.pin().forTarget(
                     "the tokens of this station")))) {
            issuer.preflight();
            BatchRunner runner = new BatchRunner(ctx, shared, top().verbose(), cancellation, "station");
            BatchRunner.Job job = runner.enrollJob(issuer, false, false, true, ctx.clock());
            run(m, rows, template, runner, job, journal, stationName, operatorName, workers, cancellation);
            summary(ctx, (System.nanoTime() - start) / 1_000_000);
            return ExitCode.OK.code();
        }
    }

    /** The desk's loop: look at the slots at every event (or poll), hand new tokens to the workers. */
    private void run(Pkcs11Module m, List<ManifestEntry> rows, EnrollTemplate template, BatchRunner runner,
                     BatchRunner.Job job, Journal journal, String stationName, String operatorName, int workers,
                     Cancellation cancellation) throws Exception {
        Semaphore changed = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        // until the module says it has no slot events, they come as they happen: the slots are then read
        // again only at an event, when a token's turn ends, and every SAFETY_RESCAN_MS
        AtomicBoolean polling = new AtomicBoolean();
        Thread events = new Thread(() -> {
            try {
                while (!stop.get() && m.waitForSlotEvent(false).isPresent()) {
                    changed.release();
                }
            } catch (Exception e) {
                // no slot events (SoftHSM), the module failed, or it was finalised at the end: poll
            } finally {
                polling.set(true);
            }
        }, "station-slot-events");
        events.setDaemon(true);
        events.start();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "station");
            t.setDaemon(true);
            return t;
        });
        Map<Long, String> present = new HashMap<>();   // slot id -> serial of the token seen in it
        Map<String, Boolean> underWay = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            say("waiting for tokens (" + m.path() + "); Ctrl-C to stop");
            while (!cancellation.cancelled()) {
                Map<Long, TokenInfo> now = new HashMap<>();
                for (Slot s : m.slots()) {
                    if (s.token() != null) {
                        now.put(s.id(), s.token());
                    }
                }
                for (Map.Entry<Long, String> e : new ArrayList<>(present.entrySet())) {
                    TokenInfo t = now.get(e.getKey());
                    if (t == null || !t.serial().equals(e.getValue())) {
                        present.remove(e.getKey());
                        event("removed", e.getKey(), e.getValue(), null, null);
                    }
                }
                for (Map.Entry<Long, TokenInfo> e : now.entrySet()) {
                    TokenInfo info = e.getValue();
                    if (present.containsKey(e.getKey()) || underWay.containsKey(info.serial())) {
                        continue;
                    }
                    present.put(e.getKey(), info.serial());
                    event("inserted", e.getKey(), info.serial(), info.label(), null);
                    BatchTarget target = target(m, m.slot(e.getKey()), rows, template, journal, stationName,
                            operatorName);
                    if (target == null) {
                        continue;
                    }
                    underWay.put(info.serial(), Boolean.TRUE);
                    long slotId = e.getKey();
                    pool.submit(() -> {
                        try {
                            finish(m, slotId, target, runner.runOne(target, job), journal, stationName,
                                    operatorName);
                        } finally {
                            underWay.remove(info.serial());
                            changed.release(); // a token pulled and plugged back meanwhile is seen now
                        }
                    });
                }
                awaitChange(changed, polling.get() ? pollInterval : Math.max(pollInterval, SAFETY_RESCAN_MS),
                        cancellation);
                changed.drainPermits();
            }
        } finally {
            stop.set(true);
            pool.shutdown();
            // the tokens under way see the cancellation at their next step and roll back
            pool.awaitTermination(1, TimeUnit.DAYS);
        }
    }

    /**
     * Waits for a slot event or a token's turn to end, at most {@code millis}, in short slices so
     * that Ctrl-C or SIGTERM stop the station at once.
     */
    private static void awaitChange(Semaphore changed, long millis, Cancellation cancellation)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0 && !cancellation.cancelled();
             left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
            if (changed.tryAcquire(Math.min(left, 100), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** A token's target, or null (with its event and journal line) when it is not to be enrolled. */
    private BatchTarget target(Pkcs11Module m, Slot slot, List<ManifestEntry> rows, EnrollTemplate template,
                               Journal journal, String stationName, String operatorName) throws Exception {
        TokenInfo info = slot.token();
        if (!info.initialized()) {
            record(journal, stationName, operatorName, info, "not-initialised", ExitCode.TOKEN_NOT_FOUND,
                    "The token is not initialised: initialise it first (tokenctl init)", null, null);
            done(slot.id(), info, "not-initialised", ExitCode.TOKEN_NOT_FOUND, null, null,
                    "The token is not initialised: initialise it first (tokenctl init)", 0);
            return null;
        }
        ManifestEntry row = null;
        if (rows != null) {
            for (ManifestEntry r : rows) {
                if (r.serial() != null ? r.serial().equals(info.serial()) : r.tokenLabel().equals(info.label())) {
                    row = r;
                }
            }
            if (row == null) {
                String why = "Not in the manifest " + tokens.manifest();
                record(journal, stationName, operatorName, info, Outcome.SKIPPED.label(), ExitCode.TOKEN_NOT_FOUND,
                        why, null, null);
                done(slot.id(), info, Outcome.SKIPPED.label(), ExitCode.TOKEN_NOT_FOUND, null, null, why, 0);
                return null;
            }
        }
        try {
            Token t = m.token(slot);
            VendorProfile profile = profile(t, info);
            PinSource own = ManyTokensOptions.ownPin(row);
            return new BatchTarget(t, info, template.request(info, row), own == null ? null : own.forToken(info),
                    profile, loginOptions(profile));
        } catch (Exception e) {
            ErrorReporter.Report report = ErrorReporter.report(e);
            String why = ErrorReporter.oneLine(report.text());
            record(journal, stationName, operatorName, info, Outcome.FAILED.label(), report.code(), why, null, null);
            done(slot.id(), info, Outcome.FAILED.label(), report.code(), null, null, why, 0);
            return null;
        }
    }

    /** A token's turn ended: its journal line first (on disk), then the operator is told. */
    private void finish(Pkcs11Module m, long slotId, BatchTarget t, BatchResult r, Journal journal,
                        String stationName, String operatorName) {
        String outcome = r.outcome().label();
        if (r.outcome() == Outcome.FAILED && !stillThere(m, slotId, t.info().serial())) {
            outcome = "pulled";
        }
        record(journal, stationName, operatorName, t.info(), outcome, r.exitCode(), r.error(), r.keyId(),
                r.certificate());
        done(slotId, t.info(), outcome, r.exitCode(), r.keyId(), r.certificate(), r.error(), r.millis());
    }

    private static boolean stillThere(Pkcs11Module m, long slotId, String serial) {
        try {
            Slot s = m.slot(slotId);
            return s.token() != null && serial.equals(s.token().serial());
        } catch (Exception e) {
            return false;
        }
    }

    private void record(Journal journal, String stationName, String operatorName, TokenInfo info, String outcome,
                        ExitCode code, String error, String keyId, org.bouncycastle.cert.X509CertificateHolder cert) {
        synchronized (printLock) {
            switch (outcome) {
                case "pulled" -> pulled++;
                case "not-initialised" -> notInitialised++;
                default -> counts.merge(outcomeOf(outcome), 1, Integer::sum);
            }
        }
        if (journal == null) {
            return;
        }
        JournalRecord rec = new JournalRecord(1, Instant.now(ctx().clock()).toString(), stationName, operatorName,
                info.serial(), info.label(), info.model(), keyId, cert == null ? null : keySpec(cert),
                cert == null ? null : Certificates.serialHex(cert),
                cert == null ? null : SubjectName.format(cert.getSubject()),
                cert == null ? null : X509Time.notAfter(cert).toString(), outcome, code.name(), error);
        try {
            journal.append(rec);
        } catch (IOException e) {
            // the operator must not pull a token the journal does not record: say so loudly
            synchronized (printLock) {
                ctx().err().println("tokenctl: THE JOURNAL COULD NOT BE WRITTEN (" + e.getMessage() + "): token "
                        + info.serial() + " (" + outcome + ") is not recorded in " + journal.file());
            }
        }
    }

    private static Outcome outcomeOf(String label) {
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return Outcome.FAILED;
    }

    private static String keySpec(org.bouncycastle.cert.X509CertificateHolder cert) {
        try {
            return org.tokenctl.core.key.KeySpec.of(cert.getSubjectPublicKeyInfo(), "certificate").spec();
        } catch (Exception e) {
            return null;
        }
    }

    private void event(String type, long slotId, String serial, String tokenLabel, String text) {
        CliContext ctx = ctx();
        synchronized (printLock) {
            if (json()) {
                Json.printLine(ctx.out(), new StationEvent(Json.SCHEMA_VERSION, type,
                        Instant.now(ctx.clock()).toString(), slotId, serial, tokenLabel, null, null, null, null, 0,
                        0));
            } else {
                ctx.out().printf("%s  slot %d  token %s%s %s%n", CLOCK.format(Instant.now(ctx.clock())), slotId,
                        serial, tokenLabel == null ? "" : " '" + tokenLabel + "'", type.equals("inserted")
                                ? "plugged in" : "removed");
            }
            ctx.out().flush();
        }
    }

    private void done(long slotId, TokenInfo info, String outcome, ExitCode code, String keyId,
                      org.bouncycastle.cert.X509CertificateHolder cert, String error, long millis) {
        CliContext ctx = ctx();
        synchronized (printLock) {
            if (json()) {
                Json.printLine(ctx.out(), new StationEvent(Json.SCHEMA_VERSION, "done",
                        Instant.now(ctx.clock()).toString(), slotId, info.serial(), info.label(), outcome, keyId,
                        EnrollViews.certificateView(cert), error, code.code(), millis));
            } else {
                ctx.out().printf("%s  slot %d  token %s '%s': %s%s%s -- REMOVE THE TOKEN%n",
                        CLOCK.format(Instant.now(ctx.clock())), slotId, info.serial(), info.label(), outcome,
                        cert == null ? "" : ", certificate " + Certificates.serialHex(cert) + " expires "
                                + X509Time.notAfter(cert), error == null ? "" : ": " + error);
            }
            ctx.out().flush();
        }
    }

    private void say(String text) {
        CliContext ctx = ctx();
        if (!json()) {
            synchronized (printLock) {
                ctx.err().println("tokenctl station: " + text);
                ctx.err().flush();
            }
        }
    }

    private void summary(CliContext ctx, long millis) {
        synchronized (printLock) {
            StationSummary s = new StationSummary(Json.SCHEMA_VERSION, "summary", counts.getOrDefault(Outcome.ENROLLED,
                    0), counts.getOrDefault(Outcome.ALREADY_ENROLLED, 0), counts.getOrDefault(Outcome.FAILED, 0),
                    pulled, counts.getOrDefault(Outcome.SKIPPED, 0), notInitialised, millis);
            if (json()) {
                Json.printLine(ctx.out(), s);
            } else {
                ctx.out().printf("Station stopped after %.0f s: %d enrolled, %d already enrolled, %d failed, %d pulled"
                        + " in the middle, %d skipped, %d not initialised%n", millis / 1000.0, s.enrolled(),
                        s.alreadyEnrolled(), s.failed(), s.pulled(), s.skipped(), s.notInitialised());
            }
            ctx.out().flush();
        }
    }

    /**
     * One line of {@code tokenctl station --json}: a token plugged in ({@code inserted}), its
     * turn ended ({@code done}: the operator may remove it), or removed ({@code removed}).
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type inserted, done or removed
     * @param time when (ISO-8601, UTC)
     * @param slot the slot id
     * @param serial the token's serial number
     * @param label the token's label (null for removed)
     * @param outcome done: enrolled, already-enrolled, failed, pulled, skipped or not-initialised; else null
     * @param keyId done: the key's CKA_ID, or null
     * @param certificate done: the certificate, or null
     * @param error done: one line, or null
     * @param exitCode done: what {@code tokenctl enroll} would have exited with; else 0
     * @param durationMs done: how long the token took; else 0
     */
    record StationEvent(int schemaVersion, String type, String time, long slot, String serial, String label,
                        String outcome, String keyId, Views.CertificateView certificate, String error, int exitCode,
                        long durationMs) {
    }

    /**
     * The last line of {@code tokenctl station --json}: the day's counts.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type summary
     * @param enrolled tokens enrolled
     * @param alreadyEnrolled tokens that already held the enrollment
     * @param failed tokens whose enrollment failed
     * @param pulled tokens pulled in the middle
     * @param skipped tokens not tried (shared PIN refused, not in the manifest, stopped)
     * @param notInitialised tokens not initialised
     * @param durationMs how long the station ran
     */
    record StationSummary(int schemaVersion, String type, int enrolled, int alreadyEnrolled, int failed, int pulled,
                          int skipped, int notInitialised, long durationMs) {
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "station";
        }
    }

    /** Option combinations picocli cannot express; refused before anything is read. */
    private int checkCombinations() {
        String problem = tokens.problem("A station");
        if (problem != null) {
            throw usage(problem);
        }
        if (pollInterval < 20 || pollInterval > 60_000) {
            throw usage("--poll-interval must be 20 to 60000 milliseconds; got " + pollInterval);
        }
        return tokens.workers();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
