package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * batch-enroll over CMP with tokens enrolled in parallel: one CMP transaction per
 * token (its own transactionID, nonces, certConf), all through one issuer, each
 * certificate from OpenSSL's CMP mock behind the loopback front, checked on the
 * token with pkcs11-tool and against the CA with openssl verify.
 */
@ExtendWith(SoftHsmExtension.class)
class BatchCmpTest {

    private static final String PIN = "24685731";
    private static final List<String> TOKENS = List.of("c1", "c2", "c3");
    private static final Map<String, String> SERIALS = new LinkedHashMap<>();
    private static SoftHsmFixture fixture;
    private static Path pin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        SERIALS.putAll(f.initTokens(TOKENS, "so-pin-9", PIN));
        pin = Files.writeString(f.root().resolve("shared.pin"), PIN + "\n");
    }

    @Test
    void eachTokenIsItsOwnTransactionAndAllAreEnrolled() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture);
             CertifyingCmpFront front = cmp.certifyingServer("/O=Mock Bank/CN=batch")) {
            List<String> args = new ArrayList<>(List.of("batch-enroll", "--pin-file", pin.toString(), "--subject",
                    "CN=Holder {label},O=Mock Bank", "--key-spec", "ec:p256", "--parallel", "3", "--json"));
            args.addAll(cmp.options(front.url()));
            CliResult r = new Cli(fixture).run(args.toArray(String[]::new)).assertOk();
            assertTrue(front.problems().isEmpty(), front.problems().toString());
            assertEquals(TOKENS.size(), front.transactions(), "one CMP transaction per token");
            Map<String, JsonNode> lines = BatchEnrollCommandTest.lines(r);
            Set<String> certSerials = new HashSet<>();
            for (String t : TOKENS) {
                JsonNode n = lines.get(SERIALS.get(t));
                assertEquals("enrolled", n.get("outcome").asText(), r.both());
                certSerials.add(n.get("certificate").get("serial").asText());
                String keyId = n.get("keyId").asText();
                BatchEnrollCommandTest.assertEnrolled(fixture, t, PIN, keyId, "batch");
                Path cert = fixture.root().resolve(t + ".der");
                fixture.pkcs11Tool("--token-label", t, "--read-object", "--type", "cert", "--id", keyId,
                        "--output-file", cert.toString()).assertOk();
                assertTrue(OpenSsl.run(fixture, "verify", "-CAfile", cmp.caPem().toString(), "-untrusted",
                        cmp.caPem().toString(), convert(cert).toString()).stdout().contains("OK"));
            }
            assertEquals(TOKENS.size(), certSerials.size(), "each token got its own certificate");
            assertEquals(TOKENS.size(), lines.get("summary").get("enrolled").asInt(), r.both());
        }
    }

    private static Path convert(Path der) {
        Path pem = der.resolveSibling(der.getFileName() + ".pem");
        OpenSsl.run(fixture, "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).assertOk();
        return pem;
    }
}
