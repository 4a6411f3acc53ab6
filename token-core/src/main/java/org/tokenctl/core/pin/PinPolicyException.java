package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11;

/** A new PIN breaks the PIN policy; nothing was sent to the token. */
public class PinPolicyException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** The rule that failed. */
    public enum Rule {
        /** too short or too long (policy range intersected with the token's own) */
        LENGTH,
        /** a character outside the allowed set */
        CHARACTERS,
        /** the issuer's initial PIN cannot be the holder's own */
        INITIAL_PIN,
        /** the new PIN equals the current one */
        SAME_AS_CURRENT,
        /** the policy and the token's own PIN length range do not overlap */
        UNSATISFIABLE,
        /** the token itself refused the new PIN (CKR_PIN_LEN_RANGE, CKR_PIN_INVALID) */
        TOKEN_REFUSED
    }

    /** @serial see {@link #rule()} */
    private final Rule rule;

    /** @serial see {@link #userType()} */
    private final UserType userType;

    /**
     * @param rule the rule that failed
     * @param userType whose new PIN it is, or null when unknown
     * @param message one line naming the PIN and the rule, e.g. "The new user PIN must be 6 to 10
     *                characters; got 5"
     */
    public PinPolicyException(Rule rule, UserType userType, String message) {
        this(rule, userType, message, null);
    }

    /**
     * @param rule the rule that failed
     * @param userType whose new PIN it is, or null when unknown
     * @param message one line naming the PIN and the rule
     * @param cause the token's refusal, or null when the policy refused before any call
     */
    public PinPolicyException(Rule rule, UserType userType, String message, Throwable cause) {
        super(message, cause);
        this.rule = rule;
        this.userType = userType;
    }

    /**
     * Converts the token's refusal of a new PIN, if that is what a failure is.
     *
     * @param e a PKCS#11 failure from C_SetPIN, C_InitPIN or C_InitToken
     * @param userType whose new PIN the call set
     * @return the policy exception, or null when the failure is about something else
     */
    public static PinPolicyException fromToken(org.tokenctl.core.module.Pkcs11CallException e, UserType userType) {
        long ckr = e.ckr();
        if (ckr != Pkcs11.CKR_PIN_LEN_RANGE
                && ckr != Pkcs11.CKR_PIN_INVALID) {
            return null;
        }
        return new PinPolicyException(Rule.TOKEN_REFUSED, userType, "The token refused the new "
                + userType.pinName() + " (" + e.ckrName()
                + "); check its length and characters against the token's rules", e);
    }

    /** @return the rule that failed */
    public Rule rule() {
        return rule;
    }

    /** @return whose new PIN was refused: the user's or the SO's; null when not known */
    public UserType userType() {
        return userType;
    }

    /** @return {@link Failure#PIN_POLICY} */
    @Override
    public Failure failure() {
        return Failure.PIN_POLICY;
    }
}
