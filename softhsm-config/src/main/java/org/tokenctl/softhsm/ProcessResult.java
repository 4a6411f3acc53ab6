package org.tokenctl.softhsm;

/**
 * What a finished child process left behind.
 *
 * @param exitCode its exit status
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record ProcessResult(int exitCode, String stdout, String stderr) {

    /** @return stdout and stderr together, for assertion messages */
    public String both() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }

    /**
     * Fails unless the process exited with 0.
     *
     * @return this, for chaining
     * @throws AssertionError naming the output when the exit code is not 0
     */
    public ProcessResult assertOk() {
        if (exitCode != 0) {
            throw new AssertionError("command failed: " + both());
        }
        return this;
    }
}
