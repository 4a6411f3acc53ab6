package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tokenctl.cli.output.Json;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The benchmark scripts (bench/) in their smallest form, so that they cannot rot:
 * a 3-token batch, a few start-up runs, the runtime comparison, the floor, the CA key and the station. Nothing here is timed or compared
 * against a target; the scripts must run to the end and write their results.
 */
class BenchSmokeIT {

    private static final Path ROOT = SoftHsmFixture.repositoryRoot();

    private static JsonNode run(String script, String resultFile) throws Exception {
        Path results = Files.createDirectories(ROOT.resolve("token-cli/target/bench-results"));
        Files.deleteIfExists(results.resolve(resultFile));
        Map<String, String> env = new HashMap<>();
        env.put("BENCH_RESULTS_DIR", results.toString());
        ProcessResult r = Processes.run(env, new byte[0], List.of("bash", ROOT.resolve("bench/" + script).toString(),
                "--smoke"));
        assertEquals(0, r.exitCode(), r.both());
        JsonNode json = Json.mapper().readTree(results.resolve(resultFile).toFile());
        JsonNode machine = json.get("machine");
        for (String fact : List.of("cpu", "cores", "loadAverageBefore", "loadAverageAfter", "jdk", "softhsm", "opensc",
                "openssl")) {
            assertTrue(machine.hasNonNull(fact), fact + " recorded: " + json);
        }
        return json;
    }

    @Test
    void batchBenchmark() throws Exception {
        JsonNode json = run("batch.sh", "batch-smoke.json");
        JsonNode ec = json.get("results").get("ec:p256");
        assertEquals(3, ec.get("tokens").asInt());
        // the token store's filesystem weighs on every PKCS#11 tool: the results say what it was
        JsonNode store = json.get("tokenStore");
        assertTrue(store != null && !store.path("filesystem").asText("unknown").equals("unknown")
                && store.hasNonNull("mountOptions"), json.toString());
        assertTrue(ec.get("tokenctlMs").asLong() > 0 && ec.get("pipelineSequentialMs").asLong() > 0, ec.toString());
    }

    @Test
    void startupBenchmark() throws Exception {
        JsonNode json = run("startup.sh", "startup-smoke.json");
        for (String variant : List.of("peer", "jvmHelloWorld", "launcherFlags", "appCds", "launcher")) {
            assertTrue(json.get("variants").get(variant).get("wallMedianMs").asLong() > 0, json.toString());
        }
    }

    @Test
    void runtimeBenchmark() throws Exception {
        JsonNode json = run("runtime.sh", "runtime-smoke.json");
        for (String variant : List.of("system", "jlink")) {
            JsonNode v = json.get("variants").get(variant);
            assertTrue(v.get("wallMedianMs").asLong() > 0 && v.get("runtimeMb").asLong() > 0, json.toString());
        }
        assertTrue(json.get("modules").asText().contains("java.base"), json.toString());
        assertTrue(json.get("ratioJlinkToSystem").asDouble() > 0, json.toString());
    }

    @Test
    void floorBenchmark() throws Exception {
        JsonNode json = run("floor.sh", "floor-smoke.json");
        JsonNode three = json.get("results").get("3");
        assertTrue(three.get("floorMs").asLong() > 0 && three.get("tokenctlMs").asLong() > 0, json.toString());
        assertTrue(three.get("tokenctlPeakRssKiB").asLong() > 0, json.toString());
        // the breakdown: a run with the guard off, and start-up as a part of tokenctl's own time
        assertTrue(three.get("tokenctlGuardOffMs").asLong() > 0, json.toString());
        long start = three.get("tokenctlStartMs").asLong();
        assertTrue(start > 0 && start < three.get("tokenctlMs").asLong(), json.toString());
    }

    @Test
    void caKeyBenchmark() throws Exception {
        JsonNode json = run("ca-key.sh", "ca-key-smoke.json");
        JsonNode r = json.get("results");
        assertTrue(r.get("rsaCaMs").asLong() > 0 && r.get("p256CaMs").asLong() > 0, json.toString());
        assertTrue(r.get("jdkRsa2048SignMicros").asLong() > 0, json.toString());
        assertTrue(r.get("c1Rsa2048SignMicros").asLong() > 0 && r.get("c1P256SignMicros").asLong() > 0,
                json.toString());
        assertTrue(Set.of("met", "missed").contains(r.get("targetAgainstC1").asText()), json.toString());
    }

    @Test
    void stationBenchmark() throws Exception {
        JsonNode json = run("station.sh", "station-smoke.json");
        JsonNode r = json.get("results");
        assertTrue(r.get("stationMedianMs").asLong() > 0 && r.get("freshEnrollMedianMs").asLong() > 0, json.toString());
    }
}
