package org.tokenctl.core.issue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CryptoWarmUpTest {

    @Test
    void theWarmUpRunsEveryStepToAVerifiedRequestAndCertificate() throws Exception {
        assertTrue(CryptoWarmUp.run());
    }

    @Test
    void startRunsOnADaemonThreadThatEnds() throws InterruptedException {
        Thread t = CryptoWarmUp.start();
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertNull(t, "on one CPU the warm-up would only compete with the work");
            return;
        }
        assertNotNull(t);
        assertTrue(t.isDaemon(), "a warm-up must never keep the process alive");
        t.join(60_000);
        assertFalse(t.isAlive(), "the warm-up did not finish within a minute");
    }
}
