package org.tokenctl.core.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;

/**
 * The local CA checks an RSA key with CRT parameters against its certificate by
 * arithmetic instead of a probe signature: each parameter that does not fit is found
 * before any token is touched, and a key crafted to pass (a three-prime modulus split
 * into a composite "p" and a prime "q") still issues nothing: the JDK refuses the
 * signature, and were it made, the first certificate's own check would refuse it.
 */
class RsaCaKeyCheckTest {

    private static KeyPair ca;
    private static X509CertificateHolder caCert;

    @BeforeAll
    static void setUp() throws Exception {
        ca = SoftwareKeyGenerator.generate(KeySpec.RSA_2048);
        caCert = caCertificate(ca, ca.getPrivate());
    }

    /** A CA certificate for a key pair's public key, signed by whatever key is given. */
    private static X509CertificateHolder caCertificate(KeyPair subject, PrivateKey signer) throws Exception {
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(new X500Name("CN=Arithmetic CA"),
                BigInteger.valueOf(99), new Date(now - 60_000), new Date(now + 30L * 86_400_000),
                new X500Name("CN=Arithmetic CA"), SubjectPublicKeyInfo.getInstance(subject.getPublic().getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer));
    }

    private static RSAPrivateCrtKey crt(KeyPair pair) {
        return (RSAPrivateCrtKey) pair.getPrivate();
    }

