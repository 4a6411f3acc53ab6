package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * Login refused before reaching the token: the token says one try remains, and
 * the caller did not allow spending it.
 */
public class PinFinalTryException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #userType()} */
    private final UserType userType;

    /**
     * @param userType whose PIN is on its final try
     */
    public PinFinalTryException(UserType userType) {
        super("One more wrong " + userType.pinName() + " locks this token; not trying without explicit permission");
        this.userType = userType;
    }

    /** @return whose PIN is on its final try */
    public UserType userType() {
        return userType;
    }

    /** @return {@link Failure#PIN_FINAL_TRY} */
    @Override
    public Failure failure() {
        return Failure.PIN_FINAL_TRY;
    }
}
