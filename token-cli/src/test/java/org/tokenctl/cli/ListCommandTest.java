package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** {@code tokenctl list} against SoftHSM tokens made by softhsm2-util and pkcs11-tool. */
@ExtendWith(SoftHsmExtension.class)
class ListCommandTest {

    private static SoftHsmFixture fixture;
    private static String serialA;
    private static Path userPin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        serialA = f.initToken("bank-a", "so-pin-a", "462975");
        f.initToken("bank-b", "so-pin-b", "12345678");
        f.pkcs11Tool("--token-label", "bank-a", "--login", "--pin", "462975", "--keypairgen", "--key-type",
                "rsa:2048", "--id", "0102", "--label", "holder").assertOk();
        userPin = Files.writeString(f.root().resolve("user.pin"), "462975\r\n");
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    @Test
    void listsEveryTokenInText() {
        CliResult r = cli().run("list").assertOk();
        r.assertOutContains("label:      bank-a").assertOutContains("serial:     " + serialA)
                .assertOutContains("label:      bank-b").assertOutContains("not initialised");
        assertFalse(r.err().contains("using SoftHSM2"), "the module was named (TOKENCTL_MODULE): no note");
    }

    @Test
    void noteOnStderrOnceWhenTheModuleWasNotNamed() throws Exception {
        CliResult r = cli().env(ModuleLocator.MODULE_ENV, null).run("list", "--json").assertOk();
        r.assertErrContains("tokenctl: using SoftHSM2 ");
        assertEquals(1, r.json().get("schemaVersion").asInt(), "stdout stays pure JSON");
        // the path in the note is the one list's header shows (Debian's module path is a symbolic link)
        String header = cli().env(ModuleLocator.MODULE_ENV, null).run("list").assertOk().out().lines()
                .filter(l -> l.startsWith("Module: ")).findFirst().orElseThrow();
        String noted = r.err().replaceAll("(?s).*tokenctl: using SoftHSM2 (\\S+) .*", "$1");
        assertTrue(header.startsWith("Module: " + noted + " ("), header + " / " + r.err());
        // once: not again on the next commands, but again with --verbose
        CliResult again = cli().env(ModuleLocator.MODULE_ENV, null).run("list").assertOk();
        assertFalse(again.err().contains("using SoftHSM2"), again.err());
        cli().env(ModuleLocator.MODULE_ENV, null).run("list", "--verbose").assertOk()
                .assertErrContains("tokenctl: using SoftHSM2 " + noted);
        // and again when the default changes (here: another SoftHSM configuration)
        cli().env(ModuleLocator.MODULE_ENV, null).env("SOFTHSM2_CONF", fixture.confFile() + ".other").run("list")
                .assertErrContains("tokenctl: using SoftHSM2 " + noted);
    }

    @Test
    void jsonListsFlagsPinStatesAndMemory() throws Exception {
        JsonNode json = cli().run("list", "--json").assertOk().json();
        assertEquals(fixture.softhsmModule().toRealPath().toString(), json.get("module").get("path").asText());
        int tokens = 0;
        for (JsonNode s : json.get("slots")) {
            JsonNode t = s.get("token");
            assertTrue(s.has("id") && s.has("description") && s.has("tokenPresent"));
            if (t.get("initialized").asBoolean()) {
                tokens++;
                for (String f : new String[] {"loginRequired", "userPinInitialized", "userPinCountLow",
                        "userPinFinalTry", "userPinLocked", "userPinToBeChanged", "soPinCountLow", "soPinFinalTry",
                        "soPinLocked", "soPinToBeChanged", "protectedAuthenticationPath", "tokenInitialized"}) {
                    assertTrue(t.get("flags").has(f), "flag " + f + " in " + t);
                }
                assertEquals(4, t.get("minPinLength").asInt());
                assertTrue(t.has("memory") && t.get("memory").has("freePublic"));
                // SoftHSM's profile recognises its tokens by manufacturer and model
                assertEquals("softhsm", t.get("profile").get("id").asText(), t.toString());
                assertEquals("detected", t.get("profile").get("source").asText(), t.toString());
            }
        }
        assertEquals(2, tokens);
    }

