package org.tokenctl.core.pin;

/**
 * A client-side count of wrong PINs per token serial, consulted before every
 * attempt so that a script looping with a wrong PIN cannot lock a token (or,
 * on tokens that keep no counter, guess freely).
 *
 * <p>Implementations must be safe for concurrent use by threads and, where they
 * persist state, by processes.
 */
public interface AttemptGuard {

    /**
     * Throws if an attempt on this token must not be made now.
     *
     * @param serial token serial
     * @param userType whose PIN
     * @throws AttemptGuardException if refused, or if the state is unavailable
     */
    void checkAllowed(String serial, UserType userType) throws AttemptGuardException;

    /**
     * Counts a wrong PIN.
     *
     * @param serial token serial
     * @param userType whose PIN
     * @throws AttemptGuardException if the count cannot be recorded
     */
    void recordFailure(String serial, UserType userType) throws AttemptGuardException;

    /**
     * Records a correct PIN (which ends a run of consecutive failures).
     *
     * @param serial token serial
     * @param userType whose PIN
     * @throws AttemptGuardException if the state cannot be updated
     */
    void recordSuccess(String serial, UserType userType) throws AttemptGuardException;

    /**
     * Forgets every count for a token (after the SO unblocked it).
     *
     * @param serial token serial
     * @throws AttemptGuardException if the state cannot be updated
     */
    void reset(String serial) throws AttemptGuardException;

    /** @return a guard that allows everything and records nothing */
    static AttemptGuard disabled() {
        return DisabledGuard.INSTANCE;
    }
}
