package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A failed PKCS#11 call is named as the one that failed (a search is three calls),
 * and the hint fits the CKR: only a removed token is asked about removal.
 */
@ExtendWith(SoftHsmExtension.class)
class CallNamingTest {

    private static SoftHsmFixture f;

    @BeforeAll
    static void token(SoftHsmFixture fixture) {
        f = fixture;
        f.initToken("named", "so-secret-1", "31415926");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "C_FindObjectsInit, CKR_DEVICE_REMOVED, (was the token removed?)",
        "C_FindObjects, CKR_SESSION_HANDLE_INVALID, (the token closed the session: was it removed or reset?)",
        "C_FindObjectsFinal, CKR_DEVICE_ERROR, (the token or its reader failed; try again, or another reader)"
    })
    void theFailingCallIsNamedWithAHintThatFits(String function, String rv, String hint) throws Exception {
        Path pin = Files.writeString(f.root().resolve("pin"), "31415926");
        f.writeEmulatorConfig(Map.of("softhsm.module", f.softhsmModule().toString(), "fault.function", function,
                "fault.call", "1", "fault.rv", rv));
        CliResult r = new Cli(f).module(f.emulatorModule()).run("list", "--objects", "--token-label", "named",
                "--pin-file", pin.toString());
        r.assertExit(ExitCode.TOKEN_ERROR).assertErrContains(function + " failed: " + rv + " " + hint);
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("tokenctl: ")).count(), r.err());
        assertFalse(r.err().contains("was the token removed") && !rv.equals("CKR_DEVICE_REMOVED"), r.err());
    }
}
