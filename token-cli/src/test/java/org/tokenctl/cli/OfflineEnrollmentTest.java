package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
 * The offline round trip: {@code enroll --csr-out}, a CA nobody here wrote
 * ({@code openssl x509 -req}) signs the request, {@code import-cert} installs the
 * answer beside the key; certificates for other keys, duplicates and unrelated
 * chains are refused and install nothing.
 */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineEnrollmentTest {

    private static final String TOKEN = "offline";
    private static final String PIN = "97531864";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path pinFile;
    private static String ecId;
    private static String rsaId;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        f.initToken(TOKEN, "so-pin-7", PIN);
        pinFile = Files.writeString(dir.resolve("user.pin"), PIN + "\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-noenc", "-keyout", dir.resolve("ca.key").toString(), "-out",
                dir.resolve("ca.pem").toString(), "-days", "30", "-subj", "/O=Real Bank/CN=Real Bank Issuing CA");
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    /** The CA signs a request, copying its extensions (the SAN) as a CA that trusts its RA would. */
    private static Path sign(Path csr, String name) {
        Path crt = dir.resolve(name + ".crt");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve("ca.pem").toString(), "-CAkey",
                dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "30", "-copy_extensions", "copy",
                "-out", crt.toString());
        return crt;
    }

    private static String enrollOffline(String label, String keySpec) {
        Path csr = dir.resolve(label + ".csr");
        CliResult r = cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", label,
                "--subject", "CN=" + label + ",O=Real Bank", "--san", "email:" + label + "@example.com",
                "--key-spec", keySpec, "--csr-out", csr.toString(), "--json").assertOk();
        JsonNode json = r.json();
        assertTrue(json.get("awaitingCertificate").asBoolean());
        assertTrue(json.get("certificate").isNull());
        assertEquals(csr.toString(), json.get("csrFile").asText());
        // openssl checks the token's signature on the request
        assertTrue(fixture.run(List.of("openssl", "req", "-in", csr.toString(), "-verify", "-noout")).assertOk()
                .stderr().contains("verify OK"));
        return json.get("key").get("id").asText();
    }

    @Test
    @Order(1)
    void csrOutKeepsTheKeyAndSaysSo() {
        ObjectSnapshot before = objects();
        ecId = enrollOffline("alice", "ec:p256");
        rsaId = enrollOffline("bob", "rsa:2048");
        assertEquals(before.size() + 4, objects().size(), "two key pairs kept, no certificates");
        CliResult text = cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label",
                "carol", "--subject", "CN=carol", "--key-spec", "ec:p256", "--csr-out",
                dir.resolve("carol.csr").toString()).assertOk();
        text.assertOutContains("wrote its certificate request to " + dir.resolve("carol.csr"))
                .assertOutContains("The key stays on the token, waiting for its certificate")
                .assertOutContains("tokenctl import-cert --token-label offline --cert FILE");
        cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", "dave", "--subject",
                "CN=dave", "--csr-out", dir.resolve("carol.csr").toString()).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("carol.csr already exists; not replacing it (pass --force to replace it)");
    }

    @Test
    @Order(2)
    void importCertInstallsTheCaAnswerBesideItsKey() throws Exception {
        Path crt = sign(dir.resolve("alice.csr"), "alice");
        JsonNode json = cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                crt.toString(), "--json").assertOk().json();
        assertEquals(ecId, json.get("keyId").asText());
        assertEquals("alice", json.get("label").asText());
        assertEquals("CN=alice,O=Real Bank", json.get("certificate").get("subject").asText());
        String cert = objects().ofKind("Certificate Object").stream().filter(b -> b.contains("label:      alice"))
                .findFirst().orElseThrow();
        assertTrue(cert.contains("ID:         " + ecId), cert);

        // the same certificate again is refused
        ObjectSnapshot before = objects();
        cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert", crt.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("The token already holds this certificate "
                        + "'CN=alice,O=Real Bank' (serial ");
        assertEquals(before, objects());
    }

    @Test
    @Order(3)
    void derAndAChainAreAccepted() {
        Path crt = sign(dir.resolve("bob.csr"), "bob");
        Path der = dir.resolve("bob.der");
        openssl("x509", "-in", crt.toString(), "-outform", "DER", "-out", der.toString());
        CliResult r = cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                der.toString(), "--chain", dir.resolve("ca.pem").toString()).assertOk();
        r.assertOutContains("beside key id " + rsaId + ", label 'bob'")
                .assertOutContains("  chain:       CN=Real Bank Issuing CA,O=Real Bank (stored)");
        assertTrue(objects().toString().contains("label:      CN=Real Bank Issuing CA,O=Real Bank"));
    }

    @Test
    @Order(4)
    void aCertificateForAnotherKeyIsRefusedAndNothingIsInstalled() throws Exception {
        Path otherKey = dir.resolve("stranger.key");
        Path otherCsr = dir.resolve("stranger.csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                otherKey.toString(), "-out", otherCsr.toString(), "-subj", "/CN=carol");
        Path crt = sign(otherCsr, "stranger");
        ObjectSnapshot before = objects();
        cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert", crt.toString(),
                "--chain", dir.resolve("ca.pem").toString()).assertExit(ExitCode.CERT_MISMATCH)
                .assertErrContains("The certificate 'CN=carol' (serial ")
                .assertErrContains("matches no private key on the token; nothing was installed");
        assertEquals(before, objects());
    }

    @Test
    @Order(5)
    void unreadableInputIsNamed() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate");
        cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert", junk.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains(junk + " is not a certificate (PEM or DER)");
        cli().run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                dir.resolve("none.crt").toString()).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Certificate file " + dir.resolve("none.crt") + " does not exist");
    }
}
