package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code renew --all-tokens --expiring DAYS}: what is due on every present token, with
 * batch-enroll's PIN rules and output. Three tokens share a PIN: one has two certificates
 * due (an EC and an RSA key, as bank tokens carry two), one has nothing due, one has one
 * due; a fourth has another PIN and meets the shared one only once. Checked with
 * pkcs11-tool and {@code openssl verify}.
 */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RenewAllTokensTest {

    private static final String PIN = "52741963";
    private static final String OTHER_PIN = "96385274";
    private static SoftHsmFixture fixture;
    private static Map<String, String> serials;
    private static Path pin;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        serials = new java.util.HashMap<>(f.initTokens(List.of("ra-1", "ra-2", "ra-3"), "so-pin-ra", PIN));
        pin = Files.writeString(f.root().resolve("shared.pin"), PIN + "\n");
        ca = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()).assertOk();
        enroll("ra-1", "sign", "10", "ec:p256", pin);
        enroll("ra-1", "auth", "20", "rsa:2048", pin);
        enroll("ra-2", "long", "400", "ec:p256", pin);
        enroll("ra-3", "soon", "5", "ec:p256", pin);
    }

    private static void enroll(String token, String label, String days, String spec, Path pinFile) {
        new Cli(fixture).run("enroll", "--token-label", token, "--pin-file", pinFile.toString(), "--label", label,
                "--subject", "CN=" + label + " " + token + ",O=Example Bank", "--key-spec", spec, "--ca-cert",
                ca.toString(), "--ca-key", caKey.toString(), "--days", days).assertOk();
    }

    private static CliResult renewAll(String... more) {
        List<String> args = new ArrayList<>(List.of("renew", "--all-tokens", "--expiring", "30", "--pin-file",
                pin.toString(), "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--remove-old"));
        args.addAll(List.of(more));
        return new Cli(fixture).run(args.toArray(new String[0]));
    }

    @Test
    @Order(1)
    void everyTokenHasWhatIsDueRenewedOnce() throws Exception {
        CliResult r = renewAll("--json", "--parallel", "3").assertOk();
        Map<String, JsonNode> lines = BatchEnrollCommandTest.lines(r);
        assertEquals(4, lines.size(), r.both());
        JsonNode one = lines.get(serials.get("ra-1"));
        assertEquals("renewed", one.get("outcome").asText(), one.toString());
        assertEquals(2, one.get("renewed").size(), "both due certificates: " + one);
        assertEquals("nothing-due", lines.get(serials.get("ra-2")).get("outcome").asText());
        assertEquals(1, lines.get(serials.get("ra-3")).get("renewed").size());
        JsonNode summary = lines.get("summary");
        assertEquals(2, summary.get("renewed").asInt());
        assertEquals(3, summary.get("certificates").asInt());
        assertEquals(1, summary.get("nothingDue").asInt());

        // pkcs11-tool: each renewed key is there, its old one gone; each new certificate verifies
        Set<String> newIds = new HashSet<>();
        for (String token : List.of("ra-1", "ra-3")) {
            for (JsonNode x : lines.get(serials.get(token)).get("renewed")) {
                String id = x.get("id").asText();
                newIds.add(id);
                List<String> objects = ObjectSnapshot.of(fixture, token, PIN).objects();
                assertEquals(3, objects.stream().filter(b -> b.contains("ID:         " + id)).count(), objects.toString());
                assertEquals(0, objects.stream().filter(b -> b.contains("ID:         " + x.get("oldId").asText()))
                        .count(), "--remove-old: " + objects);
                Path cert = Files.writeString(fixture.root().resolve(id + ".pem"), new Cli(fixture).run("export-cert",
                        "--token-label", token, "--id", id).assertOk().out());
                assertTrue(OpenSsl.run(fixture, "verify", "-CAfile", ca.toString(), cert.toString()).assertOk()
                        .stdout().contains(": OK"));
            }
        }
        assertEquals(3, newIds.size());

        // again: nothing is due anywhere, nothing changes
        String before = String.join("\n", List.of("ra-1", "ra-2", "ra-3").stream()
                .map(t -> ObjectSnapshot.of(fixture, t, PIN).toString()).toList());
        CliResult again = renewAll().assertOk();
        again.assertOutContains("3 tokens: 0 renewed (0 certificates), 3 with nothing due");
        assertEquals(before, String.join("\n", List.of("ra-1", "ra-2", "ra-3").stream()
                .map(t -> ObjectSnapshot.of(fixture, t, PIN).toString()).toList()));
    }

    @Test
    @Order(2)
    void aTokenWithAnotherPinMeetsTheSharedPinOnceAndTheOthersAreSkipped() throws Exception {
        String serial = fixture.initToken("ra-4", "so-pin-ra", OTHER_PIN);
        Path otherPin = Files.writeString(fixture.root().resolve("other.pin"), OTHER_PIN + "\n");
        enroll("ra-4", "due", "3", "ec:p256", otherPin);
        CliResult r = renewAll("--json", "--parallel", "1");
        Map<String, JsonNode> lines = BatchEnrollCommandTest.lines(r);
        JsonNode four = lines.get(serial);
        long wrong = lines.values().stream().filter(l -> "failed".equals(l.path("outcome").asText())
                && l.path("exitCode").asInt() == ExitCode.PIN_INCORRECT.code()).count();
        assertEquals(1, wrong, "the shared PIN is refused once, then tried on no other token: " + r.both());
        // the tokens after the refusal (in the order the slots come) are skipped, untouched, saying why
        lines.values().stream().filter(l -> "skipped".equals(l.path("outcome").asText()))
                .forEach(l -> assertTrue(l.get("error").asText().contains("refused the shared user PIN"), l.toString()));
        assertTrue(List.of("failed", "skipped").contains(four.get("outcome").asText()), four.toString());
        assertTrue(r.exitCode() == ExitCode.BATCH_PARTIAL.code() || r.exitCode() == ExitCode.BATCH_FAILED.code(),
                r.both());
        // ra-4 kept its due certificate: with its own PIN it renews
        CliResult own = new Cli(fixture).run("renew", "--token-label", "ra-4", "--pin-file", otherPin.toString(),
                "--expiring", "30", "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--json");
        assertEquals(1, own.assertOk().json().get("renewed").size());
    }

    @Test
    @Order(3)
    void itNeedsExpiringAndNoSelection() {
        new Cli(fixture).run("renew", "--all-tokens", "--pin-file", pin.toString(), "--ca-cert", ca.toString(),
                "--ca-key", caKey.toString()).assertExit(ExitCode.USAGE).assertErrContains("--expiring");
        new Cli(fixture).run("renew", "--all-tokens", "--expiring", "9", "--token-label", "ra-1", "--pin-file",
                pin.toString(), "--ca-cert", ca.toString(), "--ca-key", caKey.toString()).assertExit(ExitCode.USAGE);
        new Cli(fixture).run("renew", "--all-tokens", "--expiring", "9", "--pin-file", pin.toString(), "--csr-out",
                fixture.root().resolve("x.csr").toString()).assertExit(ExitCode.USAGE).assertErrContains("--csr-out");
        new Cli(fixture).run("renew", "--token-label", "ra-1", "--label", "sign", "--parallel", "2", "--pin-file",
                pin.toString(), "--ca-cert", ca.toString(), "--ca-key", caKey.toString()).assertExit(ExitCode.USAGE)
                .assertErrContains("--parallel");
    }
}
