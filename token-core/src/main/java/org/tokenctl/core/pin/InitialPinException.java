package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * The token still has its initial (issuer-set) user PIN, or says the PIN must be
 * changed ({@code CKF_USER_PIN_TO_BE_CHANGED}); the holder must change it before
 * the token is used. Thrown before any login is attempted, or when C_Login answers
 * CKR_PIN_EXPIRED.
 */
public class InitialPinException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #flaggedByToken()} */
    private final boolean flaggedByToken;

    /**
     * @param flaggedByToken true when the token's CKF_USER_PIN_TO_BE_CHANGED flag said so,
     *                       false when the PIN given equals the initial PIN
     */
    public InitialPinException(boolean flaggedByToken) {
        this(flaggedByToken, null);
    }

    /**
     * @param flaggedByToken true when the token said so (CKF_USER_PIN_TO_BE_CHANGED, or
     *                       C_Login answering CKR_PIN_EXPIRED), false when the PIN given
     *                       equals the initial PIN
     * @param cause the token's CKR_PIN_EXPIRED, or null when refused before any login
     */
    public InitialPinException(boolean flaggedByToken, Throwable cause) {
        super(flaggedByToken ? "The token requires its user PIN to be changed before use"
                : "The token still has its initial PIN; change it first", cause);
        this.flaggedByToken = flaggedByToken;
    }

    /** @return whether the token's flag (rather than the PIN value) triggered this */
    public boolean flaggedByToken() {
        return flaggedByToken;
    }

    /** @return {@link Failure#INITIAL_PIN} */
    @Override
    public Failure failure() {
        return Failure.INITIAL_PIN;
    }
}
