package org.tokenctl.cli;

/**
 * Where tokenctl asks questions: the controlling terminal, never stdout (so
 * {@code tokenctl ... > out.json} keeps working).
 */
public interface Terminal {

    /** @return whether there is a person to ask (a console is attached) */
    boolean interactive();

    /**
     * Reads a secret without echo.
     *
     * @param prompt what to ask
     * @return the characters typed, or null at end of input; the caller wipes them
     */
    char[] readSecret(String prompt);

    /**
     * Reads a line with echo.
     *
     * @param prompt what to ask
     * @return the line, or null at end of input
     */
    String readLine(String prompt);

    /**
     * Where a progress bar may be drawn: standard error when it is a terminal
     * (the launcher tells, with {@code -Dtokenctl.stderr.tty=true}: a JVM cannot ask
     * isatty(2) itself), else null and progress is reported as plain lines.
     *
     * @return the terminal's error stream, or null
     */
    default java.io.PrintStream progressStream() {
        return null;
    }
}
