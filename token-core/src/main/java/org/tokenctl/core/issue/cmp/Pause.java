package org.tokenctl.core.issue.cmp;

import java.time.Duration;

/**
 * How CMP polling waits between pollReqs. With the issuer's {@link java.time.Clock}
 * it makes polling testable without real waits: a test pauses a manual clock
 * forward instead of sleeping.
 */
@FunctionalInterface
interface Pause {

    /** Sleeps the calling thread. */
    Pause REAL = d -> Thread.sleep(d.toMillis());

    /**
     * @param duration how long to wait
     * @throws InterruptedException if the wait is interrupted
     */
    void pause(Duration duration) throws InterruptedException;
}
