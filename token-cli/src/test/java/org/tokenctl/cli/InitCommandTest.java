package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** {@code tokenctl init} on real SoftHSM tokens, cross-checked with pkcs11-tool. */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitCommandTest {

    private static SoftHsmFixture fixture;
    private static Path soPin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        soPin = Files.writeString(f.root().resolve("so.pin"), "so-secret-9\n");
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    @Test
    @Order(1)
    void initialisesTheFreeTokenAndPkcs11ToolAgrees() {
        CliResult r = cli().run("init", "--label", "demo", "--force", "--so-pin-file", soPin.toString(), "--json")
                .assertOk();
        JsonNode slot = r.json().get("slot");
        assertEquals(1, r.json().get("schemaVersion").asInt());
        assertTrue(r.json().get("userPinIsInitialPin").asBoolean());
        String serial = slot.get("token").get("serial").asText();
        assertFalse(serial.isEmpty());

        String tool = fixture.pkcs11Tool("-T").assertOk().stdout();
        assertTrue(tool.contains("token label        : demo"), tool);
        // SoftHSM renumbers the slot once initialised: init reports the id every other process sees
        long slotId = slot.get("id").asLong();
        assertTrue(tool.contains(String.format("(0x%x): ", slotId) + "SoftHSM slot ID"), slotId + "\n" + tool);
        assertTrue(tool.lines().filter(l -> l.startsWith("Slot ")).findFirst().orElseThrow()
                .contains(String.format("(0x%x)", slotId)), tool);
        assertTrue(tool.contains("serial num         : " + serial), tool);
        assertTrue(tool.contains("token initialized") && tool.contains("PIN initialized"), tool);

        // list --json shows the same serial and flags
        JsonNode list = cli().run("list", "--json").assertOk().json();
        JsonNode demo = null;
        for (JsonNode s : list.get("slots")) {
            if (s.get("token") != null && !s.get("token").isNull() && "demo".equals(s.get("token").get("label").asText())) {
                demo = s.get("token");
            }
        }
        assertTrue(demo != null, list.toString());
        assertEquals(serial, demo.get("serial").asText());
        assertTrue(demo.get("flags").get("tokenInitialized").asBoolean());
        assertTrue(demo.get("flags").get("userPinInitialized").asBoolean());
        assertEquals("OK", demo.get("userPin").get("state").asText());
        // the initial user PIN really is 12345678: pkcs11-tool can log in with it
        fixture.pkcs11Tool("--token-label", "demo", "--login", "--pin", "12345678", "--list-objects").assertOk();
    }

    @Test
    @Order(2)
    void refusesASecondTokenWithTheSameLabel() {
        cli().run("init", "--label", "demo", "--force", "--so-pin-file", soPin.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("A token labelled 'demo' already exists");
    }

    @Test
    @Order(3)
    void reinitialisingAsksForConfirmationAndNoMeansNothingChanges() {
        cli().answers("no").run("init", "--token-label", "demo", "--label", "demo2", "--so-pin-file",
                soPin.toString()).assertExit(ExitCode.ABORTED)
                .assertErrContains("This will wipe slot ").assertErrContains("'demo' (serial ");
        assertTrue(fixture.pkcs11Tool("-T").stdout().contains("token label        : demo\n"));
    }

    @Test
    @Order(4)
    void withoutATerminalOrForceItRefuses() {
        cli().run("init", "--token-label", "demo", "--label", "demo2", "--so-pin-file", soPin.toString())
                .assertExit(ExitCode.ABORTED).assertErrContains("Refusing to wipe slot ").assertErrContains("pass --force");
    }

    @Test
    @Order(5)
    void wrongSoPinIsReportedAndTheTokenKeepsItsLabel() throws Exception {
        Path wrong = Files.writeString(fixture.root().resolve("wrong.pin"), "not-the-so-pin");
        cli().run("init", "--token-label", "demo", "--label", "demo2", "--force", "--so-pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("Wrong SO PIN");
        assertTrue(fixture.pkcs11Tool("-T").stdout().contains("token label        : demo\n"));
    }

    @Test
    @Order(6)
    void confirmedReinitialisationWithPromptedPins() {
        CliResult r = cli().answers("yes", "so-secret-9", "99887766", "99887766")
                .run("init", "--token-label", "demo", "--label", "demo2", "--user-pin-stdin");
        // --user-pin-stdin with empty stdin: nothing to read, refused before anything is wiped
        r.assertExit(ExitCode.INVALID_INPUT).assertErrContains("No initial user PIN on standard input");
        assertTrue(fixture.pkcs11Tool("-T").stdout().contains("token label        : demo\n"));

        String serial = fixture.serialOf("demo");
        cli().answers("yes", "so-secret-9").stdin("99887766\n")
                .run("init", "--token-label", "demo", "--label", "demo2", "--user-pin-stdin").assertOk()
                .assertOutContains("Initialised token 'demo2'")
                .assertErrContains("SO PIN for token 'demo' (serial " + serial + "): ");
        fixture.pkcs11Tool("--token-label", "demo2", "--login", "--pin", "99887766", "--list-objects").assertOk();
    }

    @Test
    @Order(7)
    void labelTooLongIsRefusedBeforeLoadingAnything() {
        cli().run("init", "--label", "x".repeat(33), "--force", "--so-pin-file", soPin.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("at most 32 bytes in UTF-8; got 33");
    }

    @Test
    @Order(8)
    void soPinSourceProblemsAreOneLineErrors() throws Exception {
        cli().run("init", "--label", "other", "--force", "--so-pin-file", fixture.root().resolve("missing.pin")
                .toString()).assertExit(ExitCode.INVALID_INPUT).assertErrContains("missing.pin does not exist");
        Path empty = Files.writeString(fixture.root().resolve("empty.pin"), "\n");
        cli().run("init", "--label", "other", "--force", "--so-pin-file", empty.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("is empty");
        cli().run("init", "--label", "other", "--force", "--so-pin-env", "NO_SUCH_VAR_X")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("NO_SUCH_VAR_X");
        cli().run("init", "--label", "other", "--force")
                .assertExit(ExitCode.USAGE).assertErrContains("no terminal to ask on");
    }

    @Test
    @Order(9)
    void aPinOnTheCommandLineIsRefused() {
        cli().run("init", "--label", "other", "--force", "--so-pin", "12345678")
                .assertExit(ExitCode.USAGE).assertErrContains("PINs are never taken from the command line");
        cli().run("list", "--objects", "--pin=12345678")
                .assertExit(ExitCode.USAGE).assertErrContains("--pin-file, --pin-env, --pin-stdin");
    }

    @Test
    @Order(10)
    void promptedNewSoPinMustBeTypedTheSameTwice() {
        cli().answers("first-so-1", "second-so-2").run("init", "--label", "fresh")
                .assertExit(ExitCode.PIN_POLICY).assertErrContains("do not match");
        CliResult r = cli().answers("fresh-so-1", "fresh-so-1").run("init", "--label", "fresh").assertOk();
        assertTrue(fixture.pkcs11Tool("-L").stdout().contains("token label        : fresh"));
        // a blank token has no serial yet: the prompt names it by the label it is getting and its slot
        assertTrue(r.err().lines().anyMatch(l -> l.matches("New SO PIN for token 'fresh' \\(slot \\d+\\): ")),
                r.err());
    }
}
