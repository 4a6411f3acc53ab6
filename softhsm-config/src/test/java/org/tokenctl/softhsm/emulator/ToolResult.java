package org.tokenctl.softhsm.emulator;

/**
 * What one run of an external tool (pkcs11-tool, softhsm2-util) produced.
 *
 * @param command the command line, for assertion messages
 * @param exitCode the process exit code
 * @param stdout everything written to standard output
 * @param stderr everything written to standard error
 * @param millis wall-clock duration of the run
 */
record ToolResult(String command, int exitCode, String stdout, String stderr, long millis) {

  /** Standard output followed by standard error. */
  String output() {
    return stdout + stderr;
  }

  /** A description for assertion messages: command, exit code and output. */
  String describe() {
    return command + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
