package org.tokenctl.cli;

/**
 * tokenctl's exit codes. Scripts depend on these numbers: never renumber, only
 * add. The table in {@code --help} and in docs/exit-codes.md is generated from (and
 * tested against) this enum.
 */
public enum ExitCode {
    /** success */
    OK(0, "success"),
    /** an unexpected failure (a bug: please report it with --verbose output) */
    ERROR(1, "unexpected error (run with --verbose and report it)"),
    /** the command line is wrong */
    USAGE(2, "invalid command line (unknown option, missing argument, PIN on argv)"),
    /** the PKCS#11 module cannot be loaded or initialised */
    MODULE(3, "PKCS#11 module cannot be found, loaded or initialised"),
    /** no token, or more than one, matches */
    TOKEN_NOT_FOUND(4, "no token (or more than one) matches the selection"),
    /** the token refused the PIN */
    PIN_INCORRECT(5, "wrong PIN"),
    /** the PIN is locked, or the user PIN was never set: either way the SO must set it */
    PIN_LOCKED(6, "PIN locked, or no user PIN set yet"),
    /** refused to spend the token's final PIN try */
    PIN_FINAL_TRY(7, "one try left: refused without --allow-final-try"),
    /** the client-side attempt guard refused */
    ATTEMPT_GUARD(8, "too many wrong PINs recently: the attempt guard refused"),
    /** a new PIN breaks the PIN policy */
    PIN_POLICY(9, "new PIN violates the PIN policy"),
    /** the token still has its initial PIN */
    INITIAL_PIN(10, "the token still has its initial PIN: change it first"),
    /** an input file or value is unusable */
    INVALID_INPUT(11, "invalid input (file, label, DN, certificate, key spec...)"),
    /** a PKCS#11 call failed */
    TOKEN_ERROR(12, "the token or module reported an error"),
    /** the token cannot do what was asked */
    NOT_SUPPORTED(13, "the token does not support the operation"),
    /** a destructive command was not confirmed */
    ABORTED(14, "not confirmed: nothing was changed"),
    /** a step that cannot be undone succeeded and a later one failed */
    INCOMPLETE(15, "partly done: a step that cannot be undone succeeded, a later one failed"),
    /** the CA (local, CMP) did not issue a certificate */
    ISSUANCE(16, "the CA refused or failed to issue (or revoke) the certificate"),
    /** a certificate does not belong to the key it should */
    CERT_MISMATCH(17, "the certificate does not match the key on the token"),
    /** the module did not return in time */
    TIMEOUT(18, "the token or its module did not answer in time (--timeout)"),
    /** A signal stopped an enrollment; the process itself exits 130 (SIGINT) or 143 (SIGTERM). */
    INTERRUPTED(19, "interrupted (SIGINT, SIGTERM); the enrollment under way was rolled back"),
    /** batch-enroll, renew --all-tokens: some tokens failed or were skipped, the others are done */
    BATCH_PARTIAL(20, "a batch: some tokens failed or were skipped, the others were done"),
    /** batch-enroll, renew --all-tokens: no token is done */
    BATCH_FAILED(21, "a batch: no token was done"),
    /** expiry (and renew --expiring with nothing renewed): a certificate is within the window */
    EXPIRING(22, "expiry: a certificate expires within the window (--within)"),
    /** expiry: a certificate's notAfter has passed */
    EXPIRED(23, "expiry: a certificate has expired");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** @return the process exit status */
    public int code() {
        return code;
    }

    /** @return one line for the exit-code table */
    public String description() {
        return description;
    }

    /** @return the table as picocli's help section wants it: code to description */
    public static java.util.Map<String, String> helpTable() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (ExitCode e : values()) {
            String n = Integer.toString(e.code);
            m.put("   ".substring(n.length()) + n, e.description);
        }
        return m;
    }
}
