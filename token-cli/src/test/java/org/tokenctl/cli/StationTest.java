package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.cli.output.Json;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl station} at a desk emulated by the vendor emulator's hot-plug: the
 * station runs as a process of its own ({@code --json}), tokens are plugged and pulled
 * by writing the emulator's hotplug.present file, and every result is checked with
 * pkcs11-tool (through the emulator: which slots hold a token; straight on SoftHSM: the
 * objects) and against the station's journal and report.
 */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StationTest {

    private static final String PIN = "75395146";
    private static final String OTHER_PIN = "15935746";
    private static final int DAY = 20;

    private static SoftHsmFixture fixture;
    private static final Map<String, String> SERIALS = new LinkedHashMap<>();
    private static Path pin;
    private static Path present;
    private static Path journal;
    private static TestCa ca;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= DAY + 3; i++) {
            labels.add(String.format("st-%02d", i));
        }
        SERIALS.putAll(f.initTokens(labels, "so-pin-station", PIN));
        SERIALS.put("st-xx", f.initToken("st-xx", "so-pin-station", OTHER_PIN));
        pin = Files.writeString(f.root().resolve("desk.pin"), PIN + "\n");
        present = f.root().resolve("present.txt");
        journal = f.root().resolve("desk.journal");
        ca = TestCa.make(f);
    }

    /** Writes the emulator's list of plugged-in tokens whole, as a driver should. */
    private static void plug(String... labels) throws IOException {
        Path tmp = present.resolveSibling("present.tmp");
        Files.writeString(tmp, String.join("\n", labels) + "\n");
        Files.move(tmp, present, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A station process and the JSON lines it prints. */
    private static final class Station implements AutoCloseable {
        final Process process;
        final Path err;
        final Path out;
        final Path module;
        private int consumed;
        final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new ArrayList<>();

        Station(Map<String, String> emulator, String... more) throws IOException {
            Map<String, String> conf = new HashMap<>(emulator);
            conf.put("hotplug.present", present.toString());
            conf.put("hotplug.ports", "4");
            module = fixture.emulateProfile("softhsm", conf);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "station",
                "--module", module.toString(), "--pin-file", pin.toString(), "--subject",
                "CN=Token {serial},O=Example Bank", "--key-spec", "ec:p256", "--journal", journal.toString(),
                "--station", "desk-7", "--operator", "alice", "--parallel", "2", "--poll-interval", "200", "--json"));
            cmd.addAll(List.of(ca.options()));
            cmd.addAll(List.of(more));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(fixture.env());
            pb.environment().put("XDG_DATA_HOME", fixture.root().resolve("xdg").toString());
            long n = System.nanoTime();
            err = fixture.root().resolve("station-err-" + n + ".txt");
            out = fixture.root().resolve("station-out-" + n + ".txt");
            pb.redirectError(err.toFile());
            pb.redirectOutput(out.toFile());
            process = pb.start();
        }

        /** Reads the lines the station has written since the last call (whole lines only). */
        private void readNew() throws IOException {
            if (!Files.exists(out)) {
                return;
            }
            byte[] all = Files.readAllBytes(out);
            int end = all.length;
            while (end > consumed && all[end - 1] != '\n') {
                end--;
            }
            if (end <= consumed) {
                return;
            }
            String text = new String(all, consumed, end - consumed, StandardCharsets.UTF_8);
            consumed = end;
            for (String line : text.split("\n")) {
                assertEquals(List.of(), JsonSchemas.problems("station", line), "station.schema.json: " + line);
                try {
                    lines.add(Json.mapper().readTree(line));
                } catch (IOException e) {
                    // stdout carries JSON only: keep what is not, to fail with it
                    lines.add(Json.mapper().createObjectNode().put("type", "not-json").put("text", line));
                }
            }
        }

        /** The next line of this type about this token (earlier lines are kept in {@link #seen}). */
        JsonNode await(String type, String serial) throws Exception {
            for (JsonNode n : seen) {
                if (n.get("type").asText().equals(type) && serial.equals(n.path("serial").asText())) {
                    seen.remove(n);
                    return n;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                readNew();
                JsonNode n = lines.poll(100, TimeUnit.MILLISECONDS);
                if (n == null) {
                    assertTrue(process.isAlive(), "the station ended: " + stderr());
                    continue;
                }
                if (n.get("type").asText().equals(type) && serial.equals(n.path("serial").asText())) {
                    return n;
                }
                seen.add(n);
            }
            throw new AssertionError("no " + type + " line for " + serial + "; seen " + seen + "\n" + stderr());
        }

        /** SIGTERM; returns the summary line. */
        JsonNode stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ended after SIGTERM");
            assertEquals(143, process.exitValue(), "exits as for SIGTERM: " + stderr());
            readNew();
            List<JsonNode> rest = new ArrayList<>(seen);
            lines.drainTo(rest);
            JsonNode last = rest.get(rest.size() - 1);
            assertEquals("summary", last.get("type").asText(), rest + "\n" + Files.readString(out) + "\n" + stderr());
            return last;
        }

        String stderr() {
            try {
                return Files.exists(err) ? Files.readString(err) : "";
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** The slots pkcs11-tool sees holding a token through the emulator, by label. */
    private static String presentByPkcs11Tool(Path module) {
        StringBuilder sb = new StringBuilder();
        for (String line : fixture.pkcs11Tool(module, "--list-slots").assertOk().stdout().split("\n")) {
            if (line.trim().startsWith("token label")) {
                sb.append(line.substring(line.indexOf(':') + 1).trim()).append(' ');
            }
        }
        return sb.toString().trim();
    }

    private static List<String> privateKeys(String token, String pinValue) {
        return ObjectSnapshot.of(fixture, token, pinValue).ofKind("Private Key Object");
    }

    @Test
    @Order(1)
    void aDayOfTokensPluggedOneAfterAnotherThenTwoAtOnce() throws Exception {
        plug();
        try (Station s = new Station(Map.of())) {
            for (int i = 1; i <= DAY; i++) {
                String label = String.format("st-%02d", i);
                String serial = SERIALS.get(label);
                plug(label);
                assertEquals("inserted", s.await("inserted", serial).get("type").asText());
                JsonNode done = s.await("done", serial);
                assertEquals("enrolled", done.get("outcome").asText(), done.toString());
                assertEquals("CN=Token " + serial + ",O=Example Bank", done.get("certificate").get("subject")
                        .asText());
                assertEquals(label, presentByPkcs11Tool(s.module), "pkcs11-tool sees the token the station does");
                plug();
                s.await("removed", serial);
                assertEquals("", presentByPkcs11Tool(s.module));
                assertEquals(1, privateKeys(label, PIN).size());
            }
            // two at once, both already enrolled: nothing is made twice
            plug("st-01", "st-02");
            assertEquals("already-enrolled", s.await("done", SERIALS.get("st-01")).get("outcome").asText());
            assertEquals("already-enrolled", s.await("done", SERIALS.get("st-02")).get("outcome").asText());
            assertEquals("st-01 st-02", presentByPkcs11Tool(s.module));
            plug();
            JsonNode summary = s.stop();
            assertEquals(DAY, summary.get("enrolled").asInt());
            assertEquals(2, summary.get("alreadyEnrolled").asInt());
        }
        assertEquals(1, privateKeys("st-01", PIN).size());

        // the journal: a line per token's turn, and the report over it
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            assertEquals(List.of(), JsonSchemas.problems("station-journal", line), line);
            records.add(Json.mapper().readTree(line));
        }
        assertEquals(DAY + 2, records.size());
        JsonNode first = records.get(0);
        assertEquals("desk-7", first.get("station").asText());
        assertEquals("alice", first.get("operator").asText());
        assertEquals("ec:p256", first.get("algorithm").asText());
        assertNotNull(first.get("certificateSerial").asText(null));
        JsonNode report = new Cli(fixture).run("station", "report", "--journal", journal.toString(), "--json")
                .assertOk().json();
        assertEquals(DAY, report.get("byOutcome").get("enrolled").asInt());
        assertEquals(DAY + 2, report.get("byOperator").get("alice").get("enrolled").asInt()
                + report.get("byOperator").get("alice").get("already-enrolled").asInt());
    }

    @Test
    @Order(2)
    void afterARestartNothingIsEnrolledTwiceAndAWrongSharedPinIsTriedOnce() throws Exception {
        plug();
        try (Station s = new Station(Map.of())) {
            plug("st-03");
            assertEquals("already-enrolled", s.await("done", SERIALS.get("st-03")).get("outcome").asText());
            plug();
            plug("st-xx");
            JsonNode refused = s.await("done", SERIALS.get("st-xx"));
            assertEquals("failed", refused.get("outcome").asText());
            assertEquals(ExitCode.PIN_INCORRECT.code(), refused.get("exitCode").asInt());
            plug();
            plug("st-21");
            JsonNode skipped = s.await("done", SERIALS.get("st-21"));
            assertEquals("skipped", skipped.get("outcome").asText(), skipped.toString());
            assertTrue(skipped.get("error").asText().contains("refused the shared user PIN"), skipped.toString());
            assertEquals(0, privateKeys("st-21", PIN).size(), "not tried: nothing made");
            plug();
            s.stop();
        }
    }

    /**
     * A token pulled while the CA's request is signed on it (the emulator holds that C_Sign
     * for 3 s): reported pulled; plugged back, the key pair left on it is enrolled, never a
     * second one.
     */
    @Test
    @Order(3)
    void aTokenPulledInTheMiddleIsFinishedWithItsOwnKeyWhenItIsBack() throws Exception {
        plug();
        Path trace = fixture.root().resolve("station-trace");
        Files.deleteIfExists(trace);
        Path otherPin = Files.writeString(fixture.root().resolve("st22.pin"), PIN + "\n");
        try (Station s = new Station(Map.of("fault.function", "C_Sign", "fault.delay_ms", "3000", "trace.file",
                trace.toString()))) {
            String serial = SERIALS.get("st-22");
            plug("st-22");
            s.await("inserted", serial);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(trace) && Files.readAllLines(trace).contains("C_SignInit CKR_OK"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            plug();
            JsonNode pulled = s.await("done", serial);
            assertEquals("pulled", pulled.get("outcome").asText(), pulled.toString());
            List<String> left = privateKeys("st-22", PIN);
            assertTrue(left.size() <= 1, "at most the pair it was making: " + left);
            plug("st-22");
            JsonNode back = s.await("done", serial);
            assertEquals("enrolled", back.get("outcome").asText(), back.toString());
            List<String> keys = privateKeys("st-22", PIN);
            assertEquals(1, keys.size(), "one key pair, never a second: " + keys);
            assertTrue(keys.get(0).contains("ID:         " + back.get("keyId").asText()), keys.toString());
            if (left.size() == 1) {
                assertEquals(left.get(0).lines().filter(l -> l.trim().startsWith("ID:")).findFirst(),
                        keys.get(0).lines().filter(l -> l.trim().startsWith("ID:")).findFirst(),
                        "the pair left on it was enrolled");
            }
            plug();
            s.stop();
        }
        assertFalse(Files.readString(journal).isEmpty());
        assertTrue(otherPin.toFile().delete());
    }

    /** SIGTERM while a token is being enrolled: it is rolled back, and the day's summary still printed. */
    @Test
    @Order(4)
    void sigtermRollsBackTheTokenUnderWayAndPrintsTheSummary() throws Exception {
        plug();
        Path trace = fixture.root().resolve("station-trace-term");
        Files.deleteIfExists(trace);
        try (Station s = new Station(Map.of("fault.function", "C_Sign", "fault.delay_ms", "3000", "trace.file",
                trace.toString()))) {
            String serial = SERIALS.get("st-23");
            plug("st-23");
            s.await("inserted", serial);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(trace) && Files.readAllLines(trace).contains("C_SignInit CKR_OK"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            JsonNode summary = s.stop();
            assertEquals(1, summary.get("failed").asInt() + summary.get("skipped").asInt(), summary.toString());
        }
        assertEquals(0, privateKeys("st-23", PIN).size(), "rolled back: nothing left on the token");
        String last = Files.readAllLines(journal).get(Files.readAllLines(journal).size() - 1);
        assertTrue(last.contains(SERIALS.get("st-23")) && last.contains("INTERRUPTED"), last);
    }

    /**
     * With a manifest, only the tokens it lists are enrolled, with its values; its rows'
     * own PIN sources are checked before the station starts.
     */
    @Test
    @Order(5)
    void aManifestNamesTheTokensAndItsPinSourcesAreCheckedFirst() throws Exception {
        Path manifest = Files.writeString(fixture.root().resolve("desk.csv"), "serial,subject\n"
                + SERIALS.get("st-21") + ",CN=Listed Holder\n");
        plug();
        try (Station s = new Station(Map.of(), "--manifest", manifest.toString())) {
            plug("st-05");
            JsonNode unlisted = s.await("done", SERIALS.get("st-05"));
            assertEquals("skipped", unlisted.get("outcome").asText(), unlisted.toString());
            assertTrue(unlisted.get("error").asText().contains("Not in the manifest"), unlisted.toString());
            plug();
            plug("st-21");
            JsonNode listed = s.await("done", SERIALS.get("st-21"));
            assertEquals("enrolled", listed.get("outcome").asText(), listed.toString());
            assertEquals("CN=Listed Holder", listed.get("certificate").get("subject").asText());
            plug();
            s.stop();
        }
        assertEquals(1, privateKeys("st-05", PIN).size(), "the unlisted token kept only what it had");

        Path bad = Files.writeString(fixture.root().resolve("bad.csv"), "serial,pinFile\n" + SERIALS.get("st-22")
                + ",no-such.pin\n");
        CliResult r = new Cli(fixture).run("station", "--manifest", bad.toString(), "--pin-file", pin.toString(),
                "--subject", "CN=x", "--ca-cert", ca.options()[1], "--ca-key", ca.options()[3]);
        assertEquals(ExitCode.INVALID_INPUT.code(), r.exitCode(), r.both());
        r.assertOneLineError().assertErrContains("line 2");
    }
}
