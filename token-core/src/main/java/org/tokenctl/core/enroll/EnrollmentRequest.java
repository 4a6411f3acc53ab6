package org.tokenctl.core.enroll;

import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.objects.KeyId;

/**
 * What to enroll: the key, its names, and what the request asks for.
 *
 * @param keySpec the key type
 * @param signatureAlgorithm how the key signs the request (must suit the key type)
 * @param id the CKA_ID (token) or PKCS#12 localKeyId to use, or null for the default
 *           ({@link org.tokenctl.core.key.PublicKeys#defaultId})
 * @param label the CKA_LABEL (token) or PKCS#12 friendlyName
 * @param subject the subject name asked for
 * @param subjectAltNames subject alternative names asked for, or null
 * @param installChain whether a token medium also installs the CA chain the issuer returns
 *                     (a PKCS#12 file always includes it)
 */
public record EnrollmentRequest(KeySpec keySpec, SignatureAlgorithm signatureAlgorithm, KeyId id, String label,
                                X500Name subject, GeneralNames subjectAltNames, boolean installChain) {

    /** Checks that the parts are present and fit together. */
    public EnrollmentRequest {
        Objects.requireNonNull(keySpec, "keySpec");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(subject, "subject");
        if (signatureAlgorithm.keyAlgorithm() != keySpec.algorithm()) {
            throw new IllegalArgumentException(signatureAlgorithm.jcaName() + " cannot sign with a " + keySpec
                    + " key");
        }
    }
}
