package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Fails every PKCS#11 call an operation makes, one at a time, through the vendor
 * emulator, and checks what is left: the token exactly as before, or (for a
 * fault after the operation's commit point) exactly as after success; a
 * documented exit code with a one-line error; no crash; no hang.
 *
 * <p>The calls are enumerated from the emulator's trace of a fault-free run, not
 * hand-picked. Between runs the SoftHSM token directory is restored from a copy,
 * so each run starts from the same token.
 */
final class FaultSweep {

    /** The faults each call is failed with. */
    static final List<String> FAULTS = List.of("CKR_DEVICE_REMOVED", "CKR_DEVICE_ERROR", "CKR_SESSION_HANDLE_INVALID");

    /**
     * {@code -Dtokenctl.faults=full} fails every call with every fault. By default
     * (CI) every call is still failed, each with one fault, rotating through them
     * call by call, so every call and every fault is covered in a third of the time.
     */
    static final boolean FULL = "full".equals(System.getProperty("tokenctl.faults"));

    /** Exit codes a failing PKCS#11 call may legitimately produce. */
    static final Set<ExitCode> FAULT_EXITS = EnumSet.of(ExitCode.TOKEN_ERROR, ExitCode.INCOMPLETE, ExitCode.MODULE,
            ExitCode.TOKEN_NOT_FOUND, ExitCode.OK, ExitCode.BATCH_PARTIAL, ExitCode.BATCH_FAILED);

    /** What a run says it did to one part of the state (one token of a batch). */
    enum Claim {
        /** the change was made: the part must be as after success */
        DONE,
        /** it failed: the part must be as before */
        NOT_DONE,
        /** partly done (INCOMPLETE): as before or as after, nothing in between */
        EITHER
    }

    /** Reads a run's claim about part {@code part} of the state. */
    @FunctionalInterface
    interface Claims {
        Claim of(CliResult result, int part);
    }

    /** A one-part operation's claim is its exit code. */
    static final Claims BY_EXIT_CODE = (r, part) -> r.exitCode() == ExitCode.OK.code() ? Claim.DONE
            : r.exitCode() == ExitCode.INCOMPLETE.code() ? Claim.EITHER : Claim.NOT_DONE;

    /**
     * @param r a run
     * @return DONE for success, NOT_DONE for a plain failure, null for exit 15 (the caller reads what it says)
     */
    static Claim byExitUnlessIncomplete(CliResult r) {
        if (r.exitCode() == ExitCode.OK.code()) {
            return Claim.DONE;
        }
        return r.exitCode() == ExitCode.INCOMPLETE.code() ? null : Claim.NOT_DONE;
    }

    /**
     * Reads a partial deletion's error line (exit 15: "...deleted: A, B; still on the token:
     * C..."), as {@code delete} and {@code renew --remove-old} write it.
     *
     * @param err the run's stderr
     * @param object how tokenctl names the object, e.g. {@code private key id=0d}
     * @return DONE if the line lists it as deleted, else NOT_DONE
     */
    static Claim deletedClaim(String err, String object) {
        int deleted = err.indexOf("deleted: ");
        int left = err.indexOf("; still on the token: ");
        assertTrue(deleted >= 0 && left > deleted, "exit 15 must say what was deleted and what is left: " + err);
        return err.substring(deleted, left).contains(object) ? Claim.DONE : Claim.NOT_DONE;
    }

    /** One faulted run. */
    record Outcome(int call, String function, String fault, CliResult result, String state) {
    }

    private final SoftHsmFixture fixture;
    private final Path snapshot;
    private final Path noGuard;
    private final Map<String, String> profileKeys;
    private final String profile;

    /**
     * @param fixture the test class's SoftHSM fixture, with the tokens the operation needs already made
     * @param profileKeys extra emulator configuration (e.g. none for plain SoftHSM behaviour)
     */
    FaultSweep(SoftHsmFixture fixture, Map<String, String> profileKeys) {
        this(fixture, "softhsm", profileKeys);
    }

    /**
     * @param fixture the test class's SoftHSM fixture, with the tokens the operation needs already made
     * @param profile the vendor profile the emulator presents (its identity and constants, e.g. SM2's)
     * @param profileKeys extra emulator configuration
     */
    FaultSweep(SoftHsmFixture fixture, String profile, Map<String, String> profileKeys) {
        this.fixture = fixture;
        this.profile = profile;
        this.profileKeys = profileKeys;
        this.snapshot = fixture.root().resolve("sweep-snapshot");
        try {
            // the guard's counts would carry from run to run; these runs are about the token
            this.noGuard = Files.writeString(fixture.root().resolve("sweep-no-guard.properties"),
                    "guard.enabled = false\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the sweep.
     *
     * @param args the tokenctl arguments (without --module), fresh for each run
     * @param probe reads the state that matters (objects, which PIN works) with independent tools
     * @return every faulted run
     */
    List<Outcome> sweep(Supplier<String[]> args, Function<SoftHsmFixture, String> probe) {
        return sweep(args, f -> List.of(probe.apply(f)), BY_EXIT_CODE);
    }

    /**
     * Runs the sweep over an operation on several independent parts (the tokens of
     * a batch): each part must end exactly as before or exactly as after success,
     * as the run claims for that part.
     *
     * @param args the tokenctl arguments (without --module), fresh for each run
     * @param probe reads each part's state with independent tools
     * @param claims what a run says it did to each part
     * @return every faulted run
     */
    List<Outcome> sweep(Supplier<String[]> args, Function<SoftHsmFixture, List<String>> probe, Claims claims) {
        copyTree(fixture.tokenDir(), snapshot);
        List<String> before = probe.apply(fixture);
        Path trace = fixture.root().resolve("sweep-trace");
        deleteQuietly(trace);
        CliResult ok = run(args.get(), Map.of("trace.file", trace.toString()));
        assertEquals(0, ok.exitCode(), "the fault-free run must succeed: " + ok.both());
        List<String> after = probe.apply(fixture);
        for (int i = 0; i < before.size(); i++) {
            assertFalse(before.get(i).equals(after.get(i)),
                    "the operation must change every part, or the sweep proves nothing: part " + i);
        }
        List<String> calls = readTrace(trace);
        assertTrue(calls.size() > 3, "trace of the operation: " + calls);

        List<Outcome> outcomes = new ArrayList<>();
        for (int k = 1; k < calls.size(); k++) {
            for (String fault : FULL ? FAULTS : List.of(FAULTS.get(k % FAULTS.size()))) {
                restore();
                Map<String, String> conf = new LinkedHashMap<>();
                conf.put("fault.function", "any");
                conf.put("fault.call", Integer.toString(k));
                conf.put("fault.rv", fault);
                CliResult r = run(args.get(), conf);
                List<String> state = probe.apply(fixture);
                Outcome o = new Outcome(k, calls.get(k), fault, r, String.join("\n--\n", state));
                check(o, state, before, after, claims);
                outcomes.add(o);
            }
        }
        restore();
        return outcomes;
    }

    private void check(Outcome o, List<String> state, List<String> before, List<String> after, Claims claims) {
        String where = "fault " + o.fault() + " at call " + o.call() + " (" + o.function() + "): ";
        ExitCode code = null;
        for (ExitCode e : ExitCode.values()) {
            if (e.code() == o.result().exitCode()) {
                code = e;
            }
        }
        assertTrue(code != null && FAULT_EXITS.contains(code), where + "undocumented exit code: " + o.result().both());
        if (code != ExitCode.OK) {
            o.result().assertOneLineError();
        }
        for (int i = 0; i < state.size(); i++) {
            String s = state.get(i);
            String part = where + "part " + i + ": ";
            switch (claims.of(o.result(), i)) {
                case DONE:
                    assertEquals(after.get(i), s, part + "success must mean the token is as after success\n"
                            + o.result().both());
                    break;
                case NOT_DONE:
                    // a failure that leaves the change made must say so (INCOMPLETE), never a plain error
                    assertEquals(before.get(i), s, part + "reported as failed, so the token must be as before\n"
                            + o.result().both());
                    break;
                default:
                    assertTrue(s.equals(before.get(i)) || s.equals(after.get(i)), part + "token left half-made:\n"
                            + s + "\nbefore:\n" + before.get(i) + "\nafter:\n" + after.get(i) + "\n"
                            + o.result().both());
            }
        }
    }

    private CliResult run(String[] args, Map<String, String> faultConf) {
        Map<String, String> conf = new LinkedHashMap<>(profileKeys);
        conf.putAll(faultConf);
        Path module = fixture.emulateProfile(profile, conf);
        CliResult r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new Cli(fixture).module(module)
                .env("TOKENCTL_CONFIG", noGuard.toString()).run(args), "no hang: " + String.join(" ", args));
        settle(module);
        return r;
    }

    /**
     * A faulted C_Finalize leaves the module initialised in this JVM (token-core keeps
     * it registered, as it must); finish it, fault-free, before the token files are
     * restored under SoftHSM's feet.
     */
    private void settle(Path module) {
        fixture.emulateProfile(profile, profileKeys);
        try {
            Pkcs11Module.open(module).close();
        } catch (TokenctlException e) {
            throw new AssertionError("cannot settle the emulator after a run", e);
        }
    }

    private static List<String> readTrace(Path trace) {
        try {
            return Files.readAllLines(trace).stream().map(l -> l.split(" ")[0]).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void restore() {
        deleteTree(fixture.tokenDir());
        copyTree(snapshot, fixture.tokenDir());
    }

    private static void copyTree(Path from, Path to) {
        deleteTree(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A summary line for the test output: how many runs, by outcome. */
    static String summary(String operation, List<Outcome> outcomes) {
        Map<Integer, Long> byExit = outcomes.stream().collect(Collectors.groupingBy(o -> o.result().exitCode(),
                java.util.TreeMap::new, Collectors.counting()));
        long calls = outcomes.stream().map(Outcome::call).distinct().count();
        return operation + ": " + outcomes.size() + " faulted runs (" + calls + " calls, "
                + (FULL ? "each with all " + FAULTS.size() + " faults" : "faults rotating; -Dtokenctl.faults=full for all")
                + "), exit codes " + byExit;
    }
}
