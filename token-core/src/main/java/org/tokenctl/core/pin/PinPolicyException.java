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

    /**
     * @param rule the rule that failed
     * @param message one line naming the rule, e.g. "PIN must be 6 to 10 characters; got 5"
     */
    public PinPolicyException(Rule rule, String message) {
        this(rule, message, null);
    }

    /**
     * @param rule the rule that failed
     * @param message one line naming the rule
     * @param cause the token's refusal, or null when the policy refused before any call
     */
    public PinPolicyException(Rule rule, String message, Throwable cause) {
        super(message, cause);
        this.rule = rule;
    }

    /**
     * Converts the token's refusal of a new PIN, if that is what a failure is.
     *
     * @param e a PKCS#11 failure from C_SetPIN, C_InitPIN or C_InitToken
     * @return the policy exception, or null when the failure is about something else
     */
    public static PinPolicyException fromToken(org.tokenctl.core.module.Pkcs11CallException e) {
        long ckr = e.ckr();
        if (ckr != Pkcs11.CKR_PIN_LEN_RANGE
                && ckr != Pkcs11.CKR_PIN_INVALID) {
            return null;
        }
        return new PinPolicyException(Rule.TOKEN_REFUSED, "The token refused the new PIN (" + e.ckrName()
                + "); check its length and characters against the token's rules", e);
    }

    /** @return the rule that failed */
    public Rule rule() {
        return rule;
    }

    /** @return {@link Failure#PIN_POLICY} */
    @Override
    public Failure failure() {
        return Failure.PIN_POLICY;
    }
}