    /** Which profile's rules (PIN policy, initial PIN, retries) apply to each token, and why. */
    @Test
    void eachTokenShowsTheProfileThatAppliesAndWhy() {
        cli().run("list").assertOk().assertOutContains("  profile:    softhsm (recognised from the token's"
                + " manufacturer and model)");
        JsonNode named = cli().run("list", "--profile", "gd", "--json").assertOk().json();
        int seen = 0;
        for (JsonNode s : named.get("slots")) {
            JsonNode p = s.get("token").get("profile");
            assertEquals("gd", p.get("id").asText(), p.toString());
            assertEquals("named", p.get("source").asText(), p.toString());
            seen++;
        }
        assertTrue(seen >= 2, named.toString());
        cli().run("list", "--objects", "--token-label", "bank-a", "--profile", "gd").assertOk()
                .assertOutContains("  profile:    gd (named with --profile or $TOKENCTL_PROFILE)");
    }

    @Test
    void objectsWithoutLoginShowOnlyPublicOnes() {
        CliResult r = cli().run("list", "--objects", "--token-label", "bank-a").assertOk();
        r.assertOutContains("public key  label='holder'  id=0102  RSA-2048");
        assertFalse(r.out().contains("private key"), r.out());
    }

    @Test
    void objectsWithLoginShowPrivateKeyAttributes() {
        JsonNode json = cli().run("list", "--objects", "--token-label", "bank-a", "--pin-file", userPin.toString(),
                "--json").assertOk().json();
        JsonNode objects = json.get("slots").get(0).get("objects");
        JsonNode priv = null;
        for (JsonNode o : objects) {
            if ("PRIVATE_KEY".equals(o.get("objectClass").asText())) {
                priv = o;
            }
        }
        assertTrue(priv != null, json.toString());
        assertEquals("0102", priv.get("id").asText());
        assertEquals("RSA", priv.get("key").get("type").asText());
        assertEquals(2048, priv.get("key").get("bits").asInt());
        assertTrue(priv.get("privateKey").get("sensitive").asBoolean());
        assertTrue(priv.get("privateKey").get("local").asBoolean());
    }

    @Test
    void loginWithTheInitialPinIsRefused() {
        cli().stdin("12345678\n").run("list", "--objects", "--login", "--token-label", "bank-b", "--pin-stdin")
                .assertExit(ExitCode.INITIAL_PIN).assertErrContains("run `tokenctl change-pin`");
    }

    @Test
    void wrongPinHasItsOwnExitCode() {
        cli().env("MY_PIN", "000000").run("list", "--login", "--token-label", "bank-a", "--pin-env", "MY_PIN")
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("Wrong user PIN");
    }

    @Test
    void labelNotFoundListsTheTokensFound() {
        cli().run("list", "--objects", "--token-label", "ci").assertExit(ExitCode.TOKEN_NOT_FOUND)
                .assertErrContains("No token labelled 'ci' (found: (uninitialised token in slot ")
                .assertErrContains("bank-a [" + serialA + "], bank-b [");
    }

    @Test
    void severalTokensNeedASelection() {
        cli().run("list", "--objects").assertExit(ExitCode.TOKEN_NOT_FOUND).assertErrContains("name one by slot");
    }

    @Test
    void missingAndBogusModules() throws Exception {
        cli().run("list", "--module", fixture.root().resolve("nope.so").toString())
                .assertExit(ExitCode.MODULE).assertErrContains("nope.so: no such file");
        Path text = Files.writeString(fixture.root().resolve("text.so"), "hello");
        cli().run("list", "--module", text.toString())
                .assertExit(ExitCode.MODULE).assertErrContains("not a loadable shared library");
        cli().run("list", "--module", fixture.root().toString())
                .assertExit(ExitCode.MODULE).assertErrContains("not a regular file");
    }

    @Test
    void verboseShowsTheStackTraceAndPkcs11Calls() {
        CliResult r = cli().run("--verbose", "list", "--objects", "--token-label", "ci");
        assertEquals(ExitCode.TOKEN_NOT_FOUND.code(), r.exitCode());
        assertTrue(r.err().contains("\tat "), r.both());
    }
}
