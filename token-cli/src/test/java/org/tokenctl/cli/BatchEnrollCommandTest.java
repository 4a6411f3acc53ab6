package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * {@code tokenctl batch-enroll} on several real SoftHSM tokens at once, every
 * enrollment checked with pkcs11-tool (OpenSC). The tests build on each other
 * (enroll, run again, force), hence the order.
 */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchEnrollCommandTest {

    static final String PIN = "13572468";
    static final List<String> TOKENS = List.of("b1", "b2", "b3", "b4");

    private static SoftHsmFixture fixture;
    private static final Map<String, String> SERIALS = new LinkedHashMap<>();
    private static Path pin;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        SERIALS.putAll(f.initTokens(TOKENS, "so-pin-7", PIN));
        pin = Files.writeString(f.root().resolve("shared.pin"), PIN + "\n");
        TestCa testCa = TestCa.make(f);
        ca = testCa.cert();
        caKey = testCa.key();
    }

    static List<String> batch(String... more) {
        List<String> args = new ArrayList<>(List.of("batch-enroll", "--pin-file", pin.toString(), "--ca-cert",
                ca.toString(), "--ca-key", caKey.toString(), "--json"));
        args.addAll(List.of(more));
        return args;
    }

    /** The JSON lines of a run: one per token, keyed by serial, then the summary under "summary". */
    static Map<String, JsonNode> lines(CliResult r) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            try {
                JsonNode n = Json.mapper().readTree(line);
                out.put(n.get("type").asText().equals("summary") ? "summary" : n.get("serial").asText(), n);
            } catch (Exception e) {
                throw new AssertionError("not one JSON object per line: " + r.both(), e);
            }
        }
        return out;
    }

    /** The key with this id is on the token, non-exportable, with a certificate of the same id beside it. */
    static void assertEnrolled(SoftHsmFixture f, String token, String pinValue, String keyId, String subjectCn) {
        ObjectSnapshot s = ObjectSnapshot.of(f, token, pinValue);
        String priv = s.ofKind("Private Key Object").stream().filter(b -> b.contains("ID:         " + keyId))
                .findFirst().orElseThrow(() -> new AssertionError("no private key " + keyId + " on " + token + ": " + s));
        assertTrue(priv.contains("sensitive, always sensitive, never extractable, local"), priv);
        String cert = s.ofKind("Certificate Object").stream().filter(b -> b.contains("ID:         " + keyId))
                .findFirst().orElseThrow(() -> new AssertionError("no certificate " + keyId + " on " + token + ": " + s));
        assertTrue(cert.contains("CN=" + subjectCn), cert);
    }

    @Test
    @Order(1)
    void enrollsEveryPresentTokenInParallel() throws Exception {
        CliResult r = new Cli(fixture).run(batch("--subject", "CN=Holder {label},O=Example Bank", "--key-spec",
                "ec:p256", "--parallel", "4").toArray(String[]::new)).assertOk();
        Map<String, JsonNode> lines = lines(r);
        assertEquals(TOKENS.size() + 1, lines.size(), r.both());
        Set<String> keyIds = new HashSet<>();
        for (String t : TOKENS) {
            JsonNode n = lines.get(SERIALS.get(t));
            assertEquals("enrolled", n.get("outcome").asText(), r.both());
            assertEquals(t, n.get("label").asText());
            assertEquals(0, n.get("exitCode").asInt());
            assertTrue(n.get("error").isNull());
            assertEquals("CN=Holder " + t + ",O=Example Bank", n.get("certificate").get("subject").asText());
            assertFalse(n.get("certificate").get("notAfter").asText().isEmpty());
            keyIds.add(n.get("keyId").asText());
            assertEnrolled(fixture, t, PIN, n.get("keyId").asText(), "Holder " + t);
        }
        assertEquals(TOKENS.size(), keyIds.size(), "one key per token");
        JsonNode summary = lines.get("summary");
        assertEquals(4, summary.get("enrolled").asInt());
        assertEquals(4, summary.get("parallel").asInt());
        assertEquals(0, summary.get("exitCode").asInt());
        // progress went to stderr, one plain line per token (stderr is no terminal here)
        assertEquals(TOKENS.size(), r.err().lines().filter(l -> l.matches("\\[\\d/4\\] .*: enrolled")).count(),
                r.both());
        // every login was right: the attempt guard's file keeps no count, as another process reads it (the
        // withdrawals, deferred during the batch, were all written by its end; this JVM would see them anyway)
        String state = Files.readString(fixture.root().resolve("xdg-data/tokenctl/attempt-guard.state"));
        assertTrue(state.startsWith("# tokenctl attempt guard"), "the batch did write the state: " + state);
        for (String t : TOKENS) {
            assertFalse(state.contains(SERIALS.get(t)), state);
        }
    }

    @Test
    @Order(2)
    void runningAgainSkipsWhatIsEnrolled() {
        Map<String, ObjectSnapshot> before = snapshots();
        CliResult r = new Cli(fixture).run(batch("--subject", "CN=Holder {label},O=Example Bank", "--key-spec",
                "ec:p256").toArray(String[]::new)).assertOk();
        for (String t : TOKENS) {
            assertEquals("already-enrolled", lines(r).get(SERIALS.get(t)).get("outcome").asText(), r.both());
        }
        assertEquals(4, lines(r).get("summary").get("alreadyEnrolled").asInt());
        assertEquals(before, snapshots(), "nothing was created");
    }

    @Test
    @Order(3)
    void forceEnrollsAgain() {
        CliResult r = new Cli(fixture).run(batch("--subject", "CN=Holder {label},O=Example Bank", "--key-spec",
                "ec:p256", "--force").toArray(String[]::new)).assertOk();
        for (String t : TOKENS) {
            JsonNode n = lines(r).get(SERIALS.get(t));
            assertEquals("enrolled", n.get("outcome").asText(), r.both());
            assertEnrolled(fixture, t, PIN, n.get("keyId").asText(), "Holder " + t);
            assertEquals(2, ObjectSnapshot.of(fixture, t, PIN).ofKind("Certificate Object").size());
        }
    }

    @Test
    @Order(4)
    void csvManifestNamesTokensBySerialWithTheirOwnValues() throws Exception {
        Path m = Files.writeString(fixture.root().resolve("tokens.csv"),
                "serial,subject,keySpec,label,san\n"
                        + SERIALS.get("b1") + ",\"CN=Alice Example,O=Example Bank\",ec:p256,alice,email:alice@example.com\n"
                        + "\n"
                        + SERIALS.get("b2") + ",\"CN=Bob Example,O=Example Bank\",rsa:2048,bob,\n");
        CliResult r = new Cli(fixture).run(batch("--manifest", m.toString()).toArray(String[]::new)).assertOk();
        Map<String, JsonNode> lines = lines(r);
        assertEquals(3, lines.size(), "two tokens and the summary: " + r.both());
        assertEnrolled(fixture, "b1", PIN, lines.get(SERIALS.get("b1")).get("keyId").asText(), "Alice Example");
        assertEnrolled(fixture, "b2", PIN, lines.get(SERIALS.get("b2")).get("keyId").asText(), "Bob Example");
        String alice = ObjectSnapshot.of(fixture, "b1", PIN).ofKind("Private Key Object").stream()
                .filter(b -> b.contains("label:      alice")).findFirst().orElseThrow();
        assertTrue(alice.contains("EC"), alice);
        assertTrue(ObjectSnapshot.of(fixture, "b2", PIN).ofKind("Private Key Object").stream()
                .anyMatch(b -> b.startsWith("Private Key Object; RSA") && b.contains("label:      bob")));
    }

    @Test
    @Order(5)
    void jsonManifestNamesTokensByLabelWithAPinFileOfTheirOwn() throws Exception {
        Path own = Files.writeString(fixture.root().resolve("b3.pin"), PIN + "\n");
        Path m = Files.writeString(fixture.root().resolve("tokens.json"), "[\n"
                + "  {\"tokenLabel\": \"b3\", \"label\": \"carol\", \"subject\": \"CN=Carol,O=Example Bank\","
                + " \"keySpec\": \"ec:p256\","
                + " \"san\": [\"email:carol@example.com\", \"dns:carol.example.com\"], \"pinFile\": \"b3.pin\"},\n"
                + "  {\"tokenLabel\": \"b4\", \"subject\": \"CN=Dave {serial}\", \"keySpec\": \"ec:p256\"}\n"
                + "]\n");
        // the shared PIN is a wrong one: b3 has its own, so only b4 fails
        Path wrong = Files.writeString(fixture.root().resolve("wrong.pin"), "99887766\n");
        CliResult r = new Cli(fixture).run("batch-enroll", "--manifest", m.toString(), "--pin-file", wrong.toString(),
                "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--json");
        r.assertExit(ExitCode.BATCH_PARTIAL).assertErrContains("1 of 2 tokens not enrolled");
        Map<String, JsonNode> lines = lines(r);
        assertEquals("enrolled", lines.get(SERIALS.get("b3")).get("outcome").asText(), r.both());
        assertEnrolled(fixture, "b3", PIN, lines.get(SERIALS.get("b3")).get("keyId").asText(), "Carol");
        JsonNode b4 = lines.get(SERIALS.get("b4"));
        assertEquals("failed", b4.get("outcome").asText());
        assertEquals(ExitCode.PIN_INCORRECT.code(), b4.get("exitCode").asInt());
        assertTrue(b4.get("error").asText().startsWith("Wrong user PIN"), b4.toString());
        assertTrue(b4.get("certificate").isNull());
        assertEquals(ExitCode.BATCH_PARTIAL.code(), lines.get("summary").get("exitCode").asInt());
    }

    @Test
    @Order(6)
    void humanOutputIsATable() {
        CliResult r = new Cli(fixture).run("batch-enroll", "--pin-file", pin.toString(), "--ca-cert", ca.toString(),
                "--ca-key", caKey.toString(), "--subject", "CN=Holder {label},O=Example Bank", "--key-spec", "ec:p256")
                .assertOk();
        assertTrue(r.out().startsWith("SERIAL "), r.both());
        for (String t : TOKENS) {
            assertTrue(r.out().contains(SERIALS.get(t)), r.both());
        }
        r.assertOutContains("4 tokens: 0 enrolled, 4 already enrolled, 0 failed, 0 skipped");
    }

    @Test
    void refusesWhatCannotWork() {
        Map<String, ObjectSnapshot> before = snapshots();
        new Cli(fixture).run("batch-enroll", "--pin-file", pin.toString(), "--ca-cert", ca.toString(), "--ca-key",
                caKey.toString()).assertExit(ExitCode.USAGE).assertErrContains("--subject");
        new Cli(fixture).run("batch-enroll", "--pin-file", pin.toString(), "--subject", "CN=x", "--csr-out",
                fixture.root().resolve("x.csr").toString()).assertExit(ExitCode.USAGE).assertErrContains("--csr-out");
        new Cli(fixture).run(batch("--subject", "CN=x", "--parallel", "0").toArray(String[]::new))
                .assertExit(ExitCode.USAGE).assertErrContains("--parallel");
        new Cli(fixture).run(batch("--subject", "CN=x", "--token-label", "b1").toArray(String[]::new))
                .assertExit(ExitCode.USAGE).assertErrContains("Unknown option");
        new Cli(fixture).run(batch("--subject", "CN=x", "--key-spec", "dsa:1024").toArray(String[]::new))
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("dsa:1024");
        assertEquals(before, snapshots());
    }

    @Test
    void refusesMalformedManifestsBeforeTouchingAToken() throws Exception {
        Map<String, ObjectSnapshot> before = snapshots();
        String b1 = SERIALS.get("b1");
        manifestRefused("bad.csv", "serial,subject\n" + b1 + ",\"CN=unterminated\n", ExitCode.INVALID_INPUT,
                "bad.csv line");
        manifestRefused("bad.json", "[{\"serial\": \"" + b1 + "\", \"subject\": \"CN=x\"", ExitCode.INVALID_INPUT,
                "bad.json line");
        manifestRefused("object.json", "{\"serial\": \"" + b1 + "\"}", ExitCode.INVALID_INPUT, "an array of objects");
        manifestRefused("dup.csv", "serial,subject\n" + b1 + ",CN=a\n" + b1.toUpperCase() + ",CN=b\n",
                ExitCode.INVALID_INPUT, "dup.csv line 3: the token is listed twice (first on line 2, same serial)");
        manifestRefused("same-token.csv", "serial,tokenLabel,subject\n" + b1 + ",,CN=a\n,b1,CN=b\n",
                ExitCode.INVALID_INPUT, "is the one line 2 names");
        manifestRefused("unknown.csv", "serial,subject\n0000000000000000,CN=a\n", ExitCode.TOKEN_NOT_FOUND,
                "unknown.csv line 2: No token with serial 0000000000000000");
        manifestRefused("pin.csv", "serial,subject,pin\n" + b1 + ",CN=a,13572468\n", ExitCode.INVALID_INPUT,
                "pin.csv line 1: column 3 of the header would hold a PIN or secret, and a manifest must never hold a PIN");
        manifestRefused("pin.json", "[{\"serial\": \"" + b1 + "\", \"subject\": \"CN=a\", \"userPin\": \"13572468\"}]",
                ExitCode.INVALID_INPUT, "pin.json line 1: the field at column 52 would hold a PIN or secret");
        manifestRefused("typo.csv", "serial,subjet\n" + b1 + ",CN=a\n", ExitCode.INVALID_INPUT,
                "typo.csv line 1: unknown column 2 in the header (allowed: serial, tokenLabel");
        manifestRefused("no-token.json", "[{\"subject\": \"CN=a\"}]", ExitCode.INVALID_INPUT,
                "no-token.json line 1: the row names no token");
        manifestRefused("bad-dn.csv", "serial,subject\n" + b1 + ",CN\n", ExitCode.INVALID_INPUT, "bad-dn.csv line 2");
        manifestRefused("empty.csv", "serial,subject\n", ExitCode.INVALID_INPUT, "lists no tokens");
        assertEquals(before, snapshots(), "no manifest error touched a token");
    }

    private static void manifestRefused(String name, String content, ExitCode code, String message) throws Exception {
        Path m = Files.writeString(fixture.root().resolve(name), content);
        CliResult r = new Cli(fixture).run(batch("--manifest", m.toString()).toArray(String[]::new));
        r.assertExit(code).assertErrContains(message);
        // no token line and no summary: only the failure object (--json), saying what stderr says
        JsonNode failure = r.json();
        assertEquals("error", failure.get("type").asText(), r.both());
        assertEquals(code.name(), failure.get("exitName").asText());
        assertEquals(r.err().strip(), "tokenctl: " + failure.get("message").asText());
        assertFalse(r.both().contains("13572468"), "a PIN in a manifest is never echoed");
    }

    private static Map<String, ObjectSnapshot> snapshots() {
        Map<String, ObjectSnapshot> m = new LinkedHashMap<>();
        for (String t : TOKENS) {
            m.put(t, ObjectSnapshot.of(fixture, t, PIN));
        }
        assertNotEquals(0, m.size());
        return m;
    }
}
