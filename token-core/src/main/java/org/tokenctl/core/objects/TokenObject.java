package org.tokenctl.core.objects;

/**
 * A snapshot of one object on a token. Parts that do not apply to the object's
 * class are null.
 *
 * @param handle the object handle (valid only in the session that listed it)
 * @param objectClass its class
 * @param label CKA_LABEL ("" when absent)
 * @param id CKA_ID, or null when absent or empty
 * @param privateObject CKA_PRIVATE
 * @param key key type and size, for keys
 * @param privateKey non-exportability attributes, for private keys
 * @param certificate decoded certificate, for X.509 certificates
 */
public record TokenObject(long handle, ObjectClass objectClass, String label, KeyId id, Boolean privateObject,
                          KeyDescription key, PrivateKeyAttributes privateKey, CertificateDescription certificate) {
}
