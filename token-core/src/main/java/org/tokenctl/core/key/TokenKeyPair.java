package org.tokenctl.core.key;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * A key pair on a token whose private key was read back and found non-exportable:
 * one just generated ({@link TokenKeyGenerator}) or one already there
 * ({@link ExistingKeys}).
 *
 * @param privateKey the private key handle (valid in the session that found or generated it)
 * @param publicKey the public key handle, or 0 when the token holds no public key object (RSA only)
 * @param id the CKA_ID both carry
 * @param label the CKA_LABEL of the private key
 * @param spec the key spec
 * @param publicKeyInfo the public key, as read back from the token
 * @param verified the private key's attributes as read back: every {@link KeyProtection} requirement met
 *                 for a generated key; the non-exportability ones for an existing key
 */
public record TokenKeyPair(long privateKey, long publicKey, KeyId id, String label, KeySpec spec,
                           SubjectPublicKeyInfo publicKeyInfo, PrivateKeyAttributes verified) {
}
