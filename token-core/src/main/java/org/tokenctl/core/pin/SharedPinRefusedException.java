package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * A PIN shared by several tokens was not tried on this one, because another
 * token already refused it ({@code CKR_PIN_INCORRECT}): trying a known-wrong PIN
 * on every token in turn would spend a try on each (issue 7).
 */
public class SharedPinRefusedException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #refusedBy()} */
    private final String refusedBy;

    /**
     * @param refusedBy the token that refused the shared PIN (label and serial, for the message)
     */
    public SharedPinRefusedException(String refusedBy) {
        super("Not tried: token " + refusedBy + " refused the shared user PIN as wrong; give this token its own"
                + " PIN source or correct the shared one");
        this.refusedBy = refusedBy;
    }

    /** @return the token that refused the shared PIN */
    public String refusedBy() {
        return refusedBy;
    }

    /** @return {@link Failure#PIN_INCORRECT} */
    @Override
    public Failure failure() {
        return Failure.PIN_INCORRECT;
    }
}
