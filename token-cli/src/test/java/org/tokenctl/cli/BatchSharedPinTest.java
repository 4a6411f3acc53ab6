package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A wrong shared PIN costs one try in the whole batch, however many tokens and
 * workers: proved with the vendor emulator's call trace (the C_Login calls that
 * reached the token) and its retry counters, and with the attempt guard's counts.
 */
@ExtendWith(SoftHsmExtension.class)
class BatchSharedPinTest {

    private static final String PIN = "24682468";
    private static final List<String> TOKENS = List.of("s1", "s2", "s3", "s4");

    private static SoftHsmFixture fixture;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) {
        fixture = f;
        f.initTokens(TOKENS, "so-pin-3", PIN);
        TestCa testCa = TestCa.make(f);
        ca = testCa.cert();
        caKey = testCa.key();
    }

    @Test
    void aWrongSharedPinIsTriedOnOneTokenOnly() throws Exception {
        Path trace = fixture.root().resolve("trace");
        // a retry counter in the emulator, as bank tokens keep one
        Path module = fixture.emulateProfile("softhsm", Map.of("trace.file", trace.toString(), "pin.retries", "6"));
        Path wrong = Files.writeString(fixture.root().resolve("wrong.pin"), "11112222\n");

        CliResult r = new Cli(fixture).module(module).run("batch-enroll", "--pin-file", wrong.toString(),
                "--subject", "CN={label}", "--key-spec", "ec:p256", "--parallel", "4", "--ca-cert", ca.toString(),
                "--ca-key", caKey.toString(), "--json");
        r.assertExit(ExitCode.BATCH_FAILED).assertErrContains("4 of 4 tokens not enrolled (1 failed, 3 skipped)");

        List<String> logins = Files.readAllLines(trace).stream().filter(l -> l.startsWith("C_Login ")).toList();
        assertEquals(List.of("C_Login CKR_PIN_INCORRECT"), logins, "exactly one login reached a token");
        String refusedBy = null;
        int skipped = 0;
        for (JsonNode n : BatchEnrollCommandTest.lines(r).values()) {
            if (n.get("type").asText().equals("summary")) {
                continue;
            }
            assertEquals(ExitCode.PIN_INCORRECT.code(), n.get("exitCode").asInt(), n.toString());
            if (n.get("outcome").asText().equals("failed")) {
                refusedBy = n.get("serial").asText();
            } else {
                assertEquals("skipped", n.get("outcome").asText());
                assertTrue(n.get("error").asText().startsWith("Not tried: token '"), n.toString());
                skipped++;
            }
        }
        assertEquals(3, skipped, r.both());
        // the emulator's retry counters and the guard both counted one wrong PIN, on that token only
        String state = Files.readString(fixture.root().resolve("emulator-state"));
        assertEquals(1, state.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count(), state);
        assertTrue(state.contains(refusedBy + " user 1"), state);
        CliResult guard = new Cli(fixture).run("guard", "status", "--json").assertOk();
        int wrongToday = 0;
        for (JsonNode rec : guard.json().get("records")) {
            wrongToday += rec.get("wrongToday").asInt();
        }
        assertEquals(1, wrongToday, guard.out());
        for (String t : TOKENS) {
            assertEquals(0, ObjectSnapshot.of(fixture, t, PIN).size(), "nothing made on " + t);
        }
    }
}
