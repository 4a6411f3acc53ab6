package org.tokenctl.cli;

import org.tokenctl.core.pin.AttemptGuardException;
import org.tokenctl.core.pin.UserType;

/**
 * What to run when the attempt guard refuses a PIN, by whose PIN it refused: the way
 * out must be one that works for that case. An SO login cannot clear the SO PIN's own
 * count (the guard refuses that login too), so there only {@code guard reset --no-login}
 * helps; the user PIN's count is the SO's to reset, or this machine's owner's when the
 * token was unblocked elsewhere (the issuer's desk keeps its own count, not this one).
 */
final class GuardWayOut {

    private GuardWayOut() {
    }

    /**
     * @param e the refusal
     * @return text to append to its message ("; ..."), or "" when the guard's state itself is the problem
     */
    static String of(AttemptGuardException e) {
        if (e.userType() == null || e.serial() == null) {
            return "";
        }
        String reset = "tokenctl guard reset --serial " + quoted(e.serial());
        String clear = "`" + reset + " --no-login`";
        boolean so = e.userType() == UserType.SO;
        return switch (e.reason()) {
            case CONSECUTIVE_LIMIT -> so
                    ? "; an SO login cannot reset the SO PIN's own count: clear this machine's count with " + clear
                    : "; the SO resets it with `tokenctl unblock` or `" + reset + "` (SO PIN); if the token was"
                            + " unblocked elsewhere, clear this machine's count with " + clear;
            case DAILY_LIMIT -> so
                    ? ", or clear this machine's count now with " + clear
                    : ", or the SO resets it now with `" + reset + "` (SO PIN)";
            case STATE_UNAVAILABLE -> "";
        };
    }

    /** A serial as the shell takes it back: most are hex, but PKCS#11 allows any printable characters. */
    private static String quoted(String serial) {
        return serial.matches("[A-Za-z0-9._:-]+") ? serial : "'" + serial.replace("'", "'\\''") + "'";
    }
}
