package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.token.PinState;

/**
 * The token refused a PIN ({@code CKR_PIN_INCORRECT}). Carries what the token's
 * flags said right after, so the caller can tell the holder what the next try
 * means.
 */
public class PinIncorrectException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #userType()} */
    private final UserType userType;
    /** @serial see {@link #stateAfter()} */
    private final PinState stateAfter;
    /** @serial see {@link #guardStanding()} */
    private final GuardStanding guardStanding;

    /**
     * @param userType whose PIN was wrong
     * @param stateAfter the PIN's state read from the flags after the failure
     * @param cause the PKCS#11 failure
     */
    public PinIncorrectException(UserType userType, PinState stateAfter, Throwable cause) {
        this(userType, stateAfter, false, cause);
    }

    /**
     * @param userType whose PIN was wrong
     * @param stateAfter the PIN's state read from the flags after the failure
     * @param noRetryCounter the token keeps no counter of wrong PINs, so COUNT_LOW says nothing about tries left
     * @param cause the PKCS#11 failure
     */
    public PinIncorrectException(UserType userType, PinState stateAfter, boolean noRetryCounter, Throwable cause) {
        this(userType, stateAfter, noRetryCounter, null, cause);
    }

    /**
     * @param userType whose PIN was wrong
     * @param stateAfter the PIN's state read from the flags after the failure
     * @param noRetryCounter the token keeps no counter of wrong PINs, so COUNT_LOW says nothing about tries left
     * @param guardStanding where the attempt guard stands after counting this PIN; null when it counts nothing
     * @param cause the PKCS#11 failure
     */
    public PinIncorrectException(UserType userType, PinState stateAfter, boolean noRetryCounter,
                                 GuardStanding guardStanding, Throwable cause) {
        super("Wrong " + userType.pinName() + nextTry(userType, stateAfter, noRetryCounter)
                + (guardStanding == null ? "" : "; attempt guard: " + guardStanding.describe()), cause);
        this.userType = userType;
        this.stateAfter = stateAfter;
        this.guardStanding = guardStanding;
    }

    private static String nextTry(UserType userType, PinState state, boolean noRetryCounter) {
        if (noRetryCounter && state == PinState.COUNT_LOW) {
            // SoftHSM sets the flag after any wrong PIN and never locks: say what is known
            return "; this token keeps no count of wrong PINs (its profile says so): only the attempt guard counts";
        }
        switch (state) {
            case FINAL_TRY:
                return "; one more wrong " + userType.pinName() + " locks this token";
            case LOCKED:
                return "; the " + userType.pinName() + " is now locked";
            case COUNT_LOW:
                return "; the token reports few tries left";
            default:
                return "";
        }
    }

    /** @return whose PIN was wrong */
    public UserType userType() {
        return userType;
    }

    /** @return the PIN's state after the failure */
    public PinState stateAfter() {
        return stateAfter;
    }

    /** @return where the attempt guard stands after counting this PIN; empty when it counts nothing */
    public java.util.Optional<GuardStanding> guardStanding() {
        return java.util.Optional.ofNullable(guardStanding);
    }

    /** @return {@link Failure#PIN_INCORRECT} */
    @Override
    public Failure failure() {
        return Failure.PIN_INCORRECT;
    }
}
