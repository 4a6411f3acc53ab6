package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertHangNamed(f, "hangs", "C_Login", false);
    }

    @Test
    void aModuleHangingInCInitializeIsNamedToo(SoftHsmFixture f) throws Exception {
        f.initToken("hangs-early", "hang-so-2", "24681357");
        // with --json the timeout is also the failure object on stdout
        assertHangNamed(f, "hangs-early", "C_Initialize", true);
    }

    @Test
    void aModuleHangingInCFinalizeAfterTheWorkKeepsTheCommandsExitCode(SoftHsmFixture f) throws Exception {
        f.initToken("slow-finalize", "hang-so-3", "24681357");
        long start = System.nanoTime();
        // --timeout 60: the command must end on its own, long before the watchdog would end it
        ProcessResult r = listWithHangIn(f, "C_Finalize", "60", "slow-finalize");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(ExitCode.OK.code(), r.exitCode(), r.both());
        assertTrue(r.stdout().contains("slow-finalize"), r.both());
        assertTrue(r.stderr().contains("did not return from C_Finalize within 5 s; the command had finished, and its"
                + " exit code (0) stands"), r.both());
        assertFalse(r.stderr().contains("timed out"), r.both());
        assertTrue(seconds < 30, "bounded by the finalize wait, not the timeout: " + seconds + " s");
    }

    /** Runs `list --login` in a process of its own with {@code function} sleeping a minute, and --timeout 2. */
    private static void assertHangNamed(SoftHsmFixture f, String label, String function, boolean json)
            throws Exception {
        long start = System.nanoTime();
        ProcessResult r = json ? listWithHangIn(f, function, "2", label, "--json") : listWithHangIn(f, function, "2",
                label);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(ExitCode.TIMEOUT.code(), r.exitCode(), r.both());
        assertTrue(r.stderr().contains("timed out after 2 s: " + function + " did not return"), r.both());
        if (json) {
            com.fasterxml.jackson.databind.JsonNode failure = org.tokenctl.cli.output.Json.mapper()
                    .readTree(r.stdout());
            assertEquals("TIMEOUT", failure.get("exitName").asText(), r.both());
            assertEquals(r.stderr().strip(), "tokenctl: " + failure.get("message").asText());
            assertTrue(JsonSchemas.problems(JsonSchemas.FAILURE, failure.toString()).isEmpty(), r.stdout());
        } else {
            assertEquals("", r.stdout());
        }
        assertTrue(seconds < 30, "bounded: " + seconds + " s");
    }

    private static ProcessResult listWithHangIn(SoftHsmFixture f, String function, String timeout, String label,
                                                String... more) throws Exception {
        Path pin = Files.writeString(f.root().resolve("pin"), "24681357");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", function, "fault.delay_ms", "60000"));
        Map<String, String> env = new HashMap<>(f.env());
        env.put("XDG_DATA_HOME", f.root().resolve("xdg").toString());
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--timeout", timeout, "list", "--login", "--token-label", label, "--pin-file", pin.toString(),
                "--module", module.toString()));
        command.addAll(List.of(more));
        return Processes.run(env, new byte[0], command);
    }

    @Test
    void aNonPositiveTimeoutIsAUsageError(SoftHsmFixture f) {
        new Cli(f).run("--timeout", "0", "list").assertExit(ExitCode.USAGE).assertErrContains("positive");
    }
}
