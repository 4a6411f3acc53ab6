package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The CLI flows under each bank vendor profile, through the vendor emulator
 * (SoftHSM behind a shim that reports the vendor's token info, keeps a PIN retry
 * counter with real lock flags, and refuses C_InitToken as the profile says).
 */
@ExtendWith(SoftHsmExtension.class)
class VendorEmulatorTest {

    private static SoftHsmFixture fixture;
    private static Path noGuard;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        // the token's own counter is what these tests watch: the client-side guard would stop at 5
        noGuard = Files.writeString(f.root().resolve("no-guard.properties"), "guard.enabled = false\n");
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(fixture.root().resolve(name), content);
    }

    private static Cli cli(String profile) {
        return new Cli(fixture).module(fixture.emulateProfile(profile, Map.of()))
                .env("TOKENCTL_CONFIG", noGuard.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gd", "mingwah", "huada", "watchdata"})
    void holderFlowUnderEachVendorProfile(String profile) throws Exception {
        String label = "bank-" + profile;
        // bank tokens arrive personalised by the issuer: made here with SoftHSM's own tool
        fixture.initToken(label, "issuer-so-1", "12345678");
        Cli cli = cli(profile);

        JsonNode token = cli.run("list", "--json").assertOk().json().get("slots");
        JsonNode mine = null;
        for (JsonNode s : token) {
            if (label.equals(s.get("token").get("label").asText())) {
                mine = s.get("token");
            }
        }
        assertTrue(mine != null, token.toString());
        assertEquals(6, mine.get("minPinLength").asInt(), "the emulator reports the vendor's PIN range");
        assertEquals(10, mine.get("maxPinLength").asInt());

        // the profile is recognised from the manufacturer id: its rules apply
        cli.run("change-pin", "--token-label", label, "--pin-file", file(label + "-init", "12345678").toString(),
                "--new-pin-file", file(label + "-long", "12345678901").toString())
                .assertExit(ExitCode.PIN_POLICY).assertErrContains("6 to 10 characters; got 11");
        cli.run("change-pin", "--token-label", label, "--pin-file", file(label + "-init", "12345678").toString(),
                "--new-pin-file", file(label + "-pin", "482916").toString()).assertOk();
        cli.run("list", "--objects", "--token-label", label, "--pin-file", file(label + "-pin", "482916").toString())
                .assertOk();

        // the issuer personalised it: tokenctl will not wipe it over PKCS#11
        cli.run("init", "--token-label", label, "--label", "x", "--force", "--so-pin-file",
                file(label + "-so", "issuer-so-1").toString())
                .assertExit(ExitCode.NOT_SUPPORTED).assertErrContains("cannot be initialised over PKCS#11; use the "
                        + "vendor's tool");

        cli.run("unblock", "--token-label", label, "--so-pin-file", file(label + "-so", "issuer-so-1").toString(),
                "--new-pin-file", file(label + "-pin2", "593027").toString()).assertOk();
        cli.run("list", "--login", "--token-label", label, "--pin-file", file(label + "-pin2", "593027").toString())
                .assertOk();
    }

    @Test
    void theTokensOwnRefusalOfInitTokenGivesTheSameMessage() throws Exception {
        fixture.initToken("refuser", "issuer-so-1", "12345678");
        // --profile generic says C_InitToken is fine; the emulated gd token refuses it itself
        cli("gd").run("init", "--profile", "generic", "--token-label", "refuser", "--label", "x", "--force",
                "--so-pin-file", file("refuser-so", "issuer-so-1").toString())
                .assertExit(ExitCode.NOT_SUPPORTED).assertErrContains("use the vendor's tool");
        assertTrue(fixture.pkcs11Tool("-L").stdout().contains("token label        : refuser"));
    }

    @Test
    void wrongPinsUntilTheFinalTryThenLockedThenUnblocked() throws Exception {
        fixture.initToken("lock", "issuer-so-1", "24681357");
        Cli cli = cli("gd");
        Path wrong = file("lock-wrong", "00000000");
        Path right = file("lock-right", "24681357");
        CliResult first = cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT);
        first.assertErrContains("the token reports few tries left");
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("few tries may be left");
        for (int i = 3; i <= 4; i++) {
            cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        // the 5th wrong PIN leaves one try: the message says so
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("one more wrong user PIN locks this token");
        assertTrue(fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout().contains("final user PIN try"));

        // even the right PIN is not tried without --allow-final-try
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", right.toString())
                .assertExit(ExitCode.PIN_FINAL_TRY).assertErrContains("--allow-final-try");
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString(), "--allow-final-try")
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("is now locked");

        cli.run("list", "--login", "--token-label", "lock", "--pin-file", right.toString())
                .assertExit(ExitCode.PIN_LOCKED).assertErrContains("tokenctl unblock");
        String flags = fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout();
        assertTrue(flags.contains("user PIN locked"), flags);

        cli.run("unblock", "--token-label", "lock", "--so-pin-file", file("lock-so", "issuer-so-1").toString(),
                "--new-pin-file", file("lock-new", "71358246").toString()).assertOk();
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", file("lock-new", "71358246").toString())
                .assertOk();
    }

    @Test
    void withTheGuardOnTheTokenIsNeverLocked() throws Exception {
        fixture.initToken("saved", "issuer-so-1", "24681357");
        Cli guarded = new Cli(fixture).module(fixture.emulateProfile("gd", Map.of()));
        Path wrong = file("saved-wrong", "00000000");
        for (int i = 0; i < 5; i++) {
            guarded.run("list", "--login", "--token-label", "saved", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        guarded.run("list", "--login", "--token-label", "saved", "--pin-file", wrong.toString(), "--allow-final-try")
                .assertExit(ExitCode.ATTEMPT_GUARD);
        String flags = fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout();
        assertTrue(flags.contains("final user PIN try") && !flags.contains("user PIN locked"), flags);
    }

    /** The check, with an independent tool: pkcs11-tool sees a G&D token through the emulator. */
    @Test
    void pkcs11ToolSeesTheGdProfileAndItsLock() {
        fixture.initToken("gd-tool", "issuer-so-1", "24681357");
        Path module = fixture.emulateProfile("gd", Map.of());
        String info = fixture.pkcs11Tool(module, "-T").assertOk().stdout();
        assertTrue(info.contains("token manufacturer : Giesecke+Devrient"), info);
        assertTrue(info.contains("pin min/max        : 6/10"), info);
        for (int i = 0; i < 6; i++) {
            fixture.pkcs11Tool(module, "--token-label", "gd-tool", "--login", "--pin", "00000000", "--list-objects");
        }
        String locked = fixture.pkcs11Tool(module, "--token-label", "gd-tool", "-T").stdout();
        assertTrue(locked.contains("user PIN locked"), locked);
    }

    @Test
    void profilesListsEveryProfileAndAMissingVendorModuleIsOneLine() {
        JsonNode json = new Cli(fixture).run("profiles", "--json").assertOk().json();
        assertEquals(6, json.get("profiles").size());
        JsonNode softhsm = json.get("profiles").get(4);
        assertEquals("softhsm", softhsm.get("id").asText());
        assertTrue(softhsm.get("module").get("found").asText().endsWith("libsofthsm2.so"), softhsm.toString());
        // (the test harness names a module in TOKENCTL_MODULE, which would win over the profile's search)
        new Cli(fixture).env("TOKENCTL_MODULE", null).run("list", "--profile", "gd").assertExit(ExitCode.MODULE)
                .assertErrContains("No PKCS#11 module for profile 'gd'").assertErrContains("libaetpkss.so.3");
        new Cli(fixture).run("list", "--profile", "acme").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Unknown profile 'acme' (known: gd, mingwah");
    }
}
