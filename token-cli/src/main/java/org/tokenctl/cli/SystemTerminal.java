package org.tokenctl.cli;

import java.io.Console;

/** The process's console ({@link System#console()}); not interactive when there is none. */
final class SystemTerminal implements Terminal {

    private final Console console = System.console();

    @Override
    public boolean interactive() {
        return console != null;
    }

    @Override
    public char[] readSecret(String prompt) {
        return console == null ? null : console.readPassword("%s", prompt);
    }

    @Override
    public String readLine(String prompt) {
        return console == null ? null : console.readLine("%s", prompt);
    }

    @Override
    public java.io.PrintStream progressStream() {
        return Boolean.getBoolean("tokenctl.stderr.tty") ? System.err : null;
    }
}
