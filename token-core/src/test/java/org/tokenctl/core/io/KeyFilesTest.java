package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.pin.Pin;

/**
 * Certificates and software keys from files, in every form OpenSSL writes them: what is read,
 * when a password is needed, and what is refused (never quoting the file).
 */
class KeyFilesTest {

    private static final char[] PASSWORD = "s3cret-pw".toCharArray();

    private static KeyPair key;
    private static KeyPair second;
    private static X509CertificateHolder cert;

    @TempDir
    Path dir;

    @BeforeAll
    static void material() throws Exception {
        key = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        second = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        Instant now = Instant.now();
        cert = new X509v3CertificateBuilder(new X500Name("CN=Test CA"), BigInteger.valueOf(7),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)),
                new X500Name("CN=Test CA"), SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    /** The EC private value: encodings differ (with or without the public point), the key does not. */
    private static BigInteger secret(Object k) {
        return ((java.security.interfaces.ECPrivateKey) (k instanceof KeyPair p ? p.getPrivate() : k)).getS();
    }

    /** OpenSSL's traditional "EC PRIVATE KEY" form of a key, as {@code openssl ec} writes it. */
    private Path openssl(String name, Path from, String... options) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "ec", "-in", from.toString(),
                "-out", out.toString()));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        return out;
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private Path pem(String name, Object... objects) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Object o : objects) {
            b.append(Pem.encode(o));
        }
        return write(name, b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static Pin password() {
        return Pin.copyOf(PASSWORD);
    }

    private Path pkcs12(String name, boolean withKey, boolean withSecret) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Certificate c = new JcaX509CertificateConverter().getCertificate(cert);
        if (withKey) {
            ks.setKeyEntry("ca", key.getPrivate(), PASSWORD, new Certificate[] {c});
        } else {
            ks.setCertificateEntry("ca", c);
        }
        if (withSecret) {
            ks.setEntry("aes", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
                    new KeyStore.PasswordProtection(PASSWORD));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, PASSWORD);
        return write(name, out.toByteArray());
    }

    @Test
    void pemEncodesWhatItDecodes() throws Exception {
        String text = Pem.encode(cert);
        assertTrue(text.startsWith("-----BEGIN CERTIFICATE-----"), text);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Pem.encodeBytes(cert));
        assertEquals(List.of(cert), Pem.objects(Pem.encodeBytes(cert)));
        assertEquals(List.of(), Pem.objects(new byte[0]));
        assertThrows(IllegalStateException.class, () -> Pem.encode(new Object()));
    }

    @Test
    void certificatesComeFromPemAmongOtherObjectsOrFromDer() throws Exception {
        Path mixed = pem("mixed.pem", new JcaPKCS8Generator(key.getPrivate(), null), cert, cert);
        assertEquals(List.of(cert, cert), Pem.certificates(mixed, "cert"));
        assertEquals(List.of(cert), Pem.certificates(write("c.der", cert.getEncoded()), "cert"));
    }

    @Test
    void aFileWithoutACertificateSaysWhatItIsNot() throws Exception {
        Path keyOnly = pem("key.pem", new JcaPKCS8Generator(key.getPrivate(), null));
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> Pem.certificates(keyOnly, "cert"));
        assertEquals("cert", none.field());
        assertEquals(keyOnly + " holds no certificate (expected PEM \"-----BEGIN CERTIFICATE-----\" or DER)",
                none.getMessage());
        Path pinFile = write("pin.txt", "24681357\n".getBytes(StandardCharsets.US_ASCII));
        InvalidInputException notDer = assertThrows(InvalidInputException.class,
                () -> Pem.certificates(pinFile, "cert"));
        assertTrue(notDer.getMessage().startsWith(pinFile + " is not a certificate (PEM or DER)"), notDer.getMessage());
        assertFalse(notDer.getMessage().replace(dir.toString(), "").contains("2468"), notDer.getMessage());
    }

    @Test
    void plainPemKeysNeedNoPassword() throws Exception {
        Path pkcs8 = pem("k8.pem", new JcaPKCS8Generator(key.getPrivate(), null));
        Path traditional = openssl("kt.pem", pkcs8);
        Path noPublic = openssl("np.pem", pkcs8, "-no_public");
        assertTrue(Files.readString(noPublic).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        for (Path p : List.of(pkcs8, traditional, noPublic)) {
            assertFalse(PrivateKeyFiles.needsPassword(p, "ca-key"), p.toString());
            PrivateKeyFiles.LoadedKey k = PrivateKeyFiles.read(p, null, "ca-key", "ca-key-password-file");
            assertEquals(secret(key), secret(k.key()));
            assertEquals(List.of(), k.certificates());
        }
    }

    @Test
    void encryptedPemKeysNeedTheirPassword() throws Exception {
        Path pkcs8 = pem("e8.pem", new JcaPKCS8Generator(key.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(CryptoProvider.BC)
                        .setPassword(PASSWORD).build()));
        Path traditional = openssl("et.pem", pem("plain.pem", new JcaPKCS8Generator(key.getPrivate(), null)),
                "-aes256", "-passout", "pass:" + new String(PASSWORD));
        assertTrue(Files.readString(traditional).contains("Proc-Type: 4,ENCRYPTED"));
        for (Path p : List.of(pkcs8, traditional)) {
            assertTrue(PrivateKeyFiles.needsPassword(p, "ca-key"), p.toString());
            try (Pin pw = password()) {
                assertEquals(secret(key), secret(PrivateKeyFiles.read(p, pw, "ca-key", "pw").key()));
            }
            InvalidInputException missing = assertThrows(InvalidInputException.class,
                    () -> PrivateKeyFiles.read(p, null, "ca-key", "pw"));
            assertEquals("pw", missing.field());
            assertEquals(p + " is encrypted: a password is needed", missing.getMessage());
            try (Pin wrong = Pin.wrap("wrong-pw".toCharArray())) {
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> PrivateKeyFiles.read(p, wrong, "ca-key", "pw"));
                assertEquals("pw", e.field());
                assertEquals("Wrong password for " + p + " (or the file is damaged)", e.getMessage());
            }
        }
    }

    /**
     * RSA keys in each PEM form OpenSSL writes are the JDK's own keys, with the same
     * numbers: BouncyCastle's provider would run Miller-Rabin rounds on every modulus
     * (about 30 ms in a batch's young JVM, before its first token).
     */
    @Test
    void rsaPemKeysAreTheJdksKeys() throws Exception {
        RSAPrivateCrtKey expected = (RSAPrivateCrtKey) SoftwareKeyGenerator.generate(KeySpec.RSA_2048).getPrivate();
        Path pkcs8 = pem("rsa-8.pem", new JcaPKCS8Generator(expected, null));
        Path traditional = dir.resolve("rsa-t.pem");
        Process p1 = new ProcessBuilder("openssl", "rsa", "-traditional", "-in", pkcs8.toString(), "-out",
                traditional.toString()).redirectErrorStream(true).start();
        String said = new String(p1.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p1.waitFor(), said);
        assertTrue(Files.readString(traditional).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        Path encrypted = pem("rsa-e.pem", new JcaPKCS8Generator(expected,
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(CryptoProvider.BC)
                        .setPassword(PASSWORD).build()));
        for (Path p : List.of(traditional, pkcs8, encrypted)) {
            try (Pin pw = password()) {
                PrivateKey k = PrivateKeyFiles.read(p, p == encrypted ? pw : null, "ca-key", "pw").key();
                assertFalse(k.getClass().getName().startsWith("org.bouncycastle"), p + ": " + k.getClass());
                RSAPrivateCrtKey crt = (RSAPrivateCrtKey) k;
                assertEquals(expected.getModulus(), crt.getModulus(), p.toString());
                assertEquals(expected.getPrivateExponent(), crt.getPrivateExponent(), p.toString());
                assertEquals(expected.getPrimeP(), crt.getPrimeP(), p.toString());
                assertEquals(expected.getCrtCoefficient(), crt.getCrtCoefficient(), p.toString());
            }
        }
    }

    /**
     * EC keys on the curves the JDK knows are the JDK's keys, so that a batch never
     * instantiates BouncyCastle's provider (about 45 ms of CPU); an SM2 key, which the
     * JDK does not know, is BouncyCastle's. The private value survives either way.
     */
    @Test
    void ecKeysOnTheJdksCurvesAreTheJdksKeys() throws Exception {
        java.security.KeyPairGenerator p521 = java.security.KeyPairGenerator.getInstance("EC");
        p521.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
        Map<String, KeyPair> pairs = Map.of("p256", SoftwareKeyGenerator.generate(KeySpec.EC_P256),
                "p384", SoftwareKeyGenerator.generate(KeySpec.EC_P384), "p521", p521.generateKeyPair(),
                "sm2", SoftwareKeyGenerator.generate(KeySpec.SM2));
        for (Map.Entry<String, KeyPair> e : pairs.entrySet()) {
            Path p = pem(e.getKey() + ".pem", new JcaPKCS8Generator(e.getValue().getPrivate(), null));
            PrivateKey k = PrivateKeyFiles.read(p, null, "ca-key", "pw").key();
            assertEquals(secret(e.getValue()), secret(k), e.getKey());
            assertEquals(!e.getKey().equals("sm2"), !k.getClass().getName().startsWith("org.bouncycastle"),
                    e.getKey() + ": " + k.getClass());
        }
    }

    /** A P-256 key whose private value is 0 or the group order is no key: refused when the file is read. */
    @Test
    void anEcPrivateValueOutsideTheGroupIsRefused() throws Exception {
        BigInteger order = ((java.security.interfaces.ECPrivateKey) key.getPrivate()).getParams().getOrder();
        for (BigInteger d : List.of(BigInteger.ZERO, order, order.add(BigInteger.ONE))) {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    SECObjectIdentifiers.secp256r1), new org.bouncycastle.asn1.sec.ECPrivateKey(256, d));
            Path p = write("d.pem", Pem.encodeBytes(new PemObject("PRIVATE KEY", info.getEncoded())));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> PrivateKeyFiles.read(p, null, "ca-key", "pw"), d.toString());
            assertEquals("ca-key", e.field());
            assertEquals(p + " is not a readable private key (its content is not of that kind)", e.getMessage());
        }
    }

    /** An RSA key whose modulus is even or divisible by 3 is no key: refused when the file is read. */
    @Test
    void anRsaModulusWithASmallFactorIsRefused() throws Exception {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) SoftwareKeyGenerator.generate(KeySpec.RSA_2048).getPrivate();
        for (BigInteger factor : List.of(BigInteger.TWO, BigInteger.valueOf(3), BigInteger.valueOf(211))) {
            PrivateKey bad = java.security.KeyFactory.getInstance("RSA").generatePrivate(
                    new java.security.spec.RSAPrivateCrtKeySpec(k.getModulus().multiply(factor), k.getPublicExponent(),
                            k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(),
                            k.getPrimeExponentQ(), k.getCrtCoefficient()));
            Path p = pem("rsa-" + factor + ".pem", new JcaPKCS8Generator(bad, null));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> PrivateKeyFiles.read(p, null, "ca-key", "pw"), factor.toString());
            assertEquals(p + " is not a readable private key (its content is not of that kind)", e.getMessage());
        }
    }

    @Test
    void aPemFileMustHoldExactlyOneKey() throws Exception {
        Path two = pem("two.pem", new JcaPKCS8Generator(key.getPrivate(), null),
                new JcaPKCS8Generator(second.getPrivate(), null));
        assertEquals(two + " holds 2 private keys; expected one", assertThrows(InvalidInputException.class,
                () -> PrivateKeyFiles.read(two, null, "ca-key", "pw")).getMessage());
        Path none = pem("none.pem", cert);
        assertFalse(PrivateKeyFiles.needsPassword(none, "ca-key"));
        assertEquals(none + " holds 0 private keys; expected one", assertThrows(InvalidInputException.class,
                () -> PrivateKeyFiles.read(none, null, "ca-key", "pw")).getMessage());
        Path broken = write("broken.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PrivateKeyFiles.needsPassword(broken, "ca-key"));
        assertTrue(e.getMessage().startsWith(broken + " is not valid PEM"), e.getMessage());
        assertEquals("ca-key", e.field());
    }

    @Test
    void pkcs12GivesTheKeyAndItsChain() throws Exception {
        Path p12 = pkcs12("ca.p12", true, false);
        assertTrue(PrivateKeyFiles.needsPassword(p12, "ca-key"), "DER is taken for PKCS#12, which has a password");
        try (Pin pw = password()) {
            PrivateKeyFiles.LoadedKey k = PrivateKeyFiles.read(p12, pw, "ca-key", "pw");
            assertEquals(secret(key), secret(k.key()));
            assertEquals(List.of(cert), k.certificates());
        }
        try (Pin wrong = Pin.wrap("wrong-pw".toCharArray())) {
            assertEquals("Wrong password for " + p12 + " (or the file is damaged)", assertThrows(
                    InvalidInputException.class, () -> PrivateKeyFiles.read(p12, wrong, "ca-key", "pw")).getMessage());
        }
        assertEquals(p12 + " is encrypted: a password is needed", assertThrows(InvalidInputException.class,
                () -> PrivateKeyFiles.read(p12, null, "ca-key", "pw")).getMessage());
    }

    @Test
    void aPkcs12FileMustHoldOnePrivateKey() throws Exception {
        Path certOnly = pkcs12("c.p12", false, false);
        try (Pin pw = password()) {
            assertEquals("PKCS#12 file " + certOnly + " holds 0 private keys; expected one", assertThrows(
                    InvalidInputException.class, () -> PrivateKeyFiles.read(certOnly, pw, "ca-key", "pw"))
                    .getMessage());
        }
        Path secretToo = pkcs12("s.p12", true, true);
        try (Pin pw = password()) {
            assertEquals("PKCS#12 file " + secretToo + " holds 2 private keys; expected one", assertThrows(
                    InvalidInputException.class, () -> PrivateKeyFiles.read(secretToo, pw, "ca-key", "pw"))
                    .getMessage());
        }
        Path garbage = write("g.bin", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        try (Pin pw = password()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> PrivateKeyFiles.read(garbage, pw, "ca-key", "pw"));
            assertEquals("ca-key", e.field());
            assertTrue(e.getMessage().startsWith(garbage + " is not "), e.getMessage());
        }
    }
}
