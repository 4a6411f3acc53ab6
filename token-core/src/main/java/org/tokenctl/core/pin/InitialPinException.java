package org.tokenctl.core.pin;

import org.tokenctl.core.TokenctlException;

/**
 * The token still has its initial (issuer-set) user PIN, or says the PIN must be
 * changed ({@code CKF_USER_PIN_TO_BE_CHANGED}); the holder must change it before
 * the token is used. Thrown before any login is attempted.
 */
public class InitialPinException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    private final boolean flaggedByToken;

    /**
     * @param flaggedByToken true when the token's CKF_USER_PIN_TO_BE_CHANGED flag said so,
     *                       false when the PIN given equals the initial PIN
     */
    public InitialPinException(boolean flaggedByToken) {
        super(flaggedByToken ? "The token requires its user PIN to be changed before use"
                : "The token still has its initial PIN; change it first");
        this.flaggedByToken = flaggedByToken;
    }

    /** @return whether the token's flag (rather than the PIN value) triggered this */
    public boolean flaggedByToken() {
        return flaggedByToken;
    }
}
