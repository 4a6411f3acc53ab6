package org.tokenctl.core.key;

/** The public-key algorithms tokenctl generates keys for. */
public enum KeyAlgorithm {
    /** RSA (PKCS#1), {@code CKK_RSA} */
    RSA,
    /** ECDSA over a named prime curve, {@code CKK_EC} */
    EC,
    /** SM2 (GM/T 0003) on sm2p256v1, a vendor-defined key type ({@link org.tokenctl.core.module.Sm2Mechanisms}) */
    SM2
}
