package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Every PKCS#11 call of a two-token batch failed in turn with each fault (see
 * {@link FaultSweep}): each token ends exactly as before or exactly as after
 * success, as its own result line says, whatever happened to the other.
 */
@ExtendWith(SoftHsmExtension.class)
class BatchFaultInjectionTest {

    private static final String PIN = "11335577";
    private static final List<String> TOKENS = List.of("f1", "f2");

    private static SoftHsmFixture fixture;
    private static List<String> serials;
    private static Path pin;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        serials = List.copyOf(f.initTokens(TOKENS, "so-pin-4", PIN).values());
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        TestCa testCa = TestCa.make(f);
        ca = testCa.cert();
        caKey = testCa.key();
    }

    /** Each token's objects, reduced to their shape (a new enrollment makes new ids and serials). */
    private static List<String> tokens(SoftHsmFixture f) {
        return TOKENS.stream().map(t -> ObjectSnapshot.of(f, t, PIN).objects().stream()
                .map(block -> block.lines().filter(l -> !Character.isWhitespace(l.charAt(0))
                        || l.trim().startsWith("label:") || l.trim().startsWith("Usage:")
                        || l.trim().startsWith("Access:")).collect(Collectors.joining("\n")))
                .sorted().collect(Collectors.joining("\n--\n"))).collect(Collectors.toList());
    }

    /** A token's claim is its own result line: enrolled, incomplete (exit 15), or failed / never reported. */
    private static FaultSweep.Claim claim(CliResult r, int part) {
        for (String line : r.out().lines().toList()) {
            JsonNode n;
            try {
                n = org.tokenctl.cli.output.Json.mapper().readTree(line);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON lines: " + r.both(), e);
            }
            if (serials.get(part).equals(n.path("serial").asText())) {
                return n.get("outcome").asText().equals("enrolled") ? FaultSweep.Claim.DONE
                        : n.get("exitCode").asInt() == ExitCode.INCOMPLETE.code() ? FaultSweep.Claim.EITHER
                        : FaultSweep.Claim.NOT_DONE;
            }
        }
        return FaultSweep.Claim.NOT_DONE; // the batch ended before this token (module or slot list failed)
    }

    @Test
    void aTwoTokenBatch() {
        // one worker: the calls come in the same order in every run, so call K is the same call each time
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"batch-enroll",
            "--pin-file", pin.toString(), "--subject", "CN={label}", "--key-spec", "ec:p256", "--parallel", "1",
            "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--json"},
                BatchFaultInjectionTest::tokens, BatchFaultInjectionTest::claim);
        System.out.println(FaultSweep.summary("batch-enroll (2 tokens)", out));
        Set<String> reported = out.stream().filter(o -> o.result().exitCode() != 0).map(FaultSweep.Outcome::function)
                .collect(Collectors.toSet());
        for (String call : List.of("C_Login", "C_GenerateKeyPair", "C_Sign", "C_CreateObject")) {
            assertTrue(reported.contains(call), call + " was failed and handled: " + reported);
        }
        // some faults hit the second token after the first was enrolled: a partial batch, reported so
        assertTrue(out.stream().anyMatch(o -> o.result().exitCode() == ExitCode.BATCH_PARTIAL.code()),
                FaultSweep.summary("batch", out));
    }
}
