package org.tokenctl.core.key;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * Generates key pairs in software (JCA), for media other than a token: the file
 * medium, and the throwaway demo CA. Such a private key is exportable by nature.
 * Thread-safe.
 */
public final class SoftwareKeyGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SoftwareKeyGenerator() {
    }

    /**
     * @param spec the key spec
     * @return a new key pair (RSA with e = 65537, or EC on the named curve, SM2 on sm2p256v1)
     */
    public static KeyPair generate(KeySpec spec) {
        try {
            KeyPairGenerator g;
            if (spec.algorithm() == KeyAlgorithm.RSA) {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(spec.bits(), KeySpec.RSA_PUBLIC_EXPONENT), RANDOM);
            } else if (spec.algorithm() == KeyAlgorithm.SM2) {
                // the JDK knows no sm2p256v1: BouncyCastle's EC generator on the SM2 curve
                g = KeyPairGenerator.getInstance("EC", CryptoProvider.BC);
                g.initialize(new ECGenParameterSpec(spec.curveName()), RANDOM);
            } else {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(spec.curveName()), RANDOM);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + spec + " keys", e);
        }
    }
}
