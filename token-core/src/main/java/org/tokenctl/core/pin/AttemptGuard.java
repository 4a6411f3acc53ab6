package org.tokenctl.core.pin;

/**
 * A client-side count of wrong PINs per token serial, consulted before every
 * attempt so that a script looping with a wrong PIN cannot lock a token (or, on
 * tokens that keep no counter, guess freely).
 *
 * <p>An attempt is reserved before it is made ({@link #begin}): the reservation
 * counts as a wrong PIN until the outcome is known, so concurrent processes can
 * never together exceed a limit, and a crash mid-attempt errs on the safe side.
 * Implementations must be safe for concurrent use by threads and, where they
 * persist state, by processes.
 */
public interface AttemptGuard {

    /** The outcome of one reserved attempt; exactly one method is called. */
    interface Ticket {

        /** A ticket for attempts the guard does not count (an uninitialised token, a disabled guard). */
        Ticket NONE = new Ticket() {
            @Override
            public java.util.Optional<GuardStanding> wrongPin() {
                return java.util.Optional.empty(); // nothing counted
            }

            @Override
            public void correctPin() {
                // nothing counted
            }

            @Override
            public void noVerdict() {
                // nothing counted
            }
        };

        /**
         * The token refused the PIN: the reservation stands as a wrong PIN.
         *
         * @return where the guard now stands for this PIN; empty when it counts nothing
         * @throws AttemptGuardException if the state cannot be updated
         */
        java.util.Optional<GuardStanding> wrongPin() throws AttemptGuardException;

        /**
         * The PIN was right: the reservation is withdrawn and the run of consecutive failures ends.
         *
         * @throws AttemptGuardException if the state cannot be updated
         */
        void correctPin() throws AttemptGuardException;

        /**
         * The attempt ended without telling whether the PIN was right (device error,
         * PIN already locked): the reservation is withdrawn.
         *
         * @throws AttemptGuardException if the state cannot be updated
         */
        void noVerdict() throws AttemptGuardException;
    }

    /**
     * Reserves one PIN attempt on a token, or refuses it.
     *
     * @param serial token serial
     * @param userType whose PIN
     * @return the reservation, to be settled with the attempt's outcome
     * @throws AttemptGuardException if the attempt must not be made, or if the state is unavailable
     */
    Ticket begin(String serial, UserType userType) throws AttemptGuardException;

    /**
     * Forgets every count for a token, user and SO PIN alike: after the SO unblocked it
     * or proved authority by logging in, or when the guard's owner clears it without a
     * login. The latter is the only way to clear a count that blocks the SO PIN, since it
     * refuses the SO login itself; the guard is a safety net in its owner's state, not an
     * access control.
     *
     * @param serial token serial
     * @throws AttemptGuardException if the state cannot be updated
     */
    void reset(String serial) throws AttemptGuardException;

    /**
     * Lets withdrawals of reservations (a correct PIN, an attempt without verdict) wait
     * for the guard's next write in this process, or until the returned scope is
     * closed, instead of each costing a state write of its own: for a batch of logins,
     * one write per login instead of two. What any caller of a guard on the same state
     * in this process sees is unchanged. A withdrawal lost to a crash leaves its
     * reservation standing as a wrong PIN, the safe side, as a crash between a
     * reservation and its outcome always could. Scopes may nest and overlap; withdrawals
     * wait while any is open.
     *
     * @return the scope, to be closed when the batch ends
     */
    default Deferral deferWithdrawals() {
        return () -> { };
    }

    /** A scope of {@link #deferWithdrawals}; closing it writes what waits. */
    interface Deferral extends AutoCloseable {
        /**
         * Ends the scope; once no scope is open, the withdrawals waiting are written.
         *
         * @throws AttemptGuardException if they cannot be written (their reservations then stand)
         */
        @Override
        void close() throws AttemptGuardException;
    }

    /** @return a guard that allows everything and records nothing */
    static AttemptGuard disabled() {
        return DisabledGuard.INSTANCE;
    }
}
