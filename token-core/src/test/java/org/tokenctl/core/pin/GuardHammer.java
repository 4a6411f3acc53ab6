package org.tokenctl.core.pin;

import java.nio.file.Path;
import java.time.Clock;

/** Records wrong PINs against a shared state file from a process of its own (for the concurrency test). */
public final class GuardHammer {

    private GuardHammer() {
    }

    /**
     * @param args state file, serial, number of wrong PINs
     * @throws Exception if the guard fails
     */
    public static void main(String[] args) throws Exception {
        FileAttemptGuard g = new FileAttemptGuard(Path.of(args[0]), new GuardLimits(1_000_000, 1_000_000),
                Clock.systemDefaultZone());
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            g.begin(args[1], UserType.USER).wrongPin();
        }
    }
}
