package org.tokenctl.core.admin;

import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicy;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;

/**
 * Initialises a token: {@code C_InitToken} with the SO PIN and a label, then
 * {@code C_InitPIN} with the holder's initial user PIN.
 */
public final class TokenInitializer {

    private TokenInitializer() {
    }

    /**
     * Wipes and initialises a token, checking the new PINs against the token's own
     * length range only; see {@link #initialize(Token, Pin, String, Pin, PinPolicy, LoginOptions)}.
     *
     * @param token the token to wipe
     * @param soPin the SO PIN (sets it on a fresh token; must match on an initialised one)
     * @param label the new label (at most 32 bytes of UTF-8)
     * @param userPin the initial user PIN to set
     * @param options how careful the SO PIN attempts must be
     * @return the token's state after initialisation
     * @throws TokenctlException as the full form does
     */
    public static AdminResult initialize(Token token, Pin soPin, String label, Pin userPin, LoginOptions options)
            throws TokenctlException {
        return initialize(token, soPin, label, userPin, PinPolicy.tokenRangeOnly(), options);
    }

    /**
     * Wipes and initialises a token.
     *
     * <p>Everything that can be checked is checked before the token is touched: the
     * label, the user PIN (against {@code userPinPolicy}, whose initial-PIN rule does
     * not apply here: setting the issuer's initial PIN is what initialisation does,
     * and the token's length range), and on an uninitialised token the new SO PIN
     * (the token's length range). {@code C_InitToken} cannot be undone: if setting
     * the user PIN fails afterwards, the result is an
     * {@link IncompleteOperationException} saying so. Once the token is initialised,
     * the attempt guard's counts for it are reset, as after an unblock: the SO has
     * set a new user PIN (a failure to reset is the result's follow-up failure).
     *
     * @param token the token to wipe
     * @param soPin the SO PIN (sets it on a fresh token; must match on an initialised one)
     * @param label the new label (at most 32 bytes of UTF-8)
     * @param userPin the initial user PIN to set
     * @param userPinPolicy the rules the user PIN must meet (length and characters)
     * @param options how careful the SO PIN attempts must be
     * @return the token's state after initialisation (it may have a new serial; the token is
     *         initialised even if that state could not be read)
     * @throws org.tokenctl.core.InvalidInputException if the label is unusable
     * @throws PinPolicyException if a PIN breaks a rule (nothing was sent to the token)
     * @throws org.tokenctl.core.UnsupportedByTokenException if the token refuses C_InitToken
     * @throws org.tokenctl.core.pin.PinIncorrectException if the SO PIN is wrong
     * @throws IncompleteOperationException if the token was wiped but the user PIN could not be set
     * @throws TokenctlException for other failures
     */
    public static AdminResult initialize(Token token, Pin soPin, String label, Pin userPin, PinPolicy userPinPolicy,
                                         LoginOptions options) throws TokenctlException {
        Token.checkLabel(label);
        TokenInfo before = token.info();
        userPinPolicy.withInitialPin(null).check(userPin, null, before, UserType.USER);
        if (!before.initialized()) {
            PinPolicy.tokenRangeOnly().check(soPin, null, before, UserType.SO);
        }
        token.initToken(soPin, label, options);
        try (TokenSession session = token.openSession(true)) {
            session.login(UserType.SO, soPin, options.withInitialPin(null));
            session.initUserPin(userPin);
        } catch (TokenctlException e) {
            throw new IncompleteOperationException("C_InitToken",
                    "Token '" + label + "' was initialised but its user PIN was not set (" + e.getMessage()
                            + "); set it with the SO PIN (unblock)", e);
        }
        // the SO wiped the token and set a new user PIN: as after an unblock, the old counts are void
        TokenctlException guardFailure = null;
        try {
            if (before.initialized()) {
                options.guard().reset(before.serial());
            }
        } catch (TokenctlException e) {
            guardFailure = e;
        }
        return AdminResult.readAfter(token, guardFailure);
    }
}
