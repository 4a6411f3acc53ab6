package org.tokenctl.core.issue;

import java.io.IOException;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.key.CryptoProvider;

/** What the local CA and the demo CA share: serials, validity, software signing, key identifiers. */
final class CaSigning {

    /** Validity limit for anything tokenctl issues: 100 years keeps dates far from overflow. */
    static final int MAX_DAYS = 36500;

    private static final SecureRandom RANDOM = new SecureRandom();

    private CaSigning() {
    }

    /**
     * RFC 5280 section 4.1.2.2: positive, at most 20 octets, unpredictable (CA/B
     * Forum BR 7.1: at least 64 random bits). 16 random bytes with the top bit
     * cleared: positive, and 16 octets in DER.
     */
    static BigInteger randomSerial() {
        byte[] b = new byte[16];
        BigInteger serial;
        do {
            RANDOM.nextBytes(b);
            b[0] &= 0x7F;
            serial = new BigInteger(1, b);
        } while (serial.signum() == 0);
        return serial;
    }

    /**
     * @param days validity in days
     * @throws InvalidInputException if it is not between 1 and {@link #MAX_DAYS}
     */
    static void checkDays(int days) throws InvalidInputException {
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidInputException("days", "A certificate's validity must be 1 to " + MAX_DAYS
                    + " days; got " + days, Remedy.VALIDITY, null);
        }
    }

    /** Validity starts at the current second (no back-dating: the holder's clock is the CA's clock). */
    static Instant notBefore(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    static Instant notAfter(Instant notBefore, int days) {
        return notBefore.plus(days, ChronoUnit.DAYS);
    }

    /**
     * @param key a software CA key
     * @return the signature algorithm for it: SHA-256 with RSA and P-256, SHA-384 with P-384, SHA-512 with P-521,
     *         SM3withSM2 with an SM2 key
     * @throws InvalidInputException for other key types
     */
    static String signatureAlgorithm(PrivateKey key) throws InvalidInputException {
        String alg = key.getAlgorithm();
        if ("RSA".equals(alg)) {
            return "SHA256withRSA";
        }
        if (("EC".equals(alg) || "ECDSA".equals(alg)) && key instanceof ECKey
                && ((ECKey) key).getParams() instanceof org.bouncycastle.jce.spec.ECNamedCurveSpec named
                && "sm2p256v1".equals(named.getName())) {
            // an SM2 CA key signs SM3withSM2 (BouncyCastle: the default user ID 1234567812345678)
            return "SM3withSM2";
        }
        if (("EC".equals(alg) || "ECDSA".equals(alg)) && key instanceof ECKey) {
            int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
        }
        if ("Ed25519".equals(alg) || "EdDSA".equals(alg)) {
            return "Ed25519";
        }
        throw new InvalidInputException("ca-key", "Unsupported CA key type " + alg + " (RSA, EC, SM2 or Ed25519)");
    }

    static X509CertificateHolder sign(X509v3CertificateBuilder builder, PrivateKey key) throws InvalidInputException {
        return builder.build(new Key(key).signer());
    }

    static X509CertificateHolder sign(X509v3CertificateBuilder builder, Key key) throws InvalidInputException {
        return key.sign(builder);
    }

    /**
     * @param key a software CA key
     * @return a signer with the algorithm {@link #signatureAlgorithm} picks, for certificates and CRLs
     * @throws InvalidInputException if the key cannot sign
     */
    static ContentSigner signer(PrivateKey key) throws InvalidInputException {
        return new Key(key).signer();
    }

    /**
     * A software CA key with what signing needs worked out once: a local CA signs every
     * certificate of a batch with the same key. Immutable; each {@link #signer} is new
     * (a signer is not thread-safe).
     *
     * <p>ECDSA goes through BouncyCastle's lightweight API with the key converted here
     * once: through the JCA, every signature converted the key again and looked the
     * provider up, about as much work as the signature itself in a batch's young JVM
     * (0.51 against 0.25 ms per certificate under C1). RSA signs with the JDK's own
     * provider (BouncyCastle validates each RSA key it is handed and checks its own CRT
     * result); SM2 and Ed25519 with the BC provider. For a batch in a C1-only JVM, an RSA
     * key signs certificates in native code once {@link #expect} has imported it into NSS
     * ({@link NativeRsa}); until then, and if that fails, the JDK signs.
     */
    static final class Key {
        private final PrivateKey key;
        private final String algorithm;
        /** The ECDSA key in BouncyCastle's lightweight form, or null for the other algorithms. */
        private final AsymmetricKeyParameter ecdsa;
        /** The RSA key's import into NSS, once asked for ({@link #expect}); null before. */
        private volatile CompletableFuture<NativeRsa.NssKey> nss;

        /**
         * @param key a software CA key
         * @throws InvalidInputException if it is of a type tokenctl cannot sign with
         */
        Key(PrivateKey key) throws InvalidInputException {
            this.key = key;
            this.algorithm = signatureAlgorithm(key);
            if (algorithm.endsWith("withECDSA")) {
                try {
                    this.ecdsa = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(key.getEncoded()));
                } catch (IOException | RuntimeException e) {
                    throw new InvalidInputException("ca-key", "Cannot sign with the CA key: its encoding is not"
                            + " a usable EC private key", e);
                }
            } else {
                this.ecdsa = null;
            }
        }

        /** @return the JCA key */
        PrivateKey privateKey() {
            return key;
        }

        /**
         * Whether an RSA key with its CRT parameters is the private half of a public key,
         * checked by arithmetic ({@link RsaKeyCheck}) instead of a signature.
         *
         * @param spki the certificate's public key
         * @return whether they match; null when this is not an RSA key with CRT parameters
         */
        Boolean rsaHalvesMatch(SubjectPublicKeyInfo spki) {
            return key instanceof RSAPrivateCrtKey k && algorithm.endsWith("withRSA")
                    ? RsaKeyCheck.halvesMatch(k, spki) : null;
        }

        /**
         * Prepares for this many certificates: an RSA key is imported into NSS on another
         * thread when native signatures pay for that many ({@link NativeRsa#worthIt}).
         *
         * @param certificates how many are expected
         */
        void expect(int certificates) {
            if (algorithm.endsWith("withRSA") && nss == null && NativeRsa.worthIt(certificates)) {
                synchronized (this) {
                    if (nss == null) {
                        nss = NativeRsa.importAsync(key);
                    }
                }
            }
        }

        /**
         * Waits for the RSA key's import into NSS (tests; signing never waits).
         *
         * @return whether certificates are now signed in NSS
         */
        boolean awaitNative() {
            CompletableFuture<NativeRsa.NssKey> f = nss;
            return f != null && f.join() != null;
        }

        /** Uses this NSS key from now on (tests: an imported one, or one that cannot sign for the fall-back). */
        void useNative(NativeRsa.NssKey nssKey) {
            nss = CompletableFuture.completedFuture(nssKey);
        }

        /**
         * Signs a certificate: in NSS when the key is there, else (and if NSS fails, from then
         * on) with the signer {@link #signer} gives.
         *
         * @param builder the certificate
         * @return the signed certificate
         * @throws InvalidInputException if the key cannot sign
         */
        X509CertificateHolder sign(X509v3CertificateBuilder builder) throws InvalidInputException {
            CompletableFuture<NativeRsa.NssKey> f = nss;
            NativeRsa.NssKey n = f == null ? null : f.getNow(null); // never waits; never completed exceptionally
            if (n != null) {
                try {
                    return builder.build(n.signer());
                } catch (RuntimeException e) {
                    // the JDK signs this one and the rest: NSS is an optimisation, never a failure
                    nss = CompletableFuture.completedFuture(null);
                    System.getLogger(CaSigning.class.getName()).log(System.Logger.Level.DEBUG,
                            "NSS could not sign with the CA key (" + e + "); the JDK signs from now on");
                }
            }
            try {
                return builder.build(signer());
            } catch (RuntimeOperatorException e) {
                throw cannotSign(e);
            }
        }

        /**
         * @return a new signer
         * @throws InvalidInputException if the key cannot sign
         */
        ContentSigner signer() throws InvalidInputException {
            try {
                if (ecdsa != null) {
                    AlgorithmIdentifier sig = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
                    return new BcECContentSignerBuilder(sig, new DefaultDigestAlgorithmIdentifierFinder().find(sig))
                            .build(ecdsa);
                }
                JcaContentSignerBuilder b = new JcaContentSignerBuilder(algorithm);
                return (algorithm.endsWith("withRSA") ? b : b.setProvider(CryptoProvider.BC)).build(key);
            } catch (OperatorCreationException e) {
                throw new InvalidInputException("ca-key", "Cannot sign with the CA key: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What a signature the CA key could not make becomes: for one, the JDK checks an RSA
     * signature made with the CRT parameters and refuses one that does not verify (a key
     * whose parameters do not fit together).
     *
     * @param e the signer's failure, from a builder's {@code build}
     * @return the exception to throw (the JDK's reason, no key material)
     */
    static InvalidInputException cannotSign(RuntimeOperatorException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new InvalidInputException("ca-key", "The CA key could not sign ("
                + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage())
                + "): is the key file damaged?", e);
    }

    /** RFC 5280 section 4.2.1.2, method 1: SHA-1 of the subjectPublicKey BIT STRING. */
    static SubjectKeyIdentifier keyIdentifier(SubjectPublicKeyInfo spki) {
        return extensionUtils().createSubjectKeyIdentifier(spki);
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
