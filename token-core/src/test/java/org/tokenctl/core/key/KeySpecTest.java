package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.module.Pkcs11;

/** Key specs, hashes and the mechanism check, without a token. */
class KeySpecTest {

    private static final Set<Long> ALL = Set.of(Pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN,
            Pkcs11.CKM_EC_KEY_PAIR_GEN, Pkcs11.CKM_SHA256_RSA_PKCS,
            Pkcs11.CKM_SHA384_RSA_PKCS, Pkcs11.CKM_SHA512_RSA_PKCS, Pkcs11.CKM_ECDSA);

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
        assertEquals("Unknown key spec 'rsa:1024' (valid: rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384, sm2)",
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
        assertEquals(Pkcs11.CKM_ECDSA, SignatureAlgorithm.SHA384_WITH_ECDSA.mechanism());
        assertTrue(SignatureAlgorithm.SHA384_WITH_ECDSA.hashesInJava());
        assertEquals(Pkcs11.CKM_SHA256_RSA_PKCS, SignatureAlgorithm.SHA256_WITH_RSA.mechanism());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HashAlgorithm.parse("md5"));
        assertEquals("Unknown hash 'md5' (valid: sha256, sha384, sha512, sm3)", e.getMessage());
    }

    @Test
    void aMissingGenerationMechanismIsNamed() throws Exception {
        Set<Long> noEc = new HashSet<>(ALL);
        noEc.remove(Pkcs11.CKM_EC_KEY_PAIR_GEN);
        KeySpec.RSA_2048.requireSupportedBy(noEc, SignatureAlgorithm.SHA256_WITH_RSA);
        UnsupportedByTokenException e = assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.EC_P256.requireSupportedBy(noEc, SignatureAlgorithm.SHA256_WITH_ECDSA));
        assertEquals("CKM_EC_KEY_PAIR_GEN", e.capability());
        assertTrue(e.getMessage().contains("does not list CKM_EC_KEY_PAIR_GEN; nothing was created"), e.getMessage());
    }

    @Test
    void aMissingSigningMechanismIsNamed() {
        Set<Long> noSha384 = new HashSet<>(ALL);
        noSha384.remove(Pkcs11.CKM_SHA384_RSA_PKCS);
        UnsupportedByTokenException e = assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.RSA_3072.requireSupportedBy(noSha384, SignatureAlgorithm.SHA384_WITH_RSA));
        assertEquals("CKM_SHA384_RSA_PKCS", e.capability());
        Set<Long> noEcdsa = new HashSet<>(ALL);
        noEcdsa.remove(Pkcs11.CKM_ECDSA);
        assertEquals("CKM_ECDSA", assertThrows(UnsupportedByTokenException.class,
                () -> KeySpec.EC_P384.requireSupportedBy(noEcdsa, SignatureAlgorithm.SHA384_WITH_ECDSA))
                .capability());
    }

    @Test
    void eachSpecSaysWhatItIs() {
        assertEquals(KeyAlgorithm.RSA, KeySpec.RSA_3072.algorithm());
        assertEquals(3072, KeySpec.RSA_3072.bits());
        assertNull(KeySpec.RSA_3072.curve());
        assertNull(KeySpec.RSA_3072.curveName());
        assertEquals("RSA 3072", KeySpec.RSA_3072.describe());
        assertEquals(KeyAlgorithm.EC, KeySpec.EC_P384.algorithm());
        assertEquals(384, KeySpec.EC_P384.bits());
        assertEquals(SECObjectIdentifiers.secp384r1, KeySpec.EC_P384.curve());
        assertEquals("secp384r1", KeySpec.EC_P384.curveName());
        assertEquals("EC secp384r1", KeySpec.EC_P384.describe());
        assertEquals("ec:p384", KeySpec.EC_P384.toString());
        assertEquals(Pkcs11.CKM_EC_KEY_PAIR_GEN, KeySpec.EC_P256.generationMechanism(null));
        assertEquals(Pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN, KeySpec.RSA_4096.generationMechanism(null));
    }

    @Test
    void anExistingKeyIsMatchedToItsSpec() throws Exception {
        for (KeySpec spec : new KeySpec[] {KeySpec.RSA_2048, KeySpec.EC_P256, KeySpec.EC_P384}) {
            assertEquals(spec, KeySpec.of(spki(SoftwareKeyGenerator.generate(spec)), "key-id"));
        }
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        InvalidInputException small = assertThrows(InvalidInputException.class,
                () -> KeySpec.of(spki(rsa.generateKeyPair()), "key-id"));
        assertEquals("key-id", small.field());
        assertEquals("The key is RSA 1024, which tokenctl does not enroll (valid: rsa:2048, rsa:3072, rsa:4096,"
                + " ec:p256, ec:p384, sm2)", small.getMessage());
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp521r1"));
        assertEquals("The key is EC secp521r1, which tokenctl does not enroll (valid: rsa:2048, rsa:3072, rsa:4096,"
                + " ec:p256, ec:p384, sm2)", assertThrows(InvalidInputException.class,
                        () -> KeySpec.of(spki(ec.generateKeyPair()), "cert")).getMessage());
    }

    @Test
    void aSignatureForAnotherKeyTypeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> KeySpec.EC_P256.requireSupportedBy(ALL, SignatureAlgorithm.SHA256_WITH_RSA));
    }

    private static SubjectPublicKeyInfo spki(KeyPair pair) {
        return SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    }

    @Test
    void sm2SignsWithSm3AndSm3OnlyWithSm2() throws Exception {
        assertEquals(SignatureAlgorithm.SM3_WITH_SM2, KeySpec.SM2.signatureAlgorithm(null));
        KeySpec.SM2.checkHash(null);
        KeySpec.SM2.checkHash(HashAlgorithm.SM3);
        KeySpec.EC_P256.checkHash(HashAlgorithm.SHA384);
        assertEquals("hash", assertThrows(InvalidInputException.class,
                () -> KeySpec.SM2.checkHash(HashAlgorithm.SHA256)).field());
        assertEquals("hash", assertThrows(InvalidInputException.class,
                () -> KeySpec.RSA_2048.checkHash(HashAlgorithm.SM3)).field());
        assertEquals(org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2sign_with_sm3,
                SignatureAlgorithm.SM3_WITH_SM2.algorithmIdentifier().getAlgorithm());
        assertEquals("SM2 sm2p256v1", KeySpec.SM2.describe());

        // the vendor's constants, wherever a mechanism or key type is needed
        org.tokenctl.core.module.Sm2Mechanisms m = new org.tokenctl.core.module.Sm2Mechanisms(0x80000004L,
                0x80008001L, 0x80008100L, org.tokenctl.core.module.Sm2Mechanisms.SignInput.MESSAGE,
                org.tokenctl.core.module.Sm2Mechanisms.Encoding.DER, true);
        assertEquals(0x80008001L, KeySpec.SM2.generationMechanism(m));
        assertEquals(0L, KeySpec.SM2.generationMechanism(null));
        assertEquals(0x80000004L, KeySpec.SM2.keyType(m));
        assertEquals(0x80008100L, SignatureAlgorithm.SM3_WITH_SM2.mechanism(m));
        assertEquals(Pkcs11.CKM_ECDSA, SignatureAlgorithm.SHA256_WITH_ECDSA.mechanism(m));
        assertTrue(KeySpec.SM2.unsupportedReason(List.of(), null).startsWith("SM2 is not standard PKCS#11"));
        // a token with the vendor's mechanisms listed, and none said: refused before anything is made
        java.util.Set<Long> vendors = java.util.Set.of(0x80008001L, 0x80008100L);
        KeySpec.SM2.requireSupportedBy(vendors, SignatureAlgorithm.SM3_WITH_SM2, m);
        org.tokenctl.core.UnsupportedByTokenException noSm2 = assertThrows(
                org.tokenctl.core.UnsupportedByTokenException.class,
                () -> KeySpec.SM2.requireSupportedBy(vendors, SignatureAlgorithm.SM3_WITH_SM2, null));
        assertEquals("SM2", noSm2.capability());
        assertTrue(noSm2.getMessage().endsWith("; nothing was created"), noSm2.getMessage());
        assertEquals("does not list 0x80008001", KeySpec.SM2.unsupportedReason(List.of(), m).toLowerCase(java.util.Locale.ROOT));
    }

    private static org.tokenctl.core.module.MechanismInfo mech(long code, long min, long max, String... flags) {
        return new org.tokenctl.core.module.MechanismInfo(code, Pkcs11.mechanismName(code), min, max, List.of(flags));
    }

    /** What a token's mechanism list says of a key spec: each reason it cannot, and none when it can. */
    @Test
    void aTokensMechanismsSayWhetherItCanMakeAKeySpec() throws Exception {
        long gen = Pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN;
        long sign = Pkcs11.CKM_SHA256_RSA_PKCS;
        KeySpec rsa = KeySpec.parse("rsa:2048");
        var signs = mech(sign, 1024, 4096, "SIGN", "VERIFY");
        assertNull(rsa.unsupportedReason(List.of(mech(gen, 1024, 4096, "GENERATE_KEY_PAIR"), signs)));
        assertNull(rsa.unsupportedReason(List.of(signs, mech(gen, 2048, 2048, "GENERATE_KEY_PAIR"))),
                "both ends of the range are in it");
        assertNull(rsa.unsupportedReason(List.of(mech(gen, 0, 0, "GENERATE_KEY_PAIR"), signs)),
                "a range of 0..0 says nothing");
        assertEquals("does not list CKM_RSA_PKCS_KEY_PAIR_GEN", rsa.unsupportedReason(List.of(signs)));
        assertEquals("CKM_RSA_PKCS_KEY_PAIR_GEN lacks CKF_GENERATE_KEY_PAIR",
                rsa.unsupportedReason(List.of(mech(gen, 1024, 4096, "GENERATE"), signs)));
        assertEquals("CKM_RSA_PKCS_KEY_PAIR_GEN makes keys of 3072 to 4096 bits",
                rsa.unsupportedReason(List.of(mech(gen, 3072, 4096, "GENERATE_KEY_PAIR"), signs)));
        assertEquals("CKM_RSA_PKCS_KEY_PAIR_GEN makes keys of 1024 to 2047 bits",
                rsa.unsupportedReason(List.of(mech(gen, 1024, 2047, "GENERATE_KEY_PAIR"), signs)));
        assertEquals("does not list CKM_SHA256_RSA_PKCS",
                rsa.unsupportedReason(List.of(mech(gen, 1024, 4096, "GENERATE_KEY_PAIR"))));
        assertEquals("lacks CKF_SIGN on CKM_SHA256_RSA_PKCS", rsa.unsupportedReason(List.of(
                mech(gen, 1024, 4096, "GENERATE_KEY_PAIR"), mech(sign, 1024, 4096, "VERIFY"))));
    }
}
