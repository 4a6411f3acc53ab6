package org.tokenctl.core;

/**
 * The one checked exception root of token-core.
 *
 * <p>Subtypes carry the data a caller needs to decide what to do (the CKR code,
 * the PIN flags, the labels that were found, the rule that was violated) and a
 * one-line message built from that data. Messages never contain a PIN.
 */
public class TokenctlException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message a one-line description, built from the subtype's data
     */
    public TokenctlException(String message) {
        super(message);
    }

    /**
     * @param message a one-line description, built from the subtype's data
     * @param cause the underlying failure, kept for {@code --verbose} and debugging
     */
    public TokenctlException(String message, Throwable cause) {
        super(message, cause);
    }
}
