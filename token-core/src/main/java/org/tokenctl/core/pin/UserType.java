package org.tokenctl.core.pin;

import org.tokenctl.core.module.Pkcs11;

/** Who logs in: the token holder ({@code CKU_USER}) or the security officer ({@code CKU_SO}). */
public enum UserType {
    /** CKU_USER: the token holder */
    USER(Pkcs11.CKU_USER, "user PIN"),
    /** CKU_SO: the security officer (the issuer, at a bank) */
    SO(Pkcs11.CKU_SO, "SO PIN");

    private final long cku;
    private final String pinName;

    UserType(long cku, String pinName) {
        this.cku = cku;
        this.pinName = pinName;
    }

    /** @return the CKU_ value */
    public long cku() {
        return cku;
    }

    /** @return "user PIN" or "SO PIN", for messages */
    public String pinName() {
        return pinName;
    }
}
