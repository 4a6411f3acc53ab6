package org.tokenctl.core.objects;

import org.tokenctl.core.module.Pkcs11;

/** The object classes tokenctl deals with ({@code CKA_CLASS}). */
public enum ObjectClass {
    /** CKO_DATA */
    DATA(Pkcs11.CKO_DATA),
    /** CKO_CERTIFICATE */
    CERTIFICATE(Pkcs11.CKO_CERTIFICATE),
    /** CKO_PUBLIC_KEY */
    PUBLIC_KEY(Pkcs11.CKO_PUBLIC_KEY),
    /** CKO_PRIVATE_KEY */
    PRIVATE_KEY(Pkcs11.CKO_PRIVATE_KEY),
    /** CKO_SECRET_KEY */
    SECRET_KEY(Pkcs11.CKO_SECRET_KEY),
    /** anything else */
    OTHER(-1L);

    private final long cko;

    ObjectClass(long cko) {
        this.cko = cko;
    }

    /** @return the CKO_ value (-1 for OTHER) */
    public long cko() {
        return cko;
    }

    /**
     * @param cko a CKA_CLASS value
     * @return its enum constant, OTHER when unknown
     */
    public static ObjectClass of(Long cko) {
        if (cko != null) {
            for (ObjectClass c : values()) {
                if (c.cko == cko) {
                    return c;
                }
            }
        }
        return OTHER;
    }
}
