package org.tokenctl.core.key;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * A key pair generated on a token and verified non-exportable.
 *
 * @param privateKey the private key handle (valid in the session that generated it)
 * @param publicKey the public key handle
 * @param id the CKA_ID both carry
 * @param label the CKA_LABEL both carry
 * @param spec the key spec
 * @param publicKeyInfo the public key, as read back from the token
 * @param verified the private key's attributes as read back, every {@link KeyProtection} requirement met
 */
public record GeneratedKeyPair(long privateKey, long publicKey, KeyId id, String label, KeySpec spec,
                               SubjectPublicKeyInfo publicKeyInfo, PrivateKeyAttributes verified) {
}
