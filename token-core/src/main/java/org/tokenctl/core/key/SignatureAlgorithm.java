package org.tokenctl.core.key;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.tokenctl.core.module.Pkcs11;

/**
 * A signature algorithm and the PKCS#11 mechanism that computes it on a token.
 *
 * <p>RSA uses the token's hash-and-sign mechanisms ({@code CKM_SHA256_RSA_PKCS}...).
 * ECDSA hashes in Java and has the token sign the hash with raw {@code CKM_ECDSA}:
 * the hash-and-sign ECDSA mechanisms are missing on many smart-card tokens, raw
 * {@code CKM_ECDSA} is not. Immutable.
 */
public enum SignatureAlgorithm {
    /** SHA256withRSA (PKCS#1 v1.5) */
    SHA256_WITH_RSA(KeyAlgorithm.RSA, HashAlgorithm.SHA256, "SHA256withRSA", Pkcs11.CKM_SHA256_RSA_PKCS),
    /** SHA384withRSA (PKCS#1 v1.5) */
    SHA384_WITH_RSA(KeyAlgorithm.RSA, HashAlgorithm.SHA384, "SHA384withRSA", Pkcs11.CKM_SHA384_RSA_PKCS),
    /** SHA512withRSA (PKCS#1 v1.5) */
    SHA512_WITH_RSA(KeyAlgorithm.RSA, HashAlgorithm.SHA512, "SHA512withRSA", Pkcs11.CKM_SHA512_RSA_PKCS),
    /** SHA256withECDSA */
    SHA256_WITH_ECDSA(KeyAlgorithm.EC, HashAlgorithm.SHA256, "SHA256withECDSA", Pkcs11.CKM_ECDSA),
    /** SHA384withECDSA */
    SHA384_WITH_ECDSA(KeyAlgorithm.EC, HashAlgorithm.SHA384, "SHA384withECDSA", Pkcs11.CKM_ECDSA),
    /** SHA512withECDSA */
    SHA512_WITH_ECDSA(KeyAlgorithm.EC, HashAlgorithm.SHA512, "SHA512withECDSA", Pkcs11.CKM_ECDSA),
    /**
     * SM3withSM2 (GM/T 0009, OID 1.2.156.10197.1.501), with the default user ID
     * 1234567812345678. Its mechanism is the vendor's ({@link #mechanism()} is 0):
     * see {@link org.tokenctl.core.module.Sm2Mechanisms}.
     */
    SM3_WITH_SM2(KeyAlgorithm.SM2, HashAlgorithm.SM3, "SM3withSM2", 0);

    private final KeyAlgorithm keyAlgorithm;
    private final HashAlgorithm hash;
    private final String jcaName;
    private final long mechanism;

    SignatureAlgorithm(KeyAlgorithm keyAlgorithm, HashAlgorithm hash, String jcaName, long mechanism) {
        this.keyAlgorithm = keyAlgorithm;
        this.hash = hash;
        this.jcaName = jcaName;
        this.mechanism = mechanism;
    }

    /**
     * @param key the key algorithm
     * @param hash the hash
     * @return the signature algorithm combining them
     */
    public static SignatureAlgorithm of(KeyAlgorithm key, HashAlgorithm hash) {
        for (SignatureAlgorithm s : values()) {
            if (s.keyAlgorithm == key && s.hash == hash) {
                return s;
            }
        }
        throw new IllegalArgumentException(key + " with " + hash);
    }

    /** @return the key algorithm this signs with */
    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /** @return the hash */
    public HashAlgorithm hash() {
        return hash;
    }

    /** @return the JCA / BouncyCastle name, e.g. {@code SHA256withRSA} */
    public String jcaName() {
        return jcaName;
    }

    /**
     * @return the PKCS#11 mechanism the token signs with ({@code CKM_ECDSA} for ECDSA: the hash is done in
     *         Java); 0 for SM2, whose mechanism is the vendor's
     */
    public long mechanism() {
        return mechanism;
    }

    /**
     * @param sm2 how the token does SM2, or null
     * @return the mechanism the token signs with: {@link #mechanism()}, or the vendor's for SM2 (0 without
     *         {@code sm2})
     */
    public long mechanism(org.tokenctl.core.module.Sm2Mechanisms sm2) {
        return keyAlgorithm != KeyAlgorithm.SM2 ? mechanism : sm2 == null ? 0 : sm2.sign();
    }

    /** @return whether the token signs a hash computed in Java (raw ECDSA) rather than the data */
    public boolean hashesInJava() {
        return mechanism == Pkcs11.CKM_ECDSA;
    }

    /** @return the X.509 AlgorithmIdentifier (RFC 4055 / RFC 5758) */
    public AlgorithmIdentifier algorithmIdentifier() {
        return new DefaultSignatureAlgorithmIdentifierFinder().find(jcaName);
    }
}
