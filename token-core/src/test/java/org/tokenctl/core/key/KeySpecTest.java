package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.xipki.pkcs11.wrapper.PKCS11Constants;

/** Key specs, hashes and the mechanism check, without a token. */
class KeySpecTest {

    private static final Set<Long> ALL = Set.of(PKCS11Constants.CKM_RSA_PKCS_KEY_PAIR_GEN,
            PKCS11Constants.CKM_EC_KEY_PAIR_GEN, PKCS11Constants.CKM_SHA256_RSA_PKCS,
            PKCS11Constants.CKM_SHA384_RSA_PKCS, PKCS11Constants.CKM_SHA512_RSA_PKCS, PKCS11Constants.CKM_ECDSA);

    @Test
    void parsesEverySpecCaseInsensitively() throws Exception {
        assertEquals(KeySpec.RSA_2048, KeySpec.parse("rsa:2048"));
        assertEquals(KeySpec.RSA_3072, KeySpec.parse(" RSA:3072 "));
        assertEquals(KeySpec.RSA_4096, KeySpec.parse("rsa:4096"));
        assertEquals(KeySpec.EC_P256, KeySpec.parse("EC:P256"));
        assertEquals(KeySpec.EC_P384, KeySpec.parse("ec:p384"));
        assertEquals(KeySpec.RSA_2048, KeySpec.DEFAULT);
    }

    @Test
    void anUnknownSpecListsTheValidOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KeySpec.parse("rsa:1024"));
        assertEquals("key-spec", e.field());
        assertEquals("Unknown key spec 'rsa:1024' (valid: rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384)",
                e.getMessage());
        assertThrows(InvalidInputException.class, () -> KeySpec.parse(null));
    }

    @Test
    void signatureAlgorithmsFollowTheKeyAndTheHash() throws Exception {
        assertEquals(SignatureAlgorithm.SHA256_WITH_RSA, KeySpec.RSA_4096.signatureAlgorithm(null));
        assertEquals(SignatureAlgorithm.SHA512_WITH_RSA,
                KeySpec.RSA_4096.signatureAlgorithm(HashAlgorithm.parse("sha512")));
        assertEquals(SignatureAlgorithm.SHA256_WITH_ECDSA, KeySpec.EC_P256.signatureAlgorithm(null));
        assertEquals(SignatureAlgorithm.SHA384_WITH_ECDSA, KeySpec.EC_P384.signatureAlgorithm(null));
        assertEquals(HashAlgorithm.SHA384, HashAlgorithm.parse("SHA-384"));
        assertEquals(PKCS11Constants.CKM_ECDSA, SignatureAlgorithm.SHA384_WITH_ECDSA.mechanism());
        assertTrue(SignatureAlgorithm.SHA384_WITH_ECDSA.hashesInJava());
        assertEquals(PKCS11Constants.CKM_SHA256_RSA_PKCS, SignatureAlgorithm.SHA256_WITH_RSA.mechanism());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HashAlgorithm.parse("md5"));
        assertEquals("Unknown hash 'md5' (valid: sha256, sha384, sha512)", e.getMessage());
    }

    @Test
    void aMissingGenerationMechanismIsNamed() throws Exception {
        Set<Long> noEc = new HashSet<>(ALL);
        noEc.remove(PKCS11Constants.CKM_EC_KEY_PAIR_GEN);
        KeySpec.RSA_2048.requireSupportedBy(noEc, SignatureAlgorithm.SHA256_WITH_RSA);
        UnsupportedByTokenException e = assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.EC_P256.requireSupportedBy(noEc, SignatureAlgorithm.SHA256_WITH_ECDSA));
        assertEquals("CKM_EC_KEY_PAIR_GEN", e.capability());
        assertTrue(e.getMessage().contains("does not list CKM_EC_KEY_PAIR_GEN; nothing was created"), e.getMessage());
    }

    @Test
    void aMissingSigningMechanismIsNamed() {
        Set<Long> noSha384 = new HashSet<>(ALL);
        noSha384.remove(PKCS11Constants.CKM_SHA384_RSA_PKCS);
        UnsupportedByTokenException e = assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.RSA_3072.requireSupportedBy(noSha384, SignatureAlgorithm.SHA384_WITH_RSA));
        assertEquals("CKM_SHA384_RSA_PKCS", e.capability());
        Set<Long> noEcdsa = new HashSet<>(ALL);
        noEcdsa.remove(PKCS11Constants.CKM_ECDSA);
        assertEquals("CKM_ECDSA", assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.EC_P384.requireSupportedBy(noEcdsa, SignatureAlgorithm.SHA384_WITH_ECDSA))
                .capability());
    }
}
