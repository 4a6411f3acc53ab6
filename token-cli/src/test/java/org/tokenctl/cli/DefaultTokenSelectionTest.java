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

/**
 * Issue 2: commands without --token-label, --serial or --slot on real SoftHSM,
 * which always shows an uninitialised token (its free slot) beside the others.
 * One token store for the class, walked in order: none initialised, one, two.
 */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultTokenSelectionTest {

    private static SoftHsmFixture fixture;
    private static Path soPin;
    private static Path initialPin;
    private static Path alicePin;
    private static Path otherPin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        soPin = Files.writeString(f.root().resolve("so.pin"), "so-secret-9\n");
        initialPin = Files.writeString(f.root().resolve("initial.pin"), "12345678\n");
        alicePin = Files.writeString(f.root().resolve("alice.pin"), "862491\n");
        otherPin = Files.writeString(f.root().resolve("other.pin"), "975310\n");
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    private static boolean userLogsIn(String label, String pin) {
        return fixture.pkcs11Tool("--token-label", label, "--login", "--pin", pin, "--list-objects").exitCode() == 0;
    }

    private static int initialisedTokens(JsonNode list) {
        int n = 0;
        for (JsonNode s : list.get("slots")) {
            JsonNode t = s.get("token");
            n += t != null && !t.isNull() && t.get("initialized").asBoolean() ? 1 : 0;
        }
        return n;
    }

    @Test
    @Order(1)
    void withNoInitialisedTokenItSaysSoAndPointsToInit() {
        cli().run("list", "--objects").assertExit(ExitCode.TOKEN_NOT_FOUND).assertOneLineError()
                .assertErrContains("No token initialised (found: (uninitialised token in slot ")
                .assertErrContains("initialise one with `tokenctl init --label LABEL`");
        cli().run("change-pin", "--pin-file", initialPin.toString(), "--new-pin-file", alicePin.toString())
                .assertExit(ExitCode.TOKEN_NOT_FOUND).assertErrContains("No token initialised");
        // list without --objects still lists every slot, the free one included
        cli().run("list").assertOk().assertOutContains("not initialised");
    }

    @Test
    @Order(2)
    void initWithoutASelectionTakesTheFreeToken() {
        cli().run("init", "--label", "alice", "--force", "--so-pin-file", soPin.toString()).assertOk()
                .assertOutContains("Initialised token 'alice'");
        JsonNode list = cli().run("list", "--json").assertOk().json();
        assertEquals(1, initialisedTokens(list), list.toString());
        assertTrue(list.get("slots").size() >= 2, "the premise: SoftHSM shows a new free slot beside alice: " + list);
    }

    @Test
    @Order(3)
    void afterInitCommandsWithoutASelectionUseTheOnlyInitialisedToken() {
        JsonNode changed = cli().run("change-pin", "--pin-file", initialPin.toString(), "--new-pin-file",
                alicePin.toString(), "--json").assertOk().json();
        assertEquals("alice", changed.get("token").get("label").asText(), changed.toString());
        assertTrue(userLogsIn("alice", "862491"), "the new PIN works on alice");

        JsonNode objects = cli().run("list", "--objects", "--login", "--pin-file", alicePin.toString(), "--json")
                .assertOk().json();
        assertEquals(1, objects.get("slots").size(), objects.toString());
        assertEquals("alice", objects.get("slots").get(0).get("token").get("label").asText());
        cli().run("list", "--objects").assertOk().assertOutContains("label:      alice");
        cli().run("guard", "reset", "--so-pin-file", soPin.toString()).assertOk();
    }

    @Test
    @Order(4)
    void initWithOneInitialisedTokenStillTakesTheFreeOne() {
        cli().run("init", "--label", "bob", "--force", "--so-pin-file", soPin.toString()).assertOk()
                .assertOutContains("Initialised token 'bob'");
        assertTrue(userLogsIn("alice", "862491"), "alice was not wiped");
        assertTrue(userLogsIn("bob", "12345678"), "bob has the initial PIN");
        assertEquals(2, initialisedTokens(cli().run("list", "--json").assertOk().json()));
    }

    @Test
    @Order(5)
    void withTwoInitialisedTokensTheErrorListsThemAndNothingChanges() {
        String alice = fixture.serialOf("alice");
        String bob = fixture.serialOf("bob");
        CliResult r = cli().run("list", "--objects").assertExit(ExitCode.TOKEN_NOT_FOUND).assertOneLineError()
                .assertErrContains("2 tokens initialised; name one by slot, label or serial (found: alice [" + alice
                        + "], bob [" + bob + "])");
        assertFalse(r.err().contains("uninitialised"), "the free slot is not a candidate: " + r.err());
        assertFalse(r.err().contains("tokenctl init"), r.err());

        cli().run("change-pin", "--pin-file", alicePin.toString(), "--new-pin-file", otherPin.toString())
                .assertExit(ExitCode.TOKEN_NOT_FOUND).assertErrContains("2 tokens initialised");
        assertTrue(userLogsIn("alice", "862491"), "alice's PIN is unchanged");
        cli().run("list", "--objects", "--token-label", "alice").assertOk();
    }
}
