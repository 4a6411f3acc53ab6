package org.tokenctl.core.cert;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;

/** RFC 5280's rules for serial numbers and CA certificates, on certificates built to break them. */
class ConformingCertificatesTest {

    private static KeyPair key;
    private static final Instant NOW = Instant.now();

    @BeforeAll
    static void key() throws Exception {
        key = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
    }

    private static X509CertificateHolder v3(BigInteger serial, boolean ca) throws Exception {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(new X500Name("CN=Issuer"), serial,
                Date.from(NOW.minus(1, ChronoUnit.DAYS)), Date.from(NOW.plus(30, ChronoUnit.DAYS)),
                new X500Name("CN=Subject"), SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    private static X509CertificateHolder v1(BigInteger serial) throws Exception {
        return new X509v1CertificateBuilder(new X500Name("CN=Old CA"), serial, Date.from(NOW.minus(1, ChronoUnit.DAYS)),
                Date.from(NOW.plus(30, ChronoUnit.DAYS)), new X500Name("CN=Old CA"),
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    @Test
    void aPositiveSerialIsTakenAndZeroOrNegativeIsNot() throws Exception {
        assertDoesNotThrow(() -> Certificates.requirePositiveSerial(v3(BigInteger.ONE, false), "cert"));
        InvalidInputException zero = assertThrows(InvalidInputException.class,
                () -> Certificates.requirePositiveSerial(v3(BigInteger.ZERO, false), "cert"));
        assertEquals("The certificate 'CN=Subject' has a zero serial number; RFC 5280 section 4.1.2.2 requires a"
                + " positive integer", zero.getMessage());
        assertEquals("cert", zero.field());
        InvalidInputException negative = assertThrows(InvalidInputException.class,
                () -> Certificates.requirePositiveSerial(v3(BigInteger.valueOf(-1), false), "chain"));
        assertTrue(negative.getMessage().contains("has a negative serial number"), negative.getMessage());
        assertEquals("chain", negative.field());
    }

    @Test
    void aHolderCertificateWithAZeroSerialIsNotUsable() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Certificates.requireUsableHolderCertificate(v3(BigInteger.ZERO, false), NOW));
        assertTrue(e.getMessage().contains("zero serial number"), e.getMessage());
    }

    @Test
    void aCaMustBeVersion3WithAPositiveSerial() throws Exception {
        assertDoesNotThrow(() -> Certificates.requireConformingCa(v3(BigInteger.TEN, true), "ca-cert"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Certificates.requireConformingCa(v1(BigInteger.TEN), "ca-cert"));
        assertTrue(e.getMessage().contains("is a version 1 certificate; RFC 5280"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> Certificates.requireConformingCa(v3(BigInteger.ZERO, true), "ca-cert"));
    }
}
