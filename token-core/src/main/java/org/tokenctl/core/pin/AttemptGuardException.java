package org.tokenctl.core.pin;

import java.time.LocalDate;

import org.tokenctl.core.TokenctlException;

/**
 * The attempt guard refused a PIN attempt before it reached the token (too many
 * wrong PINs recently), or its state could not be read or written.
 */
public class AttemptGuardException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** Why the guard stopped the attempt. */
    public enum Reason {
        /** too many wrong PINs today; allowed again from {@link #until()} */
        DAILY_LIMIT,
        /** too many wrong PINs in a row; allowed again only after a reset by the SO */
        CONSECUTIVE_LIMIT,
        /** the guard's state file is unreadable or unwritable: refusing rather than forgetting counts */
        STATE_UNAVAILABLE
    }

    private final Reason reason;
    private final String serial;
    private final LocalDate until;

    /**
     * @param reason why
     * @param serial the token serial the counts belong to
     * @param until first day attempts are allowed again (null when only a reset helps)
     * @param message one line
     * @param cause an I/O failure, or null
     */
    public AttemptGuardException(Reason reason, String serial, LocalDate until, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.serial = serial;
        this.until = until;
    }

    /** @return why */
    public Reason reason() {
        return reason;
    }

    /** @return the token serial */
    public String serial() {
        return serial;
    }

    /** @return the first day attempts are allowed again, or null */
    public LocalDate until() {
        return until;
    }
}
