package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The way out of the attempt guard when the SO PIN's own count is what blocks: the audit's
 * deadlock (two wrong SO PINs with {@code guard.consecutive-limit = 2}, after which
 * {@code guard reset} and {@code unblock} both need the SO login the guard refuses) and
 * {@code guard reset --no-login}, which clears this machine's count without a login, asking first.
 * On SoftHSM, which never locks a PIN itself, whatever refuses here is the guard.
 */
@ExtendWith(SoftHsmExtension.class)
class GuardResetNoLoginTest {

    private static final Clock DAY1 = Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC);
    private static final String SO = "guard-so-1";
    private static final String USER = "24681357";

    private static SoftHsmFixture fixture;
    private static Path wrong;
    private static Path right;
    private static Path so;
    private static Path fresh;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        wrong = Files.writeString(f.root().resolve("wrong.pin"), "00000000");
        right = Files.writeString(f.root().resolve("right.pin"), USER);
        so = Files.writeString(f.root().resolve("so.pin"), SO);
        fresh = Files.writeString(f.root().resolve("fresh.pin"), "97531086");
        // the audit's setting, where the reproduction put it: the user's own configuration file
        Path config = f.root().resolve("xdg-config").resolve("tokenctl").resolve("config.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "guard.consecutive-limit = 2\n");
    }

    private static Cli cli() {
        return new Cli(fixture).clock(DAY1);
    }

    private static CliResult login(String label, Path pin) {
        return cli().run("list", "--login", "--token-label", label, "--pin-file", pin.toString());
    }

    private static void wrongSoPinTwice(String label) {
        for (int i = 0; i < 2; i++) {
            cli().run("guard", "reset", "--token-label", label, "--so-pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
    }

    private static JsonNode records(String serial) {
        return cli().run("guard", "status", "--serial", serial, "--json").assertOk().json().get("records");
    }

    @Test
    void twoWrongSoPinsNoLongerDeadlockTheSecurityOfficer() {
        String serial = fixture.initToken("so-run", SO, USER);
        wrongSoPinTwice("so-run");

        // every SO-authenticated way out needs the login the guard refuses: the message must not send
        // the SO there, but to what works
        String noLogin = "tokenctl guard reset --serial " + serial + " --no-login";
        CliResult reset = cli().run("guard", "reset", "--token-label", "so-run", "--so-pin-file", so.toString())
                .assertExit(ExitCode.ATTEMPT_GUARD).assertErrContains("2 wrong SO PINs in a row")
                .assertErrContains(noLogin);
        assertFalse(reset.err().contains("(unblock)"), reset.both());
        cli().run("unblock", "--token-label", "so-run", "--so-pin-file", so.toString(), "--new-pin-file",
                fresh.toString()).assertExit(ExitCode.ATTEMPT_GUARD).assertErrContains(noLogin);
        cli().run("unblock", "--token-label", "so-run", "--so-pin-file", so.toString(), "--reset-to-initial")
                .assertExit(ExitCode.ATTEMPT_GUARD).assertErrContains(noLogin);

        // the way out it names; it cannot be logging in, since the guard refuses every SO login now
        cli().run("guard", "reset", "--serial", serial, "--no-login", "--force").assertOk()
                .assertOutContains("cleared").assertOutContains(serial);
        assertEquals(0, records(serial).size());

        cli().run("unblock", "--token-label", "so-run", "--so-pin-file", so.toString(), "--new-pin-file",
                fresh.toString()).assertOk();
        login("so-run", fresh).assertOk();
    }

    @Test
    void aUserPinRunNamesTheSoResetAndTheLocalClearAndBothWork() {
        String serial = fixture.initToken("user-run", SO, USER);
        for (int i = 0; i < 2; i++) {
            login("user-run", wrong).assertExit(ExitCode.PIN_INCORRECT);
        }
        login("user-run", right).assertExit(ExitCode.ATTEMPT_GUARD).assertErrContains("2 wrong user PINs in a row")
                .assertErrContains("`tokenctl guard reset --serial " + serial + "`")
                .assertErrContains("tokenctl unblock")
                .assertErrContains("tokenctl guard reset --serial " + serial + " --no-login");

        // the SO's way: a login proves authority
        cli().run("guard", "reset", "--token-label", "user-run", "--so-pin-file", so.toString()).assertOk();
        login("user-run", right).assertOk();

        // without the SO PIN here (the issuer unblocked the token elsewhere): this machine's count is cleared
        for (int i = 0; i < 2; i++) {
            login("user-run", wrong).assertExit(ExitCode.PIN_INCORRECT);
        }
        login("user-run", right).assertExit(ExitCode.ATTEMPT_GUARD);
        cli().run("guard", "reset", "--token-label", "user-run", "--no-login", "--force").assertOk();
        login("user-run", right).assertOk();
    }

    @Test
    void noLoginClearsEveryCountOfThatTokenAndNoOther() {
        String serial = fixture.initToken("both", SO, USER);
        String other = fixture.initToken("other", SO, USER);
        wrongSoPinTwice("both");
        login("both", wrong).assertExit(ExitCode.PIN_INCORRECT);
        login("other", wrong).assertExit(ExitCode.PIN_INCORRECT);
        assertEquals(2, records(serial).size());

        cli().run("guard", "reset", "--token-label", "both", "--no-login", "--force").assertOk();
        assertEquals(0, records(serial).size());
        assertEquals(1, records(other).get(0).get("wrongInARow").asInt());
    }

    @Test
    void noLoginAsksOnTheTerminalAndChangesNothingUnlessConfirmed() {
        String serial = fixture.initToken("ask", SO, USER);
        wrongSoPinTwice("ask");

        // a script: no terminal to ask on, no --force
        cli().run("guard", "reset", "--token-label", "ask", "--no-login").assertExit(ExitCode.ABORTED)
                .assertErrContains("without confirmation").assertErrContains("pass --force");
        assertEquals("until reset", records(serial).get(0).get("blocked").asText());

        // a person who says no
        cli().answers("no").run("guard", "reset", "--token-label", "ask", "--no-login")
                .assertExit(ExitCode.ABORTED).assertErrContains("serial " + serial)
                .assertErrContains("[SO PIN: 2 wrong in a row").assertErrContains("Type 'yes'");
        assertEquals("until reset", records(serial).get(0).get("blocked").asText());

        // a person who says yes
        cli().answers("yes").run("guard", "reset", "--token-label", "ask", "--no-login").assertOk();
        assertEquals(0, records(serial).size());
        cli().run("guard", "reset", "--token-label", "ask", "--so-pin-file", so.toString()).assertOk();
    }

    @Test
    void nothingRecordedAsksNothing() {
        String serial = fixture.initToken("clean", SO, USER);
        CliResult r = cli().run("guard", "reset", "--token-label", "clean", "--no-login").assertOk()
                .assertOutContains("nothing to clear");
        assertFalse(r.err().contains("Type 'yes'"), r.both());

        JsonNode json = cli().run("guard", "reset", "--token-label", "clean", "--no-login", "--json").assertOk().json();
        assertEquals(serial, json.get("serial").asText());
        assertEquals(false, json.get("soLogin").asBoolean());
    }

    @Test
    void jsonSaysWhetherTheSoLoggedIn() {
        String serial = fixture.initToken("json", SO, USER);
        wrongSoPinTwice("json");
        JsonNode cleared = cli().run("guard", "reset", "--token-label", "json", "--no-login", "--force", "--json")
                .assertOk().json();
        assertEquals(serial, cleared.get("serial").asText());
        assertEquals(true, cleared.get("reset").asBoolean());
        assertEquals(false, cleared.get("soLogin").asBoolean());

        JsonNode withSo = cli().run("guard", "reset", "--token-label", "json", "--so-pin-file", so.toString(),
                "--json").assertOk().json();
        assertEquals(true, withSo.get("soLogin").asBoolean());
    }

    @Test
    void noLoginTakesNoSoPinAndForceBelongsToNoLogin() {
        fixture.initToken("usage", SO, USER);
        cli().run("guard", "reset", "--token-label", "usage", "--no-login", "--so-pin-file", so.toString())
                .assertExit(ExitCode.USAGE).assertErrContains("not both");
        cli().run("guard", "reset", "--token-label", "usage", "--force", "--so-pin-file", so.toString())
                .assertExit(ExitCode.USAGE).assertErrContains("--no-login");
    }
}
