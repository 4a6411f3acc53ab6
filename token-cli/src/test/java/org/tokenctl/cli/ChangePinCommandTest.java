package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** change-pin and unblock on real SoftHSM tokens; pkcs11-tool proves which PIN works afterwards. */
@ExtendWith(SoftHsmExtension.class)
class ChangePinCommandTest {

    private static SoftHsmFixture fixture;

    @BeforeAll
    static void setUp(SoftHsmFixture f) {
        fixture = f;
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(fixture.root().resolve(name), content);
    }

    private static boolean userLogsIn(String label, String pin) {
        return fixture.pkcs11Tool("--token-label", label, "--login", "--pin", pin, "--list-objects").exitCode() == 0;
    }

    private static boolean soLogsIn(String label, String soPin) {
        // an SO login needs a read-write session
        return fixture.pkcs11Tool("--token-label", label, "--session-rw", "--login", "--login-type", "so", "--so-pin",
                soPin, "--list-objects").exitCode() == 0;
    }

    @Test
    void holderChangesTheInitialPin() throws Exception {
        fixture.initToken("alice", "alice-so-1", "12345678");
        JsonNode json = cli().run("change-pin", "--token-label", "alice", "--pin-file", file("a-old", "12345678\n")
                .toString(), "--new-pin-file", file("a-new", "862491\n").toString(), "--json").assertOk().json();
        assertEquals("change-pin", json.get("operation").asText());
        assertEquals("user", json.get("pin").asText());
        assertEquals("OK", json.get("token").get("userPin").get("state").asText());
        assertEquals(true, userLogsIn("alice", "862491"), "the new PIN works");
        assertEquals(false, userLogsIn("alice", "12345678"), "the old PIN no longer does");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "five characters|13579|The new user PIN must be 6 to 10 characters; got 5",
        "eleven characters|13579246801|The new user PIN must be 6 to 10 characters; got 11",
        "non-ASCII|pässwort|The new user PIN must contain only printable ASCII characters; it has a non-ASCII character",
        "the initial PIN|12345678|The new user PIN must not be the issuer's initial PIN",
        "same as current|24681357|The new user PIN must differ from the current one"})
    void badNewPinsAreRefusedBeforeTheTokenIsTouched(String name, String newPin, String message) throws Exception {
        String label = "pol-" + Integer.toHexString(name.hashCode());
        fixture.initToken(label, "pol-so-1", "24681357");
        cli().run("change-pin", "--token-label", label, "--pin-file", file(label + "-old", "24681357").toString(),
                "--new-pin-file", file(label + "-new", newPin).toString())
                .assertExit(ExitCode.PIN_POLICY).assertErrContains(message);
        assertEquals(true, userLogsIn(label, "24681357"), "the old PIN still works");
    }

    @Test
    void promptedNewPinIsAskedTwiceAndMustMatch() throws Exception {
        fixture.initToken("bob", "bob-so-1", "24681357");
        cli().answers("24681357", "975310", "975311").run("change-pin", "--token-label", "bob")
                .assertExit(ExitCode.PIN_POLICY).assertErrContains("do not match");
        assertEquals(true, userLogsIn("bob", "24681357"));
        String serial = fixture.serialOf("bob");
        CliResult r = cli().answers("24681357", "975310", "975310").run("change-pin", "--token-label", "bob")
                .assertOk();
        assertEquals(List.of("User PIN for token 'bob' (serial " + serial + "): ",
                "New user PIN for token 'bob' (serial " + serial + "): ", "Repeat the new user PIN: "),
                r.err().lines().filter(l -> l.contains("PIN")).toList(), "each prompt names the PIN and the token");
        assertEquals(true, userLogsIn("bob", "975310"));
    }

    @Test
    void pinsFromStdinAreReadOneLineEachInOrder() {
        fixture.initToken("carol", "carol-so-1", "24681357");
        cli().stdin("24681357\r\n777888\n").run("change-pin", "--token-label", "carol", "--pin-stdin",
                "--new-pin-stdin").assertOk();
        assertEquals(true, userLogsIn("carol", "777888"));
    }

    @Test
    void wrongOldPinHasItsOwnExitCode() throws Exception {
        fixture.initToken("dave", "dave-so-1", "24681357");
        cli().run("change-pin", "--token-label", "dave", "--pin-file", file("d-old", "00000000").toString(),
                "--new-pin-file", file("d-new", "777888").toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("Wrong user PIN");
        assertEquals(true, userLogsIn("dave", "24681357"));
    }

    @Test
    void soChangesTheSoPin() throws Exception {
        fixture.initToken("erin", "erin-so-1", "24681357");
        cli().run("change-pin", "--so", "--token-label", "erin", "--so-pin-file", file("e-so", "erin-so-1").toString(),
                "--new-pin-file", file("e-so-new", "erin-so-2").toString()).assertOk()
                .assertOutContains("SO PIN of token 'erin'");
        assertEquals(true, soLogsIn("erin", "erin-so-2"));
        assertEquals(false, soLogsIn("erin", "erin-so-1"));
        assertEquals(true, userLogsIn("erin", "24681357"), "the user PIN is untouched");
    }

    @Test
    void unblockSetsANewUserPinWithTheSoPin() throws Exception {
        fixture.initToken("fred", "fred-so-1", "24681357");
        JsonNode json = cli().run("unblock", "--token-label", "fred", "--so-pin-file",
                file("f-so", "fred-so-1").toString(), "--new-pin-file", file("f-new", "135790").toString(), "--json")
                .assertOk().json();
        assertEquals("unblock", json.get("operation").asText());
        assertEquals(true, userLogsIn("fred", "135790"));
        assertEquals(false, userLogsIn("fred", "24681357"));

        cli().run("unblock", "--token-label", "fred", "--so-pin-file", file("f-so-bad", "nope-so-9").toString(),
                "--new-pin-file", file("f-new2", "246802").toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("Wrong SO PIN");
        assertEquals(true, userLogsIn("fred", "135790"), "a failed unblock changes nothing");

        cli().run("unblock", "--token-label", "fred", "--so-pin-file", file("f-so", "fred-so-1").toString(),
                "--reset-to-initial").assertOk().assertOutContains("initial PIN again");
        assertEquals(true, userLogsIn("fred", "12345678"));
        // and now the holder must change it before use
        cli().stdin("12345678\n").run("list", "--login", "--token-label", "fred", "--pin-stdin")
                .assertExit(ExitCode.INITIAL_PIN);
    }

    @Test
    void aPinValueOnTheCommandLineIsRefused() {
        cli().run("change-pin", "--new-pin", "123456").assertExit(ExitCode.USAGE)
                .assertErrContains("--new-pin-file, --new-pin-env, --new-pin-stdin");
        assertNotEquals(0, cli().run("unblock", "--so-pin=87654321").exitCode());
    }
}
