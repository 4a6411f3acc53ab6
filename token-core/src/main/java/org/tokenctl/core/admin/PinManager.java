package org.tokenctl.core.admin;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicy;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;

/**
 * Changes and resets PINs: {@code C_SetPIN} for the holder (or the SO) changing
 * their own PIN, {@code C_InitPIN} for the SO unblocking the holder.
 *
 * <p>Every new PIN is checked against the policy before any PIN-verifying call,
 * so a bad new PIN never costs a try.
 */
public final class PinManager {

    private PinManager() {
    }

    /**
     * Changes a PIN, knowing the current one.
     *
     * @param token the token
     * @param userType whose PIN: the holder's (no login needed: C_SetPIN verifies the old
     *                 PIN in a public session) or the SO's (logs in as SO first)
     * @param oldPin the current PIN
     * @param newPin the new PIN
     * @param policy the rules the new PIN must meet (intersected with the token's range)
     * @param options how careful the attempts must be; the initial PIN is of course allowed as the old PIN
     * @return the token's state afterwards (the change is made even if that state could not be read)
     * @throws org.tokenctl.core.pin.PinPolicyException if the new PIN breaks the policy (before any attempt)
     *                                                  or the token refuses it
     * @throws org.tokenctl.core.pin.PinIncorrectException if the old PIN is wrong
     * @throws TokenctlException for the other PIN and token failures
     */
    public static AdminResult changePin(Token token, UserType userType, Pin oldPin, Pin newPin, PinPolicy policy,
                                        LoginOptions options) throws TokenctlException {
        policy.check(newPin, oldPin, token.info(), userType);
        LoginOptions o = options.withInitialPin(null);
        try (TokenSession session = token.openSession(true)) {
            if (userType == UserType.SO) {
                session.login(UserType.SO, oldPin, o);
            }
            session.setPin(userType, oldPin, newPin, o);
        }
        return AdminResult.readAfter(token, null);
    }

    /**
     * The SO sets a new user PIN ({@code C_InitPIN}): how a locked or forgotten user
     * PIN is recovered. Also clears the attempt guard's counts for the token.
     *
     * @param token the token
     * @param soPin the SO PIN
     * @param newUserPin the holder's new PIN
     * @param policy the rules the new PIN must meet; pass one without an initial PIN to
     *               reset the token to its initial PIN on purpose
     * @param options how careful the SO attempt must be (its guard is the one reset)
     * @return the token's state afterwards (the PIN is set even if that state, or the
     *         guard reset, failed: see {@link AdminResult#followUpFailure()})
     * @throws TokenctlException as for {@link #changePin}
     */
    public static AdminResult unblock(Token token, Pin soPin, Pin newUserPin, PinPolicy policy, LoginOptions options)
            throws TokenctlException {
        TokenInfo before = token.info();
        policy.check(newUserPin, null, before, UserType.USER);
        try (TokenSession session = token.openSession(true)) {
            session.login(UserType.SO, soPin, options.withInitialPin(null));
            session.initUserPin(newUserPin);
        }
        TokenctlException guardFailure = null;
        try {
            options.guard().reset(before.serial());
        } catch (TokenctlException e) {
            guardFailure = e;
        }
        return AdminResult.readAfter(token, guardFailure);
    }

    /**
     * Clears the attempt guard's counts for a token, after proving SO authority by
     * logging in as SO (the user PIN's count is the SO's to forgive, as at the bank).
     *
     * <p>This cannot clear a count that blocks the SO PIN itself: the guard refuses the
     * login first. That count is cleared without a login, by whoever owns the guard's
     * state ({@link org.tokenctl.core.pin.AttemptGuard#reset}).
     *
     * @param token the token
     * @param soPin the SO PIN
     * @param options how careful the SO attempt must be
     * @throws org.tokenctl.core.pin.AttemptGuardException if the guard refuses the SO login
     * @throws TokenctlException if the SO login fails
     */
    public static void resetGuard(Token token, Pin soPin, LoginOptions options) throws TokenctlException {
        String serial = token.info().serial();
        // an SO login needs a read-write session (PKCS#11 v2.40 5.6: CKR_SESSION_READ_ONLY_EXISTS)
        try (TokenSession session = token.openSession(true)) {
            session.login(UserType.SO, soPin, options.withInitialPin(null));
        }
        options.guard().reset(serial);
    }
}
