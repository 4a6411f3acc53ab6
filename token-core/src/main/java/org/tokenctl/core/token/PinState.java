package org.tokenctl.core.token;

/**
 * How many tries a PIN has left, as far as the token's flags tell.
 *
 * <p>Tokens do not expose the counter itself; they set COUNT_LOW after a wrong
 * try, FINAL_TRY when one try remains and LOCKED when none does (PKCS#11 v2.40
 * section 5.5). SoftHSM sets none of them.
 */
public enum PinState {
    /** no wrong try signalled */
    OK,
    /** at least one wrong try since the last success */
    COUNT_LOW,
    /** one more wrong PIN locks it */
    FINAL_TRY,
    /** locked: the user PIN needs the SO (unblock); a locked SO PIN needs the issuer */
    LOCKED
}
