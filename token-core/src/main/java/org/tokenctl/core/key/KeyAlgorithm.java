package org.tokenctl.core.key;

/** The public-key algorithms tokenctl generates keys for. */
public enum KeyAlgorithm {
    /** RSA (PKCS#1), {@code CKK_RSA} */
    RSA,
    /** ECDSA over a named prime curve, {@code CKK_EC} */
    EC
}
