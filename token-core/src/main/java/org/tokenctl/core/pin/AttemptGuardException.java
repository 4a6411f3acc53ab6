package org.tokenctl.core.pin;

import org.tokenctl.core.Failure;

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
        /**
         * too many wrong PINs in a row; allowed again only after the count is reset
         * ({@link AttemptGuard#reset}). For the user PIN that is the SO's to do, after an SO
         * login ({@link org.tokenctl.core.admin.PinManager#resetGuard}); for the SO PIN it cannot
         * wait for an SO login, which this very count refuses: the guard's owner resets it
         */
        CONSECUTIVE_LIMIT,
        /** the guard's state file is unreadable or unwritable: refusing rather than forgetting counts */
        STATE_UNAVAILABLE
    }

    /** @serial see {@link #reason()} */
    private final Reason reason;
    /** @serial see {@link #serial()} */
    private final String serial;
    /** @serial see {@link #userType()} */
    private final UserType userType;
    /** @serial see {@link #until()} */
    private final LocalDate until;

    /**
     * @param reason why
     * @param serial the token serial the counts belong to
     * @param until first day attempts are allowed again (null when only a reset helps)
     * @param message one line
     * @param cause an I/O failure, or null
     */
    public AttemptGuardException(Reason reason, String serial, LocalDate until, String message, Throwable cause) {
        this(reason, serial, null, until, message, cause);
    }

    /**
     * @param reason why
     * @param serial the token serial the counts belong to
     * @param userType whose PIN was refused (null when the state itself is unavailable)
     * @param until first day attempts are allowed again (null when only a reset helps)
     * @param message one line
     * @param cause an I/O failure, or null
     */
    public AttemptGuardException(Reason reason, String serial, UserType userType, LocalDate until, String message,
                                 Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.serial = serial;
        this.userType = userType;
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

    /**
     * Whose PIN the guard refused: the way out differs, since an SO login cannot clear
     * the SO PIN's own count.
     *
     * @return the user type, or null when the state is unavailable
     */
    public UserType userType() {
        return userType;
    }

    /** @return the first day attempts are allowed again, or null */
    public LocalDate until() {
        return until;
    }

    /** @return {@link Failure#ATTEMPT_GUARD} */
    @Override
    public Failure failure() {
        return Failure.ATTEMPT_GUARD;
    }
}
