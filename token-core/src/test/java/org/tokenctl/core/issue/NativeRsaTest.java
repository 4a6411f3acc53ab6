package org.tokenctl.core.issue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.module.NssSoftoken;

/**
 * The local CA's RSA signatures in NSS's softoken: the same certificate bytes
 * as the JDK's, made with the key NSS holds, the JDK again whenever NSS cannot sign,
 * and the rule that decides when NSS is started. Needs NSS (Debian package libnss3,
 * which OpenJDK depends on).
 */
class NativeRsaTest {

    private static KeyPair ca;
    private static KeyPair other;
    private static KeyPair holder;

    @BeforeAll
    static void keys() throws Exception {
        ca = SoftwareKeyGenerator.generate(KeySpec.RSA_2048);
        other = SoftwareKeyGenerator.generate(KeySpec.RSA_2048);
        holder = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(NativeRsa.PROPERTY);
    }

    /** The same certificate each time it is asked for: fixed serial and dates. */
    private static X509v3CertificateBuilder certificate() {
        return new X509v3CertificateBuilder(new X500Name("CN=Native RSA CA"), BigInteger.valueOf(4711),
                new Date(1_800_000_000_000L), new Date(1_830_000_000_000L), new X500Name("CN=holder"),
                SubjectPublicKeyInfo.getInstance(holder.getPublic().getEncoded()));
    }

    private static boolean signedBy(X509CertificateHolder cert, PublicKey key) throws Exception {
        return cert.isSignatureValid(PublicKeys.verifier(SubjectPublicKeyInfo.getInstance(key.getEncoded())));
    }

    private static NativeRsa.NssKey inNss(KeyPair pair) {
        NativeRsa.NssKey k = NativeRsa.importKey((RSAPrivateCrtKey) pair.getPrivate(),
                NssSoftoken.systemDirectories());
        assertNotNull(k, "NSS's softoken (Debian package libnss3) is a test prerequisite: "
                + NssSoftoken.systemDirectories());
        return k;
    }

    @Test
    void nssSignsTheBytesTheJdkSigns() throws Exception {
        CaSigning.Key key = new CaSigning.Key(ca.getPrivate());
        X509CertificateHolder byJdk = key.sign(certificate());
        key.useNative(inNss(ca));
        assertTrue(key.awaitNative());
        X509CertificateHolder byNss = key.sign(certificate());
        assertArrayEquals(byJdk.getEncoded(), byNss.getEncoded(), "PKCS#1 v1.5 signatures are deterministic");
        assertTrue(signedBy(byNss, ca.getPublic()));
    }

    @Test
    void onceImportedTheKeyInNssSigns() throws Exception {
        // NSS holding another key than the JDK's shows which of the two signed
        CaSigning.Key key = new CaSigning.Key(ca.getPrivate());
        key.useNative(inNss(other));
        X509CertificateHolder cert = key.sign(certificate());
        assertTrue(signedBy(cert, other.getPublic()), "signed in NSS");
        assertFalse(signedBy(cert, ca.getPublic()));
    }

    @Test
    void whenNssCannotSignTheJdkSignsThatCertificateAndTheRest() throws Exception {
        // a key removed from NSS makes no signature
        NativeRsa.NssKey removed = inNss(other);
        removed.key().close();
        CaSigning.Key key = new CaSigning.Key(ca.getPrivate());
        key.useNative(removed);
        assertTrue(signedBy(key.sign(certificate()), ca.getPublic()));
        assertFalse(key.awaitNative(), "NSS is given up");
        assertTrue(signedBy(key.sign(certificate()), ca.getPublic()));
    }

    @Test
    void withoutNssNothingIsImported(@TempDir Path empty) {
        assertNull(NativeRsa.importKey((RSAPrivateCrtKey) ca.getPrivate(), List.of(empty)));
    }

    @Test
    void aBatchImportsTheKeyWhenThePropertyAsksForIt() throws Exception {
        System.setProperty(NativeRsa.PROPERTY, "true");
        CaSigning.Key key = new CaSigning.Key(ca.getPrivate());
        assertFalse(key.awaitNative(), "nothing before a batch is announced");
        key.expect(2);
        assertTrue(key.awaitNative());
    }

    @Test
    void whenNssIsWorthStarting() throws Exception {
        System.setProperty(NativeRsa.PROPERTY, "false");
        assertFalse(NativeRsa.worthIt(1000));
        CaSigning.Key key = new CaSigning.Key(ca.getPrivate());
        key.expect(1000);
        assertFalse(key.awaitNative(), "turned off");

        System.setProperty(NativeRsa.PROPERTY, "true");
        assertTrue(NativeRsa.worthIt(1));
        assertFalse(NativeRsa.worthIt(0));
        CaSigning.Key ecKey = new CaSigning.Key(SoftwareKeyGenerator.generate(KeySpec.EC_P256).getPrivate());
        ecKey.expect(1000);
        assertFalse(ecKey.awaitNative(), "only RSA keys");

        System.clearProperty(NativeRsa.PROPERTY);
        assertFalse(NativeRsa.worthIt(NativeRsa.WORTH_FROM - 1), "too few to pay for NSS's start");
        // this JVM compiles with C2 (the tests' default flags), where the JDK's RSA beats NSS's
        assumeFalse(System.getProperty("java.vm.info", "").contains("emulated-client"));
        assertFalse(NativeRsa.worthIt(1000));
    }
}
