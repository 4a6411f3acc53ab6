package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code batch-enroll --key-spec sm2} on several tokens of the vendor emulator under
 * the watchdata profile (tokenctl computes e = SM3(Z || M), the token signs raw):
 * each token gets its own SM2 key and an SM3withSM2-requested certificate that
 * {@code openssl verify} accepts, and a second run finds every token enrolled.
 */
@ExtendWith(SoftHsmExtension.class)
class Sm2BatchTest {

    private static final String PIN = "31415926";
    private static final List<String> TOKENS = List.of("sm2b-1", "sm2b-2", "sm2b-3");

    private static SoftHsmFixture fixture;
    private static Map<String, String> serials;
    private static Path pin;
    private static Path ca;
    private static Path caKey;
    private static Path noGuard;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        serials = f.initTokens(TOKENS, "so-pin-sm2b", PIN);
        pin = Files.writeString(f.root().resolve("shared.pin"), PIN + "\n");
        noGuard = Files.writeString(f.root().resolve("no-guard.properties"), "guard.enabled = false\n");
        TestCa testCa = TestCa.make(f);
        ca = testCa.cert();
        caKey = testCa.key();
    }

    private static Cli cli() {
        return new Cli(fixture).module(fixture.emulateProfile("watchdata", Map.of()))
                .env("TOKENCTL_CONFIG", noGuard.toString());
    }

    private static CliResult batch() {
        return cli().run("batch-enroll", "--pin-file", pin.toString(), "--ca-cert", ca.toString(), "--ca-key",
                caKey.toString(), "--subject", "CN=SM2 Holder {label},O=Example Bank", "--key-spec", "sm2",
                "--parallel", "3", "--json");
    }

    @Test
    void everyTokenGetsItsOwnSm2KeyAndCertificateOnce() throws Exception {
        Map<String, JsonNode> lines = BatchEnrollCommandTest.lines(batch().assertOk());
        Set<String> keyIds = new HashSet<>();
        for (String t : TOKENS) {
            JsonNode n = lines.get(serials.get(t));
            assertEquals("enrolled", n.get("outcome").asText(), lines.toString());
            String id = n.get("keyId").asText();
            keyIds.add(id);
            // the pair as pkcs11-tool sees it through the emulator (the vendor's module): sensitive, never
            // extractable, made on the token
            String listed = fixture.pkcs11Tool(fixture.emulateProfile("watchdata", Map.of()), "--token-label", t,
                    "--login", "--pin", PIN, "--list-objects", "--type", "privkey").assertOk().stdout();
            assertTrue(listed.contains("ID:         " + id), listed);
            assertTrue(listed.contains("sensitive, always sensitive, never extractable, local"), listed);
            Path cert = Files.writeString(fixture.root().resolve(t + ".pem"),
                    cli().run("export-cert", "--token-label", t, "--id", id).assertOk().out());
            String text = OpenSsl.run(fixture, "x509", "-in", cert.toString(), "-noout", "-text").assertOk().stdout();
            assertTrue(text.contains("ASN1 OID: SM2") && text.contains("CN = SM2 Holder " + t), text);
            assertTrue(OpenSsl.run(fixture, "verify", "-CAfile", ca.toString(), cert.toString()).assertOk().stdout()
                    .contains(": OK"));
        }
        assertEquals(TOKENS.size(), keyIds.size(), "one key per token");

        // the resume rule knows SM2 pairs: nothing is made twice
        String before = String.join("\n", TOKENS.stream().map(t -> ObjectSnapshot.of(fixture, t, PIN).toString())
                .toList());
        Map<String, JsonNode> again = BatchEnrollCommandTest.lines(batch().assertOk());
        for (String t : TOKENS) {
            assertEquals("already-enrolled", again.get(serials.get(t)).get("outcome").asText(), again.toString());
        }
        assertEquals(before, String.join("\n", TOKENS.stream().map(t -> ObjectSnapshot.of(fixture, t, PIN)
                .toString()).toList()));
    }
}
