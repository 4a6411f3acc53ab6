package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/** The PIN is locked ({@code CKF_*_PIN_LOCKED} or {@code CKR_PIN_LOCKED}); no login was attempted, or the token refused it. */
public class PinLockedException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #userType()} */
    private final UserType userType;

    /**
     * @param userType whose PIN is locked
     */
    public PinLockedException(UserType userType) {
        this(userType, null);
    }

    /**
     * @param userType whose PIN is locked
     * @param cause the token's CKR_PIN_LOCKED, or null when the flags said so before any call
     */
    public PinLockedException(UserType userType, Throwable cause) {
        super(userType == UserType.USER
                ? "The user PIN is locked; the security officer can unblock it (set a new user PIN with the SO PIN)"
                : "The SO PIN is locked; only the token's issuer can recover this token", cause);
        this.userType = userType;
    }

    /** @return whose PIN is locked */
    public UserType userType() {
        return userType;
    }

    /** @return {@link Failure#PIN_LOCKED} */
    @Override
    public Failure failure() {
        return Failure.PIN_LOCKED;
    }
}
