package org.tokenctl.core.module;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinFinalTryException;
import org.tokenctl.core.pin.PinIncorrectException;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.PinLockedException;
import org.tokenctl.core.pin.PinNotSetException;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.token.PinStatus;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * The one path every PIN-verifying call takes (C_Login, C_SetPIN, C_InitToken):
 * read the flags (refuse a locked PIN, refuse a final try unless allowed, report
 * COUNT_LOW), ask the attempt guard, make the call, and on
 * {@code CKR_PIN_INCORRECT} count it and read the flags again so the caller
 * learns what the next try means.
 */
final class PinAttempts {

    private PinAttempts() {
    }

    /**
     * @param token the token
     * @param before its state just before the attempt
     * @param userType whose PIN is verified
     * @param pin the PIN, or null for a PIN-pad token
     * @param options guard, final-try permission, observer
     * @param function the PKCS#11 function, for errors
     * @param call the call that verifies the PIN
     * @throws TokenctlException the typed PIN failures, or the call's own failure
     */
    static void attempt(Token token, TokenInfo before, UserType userType, Pin pin, LoginOptions options,
                        String function, Calls.VoidCall call) throws TokenctlException {
        // An uninitialised token has no PINs yet (SoftHSM even flags its SO PIN
        // locked) and no serial to count against.
        boolean counted = before.initialized();
        if (counted) {
            PinStatus status = userType == UserType.USER ? before.userPin() : before.soPin();
            if (status.state() == PinState.LOCKED) {
                throw new PinLockedException(userType);
            }
            if (status.state() == PinState.FINAL_TRY && !options.allowFinalTry()) {
                throw new PinFinalTryException(userType);
            }
            if (status.state() == PinState.COUNT_LOW) {
                options.observer().countLow(userType, before);
            }
        }
        if (pin == null && !before.has(TokenFlag.PROTECTED_AUTHENTICATION_PATH)) {
            throw new InvalidInputException("pin", "No " + userType.pinName() + " given");
        }
        if (userType == UserType.USER) {
            requireUserPinSet(before);
        }
        if (counted && pin != null && userType == UserType.USER) {
            // ulMin/MaxPinLen describe the user PIN in practice; an SO PIN (PUK) may be longer
            refuseImpossibleLength(before, userType, pin);
        }
        AttemptGuard.Ticket ticket = counted ? options.guard().begin(before.serial(), userType)
                : AttemptGuard.Ticket.NONE;
        try {
            token.run(function, call);
        } catch (Pkcs11CallException e) {
            if (e.ckr() == PKCS11Constants.CKR_PIN_INCORRECT && !counted) {
                // no PIN to be wrong yet: C_InitToken on a fresh token refused the new SO PIN itself
                throw new PinPolicyException(PinPolicyException.Rule.TOKEN_REFUSED, "The token refused the new "
                        + userType.pinName() + " (" + e.ckrName() + "); check its length (the token takes "
                        + before.minPinLength() + " to " + before.maxPinLength() + ") and characters", e);
            }
            if (e.ckr() == PKCS11Constants.CKR_PIN_EXPIRED) {
                ticket.correctPin(); // expired, so it was right
                throw new InitialPinException(true, e);
            }
            if (e.ckr() == PKCS11Constants.CKR_PIN_INCORRECT) {
                ticket.wrongPin();
                throw new PinIncorrectException(userType, stateNow(token, userType), e);
            }
            // anything else says nothing about the PIN: withdraw the reservation
            ticket.noVerdict();
            if (e.ckr() == PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN) {
                return; // another session of this application holds the login (PKCS#11 v2.40 5.6)
            }
            if (e.ckr() == PKCS11Constants.CKR_PIN_LOCKED) {
                throw new PinLockedException(userType, e);
            }
            if (e.ckr() == PKCS11Constants.CKR_USER_PIN_NOT_INITIALIZED) {
                throw new PinNotSetException(e);
            }
            throw e;
        } catch (RuntimeException e) {
            ticket.noVerdict();
            throw e;
        }
        ticket.correctPin();
    }

    private static PinState stateNow(Token token, UserType userType) {
        try {
            TokenInfo after = token.info();
            return (userType == UserType.USER ? after.userPin() : after.soPin()).state();
        } catch (Pkcs11CallException e) {
            return PinState.OK;
        }
    }

    /** A token with a PIN pad takes no PIN from the application (PKCS#11 v2.40 section 5.6, C_Login). */
    /**
     * @param token an initialised token's state (an uninitialised one has no PINs at all)
     * @throws PinNotSetException if it has no user PIN, so that no PIN can be right
     */
    static void requireUserPinSet(TokenInfo token) throws PinNotSetException {
        if (token.initialized() && !token.has(TokenFlag.USER_PIN_INITIALIZED)) {
            throw new PinNotSetException(null);
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
