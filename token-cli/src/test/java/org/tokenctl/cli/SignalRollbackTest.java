package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * SIGTERM in the middle of an enrollment, in a process of its own: the emulator
 * holds the request's signature (C_Sign) for 4 s, the signal comes while the new key
 * pair is on the token, and the enrollment stops at its next step and removes it.
 */
@ExtendWith(SoftHsmExtension.class)
class SignalRollbackTest {

    private static final String TOKEN = "signalled";
    private static final String PIN = "36925814";
    private static TestCa ca;

    @BeforeAll
    static void makeCa(SoftHsmFixture f) {
        ca = TestCa.make(f);
    }

    @Test
    void sigtermMidEnrollmentRemovesTheNewKeyPair(SoftHsmFixture f) throws Exception {
        f.initToken(TOKEN, "so-pin-sig", PIN);
        ObjectSnapshot before = ObjectSnapshot.of(f, TOKEN, PIN);

        Interrupted r = interruptWhileSigning(f, "enroll", "enroll", "--token-label", TOKEN, "--label", "interrupted",
                "--subject", "CN=interrupted");
        assertTrue(r.traceHas("C_GenerateKeyPair CKR_OK"), "the key pair was made: " + r.stderr);
        assertEquals(143, r.exit, r.stderr);
        assertTrue(r.stderr.contains("tokenctl: interrupted: the enrollment under way stops at its next step"),
                r.stderr);
        assertTrue(r.stderr.contains("Enrollment stopped (interrupted by a signal) before it finished; nothing is"
                + " left behind: removed private key id="), r.stderr);
        assertTrue(r.traceHas("C_DestroyObject CKR_OK"), "the key pair was destroyed: " + r.stderr);
        assertEquals(before, ObjectSnapshot.of(f, TOKEN, PIN), "nothing left on the token: " + r.stderr);
    }

    @Test
    void sigtermMidBatchRollsBackTheTokenUnderWayAndSkipsTheRest(SoftHsmFixture f) throws Exception {
        f.initToken("batch-a", "so-pin-sa", PIN);
        f.initToken("batch-b", "so-pin-sb", PIN);
        ObjectSnapshot a = ObjectSnapshot.of(f, "batch-a", PIN);
        ObjectSnapshot b = ObjectSnapshot.of(f, "batch-b", PIN);

        Interrupted r = interruptWhileSigning(f, "batch", "batch-enroll", "--parallel", "1", "--subject",
                "CN=batch {label}", "--json");
        String both = r.stderr + r.stdout;
        assertEquals(143, r.exit, both);
        // one token stopped and rolled back, the other never started; the summary still printed
        assertTrue(r.stdout.contains("\"outcome\":\"failed\"") && r.stdout.contains("Enrollment stopped"
                + " (interrupted by a signal)"), both);
        assertTrue(r.stdout.contains("\"outcome\":\"skipped\"") && r.stdout.contains("Not started: the batch was"
                + " interrupted"), both);
        assertTrue(r.stdout.contains("\"type\":\"summary\""), both);
        assertEquals(a, ObjectSnapshot.of(f, "batch-a", PIN), "nothing left on batch-a: " + both);
        assertEquals(b, ObjectSnapshot.of(f, "batch-b", PIN), "batch-b untouched: " + both);
    }

    /** How a signalled tokenctl process ended, and the emulator's trace of its calls. */
    private record Interrupted(int exit, String stdout, String stderr, Path trace) {
        boolean traceHas(String line) throws IOException {
            return SignalRollbackTest.traceHas(trace, line);
        }
    }

    /**
     * Runs tokenctl (EC P-256 keys, the test CA, the user PIN from a file) in a
     * process of its own on the emulator, which holds the first C_Sign (the
     * request's signature) for 4 s; sends SIGTERM once C_SignInit has returned.
     */
    private static Interrupted interruptWhileSigning(SoftHsmFixture f, String name, String... args)
            throws Exception {
        Path pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        Path trace = f.root().resolve(name + "-trace");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", "C_Sign", "fault.delay_ms", "4000",
                "trace.file", trace.toString()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--timeout", "60"));
        command.addAll(List.of(args));
        command.addAll(List.of("--key-spec", "ec:p256", "--pin-file", pin.toString(), "--module", module.toString()));
        command.addAll(List.of(ca.options()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(f.env());
        pb.environment().put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        Path err = f.root().resolve(name + "-err.txt");
        Path out = f.root().resolve(name + "-out.txt");
        pb.redirectError(err.toFile());
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!traceHas(trace, "C_SignInit CKR_OK") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "still signing the request when the signal comes: " + read(err));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended after the signal");
        } finally {
            p.destroyForcibly();
        }
        return new Interrupted(p.exitValue(), read(out), read(err), trace);
    }

    private static boolean traceHas(Path trace, String line) throws IOException {
        return Files.exists(trace) && Files.readAllLines(trace).contains(line);
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
