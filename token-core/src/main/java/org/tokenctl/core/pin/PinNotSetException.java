package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * The token has no user PIN: {@code CKF_USER_PIN_INITIALIZED} is clear (a token
 * initialised without {@code C_InitPIN}, or whose {@code C_InitPIN} failed), or
 * {@code C_Login} answered {@code CKR_USER_PIN_NOT_INITIALIZED}. No PIN can be right
 * until the security officer sets one, so none is tried.
 */
public class PinNotSetException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause the token's CKR_USER_PIN_NOT_INITIALIZED, or null when its flags said so before any call
     */
    public PinNotSetException(Throwable cause) {
        super("The token has no user PIN yet; the security officer must set one (C_InitPIN with the SO PIN)", cause);
    }

    /** @return {@link Failure#PIN_NOT_SET} */
    @Override
    public Failure failure() {
        return Failure.PIN_NOT_SET;
    }
}
