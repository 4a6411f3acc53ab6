package org.tokenctl.core.enroll;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * A key pair an {@link EnrollmentMedium} has just created.
 *
 * @param id its id (CKA_ID, or PKCS#12 localKeyId)
 * @param label its label
 * @param publicKey its public key
 * @param signer signs with its private key (for a token key: on the token, in the enrolling session)
 * @param verified the private key's attributes as read back from the token, or null for a software key
 * @param exportable whether the private key can be copied (true for a file medium, never for a token)
 */
public record NewKey(KeyId id, String label, SubjectPublicKeyInfo publicKey, ContentSigner signer,
                     PrivateKeyAttributes verified, boolean exportable) {
}