    private static PrivateKey key(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q, BigInteger dp,
                                  BigInteger dq, BigInteger qInv) throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qInv));
    }

    private static Boolean matches(PrivateKey key) throws Exception {
        return new CaSigning.Key(key).rsaHalvesMatch(caCert.getSubjectPublicKeyInfo());
    }

    @Test
    void eachParameterThatDoesNotFitIsFound() throws Exception {
        RSAPrivateCrtKey k = crt(ca);
        BigInteger n = k.getModulus();
        BigInteger e = k.getPublicExponent();
        BigInteger d = k.getPrivateExponent();
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        BigInteger dp = k.getPrimeExponentP();
        BigInteger dq = k.getPrimeExponentQ();
        BigInteger qi = k.getCrtCoefficient();
        BigInteger two = BigInteger.TWO;
        assertEquals(Boolean.TRUE, matches(k));
        assertEquals(Boolean.FALSE, matches(key(n.add(two), e, d, p, q, dp, dq, qi)), "modulus");
        assertEquals(Boolean.FALSE, matches(key(n, BigInteger.valueOf(3), d, p, q, dp, dq, qi)), "exponent");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, p.add(two), q, dp, dq, qi)), "p");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, p, q.add(two), dp, dq, qi)), "q");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, p, q, dp.add(two), dq, qi)), "dP");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, p, q, dp, dq.add(two), qi)), "dQ");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, p, q, dp, dq, qi.add(BigInteger.ONE))), "qInv");
        assertEquals(Boolean.FALSE, matches(key(n, e, d, q, p, dq, dp, qi)), "p and q swapped, qInv not");

        assertEquals(Boolean.FALSE, matches(SoftwareKeyGenerator.generate(KeySpec.RSA_2048).getPrivate()),
                "another key");
    }

    /** Any RSAPrivateCrtKey, as a provider or a caller could make it: the JDK's key factory mends some. */
    private static RSAPrivateCrtKey raw(BigInteger n, BigInteger e, BigInteger p, BigInteger q, BigInteger dp,
                                        BigInteger dq, BigInteger qInv) {
        return new RSAPrivateCrtKey() {
            @Override public BigInteger getPublicExponent() { return e; }
            @Override public BigInteger getPrimeP() { return p; }
            @Override public BigInteger getPrimeQ() { return q; }
            @Override public BigInteger getPrimeExponentP() { return dp; }
            @Override public BigInteger getPrimeExponentQ() { return dq; }
            @Override public BigInteger getCrtCoefficient() { return qInv; }
            @Override public BigInteger getPrivateExponent() { return BigInteger.ONE; }
            @Override public BigInteger getModulus() { return n; }
            @Override public String getAlgorithm() { return "RSA"; }
            @Override public String getFormat() { return null; }
            @Override public byte[] getEncoded() { return null; }
        };
    }

    @Test
    void degenerateParametersAreRefusedNotDividedBy() {
        RSAPrivateCrtKey k = crt(ca);
        BigInteger n = k.getModulus();
        BigInteger e = k.getPublicExponent();
        SubjectPublicKeyInfo spki = caCert.getSubjectPublicKeyInfo();
        BigInteger one = BigInteger.ONE;
        // p = 1 and q = n (or the other way round) multiply to n; p - 1 = 0 must never be a modulus
        assertEquals(Boolean.FALSE, RsaKeyCheck.halvesMatch(raw(n, e, one, n, one, one, one), spki));
        // (with dP fitting p = n, so that only q's own check stands before q - 1 = 0)
        assertEquals(Boolean.FALSE, RsaKeyCheck.halvesMatch(raw(n, e, n, one, e.modInverse(n.subtract(one)), one,
                one), spki));
        // a parameter of zero or below: not a CRT key at all, so only a signature can tell
        assertNull(RsaKeyCheck.halvesMatch(raw(n, e, k.getPrimeP(), k.getPrimeQ(), BigInteger.ZERO,
                k.getPrimeExponentQ(), k.getCrtCoefficient()), spki));
        assertNull(RsaKeyCheck.halvesMatch(raw(n, e, k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(),
                k.getPrimeExponentQ(), BigInteger.valueOf(-1)), spki));
        assertNull(RsaKeyCheck.halvesMatch(raw(n, null, k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(),
                k.getPrimeExponentQ(), k.getCrtCoefficient()), spki));
    }

    @Test
    void aPublicKeyThatIsNoRsaKeyIsNoMatch() throws Exception {
        RSAPrivateCrtKey k = crt(ca);
        assertEquals(Boolean.FALSE, RsaKeyCheck.halvesMatch(k,
                SubjectPublicKeyInfo.getInstance(holder().getPublic().getEncoded())), "an EC key");
        SubjectPublicKeyInfo garbled = new SubjectPublicKeyInfo(caCert.getSubjectPublicKeyInfo().getAlgorithm(),
                new byte[] {1, 2, 3});
        assertEquals(Boolean.FALSE, RsaKeyCheck.halvesMatch(k, garbled), "rsaEncryption over bytes that are no key");
    }

    private static KeyPair holder() throws Exception {
        return SoftwareKeyGenerator.generate(KeySpec.EC_P256);
    }

    @Test
    void onlyAnRsaKeyWithCrtParametersIsCheckedThisWay() throws Exception {
        RSAPrivateCrtKey k = crt(ca);
        PrivateKey noCrt = KeyFactory.getInstance("RSA").generatePrivate(
                new RSAPrivateKeySpec(k.getModulus(), k.getPrivateExponent()));
        assertNull(matches(noCrt), "a signature tells");
        assertNull(matches(SoftwareKeyGenerator.generate(KeySpec.EC_P256).getPrivate()));
    }

    @Test
    void theWrongKeyIsRefusedBeforeAnyToken() throws Exception {
        LocalCa wrong = new LocalCa(caCert, SoftwareKeyGenerator.generate(KeySpec.RSA_2048).getPrivate(), 10,
                Clock.systemUTC());
        IssuanceException e = assertThrows(IssuanceException.class, wrong::preflight);
        assertTrue(e.getMessage().startsWith("The CA key does not match the CA certificate (its RSA modulus"),
                e.getMessage());
        new LocalCa(caCert, ca.getPrivate(), 10, Clock.systemUTC()).preflight();
    }

    /** n = P * Q * R, given as p = P * Q and q = R: every equation holds, no signature verifies. */
    @Test
    void aKeyThatFoolsTheArithmeticIssuesNothing() throws Exception {
        SecureRandom random = new SecureRandom();
        BigInteger e = BigInteger.valueOf(65537);
        BigInteger bigP;
        BigInteger q;
        BigInteger n;
        BigInteger dp;
        BigInteger dq;
        while (true) {
            BigInteger a = BigInteger.probablePrime(683, random);
            BigInteger b = BigInteger.probablePrime(683, random);
            q = BigInteger.probablePrime(683, random);
            bigP = a.multiply(b);
            n = bigP.multiply(q);
            try {
                dp = e.modInverse(bigP.subtract(BigInteger.ONE));
                dq = e.modInverse(q.subtract(BigInteger.ONE));
                break;
            } catch (ArithmeticException notInvertible) {
                // e shares a factor with p - 1 or q - 1: other primes
            }
        }
        BigInteger qInv = q.modInverse(bigP);
        PrivateKey crafted = key(n, e, dp, bigP, q, dp, dq, qInv);
        KeyPair pair = new KeyPair(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)), crafted);
        X509CertificateHolder cert = caCertificate(pair, ca.getPrivate());
        assertEquals(Boolean.TRUE, new CaSigning.Key(crafted).rsaHalvesMatch(cert.getSubjectPublicKeyInfo()));

        LocalCa localCa = new LocalCa(cert, crafted, 10, Clock.systemUTC());
        localCa.preflight(); // the arithmetic holds
        KeyPair holder = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        PKCS10CertificationRequest csr = CsrBuilder.build(SubjectName.parse("CN=holder"), null,
                SubjectPublicKeyInfo.getInstance(holder.getPublic().getEncoded()),
                new JcaContentSignerBuilder("SHA256withECDSA").build(holder.getPrivate()));
        // the JDK checks its CRT result: the signature is refused, a clear error, no certificate
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> localCa.issue(new CertificateRequest(csr, null)));
        assertEquals("ca-key", refused.field());
        assertEquals("The CA key could not sign (RSA private key operation failed): is the key file damaged?",
                refused.getMessage());
    }
}
