package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tokenctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PublicKeys#verifier} takes RSA keys to the JDK's provider, ECDSA keys to
 * BouncyCastle's lightweight API and SM2 keys to BouncyCastle's provider: every way, a
 * good signature verifies and a signature over other data or by another key does not.
 */
class PublicKeysVerifierTest {

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = {"RSA_2048", "EC_P256", "EC_P384", "SM2"})
    void verifiesWhatTheKeySignedAndNothingElse(KeySpec spec) throws Exception {
        KeyPair kp = SoftwareKeyGenerator.generate(spec);
        ContentSigner signer = new JcaContentSignerBuilder(spec.signatureAlgorithm(null).jcaName())
                .setProvider(CryptoProvider.BC).build(kp.getPrivate());
        byte[] data = "tokenctl request".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = signer.getOutputStream()) {
            out.write(data);
        }
        byte[] signature = signer.getSignature();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());

        assertTrue(verify(spki, signer, data, signature), spec + ": the key's own signature");
        byte[] other = data.clone();
        other[0] ^= 1;
        assertFalse(verify(spki, signer, other, signature), spec + ": a signature over other data");
        KeyPair stranger = SoftwareKeyGenerator.generate(spec);
        assertFalse(verify(SubjectPublicKeyInfo.getInstance(stranger.getPublic().getEncoded()), signer, data,
                signature), spec + ": another key's verifier");
    }

    @Test
    void aPointOffTheCurveIsAnUnusableKeyNotAVerifier() throws Exception {
        KeyPair kp = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        byte[] spki = kp.getPublic().getEncoded();
        spki[spki.length - 1] ^= 1; // y of the uncompressed point, last byte: no longer on P-256
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PublicKeys.verifier(SubjectPublicKeyInfo.getInstance(spki)));
        assertTrue(e.getMessage().startsWith("Unusable public key"), e.getMessage());
    }

    private static boolean verify(SubjectPublicKeyInfo spki, ContentSigner signer, byte[] data, byte[] signature)
            throws Exception {
        ContentVerifier v = PublicKeys.verifier(spki).get(signer.getAlgorithmIdentifier());
        try (OutputStream out = v.getOutputStream()) {
            out.write(data);
        }
        return v.verify(signature);
    }
}
