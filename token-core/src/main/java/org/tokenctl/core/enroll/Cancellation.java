package org.tokenctl.core.enroll;

import java.time.Duration;

/**
 * Stops enrollments from another thread (a signal handler, a user interface): an
 * enrollment run with this cancellation checks it between its steps, and once it
 * is cancelled fails at the next check, before the step, removing what it had made
 * as for any failure. A PKCS#11 call already under way cannot be interrupted and is
 * let finish. Once the certificate is issued the enrollment is completed rather than
 * undone: storing it is the shortest way to a token in a known state.
 *
 * <p>Thread-safe; one cancellation may serve many enrollments at once (a batch).
 */
public final class Cancellation {

    private volatile String reason;
    private int active;

    /**
     * Asks every enrollment run with this cancellation to stop at its next check.
     *
     * @param why what stopped them, for their error message (e.g. "interrupted by a signal")
     */
    public void cancel(String why) {
        reason = why;
    }

    /** @return whether {@link #cancel} was called */
    public boolean cancelled() {
        return reason != null;
    }

    /**
     * @throws EnrollmentCancelledException if cancelled
     */
    public void check() throws EnrollmentCancelledException {
        String why = reason;
        if (why != null) {
            throw new EnrollmentCancelledException(why);
        }
    }

    /** @return whether an enrollment run with this cancellation is under way */
    public synchronized boolean busy() {
        return active > 0;
    }

    /**
     * Waits until no enrollment run with this cancellation is under way.
     *
     * @param max how long to wait at most
     * @return whether none is under way
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Counts an operation under way until closed, for {@link #busy} and
     * {@link #awaitIdle}: each enrollment counts itself; a caller running several
     * (a batch) may count the whole run, so that it is busy between them too.
     *
     * @return close it when the operation ends
     */
    public synchronized Active begin() {
        active++;
        return this::end;
    }

    private synchronized void end() {
        active--;
        notifyAll();
    }

    /** An operation counted by {@link #begin}. */
    public interface Active extends AutoCloseable {
        @Override
        void close();
    }
}
