package org.tokenctl.core;

import java.util.Optional;

/**
 * The one checked exception root of token-core.
 *
 * <p>Subtypes carry the data a caller needs to decide what to do (the CKR code,
 * the PIN flags, the labels that were found, the rule that was violated) and a
 * one-line message built from that data. Messages never contain a PIN.
 */
public abstract class TokenctlException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #remedy()} */
    private final Remedy remedy;

    /**
     * @param message a one-line description, built from the subtype's data
     */
    protected TokenctlException(String message) {
        this(message, null, null);
    }

    /**
     * @param message a one-line description, built from the subtype's data
     * @param cause the underlying failure, kept for {@code --verbose} and debugging
     */
    protected TokenctlException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param message a one-line description, built from the subtype's data
     * @param cause the underlying failure, or null
     * @param remedy the caller's setting that mends it, or null
     */
    protected TokenctlException(String message, Throwable cause, Remedy remedy) {
        super(message, cause);
        this.remedy = remedy;
    }

    /** @return what kind of failure this is; every concrete type says (the compiler sees to it) */
    public abstract Failure failure();

    /** @return the setting a caller can change to get past this failure, when one does */
    public Optional<Remedy> remedy() {
        return Optional.ofNullable(remedy);
    }
}
