package org.tokenctl.core.issue.cmp;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for one whole CMP answer, headers and body. {@link HttpURLConnection}'s read
 * timeout bounds each read only, so a server that trickles a byte now and then never
 * reaches it and holds the enrollment (and the key pair it created) indefinitely. When
 * the deadline passes, the connection is closed from a timer thread: a read blocked in
 * it (in the header parser or in the body) then fails at once, and {@link #expired()}
 * tells that failure apart from any other.
 */
final class AnswerDeadline implements AutoCloseable {

    /** One daemon thread for all transports: it only ever closes connections. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cmp-answer-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long endNanos;
    private final ScheduledFuture<?> closer;
    private volatile boolean fired;

    /**
     * @param connection the connection to close when the time is up
     * @param within how long the whole answer may take, from now
     */
    AnswerDeadline(HttpURLConnection connection, Duration within) {
        this.endNanos = System.nanoTime() + within.toNanos();
        this.closer = TIMER.schedule(() -> {
            fired = true;
            connection.disconnect();
        }, within.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return whether the time is up (the connection is, or is being, closed) */
    boolean expired() {
        return fired || System.nanoTime() - endNanos >= 0;
    }

    /** Cancels the timer; the connection is left as it is. */
    @Override
    public void close() {
        closer.cancel(false);
    }
}
