package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A shared PIN that most tokens accept and one refuses (its PIN differs): that
 * token fails with one wrong try, the shared PIN is not presented again, and the
 * tokens that were already enrolled stay so (exit 20).
 */
@ExtendWith(SoftHsmExtension.class)
class BatchOddPinTest {

    @Test
    void oneTokenWithAnotherPinCostsOneTryAndStopsTheSharedPin(SoftHsmFixture f) throws Exception {
        String pin = "36925814";
        List<String> tokens = List.of("p1", "p2", "odd", "p3");
        for (String t : tokens) {
            f.initToken(t, "so-pin-2", t.equals("odd") ? "77778888" : pin);
        }
        TestCa ca = TestCa.make(f);
        Path shared = Files.writeString(f.root().resolve("shared.pin"), pin + "\n");
        Path manifest = Files.writeString(f.root().resolve("tokens.csv"),
                "tokenLabel,subject\np1,CN=p1\np2,CN=p2\nodd,CN=odd\np3,CN=p3\n");
        Path trace = f.root().resolve("trace");
        Path module = f.emulateProfile("softhsm", Map.of("trace.file", trace.toString()));

        // one worker: the tokens are taken in manifest order, so p3 comes after odd's refusal
        CliResult r = new Cli(f).module(module).run("batch-enroll", "--manifest", manifest.toString(), "--pin-file",
                shared.toString(), "--key-spec", "ec:p256", "--parallel", "1", "--json", "--ca-cert",
                ca.cert().toString(), "--ca-key", ca.key().toString());
        r.assertExit(ExitCode.BATCH_PARTIAL);
        Map<String, JsonNode> lines = BatchEnrollCommandTest.lines(r);
        String[] expected = {"enrolled", "enrolled", "failed", "skipped"};
        for (int i = 0; i < tokens.size(); i++) {
            JsonNode line = lines.get(f.serialOf(tokens.get(i)));
            assertEquals(expected[i], line.get("outcome").asText(), tokens.get(i) + ": " + r.both());
        }
        assertTrue(lines.get(f.serialOf("p3")).get("error").asText().contains("'odd'"), r.both());
        assertEquals(1, Files.readAllLines(trace).stream().filter(l -> l.equals("C_Login CKR_PIN_INCORRECT")).count(),
                "one wrong try in all");
    }
}
