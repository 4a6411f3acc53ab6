package org.tokenctl.core.filemedium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The file medium: a PKCS#12 file that OpenSSL and the JDK read, protected the modern way. */
@ExtendWith(SoftHsmExtension.class)
class Pkcs12MediumTest {

    private static final String PASSWORD = "file-pass-42";
    private static SoftHsmFixture fixture;
    private static DemoCa ca;
    private static Path passwordFile;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        ca = DemoCa.create(SubjectName.parse("CN=P12 CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        passwordFile = Files.writeString(f.root().resolve("p12.pw"), PASSWORD + "\n");
    }

    private static EnrollmentRequest request(KeySpec spec) throws Exception {
        return new EnrollmentRequest(spec, spec.signatureAlgorithm(null), null, "alice-file",
                SubjectName.parse("CN=Alice,O=Example Bank"), null, true);
    }

    private static Pin pw(String s) {
        return Pin.wrap(s.toCharArray());
    }

    private static String openssl(String... args) {
        ProcessResult r = OpenSsl.run(fixture, args).assertOk();
        return r.stdout() + r.stderr();
    }

    @Test
    void writesAnOwnerOnlyPkcs12WithPbes2Aes256AndSha256() throws Exception {
        Path out = fixture.root().resolve("alice.p12");
        EnrollmentResult r;
        try (Pin p = pw(PASSWORD)) {
            r = Enrollment.run(new Pkcs12Medium(out, p, false), request(KeySpec.RSA_2048),
                    new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC()));
        }
        assertTrue(r.exportable());
        assertNull(r.verified());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));

        String info = openssl("pkcs12", "-info", "-noout", "-in", out.toString(), "-passin", "file:" + passwordFile);
        assertTrue(info.contains("MAC: sha256, Iteration 100000"), info);
        assertTrue(info.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000,"
                + " PRF hmacWithSHA256"), info);
        assertTrue(info.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000,"
                + " PRF hmacWithSHA256"), info);
        assertFalse(info.contains("RC2") || info.contains("3DES") || info.contains("TripleDES"), info);

        // the key in the file is the certificate's key (openssl), and the chain came along
        Path pem = fixture.root().resolve("alice-out.pem");
        openssl("pkcs12", "-in", out.toString(), "-nodes", "-passin", "file:" + passwordFile, "-out", pem.toString());
        String keyPub = openssl("pkey", "-in", pem.toString(), "-pubout");
        String certPub = openssl("x509", "-in", pem.toString(), "-noout", "-pubkey");
        assertEquals(certPub, keyPub);
        String pemText = Files.readString(pem);
        assertEquals(2, pemText.split("-----BEGIN CERTIFICATE-----", -1).length - 1, "leaf and CA");
        assertTrue(pemText.contains("friendlyName: alice-file"), pemText);
        assertTrue(pemText.contains("localKeyID: " + r.id().hex().toUpperCase().replaceAll("(..)(?!$)", "$1 ")),
                pemText);

        // the JDK reads it with the same password, under the label
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(out)), PASSWORD.toCharArray());
        assertTrue(Collections.list(ks.aliases()).contains("alice-file"), Collections.list(ks.aliases()).toString());
        assertTrue(ks.getKey("alice-file", PASSWORD.toCharArray()) instanceof PrivateKey);
        assertEquals(2, ks.getCertificateChain("alice-file").length);
    }

    @Test
    void refusesShortPasswordsExistingFilesAndDeferredIssuanceWithoutWritingAnything() throws Exception {
        Path out = fixture.root().resolve("refused.p12");
        LocalCa localCa = new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC());
        try (Pin p = pw("short7!")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> Enrollment.run(new Pkcs12Medium(out, p, false), request(KeySpec.EC_P256), localCa));
            assertEquals("The PKCS#12 password must have at least 8 characters", e.getMessage());
        }
        try (Pin p = pw(PASSWORD)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Enrollment.run(
                    new Pkcs12Medium(out, p, false), request(KeySpec.EC_P256),
                    new OfflineIssuer(fixture.root().resolve("p12.csr"), false)));
            assertEquals("medium", e.field());
        }
        assertFalse(Files.exists(out));

        Files.writeString(out, "precious");
        try (Pin p = pw(PASSWORD)) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> Enrollment.run(new Pkcs12Medium(out, p, false), request(KeySpec.EC_P256), localCa));
            assertEquals(out + " already exists; not replacing it", e.getMessage());
            assertEquals("precious", Files.readString(out));
            Enrollment.run(new Pkcs12Medium(out, p, true), request(KeySpec.EC_P256), localCa);
        }
        assertTrue(openssl("pkcs12", "-info", "-noout", "-in", out.toString(), "-passin", "file:" + passwordFile)
                .contains("Shrouded Keybag: PBES2"));
    }
}
