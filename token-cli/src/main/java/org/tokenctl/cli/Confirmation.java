package org.tokenctl.cli;

import java.util.Locale;

/** Asks before destructive commands, on the terminal (stderr side), unless --force. */
final class Confirmation {

    private Confirmation() {
    }

    /**
     * @param ctx the terminal and stderr
     * @param force --force was given
     * @param what what will be destroyed, e.g. "wipe slot 3 'alice' (serial 1234): every key ... destroyed"
     * @throws CliException (ABORTED) if not confirmed, or if there is no terminal to ask on
     */
    static void require(CliContext ctx, boolean force, String what) throws CliException {
        if (force) {
            return;
        }
        if (!ctx.terminal().interactive()) {
            throw new CliException(ExitCode.ABORTED, "Refusing to " + what + " without confirmation (no terminal"
                    + " to ask on); pass --force to proceed. Nothing was changed");
        }
        ctx.err().println("This will " + what + ".");
        ctx.err().flush();
        String answer = ctx.terminal().readLine("Type 'yes' to continue: ");
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).equals("yes")) {
            throw new CliException(ExitCode.ABORTED, "Not confirmed; nothing was changed");
        }
    }
}
