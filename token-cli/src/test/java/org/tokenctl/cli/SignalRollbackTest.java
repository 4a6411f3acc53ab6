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
        Path pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        Path trace = f.root().resolve("enroll-trace");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", "C_Sign", "fault.delay_ms", "4000",
                "trace.file", trace.toString()));
        ObjectSnapshot before = ObjectSnapshot.of(f, TOKEN, PIN);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--timeout", "60",
                "enroll", "--token-label", TOKEN, "--label", "interrupted", "--subject", "CN=interrupted",
                "--key-spec", "ec:p256", "--pin-file", pin.toString(), "--module", module.toString()));
        command.addAll(List.of(ca.options()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(f.env());
        pb.environment().put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        Path err = f.root().resolve("err.txt");
        pb.redirectError(err.toFile());
        pb.redirectOutput(f.root().resolve("out.txt").toFile());
        Process p = pb.start();
        try {
            // the key pair is made and the token is signing the request
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!traceHas(trace, "C_SignInit CKR_OK") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(traceHas(trace, "C_GenerateKeyPair CKR_OK"), "the key pair was made: " + read(err));
            assertTrue(p.isAlive(), "still signing: " + read(err));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended after the signal");
        } finally {
            p.destroyForcibly();
        }
        String stderr = read(err);
        assertEquals(143, p.exitValue(), stderr);
        assertTrue(stderr.contains("tokenctl: interrupted: the enrollment under way stops at its next step"), stderr);
        assertTrue(stderr.contains("Enrollment stopped (interrupted by a signal) before it finished; what it had made"
                + " was removed"), stderr);
        assertTrue(traceHas(trace, "C_DestroyObject CKR_OK"), "the key pair was destroyed: " + stderr);
        assertEquals(before, ObjectSnapshot.of(f, TOKEN, PIN), "nothing left on the token: " + stderr);
    }

    @Test
    void sigtermMidBatchRollsBackTheTokenUnderWayAndSkipsTheRest(SoftHsmFixture f) throws Exception {
        f.initToken("batch-a", "so-pin-sa", PIN);
        f.initToken("batch-b", "so-pin-sb", PIN);
        Path pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        Path trace = f.root().resolve("batch-trace");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", "C_Sign", "fault.delay_ms", "4000",
                "trace.file", trace.toString()));
        ObjectSnapshot a = ObjectSnapshot.of(f, "batch-a", PIN);
        ObjectSnapshot b = ObjectSnapshot.of(f, "batch-b", PIN);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--timeout", "60",
                "batch-enroll", "--parallel", "1", "--subject", "CN=batch {label}", "--key-spec", "ec:p256",
                "--pin-file", pin.toString(), "--module", module.toString(), "--json"));
        command.addAll(List.of(ca.options()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(f.env());
        pb.environment().put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        Path err = f.root().resolve("batch-err.txt");
        Path out = f.root().resolve("batch-out.txt");
        pb.redirectError(err.toFile());
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!traceHas(trace, "C_SignInit CKR_OK") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "still signing the first token's request: " + read(err));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended after the signal");
        } finally {
            p.destroyForcibly();
        }
        String stderr = read(err);
        String stdout = read(out);
        assertEquals(143, p.exitValue(), stderr + stdout);
        // one token stopped and rolled back, the other never started; the summary still printed
        assertTrue(stdout.contains("\"outcome\":\"failed\"") && stdout.contains("Enrollment stopped (interrupted by a"
                + " signal)"), stdout);
        assertTrue(stdout.contains("\"outcome\":\"skipped\"") && stdout.contains("Not started: the batch was"
                + " interrupted"), stdout);
        assertTrue(stdout.contains("\"type\":\"summary\""), stdout);
        assertEquals(a, ObjectSnapshot.of(f, "batch-a", PIN), "nothing left on batch-a: " + stderr + stdout);
        assertEquals(b, ObjectSnapshot.of(f, "batch-b", PIN), "batch-b untouched: " + stderr + stdout);
    }

    private static boolean traceHas(Path trace, String line) throws IOException {
        return Files.exists(trace) && Files.readAllLines(trace).contains(line);
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
