package org.tokenctl.core;

/**
 * What a caller can change to get past a failure, when one setting mends it.
 *
 * <p>token-core's messages describe a problem in the library's terms; a caller's
 * interface knows which of its own controls corresponds (the CLI names an option, a
 * GUI could focus a field). See {@link TokenctlException#remedy()}.
 */
public enum Remedy {
    /** Allow an existing file to be replaced. */
    REPLACE_EXISTING,
    /** Choose another key id, or let the library derive one from the public key. */
    KEY_ID,
    /** Enroll the key pair already on the token (named by its id in the message) instead of a new one. */
    EXISTING_KEY,
    /** Choose another certificate validity (in days). */
    VALIDITY,
    /** Write the certificate and the key to different files. */
    SEPARATE_OUTPUTS,
    /** Give the certificate or CA that may sign CMP answers. */
    CMP_TRUST_ANCHORS,
    /** Give the CA of the CMP server's TLS certificate. */
    CMP_TLS_TRUST_ANCHORS,
    /** Wait longer for a CMP server that answers "waiting". */
    CMP_POLL_TIMEOUT,
    /** Give the shared secret that protects CMP messages. */
    CMP_SHARED_SECRET,
    /** Check the reference value (sender KID) the shared secret belongs to. */
    CMP_REFERENCE,
    /** Make a second key pair under a label another one already carries, on purpose. */
    DUPLICATE_LABEL
}
