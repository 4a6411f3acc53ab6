package org.tokenctl.cli;

/** A failure the CLI itself detects (a PIN source it cannot read, a refused confirmation), with its exit code. */
public class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    /**
     * @param exitCode the documented exit code
     * @param message one line, saying what to do
     */
    public CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode the documented exit code
     * @param message one line, saying what to do
     * @param cause the underlying failure
     */
    public CliException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the exit code */
    public ExitCode exitCode() {
        return exitCode;
    }
}
