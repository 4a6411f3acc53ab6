package org.tokenctl.core.pin;

import java.util.Arrays;
import java.util.Objects;

/**
 * How careful a PIN attempt must be.
 *
 * @param allowFinalTry spend the token's final try (CKF_*_PIN_FINAL_TRY) instead of refusing
 * @param initialPin the issuer's initial user PIN, refused for user logins; null to allow it
 * @param guard the client-side attempt counter
 * @param observer told about COUNT_LOW before the attempt (not when the token keeps no counter)
 * @param noRetryCounter the token keeps no counter of wrong PINs (its profile says so, as for
 *        SoftHSM, which sets COUNT_LOW after any wrong PIN): COUNT_LOW then means nothing
 *        about tries left, and is neither reported to the observer nor put in messages
 */
public record LoginOptions(boolean allowFinalTry, char[] initialPin, AttemptGuard guard, LoginObserver observer,
                           boolean noRetryCounter) {

    /** The initial PIN bank tokens are issued with. Public knowledge, not a secret. */
    private static final char[] BANK_INITIAL_PIN = {'1', '2', '3', '4', '5', '6', '7', '8'};

    /**
     * Checks the components and copies the initial PIN.
     *
     * @param allowFinalTry spend the token's final try (CKF_*_PIN_FINAL_TRY) instead of refusing
     * @param initialPin the issuer's initial user PIN, refused for user logins; null to allow it
     * @param guard the client-side attempt counter
     * @param observer told about COUNT_LOW before the attempt
     * @param noRetryCounter the token keeps no counter of wrong PINs
     */
    public LoginOptions {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(observer, "observer");
        initialPin = initialPin == null ? null : Arrays.copyOf(initialPin, initialPin.length);
    }

    /**
     * The safe default for a given guard: never spend the final try, refuse the
     * bank's initial PIN {@code 12345678} for user logins.
     *
     * @param guard the attempt guard
     * @return the options
     */
    public static LoginOptions defaults(AttemptGuard guard) {
        return new LoginOptions(false, BANK_INITIAL_PIN, guard, LoginObserver.NONE, false);
    }

    /** @return the bank tokens' initial user PIN (a copy) */
    public static char[] bankInitialPin() {
        return BANK_INITIAL_PIN.clone();
    }

    /**
     * @param allow whether to spend a final try
     * @return a copy with that setting
     */
    public LoginOptions withAllowFinalTry(boolean allow) {
        return new LoginOptions(allow, initialPin, guard, observer, noRetryCounter);
    }

    /**
     * @param pin the initial PIN to refuse, or null to allow any PIN (e.g. to change the initial PIN)
     * @return a copy with that setting
     */
    public LoginOptions withInitialPin(char[] pin) {
        return new LoginOptions(allowFinalTry, pin, guard, observer, noRetryCounter);
    }

    /**
     * @param o the observer
     * @return a copy with that observer
     */
    public LoginOptions withObserver(LoginObserver o) {
        return new LoginOptions(allowFinalTry, initialPin, guard, o, noRetryCounter);
    }

    /**
     * @param none whether the token keeps no counter of wrong PINs (a profile's {@code pin.retries = 0})
     * @return a copy with that setting
     */
    public LoginOptions withNoRetryCounter(boolean none) {
        return new LoginOptions(allowFinalTry, initialPin, guard, observer, none);
    }

    /** @return a copy of the initial PIN, or null when there is none */
    @Override
    public char[] initialPin() {
        return initialPin == null ? null : initialPin.clone();
    }
}
