package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * What a token says about PINs outside the happy path, each with its own exit code
 * and one line: CKR_PIN_LOCKED from C_Login without the lock flags set, the token
 * refusing a new PIN (C_SetPIN, C_InitPIN), and init's PINs checked before the token
 * is wiped. The emulator answers the CKRs; SoftHSM holds the tokens.
 */
@ExtendWith(SoftHsmExtension.class)
class PinRefusalPathsTest {

    private static final String PIN = "31415926";
    private static SoftHsmFixture fixture;

    @BeforeAll
    static void setUp(SoftHsmFixture f) {
        fixture = f;
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(fixture.root().resolve(name), content);
    }

    /** The emulator in front of SoftHSM, failing the first call of {@code function} with {@code rv}. */
    private static Cli faulting(String function, String rv) {
        fixture.writeEmulatorConfig(Map.of("softhsm.module", fixture.softhsmModule().toString(),
                "fault.function", function, "fault.call", "1", "fault.rv", rv));
        return new Cli(fixture).module(fixture.emulatorModule());
    }

    private static void assertOneLine(CliResult r) {
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("tokenctl: ")).count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("unexpected"), r.err());
    }

    @Test
    void aLockedPinAnsweredByCLoginHasItsOwnExitCode() throws Exception {
        fixture.initToken("locked-rv", "so-secret-1", PIN);
        CliResult r = faulting("C_Login", "CKR_PIN_LOCKED").run("list", "--objects", "--token-label", "locked-rv",
                "--pin-file", file("pin", PIN).toString());
        r.assertExit(ExitCode.PIN_LOCKED).assertErrContains("The user PIN is locked");
        assertOneLine(r);
    }

    @Test
    void aLoginPinOfALengthTheTokenCannotHoldIsNeverTried() throws Exception {
        fixture.initToken("gd-range", "so-secret-5", PIN);
        Path trace = fixture.root().resolve("range-trace");
        Cli cli = new Cli(fixture).module(fixture.emulateProfile("gd", Map.of("trace.file", trace.toString())));
        for (String wrong : new String[] {"97531", "97531864201"}) {
            CliResult r = cli.run("list", "--login", "--token-label", "gd-range", "--pin-file",
                    file("wrong", wrong).toString());
            r.assertExit(ExitCode.INVALID_INPUT).assertErrContains("this token's PINs are 6 to 10 bytes long, and it"
                    + " has " + wrong.length() + "; not tried");
            assertOneLine(r);
        }
        assertFalse(Files.readString(trace).contains("C_Login"), "no try was spent");
        cli.run("list", "--login", "--token-label", "gd-range", "--pin-file", file("right", PIN).toString())
                .assertOk();
        assertTrue(Files.readString(trace).contains("C_Login CKR_OK"));
    }

    @Test
    void aNewPinTheTokenRefusesIsAPolicyFailure() throws Exception {
        fixture.initToken("refuses-set", "so-secret-2", PIN);
        CliResult r = faulting("C_SetPIN", "CKR_PIN_INVALID").run("change-pin", "--token-label", "refuses-set",
                "--pin-file", file("pin", PIN).toString(), "--new-pin-file", file("new", "27182818").toString());
        r.assertExit(ExitCode.PIN_POLICY).assertErrContains("The token refused the new user PIN (CKR_PIN_INVALID)");
        assertOneLine(r);

        r = faulting("C_InitPIN", "CKR_PIN_LEN_RANGE").run("unblock", "--token-label", "refuses-set",
                "--so-pin-file", file("so", "so-secret-2").toString(), "--new-pin-file",
                file("new", "27182818").toString());
        r.assertExit(ExitCode.PIN_POLICY).assertErrContains("The token refused the new user PIN (CKR_PIN_LEN_RANGE)");
        assertOneLine(r);
    }

    @Test
    void initChecksBothPinsBeforeWipingAnything() throws Exception {
        fixture.initToken("keep-me", "so-secret-3", PIN);
        fixture.pkcs11Tool("--token-label", "keep-me", "--login", "--pin", PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--id", "01", "--label", "kept").assertOk();
        ObjectSnapshot before = ObjectSnapshot.of(fixture, "keep-me", PIN);
        assertEquals(2, before.size(), before.toString());
        Cli cli = new Cli(fixture);
        Path so = file("so", "so-secret-3");

        CliResult r = cli.run("init", "--token-label", "keep-me", "--label", "wiped", "--force", "--so-pin-file",
                so.toString(), "--user-pin-file", file("two", "ab").toString());
        r.assertExit(ExitCode.PIN_POLICY).assertErrContains("The new user PIN must be 6 to 10 characters; got 2");
        assertOneLine(r);
        r = cli.run("init", "--token-label", "keep-me", "--label", "wiped", "--force", "--so-pin-file",
                so.toString(), "--user-pin-file", file("five", "abcde").toString());
        r.assertExit(ExitCode.PIN_POLICY).assertErrContains("got 5");

        assertEquals(before.toString(), ObjectSnapshot.of(fixture, "keep-me", PIN).toString(),
                "the token was not wiped and its user PIN still works");

        // a fresh token: the new SO PIN must fit the token's own range (SoftHSM: 4 to 255)
        r = cli.run("init", "--label", "fresh", "--so-pin-file", file("short-so", "so").toString());
        r.assertExit(ExitCode.PIN_POLICY).assertErrContains("The new SO PIN must be 4 to 255 characters; got 2");
        assertOneLine(r);
        assertFalse(r.err().contains("locked"), r.err());
    }

    @Test
    void aUserPinRefusedAfterTheWipeIsReportedAsIncomplete() throws Exception {
        CliResult r = faulting("C_InitPIN", "CKR_PIN_LEN_RANGE").run("init", "--label", "half-made",
                "--so-pin-file", file("so", "so-secret-4").toString());
        r.assertExit(ExitCode.INCOMPLETE).assertErrContains("was initialised but its user PIN was not set");
        assertOneLine(r);

        // no PIN can be right until the SO sets one: nothing is tried, nothing counted
        Path trace = fixture.root().resolve("no-user-pin-trace");
        fixture.writeEmulatorConfig(Map.of("softhsm.module", fixture.softhsmModule().toString(), "trace.file",
                trace.toString()));
        Cli cli = new Cli(fixture).module(fixture.emulatorModule());
        for (String[] command : new String[][] {
            {"list", "--login", "--token-label", "half-made", "--pin-file", file("guess", "12345678").toString()},
            {"change-pin", "--token-label", "half-made", "--pin-file", file("guess", "12345678").toString(),
                "--new-pin-file", file("new", "27182818").toString()}}) {
            r = cli.run(command);
            r.assertExit(ExitCode.PIN_LOCKED).assertErrContains("no user PIN yet")
                    .assertErrContains("`tokenctl unblock`");
            assertOneLine(r);
        }
        String calls = Files.readString(trace);
        assertFalse(calls.contains("C_Login") || calls.contains("C_SetPIN"), calls);
        for (JsonNode record : new Cli(fixture).run("guard", "status", "--serial", fixture.serialOf("half-made"),
                "--json").assertOk().json().get("records")) {
            assertEquals(0, record.get("wrongToday").asInt(), "nothing counted: " + record);
            assertEquals(0, record.get("wrongInARow").asInt(), "nothing counted: " + record);
        }
        // the SO sets it, and then it works
        new Cli(fixture).run("unblock", "--token-label", "half-made", "--so-pin-file",
                file("so", "so-secret-4").toString(), "--new-pin-file", file("set", "27182818").toString()).assertOk();
        new Cli(fixture).run("list", "--login", "--token-label", "half-made", "--pin-file",
                file("set", "27182818").toString()).assertOk();
    }

    @Test
    void anExpiredPinIsAPinToChange() throws Exception {
        fixture.initToken("expired", "so-secret-6", PIN);
        CliResult r = faulting("C_Login", "CKR_PIN_EXPIRED").run("list", "--login", "--token-label", "expired",
                "--pin-file", file("pin", PIN).toString());
        r.assertExit(ExitCode.INITIAL_PIN).assertErrContains("requires its user PIN to be changed")
                .assertErrContains("tokenctl change-pin");
        assertOneLine(r);
    }

    @Test
    void initResetsTheAttemptGuardLikeAnUnblock() throws Exception {
        fixture.initToken("reinit", "so-secret-7", PIN);
        Path config = Files.writeString(fixture.root().resolve("strict.properties"), "guard.consecutive-limit = 2\n");
        Cli cli = new Cli(fixture).env("TOKENCTL_CONFIG", config.toString());
        Path wrong = file("wrong", "27182818");
        for (int i = 0; i < 2; i++) {
            cli.run("list", "--login", "--token-label", "reinit", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        Path own = file("own", "16180339");
        cli.run("list", "--login", "--token-label", "reinit", "--pin-file", own.toString())
                .assertExit(ExitCode.ATTEMPT_GUARD);
        cli.run("init", "--token-label", "reinit", "--label", "reinit", "--force", "--so-pin-file",
                file("so", "so-secret-7").toString(), "--user-pin-file", own.toString()).assertOk();
        cli.run("list", "--login", "--token-label", "reinit", "--pin-file", own.toString()).assertOk();
    }

    @Test
    void anUninitialisedTokenHasNoSoPinToBeLocked() throws Exception {
        JsonNode slots = new Cli(fixture).run("list", "--json").assertOk().json().get("slots");
        boolean sawFresh = false;
        for (JsonNode s : slots) {
            JsonNode token = s.get("token");
            if (token != null && !token.get("initialized").asBoolean()) {
                sawFresh = true;
                assertFalse(token.get("soPin").get("initialized").asBoolean(), token.toString());
                assertEquals("OK", token.get("soPin").get("state").asText(), "SoftHSM flags it locked: " + token);
            }
        }
        assertTrue(sawFresh, "SoftHSM always offers a free token: " + slots);
    }
}
