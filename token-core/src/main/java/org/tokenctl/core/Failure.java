package org.tokenctl.core;

/**
 * What kind of failure a {@link TokenctlException} is, for callers that act on the
 * kind rather than on the exception's class: the CLI maps each to its exit code
 * with an exhaustive switch, so a new kind does not compile until it has one, and
 * every new exception type must say its kind ({@link TokenctlException#failure()}
 * is abstract).
 */
public enum Failure {
    /** the token still has its issuer's initial user PIN, or demands a change */
    INITIAL_PIN,
    /** the token refused the PIN (or a shared PIN was refused earlier in a batch) */
    PIN_INCORRECT,
    /** the token has no user PIN yet */
    PIN_NOT_SET,
    /** the PIN is locked */
    PIN_LOCKED,
    /** one try is left and spending it was not allowed */
    PIN_FINAL_TRY,
    /** a new PIN breaks the PIN policy, or the token refused it */
    PIN_POLICY,
    /** the client-side attempt guard refused, or its state is unusable */
    ATTEMPT_GUARD,
    /** the PKCS#11 module cannot be found, loaded or initialised */
    MODULE,
    /** no token, or more than one, matches the selection */
    TOKEN_SELECTION,
    /** an input (file, label, name, option value) is unusable */
    INVALID_INPUT,
    /** the token cannot do what was asked */
    NOT_SUPPORTED,
    /** the CA refused or failed to issue */
    ISSUANCE,
    /** a certificate does not certify the key it should */
    CERT_MISMATCH,
    /** the operation was cancelled (a signal) and rolled back */
    CANCELLED,
    /** a step that cannot be undone succeeded and a later one failed */
    INCOMPLETE,
    /** the token or its module reported an error */
    TOKEN_ERROR
}
