package org.tokenctl.core.module;

import java.util.Objects;

/**
 * How a vendor's PKCS#11 module does SM2 (GM/T 0003), which PKCS#11 itself does
 * not define: the vendor-defined key type and mechanisms, whether {@code C_Sign}
 * takes the message (the token computes Z and SM3 itself, GM/T 0009) or the
 * digest e = SM3(Z || M) that the caller computed, how it encodes the signature,
 * and whether its private key carries {@code CKA_EC_POINT}. The values differ by
 * vendor; a vendor profile supplies them ({@code sm2.*}). Immutable.
 *
 * @param keyType the vendor's {@code CKK_} value for SM2 keys
 * @param keyPairGen the vendor's key-pair generation mechanism
 * @param sign the vendor's signing mechanism
 * @param input what {@code C_Sign} takes
 * @param encoding how the token returns a signature
 * @param privateKeyHasEcPoint whether the private key answers {@code CKA_EC_POINT}
 */
public record Sm2Mechanisms(long keyType, long keyPairGen, long sign, SignInput input, Encoding encoding,
                            boolean privateKeyHasEcPoint) {

    /** What the signing mechanism takes. */
    public enum SignInput {
        /** the message: the token computes Z with the default user ID and e = SM3(Z || M) */
        MESSAGE,
        /** the 32-byte digest e = SM3(Z || M), which tokenctl computes */
        DIGEST
    }

    /** How the token returns a signature. */
    public enum Encoding {
        /** r || s, 32 bytes each */
        RAW,
        /** DER {@code SEQUENCE { r INTEGER, s INTEGER }}, as X.509 wants it */
        DER
    }

    /**
     * Checks that the parts are present and the constants are set.
     *
     * @param keyType the vendor's {@code CKK_} value
     * @param keyPairGen the key-pair generation mechanism
     * @param sign the signing mechanism
     * @param input what {@code C_Sign} takes
     * @param encoding how a signature comes back
     * @param privateKeyHasEcPoint whether the private key answers {@code CKA_EC_POINT}
     */
    public Sm2Mechanisms {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(encoding, "encoding");
        if (keyType == 0 || keyPairGen == 0 || sign == 0) {
            throw new IllegalArgumentException("SM2 key type and mechanisms must be vendor constants, not 0");
        }
    }
}
