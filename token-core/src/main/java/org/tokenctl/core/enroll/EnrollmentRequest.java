package org.tokenctl.core.enroll;

import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.objects.KeyId;

/**
 * What to enroll: the key, its names, and what the request asks for.
 *
 * @param key where the key pair comes from: generated, or already on the token
 * @param hash the hash the key signs with, or null for the key type's default (SHA-384 for P-384, else SHA-256)
 * @param label the CKA_LABEL (token) or PKCS#12 friendlyName of what is created; for an existing key, null
 *              gives its certificate the key's own label
 * @param subject the subject name asked for
 * @param subjectAltNames subject alternative names asked for, or null
 * @param installChain whether a token medium also installs the CA chain the issuer returns
 *                     (a PKCS#12 file always includes it)
 */
public record EnrollmentRequest(KeySource key, HashAlgorithm hash, String label, X500Name subject,
                                GeneralNames subjectAltNames, boolean installChain) {

    /**
     * Checks that the parts are present.
     *
     * @param key where the key pair comes from: generated, or already on the token
     * @param hash the hash the key signs with, or null for the key type's default (SHA-384 for P-384, else SHA-256)
     * @param label the CKA_LABEL (token) or PKCS#12 friendlyName of what is created; for an existing key, null gives
     *              its certificate the key's own label
     * @param subject the subject name asked for
     * @param subjectAltNames subject alternative names asked for, or null
     * @param installChain whether a token medium also installs the CA chain the issuer returns (a PKCS#12 file always
     *                     includes it)
     */
    public EnrollmentRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(subject, "subject");
        if (key instanceof KeySource.Generate) {
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * A request for a new key pair.
     *
     * @param keySpec the key type
     * @param signatureAlgorithm how the key signs (must suit the key type)
     * @param id the CKA_ID or PKCS#12 localKeyId, or null for the default
     * @param label the CKA_LABEL or PKCS#12 friendlyName
     * @param subject the subject name asked for
     * @param subjectAltNames subject alternative names asked for, or null
     * @param installChain whether a token medium also installs the CA chain
     */
    public EnrollmentRequest(KeySpec keySpec, SignatureAlgorithm signatureAlgorithm, KeyId id, String label,
                             X500Name subject, GeneralNames subjectAltNames, boolean installChain) {
        this(new KeySource.Generate(keySpec, id), checked(keySpec, signatureAlgorithm).hash(), label, subject,
                subjectAltNames, installChain);
    }

    private static SignatureAlgorithm checked(KeySpec keySpec, SignatureAlgorithm signatureAlgorithm) {
        if (signatureAlgorithm.keyAlgorithm() != keySpec.algorithm()) {
            throw new IllegalArgumentException(signatureAlgorithm.jcaName() + " cannot sign with a " + keySpec
                    + " key");
        }
        return signatureAlgorithm;
    }
}
