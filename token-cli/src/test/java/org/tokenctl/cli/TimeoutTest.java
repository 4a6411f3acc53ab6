package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** A token that hangs (the emulator sleeps in C_Login) is bounded by --timeout, in a process of its own. */
@ExtendWith(SoftHsmExtension.class)
class TimeoutTest {

    @Test
    void aHangingCallEndsTheProcessNamingTheCall(SoftHsmFixture f) throws Exception {
        f.initToken("hangs", "hang-so-1", "24681357");
        assertHangNamed(f, "hangs", "C_Login");
    }

    @Test
    void aModuleHangingInCInitializeIsNamedToo(SoftHsmFixture f) throws Exception {
        f.initToken("hangs-early", "hang-so-2", "24681357");
        assertHangNamed(f, "hangs-early", "C_Initialize");
    }

    /** Runs `list --login` in a process of its own with {@code function} sleeping a minute, and --timeout 2. */
    private static void assertHangNamed(SoftHsmFixture f, String label, String function) throws Exception {
        Path pin = Files.writeString(f.root().resolve("pin"), "24681357");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", function, "fault.delay_ms", "60000"));
        Map<String, String> env = new HashMap<>(f.env());
        env.put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        long start = System.nanoTime();
        ProcessResult r = Processes.run(env, new byte[0], List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--timeout", "2", "list", "--login", "--token-label", label, "--pin-file", pin.toString(), "--module",
                module.toString()));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(ExitCode.TIMEOUT.code(), r.exitCode(), r.both());
        assertTrue(r.stderr().contains("timed out after 2 s: " + function + " did not return"), r.both());
        assertEquals("", r.stdout());
        assertTrue(seconds < 30, "bounded: " + seconds + " s");
    }

    @Test
    void aNonPositiveTimeoutIsAUsageError(SoftHsmFixture f) {
        new Cli(f).run("--timeout", "0", "list").assertExit(ExitCode.USAGE).assertErrContains("positive");
    }
}
