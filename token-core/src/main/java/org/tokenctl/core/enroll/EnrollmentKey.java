package org.tokenctl.core.enroll;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * The key pair an enrollment certifies, as its {@link EnrollmentMedium} provides it.
 *
 * @param id its id (CKA_ID, or PKCS#12 localKeyId)
 * @param label the label its certificate gets
 * @param spec its type
 * @param signatureAlgorithm how it signs
 * @param publicKey its public key
 * @param signer signs with its private key (for a token key: on the token, in the enrolling session)
 * @param verified the private key's attributes as read back from the token, or null for a software key
 * @param exportable whether the private key can be copied (true for a file medium, never for a token)
 * @param generated whether this enrollment generated it (false: it was on the token before, and stays)
 */
public record EnrollmentKey(KeyId id, String label, KeySpec spec, SignatureAlgorithm signatureAlgorithm,
                            SubjectPublicKeyInfo publicKey, ContentSigner signer, PrivateKeyAttributes verified,
                            boolean exportable, boolean generated) {
}
