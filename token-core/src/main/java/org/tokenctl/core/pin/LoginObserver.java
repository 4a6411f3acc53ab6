package org.tokenctl.core.pin;

import org.tokenctl.core.token.TokenInfo;

/**
 * Hears about PIN states worth telling the holder about, without the library
 * printing anything itself.
 */
public interface LoginObserver {

    /** An observer that ignores everything. */
    LoginObserver NONE = (userType, info) -> { };

    /**
     * The token reports that wrong PINs have been entered (CKF_*_PIN_COUNT_LOW)
     * before this attempt.
     *
     * @param userType whose PIN
     * @param info the token's state
     */
    void countLow(UserType userType, TokenInfo info);
}
