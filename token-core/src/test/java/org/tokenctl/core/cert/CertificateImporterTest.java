package org.tokenctl.core.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Importing certificates for keys that pkcs11-tool made, certificates that
 * OpenSSL issued: the key is found by its public key, whatever its CKA_ID.
 */
@ExtendWith(SoftHsmExtension.class)
class CertificateImporterTest {

    private static final String TOKEN = "import";
    private static final String PIN = "864200";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static OpenToken token;
    private static TokenSession session;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        f.initToken(TOKEN, "so-pin-4", PIN);
        keygen("EC:prime256v1", "0e01", "ec-key");
        keygen("rsa:2048", "0e02", "rsa-key");
        keygen("rsa:2048", "0e03", "other-rsa"); // a second RSA key: the finder must pick by modulus
        // an RSA private key whose public key object is gone: found by its own modulus
        f.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--delete-object", "--type", "pubkey",
                "--id", "0e02").assertOk();
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.pem").toString(), "-days", "30", "-subj",
                "/CN=Import CA");
        token = OpenToken.open(f, TOKEN, PIN);
        session = token.session();
    }

    @AfterAll
    static void tearDown() {
        token.close();
    }

    private static void keygen(String type, String id, String label) {
        fixture.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--keypairgen", "--key-type", type,
                "--id", id, "--label", label).assertOk();
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    /** OpenSSL issues a certificate for a public key it read from the token through its pkcs11 engine. */
    private static X509CertificateHolder opensslCertFor(String pubPem, String cn) throws Exception {
        Path pub = Files.writeString(dir.resolve(cn + ".pub"), pubPem);
        Path out = dir.resolve(cn + ".pem");
        openssl("x509", "-new", "-subj", "/CN=" + cn, "-force_pubkey", pub.toString(), "-CA",
                dir.resolve("ca.pem").toString(), "-CAkey", dir.resolve("ca.key").toString(), "-days", "10",
                "-out", out.toString());
        return Pem.certificates(out, "cert").get(0);
    }

    @Test
    void anEcKeyIsFoundThroughItsPublicKeyObjectAndTheCertificateGetsItsIdAndLabel() throws Exception {
        X509CertificateHolder cert = opensslCertFor(OpenSsl.publicKeyPem(fixture, TOKEN, "0e01"), "ec-holder");
        CertificateImporter.ImportResult r = CertificateImporter.importCertificate(session, cert, List.of());
        assertEquals("0e01", r.id().hex());
        assertEquals("ec-key", r.label());
        String obj = ObjectSnapshot.of(fixture, TOKEN, PIN).ofKind("Certificate Object").stream()
                .filter(b -> b.contains("label:      ec-key")).findFirst().orElseThrow();
        assertTrue(obj.contains("ID:         0e01"), obj);
        // the key pair (made by pkcs11-tool, with no subject) now carries the certificate's subject
        byte[] subject = cert.getSubject().getEncoded();
        for (long cls : new long[] {Pkcs11.CKO_PRIVATE_KEY, Pkcs11.CKO_PUBLIC_KEY}) {
            long[] keys = session.find(Attributes.ofClass(cls).id(r.id().bytes()));
            assertEquals(1, keys.length);
            assertArrayEquals(subject, session.attributes(keys[0], Pkcs11.CKA_SUBJECT).bytes(Pkcs11.CKA_SUBJECT));
            assertEquals("ec-key", session.attributes(keys[0], Pkcs11.CKA_LABEL).label());
        }

        InvalidInputException dup = assertThrows(InvalidInputException.class,
                () -> CertificateImporter.importCertificate(session, cert, List.of()));
        assertTrue(dup.getMessage().startsWith("The token already holds this certificate 'CN=ec-holder' (serial "),
                dup.getMessage());
    }

    @Test
    void anRsaKeyWithoutItsPublicKeyObjectIsFoundByItsModulusAndTheChainIsInstalled() throws Exception {
        X509CertificateHolder cert = opensslCertFor(rsaPublicKeyOfPrivate(), "rsa-holder");
        X509CertificateHolder ca = Pem.certificates(dir.resolve("ca.pem"), "chain").get(0);
        CertificateImporter.ImportResult r = CertificateImporter.importCertificate(session, cert, List.of(ca));
        assertEquals("0e02", r.id().hex());
        assertTrue(r.chain().get(0).installed());
        assertTrue(ObjectSnapshot.of(fixture, TOKEN, PIN).toString().contains("label:      CN=Import CA"));
    }

    /** The public key of the RSA key 0e02, whose public key object was deleted: read from the private key by the engine. */
    private static String rsaPublicKeyOfPrivate() {
        return OpenSsl.withEngine(fixture, fixture.softhsmModule(), "pkey", "-engine", "pkcs11", "-inform", "engine",
                "-in", OpenSsl.uri(TOKEN, "0e02", "private", PIN), "-pubout").assertOk().stdout();
    }

    @Test
    void aCertificateForNoKeyOnTheTokenOrWithAnUnrelatedChainInstallsNothing() throws Exception {
        Path otherKey = dir.resolve("other.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKey.toString());
        String otherPub = openssl("pkey", "-in", otherKey.toString(), "-pubout");
        X509CertificateHolder stranger = opensslCertFor(otherPub, "stranger");
        ObjectSnapshot before = ObjectSnapshot.of(fixture, TOKEN, PIN);

        CertificateMismatchException e = assertThrows(CertificateMismatchException.class,
                () -> CertificateImporter.importCertificate(session, stranger, List.of()));
        assertEquals("CN=stranger", e.subject());
        assertTrue(e.getMessage().endsWith("matches no private key on the token; nothing was installed"),
                e.getMessage());

        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                dir.resolve("unrelated.key").toString(), "-out", dir.resolve("unrelated.pem").toString(), "-subj",
                "/CN=Unrelated CA");
        X509CertificateHolder ecCert = opensslCertFor(OpenSsl.publicKeyPem(fixture, TOKEN, "0e01"), "ec-2");
        InvalidInputException chain = assertThrows(InvalidInputException.class,
                () -> CertificateImporter.importCertificate(session, ecCert,
                        Pem.certificates(dir.resolve("unrelated.pem"), "chain")));
        assertEquals("chain", chain.field());
        assertFalse(ObjectSnapshot.of(fixture, TOKEN, PIN).toString().contains("ec-2"));
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN));
    }
}
