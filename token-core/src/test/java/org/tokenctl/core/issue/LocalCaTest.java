package org.tokenctl.core.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectAltNames;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.PrivateKeyFiles;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The local CA with CAs and key files made by OpenSSL, its certificates read back by OpenSSL. */
@ExtendWith(SoftHsmExtension.class)
class LocalCaTest {

    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path caCert;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        caCert = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-noenc", "-keyout", caKey.toString(), "-out",
                caCert.toString(), "-days", "60", "-subj", "/O=OpenSSL Test/CN=OpenSSL CA");
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    private static Pin pw(String s) {
        return Pin.wrap(s.toCharArray());
    }

    private static CertificateRequest request(KeySpec spec, String cn) throws Exception {
        KeyPair kp = SoftwareKeyGenerator.generate(spec);
        PKCS10CertificationRequest csr = CsrBuilder.build(SubjectName.parse("CN=" + cn + ",O=Example Bank"),
                SubjectAltNames.parse(List.of("email:" + cn + "@example.com", "dns:" + cn + ".example.com")),
                SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()),
                new JcaContentSignerBuilder(spec.signatureAlgorithm(null).jcaName()).build(kp.getPrivate()));
        return new CertificateRequest(csr, null);
    }

    private static Path write(String name, X509CertificateHolder cert) throws Exception {
        return Files.writeString(dir.resolve(name), Pem.encode(cert));
    }

    @Test
    void issuesAClientCertificateThatOpensslVerifiesAgainstTheCa() throws Exception {
        LocalCa ca = LocalCa.load(caCert, caKey, null, 30, Clock.systemUTC());
        ca.preflight();
        Issuance.Issued issued = (Issuance.Issued) ca.issue(request(KeySpec.RSA_2048, "alice"));
        X509CertificateHolder cert = issued.certificate();
        Path leaf = write("alice.pem", cert);

        assertTrue(openssl("verify", "-CAfile", caCert.toString(), "-purpose", "sslclient", leaf.toString())
                .contains("OK"));
        String text = openssl("x509", "-in", leaf.toString(), "-noout", "-text");
        assertTrue(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"), text);
        assertTrue(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment"), text);
        assertTrue(text.contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication"), text);
        assertTrue(text.contains("X509v3 Subject Key Identifier"), text);
        assertTrue(text.contains("X509v3 Authority Key Identifier"), text);
        assertTrue(text.contains("email:alice@example.com, DNS:alice.example.com"), text);
        assertTrue(text.contains("Issuer: O = OpenSSL Test, CN = OpenSSL CA"), text);
        // the authority key id is the CA certificate's subject key id
        String caText = openssl("x509", "-in", caCert.toString(), "-noout", "-ext", "subjectKeyIdentifier");
        String caSki = caText.lines().skip(1).findFirst().orElseThrow().trim();
        assertTrue(text.contains(caSki), caSki + " in " + text);

        assertEquals(1, cert.getSerialNumber().signum());
        assertTrue(cert.getSerialNumber().bitLength() > 64 && cert.getSerialNumber().bitLength() <= 127);
        assertEquals(Duration.ofDays(30), Duration.between(cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant()));
        assertEquals(List.of(ca.certificate()), issued.chain());
    }

    @Test
    void aRequestNotSignedByItsOwnKeyIsRefusedUnlessTheCallerHasCheckedIt() throws Exception {
        // signed by one key, naming another: no proof of possession of the key certified
        KeyPair signing = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        KeyPair named = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        PKCS10CertificationRequest forged = new PKCS10CertificationRequestBuilder(
                SubjectName.parse("CN=mallory"), SubjectPublicKeyInfo.getInstance(named.getPublic().getEncoded()))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signing.getPrivate()));
        LocalCa ca = LocalCa.load(caCert, caKey, null, 10, Clock.systemUTC());

        IssuanceException e = assertThrows(IssuanceException.class,
                () -> ca.issue(new CertificateRequest(forged, null)));
        assertTrue(e.getMessage().contains("does not verify (no proof of possession)"), e.getMessage());
        // a request the enrollment has verified itself (CsrBuilder.build) is not verified again
        assertTrue(ca.issue(new CertificateRequest(forged, null, true)) instanceof Issuance.Issued);
    }

    @Test
    void ecKeysGetDigitalSignatureOnly() throws Exception {
        LocalCa ca = LocalCa.load(caCert, caKey, null, 10, Clock.systemUTC());
        Path leaf = write("ec.pem", ((Issuance.Issued) ca.issue(request(KeySpec.EC_P384, "ec"))).certificate());
        String text = openssl("x509", "-in", leaf.toString(), "-noout", "-text");
        assertTrue(text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"), text);
    }

    @Test
    void encryptedPemAndPkcs12CaKeysNeedTheirPassword() throws Exception {
        Path pw = Files.writeString(dir.resolve("ca.pw"), "ca-password-1");
        Path pkcs8 = dir.resolve("ca-enc.key");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", caKey.toString(), "-out", pkcs8.toString(),
                "-passout", "file:" + pw);
        Path traditional = dir.resolve("ca-trad.key");
        openssl("rsa", "-aes256", "-traditional", "-in", caKey.toString(), "-out", traditional.toString(),
                "-passout", "file:" + pw);
        Path p12 = dir.resolve("ca.p12");
        openssl("pkcs12", "-export", "-inkey", caKey.toString(), "-in", caCert.toString(), "-out", p12.toString(),
                "-passout", "file:" + pw);

        assertFalse(PrivateKeyFiles.needsPassword(caKey, "ca-key"));
        for (Path f : List.of(pkcs8, traditional, p12)) {
            assertTrue(PrivateKeyFiles.needsPassword(f, "ca-key"), f.toString());
            try (Pin right = pw("ca-password-1")) {
                LocalCa ca = LocalCa.load(caCert, f, right, 10, Clock.systemUTC());
                ca.preflight();
                assertTrue(ca.issue(request(KeySpec.EC_P256, "p")) instanceof Issuance.Issued);
            }
            try (Pin wrong = pw("not-the-password")) {
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> LocalCa.load(caCert, f, wrong, 10, Clock.systemUTC()), f.toString());
                assertEquals("ca-password", e.field());
                assertEquals("Wrong password for " + f + " (or the file is damaged)", e.getMessage());
            }
            assertEquals("ca-password", assertThrows(InvalidInputException.class,
                    () -> LocalCa.load(caCert, f, null, 10, Clock.systemUTC())).field());
        }
        // the PKCS#12 file carries the CA certificate too
        try (Pin right = pw("ca-password-1")) {
            assertEquals(SubjectName.format(Pem.certificates(caCert, "x").get(0).getSubject()), SubjectName.format(
                    PrivateKeyFiles.read(p12, right, "ca-key", "ca-password").certificates().get(0).getSubject()));
        }
    }

    /** The CA reads its certificate's dates once, when made: a certificate whose dates cannot be read never gets there. */
    @Test
    void aCaCertificateWithUnreadableDatesIsRefusedWhenLoaded() throws Exception {
        byte[] der = Pem.certificates(caCert, "ca-cert").get(0).getEncoded();
        int at = -1;
        for (int i = 0; i + 1 < der.length && at < 0; i++) {
            if (der[i] == 0x17 && der[i + 1] == 13) { // UTCTime, YYMMDDHHMMSSZ: notBefore
                at = i + 2;
            }
        }
        assertTrue(at > 0, "the certificate has a UTCTime");
        der[at + 2] = '1';
        der[at + 3] = '3';
        Path bad = Files.write(dir.resolve("month13.der"), der);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LocalCa.load(bad, caKey, null, 10, Clock.systemUTC()));
        assertEquals("ca-cert", e.field());
        assertTrue(e.getMessage().endsWith("month13.der is not a certificate (PEM or DER) (its DER encoding is"
                + " malformed or cut short)"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LocalCa.load(dir.resolve("nope.pem"), caKey, null, 10, Clock.systemUTC()));
        assertEquals("ca-cert", e.field());
        assertEquals("Certificate file " + dir.resolve("nope.pem") + " does not exist", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> LocalCa.load(caCert, dir.resolve("nope.key"), null, 10, Clock.systemUTC()));
        assertEquals("Key file " + dir.resolve("nope.key") + " does not exist", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> LocalCa.load(caKey, caKey, null, 10, Clock.systemUTC()));
        assertTrue(e.getMessage().endsWith("holds no certificate (expected PEM \"-----BEGIN CERTIFICATE-----\" or DER)"),
                e.getMessage());
    }

    @Test
    void preflightRefusesWhatCouldNotWork() throws Exception {
        Path otherKey = dir.resolve("other.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKey.toString());
        IssuanceException e = assertThrows(IssuanceException.class,
                () -> LocalCa.load(caCert, otherKey, null, 10, Clock.systemUTC()).preflight());
        assertTrue(e.getMessage().startsWith("The CA key does not match the CA certificate"), e.getMessage());

        e = assertThrows(IssuanceException.class,
                () -> LocalCa.load(caCert, caKey, null, 365, Clock.systemUTC()).preflight());
        assertTrue(e.getMessage().startsWith("The CA certificate expires on "), e.getMessage());
        assertTrue(e.getMessage().endsWith("use a shorter validity or a newer CA"), e.getMessage());
        assertEquals(Optional.of(Remedy.VALIDITY), e.remedy());

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(90)), ZoneOffset.UTC);
        e = assertThrows(IssuanceException.class, () -> LocalCa.load(caCert, caKey, null, 1, later).preflight());
        assertTrue(e.getMessage().startsWith("The CA certificate is not valid now"), e.getMessage());

        // a leaf certificate is not a CA
        LocalCa real = LocalCa.load(caCert, caKey, null, 10, Clock.systemUTC());
        X509CertificateHolder leaf = ((Issuance.Issued) real.issue(request(KeySpec.EC_P256, "leaf"))).certificate();
        e = assertThrows(IssuanceException.class, () -> LocalCa.load(write("leaf.pem", leaf), caKey, null, 1,
                Clock.systemUTC()).preflight());
        assertTrue(e.getMessage().contains("is not a CA certificate"), e.getMessage());

        assertEquals("days", assertThrows(InvalidInputException.class,
                () -> LocalCa.load(caCert, caKey, null, 0, Clock.systemUTC())).field());
    }

    @Test
    void aVersion1CertificateIsNeverACa() throws Exception {
        // RFC 5280 4.1.2.1 and 4.2.1.9: only a version 3 certificate carries basicConstraints CA:TRUE
        Path v1Key = dir.resolve("v1.key");
        Path v1Root = dir.resolve("v1-root.pem");
        Path rootCsr = dir.resolve("v1-root.csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                v1Key.toString(), "-subj", "/CN=v1 root", "-out", rootCsr.toString());
        openssl("x509", "-req", "-in", rootCsr.toString(), "-key", v1Key.toString(), "-days", "30", "-out",
                v1Root.toString());
        assertTrue(openssl("x509", "-in", v1Root.toString(), "-noout", "-text").contains("Version: 1 (0x0)"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LocalCa.load(v1Root, v1Key, null, 10, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("is a version 1 certificate"), e.getMessage());
        assertEquals("ca-cert", e.field());

        Path csr = dir.resolve("v1-sub.csr");
        Path v1Sub = dir.resolve("v1-sub.pem");
        openssl("req", "-new", "-key", v1Key.toString(), "-subj", "/CN=v1 sub", "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-days", "10", "-out", v1Sub.toString());
        assertTrue(openssl("x509", "-in", v1Sub.toString(), "-noout", "-text").contains("Version: 1 (0x0)"));
        e = assertThrows(InvalidInputException.class, () -> LocalCa.load(v1Sub, v1Key, null, 5, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("is a version 1 certificate"), e.getMessage());
    }

    @Test
    void aCaCertificateWithANonPositiveSerialIsRefused() throws Exception {
        Path key = dir.resolve("zero.key");
        Path cert = dir.resolve("zero.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                key.toString(), "-subj", "/CN=zero", "-set_serial", "0", "-days", "30", "-out", cert.toString());
        assertTrue(openssl("x509", "-in", cert.toString(), "-noout", "-serial").contains("serial=00"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LocalCa.load(cert, key, null, 10, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("has a zero serial number"), e.getMessage());
    }
}
