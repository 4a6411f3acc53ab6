package org.tokenctl.core.module;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.GuardStanding;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinFinalTryException;
import org.tokenctl.core.pin.PinIncorrectException;
import org.tokenctl.core.pin.PinLockedException;
import org.tokenctl.core.pin.PinNotSetException;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.UntypableCharacters;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.token.PinStatus;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * The login protocol: the one path every PIN-verifying call takes (C_Login,
 * C_SetPIN, C_InitToken). Its order is what keeps the token's tries safe, so it
 * lives here alone and reads top to bottom in {@link #verify}:
 *
 * <ol>
 * <li>the token's flags, read now: no user PIN set, the initial PIN (for a login),
 *     a locked PIN, a final try not allowed, COUNT_LOW reported;</li>
 * <li>the PIN itself, without the token: missing, holding a character no PIN pad
 *     types, or of a length the token cannot hold;</li>
 * <li>the attempt guard reserves the try (refusing when over its limits);</li>
 * <li>the PKCS#11 call;</li>
 * <li>the guard is settled from the answer (right, wrong, or no verdict), and a
 *     wrong PIN reads the flags again so the caller learns what the next try means.</li>
 * </ol>
 *
 * A login also takes the token's login lock, since PKCS#11 logins are per
 * application: a second session of this process that finds the login held does
 * not present its PIN again.
 */
final class PinVerification {

    private PinVerification() {
    }

    /**
     * Logs a session in.
     *
     * @param token the token
     * @param userType user or SO
     * @param pin the PIN, or null for a token with a PIN pad
     * @param options guard, final-try permission, initial PIN, observer
     * @param cLogin the session's C_Login with this PIN
     * @return the token information read before the login
     * @throws TokenctlException the typed PIN failures, or the call's own failure
     */
    static TokenInfo login(Token token, UserType userType, Pin pin, LoginOptions options, Calls.VoidCall cLogin)
            throws TokenctlException {
        synchronized (token.loginLock()) {
            TokenInfo before = token.info();
            // the initial-PIN rule holds even when another session already holds the login
            refuseInitialPin(before, userType, pin, options);
            if (token.acquireLogin(userType)) {
                return before;
            }
            try {
                verify(token, before, userType, pin, options, "C_Login", cLogin);
            } catch (TokenctlException | RuntimeException e) {
                token.releaseLogin(userType);
                throw e;
            }
            return before;
        }
    }

    /**
     * Verifies a PIN with a call other than a login (C_SetPIN, C_InitToken).
     *
     * @param token the token
     * @param userType whose PIN the call verifies
     * @param pin the PIN, or null for a token with a PIN pad
     * @param options guard, final-try permission, observer (the initial-PIN rule does not apply)
     * @param function the PKCS#11 function, for errors
     * @param call the call that verifies the PIN
     * @throws TokenctlException the typed PIN failures, or the call's own failure
     */
    static void verify(Token token, UserType userType, Pin pin, LoginOptions options, String function,
                       Calls.VoidCall call) throws TokenctlException {
        verify(token, token.info(), userType, pin, options, function, call);
    }

    private static void verify(Token token, TokenInfo before, UserType userType, Pin pin, LoginOptions options,
                               String function, Calls.VoidCall call) throws TokenctlException {
        // An uninitialised token has no PINs yet (SoftHSM even flags its SO PIN
        // locked) and no serial to count against.
        boolean counted = before.initialized();
        // 1. the token's flags
        if (userType == UserType.USER) {
            requireUserPinSet(before);
        }
        if (counted) {
            refuseByFlags(before, userType, options);
        }
        // 2. the PIN, judged without the token
        refuseUnusablePin(before, userType, pin, counted);
        // 3. the guard reserves the try
        AttemptGuard.Ticket ticket = counted ? options.guard().begin(before.serial(), userType)
                : AttemptGuard.Ticket.NONE;
        // 4. the call, and 5. the guard settled from its answer
        try {
            token.run(function, call);
        } catch (Pkcs11CallException e) {
            TokenctlException failure = settleFailure(token, before, userType, ticket, counted,
                    options.noRetryCounter(), e);
            if (failure != null) {
                throw failure;
            }
            return;
        } catch (RuntimeException e) {
            ticket.noVerdict();
            throw e;
        }
        ticket.correctPin();
    }

    private static void refuseByFlags(TokenInfo before, UserType userType, LoginOptions options)
            throws TokenctlException {
        PinStatus status = userType == UserType.USER ? before.userPin() : before.soPin();
        if (status.state() == PinState.LOCKED) {
            throw new PinLockedException(userType);
        }
        if (status.state() == PinState.FINAL_TRY && !options.allowFinalTry()) {
            throw new PinFinalTryException(userType);
        }
        if (status.state() == PinState.COUNT_LOW && !options.noRetryCounter()) {
            options.observer().countLow(userType, before);
        }
    }

    private static void refuseUnusablePin(TokenInfo before, UserType userType, Pin pin, boolean counted)
            throws InvalidInputException {
        if (pin == null) {
            // a token with a PIN pad takes no PIN from the application (PKCS#11 v2.40 section 5.6, C_Login)
            if (!before.has(TokenFlag.PROTECTED_AUTHENTICATION_PATH)) {
                throw new InvalidInputException("pin", "No " + userType.pinName() + " given");
            }
            return;
        }
        if (UntypableCharacters.first(pin.chars()) >= 0) {
            throw new InvalidInputException("pin", "The " + userType.pinName() + " contains a control or invisible"
                    + " character that no PIN pad can type; not tried (a wrong PIN costs one of the token's tries)");
        }
        if (counted && userType == UserType.USER) {
            // ulMin/MaxPinLen describe the user PIN in practice; an SO PIN (PUK) may be longer
            refuseImpossibleLength(before, userType, pin);
        }
    }

    /**
     * Turns the call's failure into what it says about the PIN, settling the guard's reservation.
     *
     * @return the failure to throw, or null when the answer means the PIN was accepted earlier
     */
    private static TokenctlException settleFailure(Token token, TokenInfo before, UserType userType,
                                                   AttemptGuard.Ticket ticket, boolean counted,
                                                   boolean noRetryCounter, Pkcs11CallException e)
            throws TokenctlException {
        if (e.ckr() == PKCS11Constants.CKR_PIN_INCORRECT && !counted) {
            // no PIN to be wrong yet: C_InitToken on a fresh token refused the new SO PIN itself
            return new PinPolicyException(PinPolicyException.Rule.TOKEN_REFUSED, userType, "The token refused the new "
                    + userType.pinName() + " (" + e.ckrName() + "); check its length (the token takes "
                    + before.minPinLength() + " to " + before.maxPinLength() + ") and characters", e);
        }
        if (e.ckr() == PKCS11Constants.CKR_PIN_EXPIRED) {
            ticket.correctPin(); // expired, so it was right
            return new InitialPinException(true, e);
        }
        if (e.ckr() == PKCS11Constants.CKR_PIN_INCORRECT) {
            GuardStanding standing = ticket.wrongPin().orElse(null);
            return new PinIncorrectException(userType, stateNow(token, userType), noRetryCounter, standing, e);
        }
        // anything else says nothing about the PIN: withdraw the reservation
        ticket.noVerdict();
        if (e.ckr() == PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN) {
            // another session of this application holds the login (PKCS#11 v2.40 5.6): not a failure
            return null;
        }
        if (e.ckr() == PKCS11Constants.CKR_PIN_LOCKED) {
            return new PinLockedException(userType, e);
        }
        if (e.ckr() == PKCS11Constants.CKR_USER_PIN_NOT_INITIALIZED) {
            return new PinNotSetException(e);
        }
        return e;
    }

    private static PinState stateNow(Token token, UserType userType) {
        try {
            TokenInfo after = token.info();
            return (userType == UserType.USER ? after.userPin() : after.soPin()).state();
        } catch (Pkcs11CallException e) {
            return PinState.OK;
        }
    }

    /**
     * @param token an initialised token's state (an uninitialised one has no PINs at all)
     * @throws PinNotSetException if it has no user PIN, so that no PIN can be right
     */
    private static void requireUserPinSet(TokenInfo token) throws PinNotSetException {
        if (token.initialized() && !token.has(TokenFlag.USER_PIN_INITIALIZED)) {
            throw new PinNotSetException(null);
        }
    }

    /** A user login with the issuer's initial PIN, or on a token that demands a change, is refused. */
    private static void refuseInitialPin(TokenInfo info, UserType userType, Pin pin, LoginOptions options)
            throws TokenctlException {
        if (userType != UserType.USER) {
            return;
        }
        requireUserPinSet(info); // first: changing the initial PIN would not help a token without one
        char[] initial = options.initialPin();
        if (initial == null) {
            return;
        }
        if (info.has(TokenFlag.USER_PIN_TO_BE_CHANGED)) {
            throw new InitialPinException(true);
        }
        if (pin != null && pin.sameAs(initial)) {
            throw new InitialPinException(false);
        }
    }

    /**
     * A PIN longer or shorter than the token can hold cannot be the one it holds:
     * refused without spending one of the token's tries. The token's range is in
     * bytes, and the wrapper sends PINs as UTF-8.
     */
    private static void refuseImpossibleLength(TokenInfo token, UserType userType, Pin pin)
            throws InvalidInputException {
        long min = token.minPinLength();
        long max = token.maxPinLength();
        boolean maxKnown = max > 0 && max < Integer.MAX_VALUE; // 0 or CK_UNAVAILABLE_INFORMATION: no limit
        int bytes = pin.utf8Length();
        if (bytes < min || (maxKnown && bytes > max)) {
            throw new InvalidInputException("pin", "The " + userType.pinName() + " given cannot be right: this token's"
                    + " PINs are " + min + (maxKnown ? " to " + max : " or more") + " bytes long, and it has " + bytes
                    + "; not tried (a wrong PIN costs one of the token's tries)");
        }
    }

    static char[] chars(Pin pin) {
        return pin == null ? null : pin.chars();
    }
}
