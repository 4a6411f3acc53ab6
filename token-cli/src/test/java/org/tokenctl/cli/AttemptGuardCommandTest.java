package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The attempt guard through the CLI on SoftHSM, which never locks a PIN itself:
 * whatever stops an attempt here is the guard. A refused attempt never reaches
 * C_Login, proven by the correct PIN being refused too, then accepted the next day.
 */
@ExtendWith(SoftHsmExtension.class)
class AttemptGuardCommandTest {

    private static final Clock DAY1 = Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock DAY2 = Clock.fixed(Instant.parse("2026-05-05T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock DAY9 = Clock.fixed(Instant.parse("2026-05-12T10:00:00Z"), ZoneOffset.UTC);

    private static SoftHsmFixture fixture;
    private static Path wrong;
    private static Path right;
    private static Path so;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        wrong = Files.writeString(f.root().resolve("wrong.pin"), "00000000");
        right = Files.writeString(f.root().resolve("right.pin"), "24681357");
        so = Files.writeString(f.root().resolve("so.pin"), "guard-so-1");
    }

    private static CliResult login(String label, Path pin, Clock clock) {
        return new Cli(fixture).clock(clock).run("list", "--login", "--token-label", label, "--pin-file", pin.toString());
    }

    @Test
    void fiveWrongInADayThenEvenTheRightPinWaitsForTomorrow() {
        fixture.initToken("daily", "guard-so-1", "24681357");
        for (int i = 1; i <= 4; i++) {
            // every wrong PIN says where the guard stands, not only the one it refuses after
            login("daily", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT)
                    .assertErrContains("attempt guard: " + i + " of 5 wrong PINs today; " + i + " in a row of 8");
        }
        login("daily", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT)
                .assertErrContains("5 of 5 wrong PINs today; 5 in a row of 8: no further attempts today");
        login("daily", right, DAY1).assertExit(ExitCode.ATTEMPT_GUARD)
                .assertErrContains("5 wrong user PINs today").assertErrContains("until 2026-05-05");
        login("daily", right, DAY2).assertOk();
    }

    /** status lists the tokens with counts; --all adds every token present, with zeros and labels. */
    @Test
    void statusAllListsEveryPresentTokenWithItsLabel() {
        String serialA = fixture.initToken("stat-aaa", "guard-so-1", "24681357");
        String serialB = fixture.initToken("stat-bbb", "guard-so-1", "24681357");
        login("stat-aaa", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT);

        JsonNode counted = new Cli(fixture).clock(DAY1).run("guard", "status", "--json").assertOk().json();
        assertTrue(counted.get("records").toString().contains(serialA), counted::toString);
        assertFalse(counted.get("records").toString().contains(serialB), "no counts, not listed without --all");

        JsonNode all = new Cli(fixture).clock(DAY1).run("guard", "status", "--all", "--json").assertOk().json();
        int seen = 0;
        for (JsonNode r : all.get("records")) {
            if (r.get("serial").asText().equals(serialA) && r.get("pin").asText().equals("user")) {
                assertEquals("stat-aaa", r.get("label").asText());
                assertEquals(1, r.get("wrongToday").asInt());
                seen++;
            }
            if (r.get("serial").asText().equals(serialB)) {
                assertEquals("stat-bbb", r.get("label").asText());
                assertEquals(0, r.get("wrongInARow").asInt());
                seen++;
            }
        }
        assertEquals(3, seen, all::toString); // A's user PIN; B's user and SO PINs
        String text = new Cli(fixture).clock(DAY1).run("guard", "status", "--all", "--serial", serialB).assertOk()
                .out();
        assertTrue(text.contains(serialB) && text.contains("'stat-bbb'") && !text.contains(serialA), text);
    }

    /**
     * SoftHSM sets CKF_USER_PIN_COUNT_LOW after any wrong PIN but keeps no counter (its
     * profile says pin.retries = 0): tokenctl must not claim that few tries are left.
     */
    @Test
    void countLowFromATokenWithoutACounterIsNotReportedAsFewTriesLeft() {
        fixture.initToken("nocount", "guard-so-1", "24681357");
        CliResult first = login("nocount", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT);
        assertTrue(first.err().contains("keeps no count of wrong PINs"), first.err());
        CliResult second = login("nocount", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT);
        assertTrue(fixture.pkcs11Tool("-T").stdout().contains("user PIN count low"),
                "SoftHSM does set the flag: " + fixture.pkcs11Tool("-T").stdout());
        for (CliResult r : List.of(first, second)) {
            assertTrue(!r.err().contains("few tries"), "no claim of few tries left: " + r.err());
        }
        login("nocount", right, DAY1).assertOk();
    }

    @Test
    void eightInARowAcrossTwoDaysNeedTheSo() {
        String serial = fixture.initToken("run", "guard-so-1", "24681357");
        for (int i = 0; i < 5; i++) {
            login("run", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT);
        }
        for (int i = 1; i <= 2; i++) {
            login("run", wrong, DAY2).assertExit(ExitCode.PIN_INCORRECT)
                    .assertErrContains(i + " of 5 wrong PINs today; " + (5 + i) + " in a row of 8");
        }
        login("run", wrong, DAY2).assertExit(ExitCode.PIN_INCORRECT)
                .assertErrContains("3 of 5 wrong PINs today; 8 in a row of 8: no further attempts until the count is reset");
        login("run", right, DAY9).assertExit(ExitCode.ATTEMPT_GUARD).assertErrContains("8 wrong user PINs in a row");

        JsonNode status = new Cli(fixture).clock(DAY9).run("guard", "status", "--serial", serial, "--json").assertOk()
                .json();
        JsonNode rec = status.get("records").get(0);
        assertEquals(8, rec.get("wrongInARow").asInt());
        assertEquals("until reset", rec.get("blocked").asText());

        // guard reset needs the SO PIN; a wrong one changes nothing
        new Cli(fixture).clock(DAY9).run("guard", "reset", "--serial", serial, "--so-pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT);
        login("run", right, DAY9).assertExit(ExitCode.ATTEMPT_GUARD);
        new Cli(fixture).clock(DAY9).run("guard", "reset", "--serial", serial, "--so-pin-file", so.toString())
                .assertOk();
        login("run", right, DAY9).assertOk();
    }

    @Test
    void unblockAlsoResetsTheGuard() throws Exception {
        fixture.initToken("unb", "guard-so-1", "24681357");
        for (int i = 0; i < 5; i++) {
            login("unb", wrong, DAY1).assertExit(ExitCode.PIN_INCORRECT);
        }
        login("unb", right, DAY1).assertExit(ExitCode.ATTEMPT_GUARD);
        Path fresh = Files.writeString(fixture.root().resolve("fresh.pin"), "97531086");
        new Cli(fixture).clock(DAY1).run("unblock", "--token-label", "unb", "--so-pin-file", so.toString(),
                "--new-pin-file", fresh.toString()).assertOk();
        login("unb", fresh, DAY1).assertOk();
    }

    @Test
    void theGuardCanBeTurnedOffInTheConfigurationAndBadSettingsAreErrors() throws Exception {
        fixture.initToken("off", "guard-so-1", "24681357");
        Path config = Files.writeString(fixture.root().resolve("off.properties"), "guard.enabled = false\n");
        for (int i = 0; i < 6; i++) {
            new Cli(fixture).clock(DAY1).env("TOKENCTL_CONFIG", config.toString())
                    .run("list", "--login", "--token-label", "off", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        new Cli(fixture).clock(DAY1).env("TOKENCTL_CONFIG", config.toString())
                .run("list", "--login", "--token-label", "off", "--pin-file", right.toString()).assertOk();

        Path bad = Files.writeString(fixture.root().resolve("bad.properties"), "guard.daily-limit = lots\n");
        new Cli(fixture).env("TOKENCTL_CONFIG", bad.toString())
                .run("list", "--login", "--token-label", "off", "--pin-file", right.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("guard.daily-limit");
        Path unknown = Files.writeString(fixture.root().resolve("unknown.properties"), "guard.dayly-limit = 3\n");
        new Cli(fixture).env("TOKENCTL_CONFIG", unknown.toString())
                .run("list", "--login", "--token-label", "off", "--pin-file", right.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("Unknown setting on line 1 of " + unknown + " (allowed: guard.consecutive-limit,"
                        + " guard.daily-limit, guard.enabled, guard.state-file)");
    }

    @Test
    void corruptStateRefusesInsteadOfForgetting() throws Exception {
        fixture.initToken("corrupt", "guard-so-1", "24681357");
        Path state = Files.writeString(fixture.root().resolve("corrupt.state"), "garbage\n");
        Path config = Files.writeString(fixture.root().resolve("corrupt.properties"), "guard.state-file = " + state + "\n");
        CliResult r = new Cli(fixture).clock(DAY1).env("TOKENCTL_CONFIG", config.toString())
                .run("list", "--login", "--token-label", "corrupt", "--pin-file", right.toString())
                .assertExit(ExitCode.ATTEMPT_GUARD);
        assertTrue(r.err().contains("corrupt at line 1"), r.both());
    }
}
