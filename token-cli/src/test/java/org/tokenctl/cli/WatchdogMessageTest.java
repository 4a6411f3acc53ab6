package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A timeout claims the token's state is unknown only when a PKCS#11 call was cut short. */
class WatchdogMessageTest {

    @Test
    void withNoCallRunningTheTokenIsNotSaidToBeInDoubt() {
        String m = Watchdog.message(Duration.ofSeconds(7), Map.of());
        assertTrue(m.startsWith("tokenctl: timed out after 7 s: no PKCS#11 call was running"), m);
        assertFalse(m.contains("unknown"), m);
        assertFalse(m.contains("list --objects"), m);
    }

    @Test
    void aCallThatDidNotReturnIsNamedAndTheStateIsUnknown() {
        String m = Watchdog.message(Duration.ofSeconds(30), Map.of(Thread.currentThread(), "C_GenerateKeyPair"));
        assertTrue(m.contains("C_GenerateKeyPair did not return"), m);
        assertTrue(m.contains("what the operation left on the token is unknown"), m);
    }
}
