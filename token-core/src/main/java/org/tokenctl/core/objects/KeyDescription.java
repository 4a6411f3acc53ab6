package org.tokenctl.core.objects;

/**
 * What kind of key an object is.
 *
 * @param type "RSA", "EC" or the CKK_ name for others
 * @param bits the key size in bits (RSA modulus, EC field size), or 0 when unknown
 * @param curve the EC curve name (e.g. "secp256r1") or OID, null for non-EC keys
 */
public record KeyDescription(String type, int bits, String curve) {
}
