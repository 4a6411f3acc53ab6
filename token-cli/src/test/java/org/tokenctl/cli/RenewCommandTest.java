package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl renew} on SoftHSM tokens, one token per test so that each starts
 * from what it enrolls: every result is read back with pkcs11-tool (which objects,
 * which ids) and OpenSSL (the new certificate verifies against its CA, keeps the
 * old subject and alternative names, and certifies the new key).
 */
@ExtendWith(SoftHsmExtension.class)
class RenewCommandTest {

    private static final String PIN = "97531246";
    private static final List<String> TOKENS = List.of("rn-01", "rn-02", "rn-03", "rn-04", "rn-05", "rn-06",
            "rn-07", "rn-08");
    private static final AtomicInteger FILES = new AtomicInteger();

    private static SoftHsmFixture fixture;
    private static Path pin;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initTokens(TOKENS, "so-pin-renew", PIN);
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        ca = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()).assertOk();
    }

    /** Enrolls a key with a local-CA certificate valid for {@code days}; returns its id. */
    private static String enroll(String token, String label, String days, String keySpec) {
        return new Cli(fixture).run("enroll", "--token-label", token, "--pin-file", pin.toString(), "--label", label,
                "--subject", "CN=" + label + ",O=Example Bank", "--san", "email:" + label + "@example.com",
                "--key-spec", keySpec, "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--days", days,
                "--json").assertOk().json().get("key").get("id").asText();
    }

    private static CliResult renew(String token, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("renew", "--token-label", token, "--pin-file",
                pin.toString()));
        args.addAll(List.of(more));
        return new Cli(fixture).run(args.toArray(new String[0]));
    }

    private static List<String> localCa() {
        return List.of("--ca-cert", ca.toString(), "--ca-key", caKey.toString());
    }

    private static String[] with(List<String> issuer, String... more) {
        List<String> out = new java.util.ArrayList<>(List.of(more));
        out.addAll(issuer);
        return out.toArray(new String[0]);
    }

    /** The object blocks pkcs11-tool lists with this id. */
    private static List<String> objectsWithId(String token, String id) {
        return ObjectSnapshot.of(fixture, token, PIN).objects().stream()
                .filter(b -> b.contains("ID:         " + id)).toList();
    }

    private static Path export(String token, String id) throws Exception {
        return Files.writeString(fixture.root().resolve("cert-" + FILES.incrementAndGet() + ".pem"),
                new Cli(fixture).run("export-cert", "--token-label", token, "--id", id).assertOk().out());
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    @Test
    void aNewKeyGetsTheOldNamesAndTheOldPairStaysUntilAsked() throws Exception {
        String old = enroll("rn-01", "alice", "20", "ec:p256");
        JsonNode r = renew("rn-01", with(localCa(), "--id", old, "--json")).assertOk().json();
        JsonNode renewed = r.get("renewed").get(0);
        String fresh = renewed.get("key").get("id").asText();
        assertNotEquals(old, fresh, "a new key pair");
        assertEquals(old, renewed.get("old").get("id").asText());
        assertTrue(renewed.get("key").get("generated").asBoolean());
        assertEquals("ec:p256", renewed.get("key").get("keySpec").asText(), "the old key's type");
        assertEquals("alice", renewed.get("key").get("label").asText(), "the old key's label");
        assertEquals(0, renewed.get("removed").size());

        // pkcs11-tool: the old pair and certificate are all there, and the new ones beside them
        assertEquals(3, objectsWithId("rn-01", old).size(), objectsWithId("rn-01", old).toString());
        List<String> now = objectsWithId("rn-01", fresh);
        assertEquals(3, now.size(), now.toString());
        assertTrue(now.stream().anyMatch(b -> b.startsWith("Private Key Object; EC")
                && b.contains("sensitive, always sensitive, never extractable, local")), now.toString());

        Path cert = export("rn-01", fresh);
        assertTrue(openssl("verify", "-CAfile", ca.toString(), cert.toString()).contains(": OK"));
        Path oldCert = export("rn-01", old);
        String text = openssl("x509", "-in", cert.toString(), "-noout", "-subject", "-ext", "subjectAltName");
        assertEquals(openssl("x509", "-in", oldCert.toString(), "-noout", "-subject", "-ext", "subjectAltName"), text,
                "the old subject and alternative names, in their order");
        assertTrue(text.contains("CN = alice") && text.contains("email:alice@example.com"), text);
        assertNotEquals(openssl("x509", "-in", oldCert.toString(), "-noout", "-pubkey"),
                openssl("x509", "-in", cert.toString(), "-noout", "-pubkey"), "the new key is certified");
        assertNotEquals(openssl("x509", "-in", oldCert.toString(), "-noout", "-serial"),
                openssl("x509", "-in", cert.toString(), "-noout", "-serial"));
    }

    @Test
    void removeOldDeletesTheOldPairOnlyOnceTheNewCertificateIsOn() throws Exception {
        String old = enroll("rn-02", "bob", "20", "rsa:2048");
        String keep = enroll("rn-02", "other", "400", "ec:p256");
        JsonNode r = renew("rn-02", with(localCa(), "--label", "bob", "--remove-old", "--json")).assertOk().json();
        JsonNode renewed = r.get("renewed").get(0);
        String fresh = renewed.get("key").get("id").asText();
        assertEquals("rsa:2048", renewed.get("key").get("keySpec").asText());
        List<String> removed = new java.util.ArrayList<>();
        renewed.get("removed").forEach(o -> removed.add(o.get("objectClass").asText() + " " + o.get("id").asText()));
        assertEquals(List.of("CERTIFICATE " + old, "PUBLIC_KEY " + old, "PRIVATE_KEY " + old), removed,
                "certificate first, private key last");
        assertEquals(List.of(), objectsWithId("rn-02", old), "pkcs11-tool finds nothing of the old pair");
        assertEquals(3, objectsWithId("rn-02", fresh).size());
        assertEquals(3, objectsWithId("rn-02", keep).size(), "another key pair is untouched");
        assertTrue(openssl("verify", "-CAfile", ca.toString(), export("rn-02", fresh).toString()).contains(": OK"));
    }

    @Test
    void theSameKeyCanBeCertifiedAgain() throws Exception {
        String id = enroll("rn-03", "carol", "20", "ec:p256");
        String oldSerial = openssl("x509", "-in", export("rn-03", id).toString(), "-noout", "-serial");
        JsonNode r = renew("rn-03", with(localCa(), "--id", id, "--same-key", "--remove-old", "--days", "90",
                "--json")).assertOk().json();
        JsonNode renewed = r.get("renewed").get(0);
        assertEquals(id, renewed.get("key").get("id").asText());
        assertFalse(renewed.get("key").get("generated").asBoolean());
        assertEquals(1, renewed.get("removed").size(), "the old certificate only: " + renewed);
        List<String> objects = objectsWithId("rn-03", id);
        assertEquals(3, objects.size(), "the same pair and one certificate: " + objects);
        Path cert = export("rn-03", id);
        assertNotEquals(oldSerial, openssl("x509", "-in", cert.toString(), "-noout", "-serial"));
        assertTrue(openssl("verify", "-CAfile", ca.toString(), cert.toString()).contains(": OK"));
    }

    @Test
    void expiringRenewsWhatIsDueOnceAndNothingTwice() {
        String soon = enroll("rn-04", "dave", "10", "ec:p256");
        String later = enroll("rn-04", "erin", "400", "ec:p256");
        JsonNode r = renew("rn-04", with(localCa(), "--expiring", "30", "--json")).assertOk().json();
        assertEquals(30, r.get("expiringWithinDays").asInt());
        assertEquals(1, r.get("renewed").size(), r.toString());
        assertEquals(soon, r.get("renewed").get(0).get("old").get("id").asText());
        assertEquals(3, objectsWithId("rn-04", later).size());
        // the old one stays (no --remove-old) but its subject has a new certificate: not renewed again
        CliResult again = renew("rn-04", with(localCa(), "--expiring", "30"));
        again.assertOk().assertOutContains("Nothing to renew on token 'rn-04'");
        // expiry agrees: the old certificate is still expiring, the new one is valid
        JsonNode expiry = new Cli(fixture).run("expiry", "--token-label", "rn-04", "--json").json();
        assertEquals(1, expiry.get("summary").get("expiring").asInt());
        assertEquals(2, expiry.get("summary").get("valid").asInt());
    }

    @Test
    void offlineTheRequestWaitsForImportCert() throws Exception {
        String old = enroll("rn-05", "frank", "20", "ec:p384");
        Path csr = fixture.root().resolve("renew-frank.csr");
        renew("rn-05", "--id", old, "--csr-out", csr.toString(), "--remove-old").assertExit(ExitCode.USAGE)
                .assertErrContains("--remove-old");
        assertFalse(Files.exists(csr));
        JsonNode r = renew("rn-05", "--id", old, "--csr-out", csr.toString(), "--json").assertOk().json();
        JsonNode renewed = r.get("renewed").get(0);
        assertTrue(renewed.get("awaitingCertificate").asBoolean());
        assertEquals("ec:p384", renewed.get("key").get("keySpec").asText());
        String text = OpenSsl.run(fixture, "req", "-in", csr.toString(), "-noout", "-verify", "-subject", "-text")
                .assertOk().both();
        assertTrue(text.contains("verify OK") && text.contains("CN = frank") && text.contains("email:frank@example.com"),
                text);
        Path answer = fixture.root().resolve("renew-frank.pem");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-days",
                "30", "-copy_extensions", "copy", "-out", answer.toString());
        new Cli(fixture).run("import-cert", "--token-label", "rn-05", "--pin-file", pin.toString(), "--cert",
                answer.toString()).assertOk();
        String fresh = renewed.get("key").get("id").asText();
        assertEquals(3, objectsWithId("rn-05", fresh).size());
        assertEquals(3, objectsWithId("rn-05", old).size());
    }

    @Test
    void overCmpTheCurrentKeySignsAKeyUpdate() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture)) {
            CmpFixture.Holder current = cmp.holder("rn-06", pin, "kur-grace", "ec:p256");
            // OpenSSL 3.0's mock matches oldCertID against the certificate it answers with: same serial
            Path currentCert = cmp.certify(cmp.requestOf("kur-grace"), "kur-grace-fixed", "5151");
            new Cli(fixture).run("import-cert", "--token-label", "rn-06", "--pin-file", pin.toString(), "--cert",
                    currentCert.toString()).assertOk();
            Path[] srv = cmp.serverSigner("renew-ra");
            try (CertifyingCmpFront front = cmp.certifyingKeyUpdateServer("/O=Mock Bank/CN=kur-grace", "5151",
                    srv[0], srv[1], cmp.caPem())) {
                JsonNode r = renew("rn-06", "--id", current.id(), "--cmp-server", front.url(), "--cmp-trusted",
                        cmp.caPem().toString(), "--remove-old", "--json").assertOk().json();
                assertTrue(front.problems().isEmpty(), front.problems().toString());
                assertEquals(1, front.transactions(), "one key update");
                String fresh = r.get("renewed").get(0).get("key").get("id").asText();
                assertNotEquals(current.id(), fresh);
                assertEquals(List.of(), objectsWithId("rn-06", current.id()));
                Path cert = export("rn-06", fresh);
                assertTrue(openssl("verify", "-CAfile", cmp.caPem().toString(), cert.toString()).contains(": OK"));
            }
        }
    }

    @Test
    void aFailedRenewalLeavesTheOldPairAndNothingNew() throws Exception {
        String old = enroll("rn-07", "heidi", "20", "ec:p256");
        String before = ObjectSnapshot.of(fixture, "rn-07", PIN).toString();
        // a CA key that is not the CA certificate's: the local CA refuses to issue, after the new key exists
        Path otherKey = fixture.root().resolve("other-ca.key");
        Path otherCa = fixture.root().resolve("other-ca.pem");
        new Cli(fixture).run("ca", "init", "--out-cert", otherCa.toString(), "--out-key", otherKey.toString())
                .assertOk();
        CliResult r = renew("rn-07", "--id", old, "--ca-cert", ca.toString(), "--ca-key", otherKey.toString(),
                "--remove-old");
        assertNotEquals(0, r.exitCode(), r.both());
        r.assertOneLineError();
        assertEquals(before, ObjectSnapshot.of(fixture, "rn-07", PIN).toString(), "as before: " + r.both());
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsMade() {
        enroll("rn-08", "ivan", "20", "ec:p256");
        String before = ObjectSnapshot.of(fixture, "rn-08", PIN).toString();
        renew("rn-08", with(localCa())).assertExit(ExitCode.USAGE).assertErrContains("--expiring");
        renew("rn-08", with(localCa(), "--label", "ivan", "--expiring", "30")).assertExit(ExitCode.USAGE)
                .assertErrContains("not both");
        renew("rn-08", with(localCa(), "--label", "ivan", "--same-key", "--key-spec", "rsa:2048"))
                .assertExit(ExitCode.USAGE).assertErrContains("--same-key");
        renew("rn-08", with(localCa(), "--expiring", "-3")).assertExit(ExitCode.INVALID_INPUT)
                .assertOneLineError();
        renew("rn-08", with(localCa(), "--label", "nobody")).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("No key pair or certificate");
        renew("rn-08", "--label", "ivan", "--cmp-server", "http://127.0.0.1:9/pkix/").assertExit(ExitCode.USAGE)
                .assertErrContains("--cmp-trusted");
        renew("rn-08", "--label", "ivan", "--cmp-server", "http://127.0.0.1:9/pkix/", "--cmp-trusted",
                ca.toString(), "--cmp-kur", "01").assertExit(ExitCode.USAGE).assertErrContains("--cmp-kur is for");
        assertEquals(before, ObjectSnapshot.of(fixture, "rn-08", PIN).toString());
    }

    /**
     * Re-keying disabled, over CMP: the key update is for the same key. OpenSSL 3.0's mock
     * answers with the certificate it was started with, here the current one: the renewal
     * then has nothing new to install, and --remove-old must not take the certificate that
     * is both the old and the new one.
     */
    @Test
    void overCmpTheSameKeyAndACaThatAnswersWithTheSameCertificate() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture)) {
            CmpFixture.Holder current = cmp.holder("rn-06", pin, "kur-same", "ec:p256");
            new Cli(fixture).run("import-cert", "--token-label", "rn-06", "--pin-file", pin.toString(), "--cert",
                    current.cert().toString()).assertOk();
            Path[] srv = cmp.serverSigner("renew-same-ra");
            org.tokenctl.softhsm.CmpMockServer server = cmp.keyUpdateServer(current.cert(), srv[0], srv[1],
                    cmp.caPem());
            List<String> before = objectsWithId("rn-06", current.id());
            JsonNode r = renew("rn-06", "--id", current.id(), "--same-key", "--remove-old", "--cmp-server",
                    server.url(), "--cmp-trusted", cmp.caPem().toString(), "--json").assertOk().json();
            JsonNode renewed = r.get("renewed").get(0);
            assertEquals(current.id(), renewed.get("key").get("id").asText());
            assertEquals(0, renewed.get("removed").size(), renewed.toString());
            assertEquals(before, objectsWithId("rn-06", current.id()), "the pair and its one certificate stay");
            assertEquals(2, server.requests(), "kur, then certConf: " + server.output());
        }
    }
}
