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

    /** @serial see {@link #removedAfterwards()} */
    private java.util.List<String> removed = java.util.List.of();

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

    /**
     * Records what the failed operation removed again after this failure (its rollback),
     * so that the message says so: a failure after objects were made on a token must tell
     * the operator whether anything is left. Called once, by the rollback, when everything
     * it made is gone; when something is left an
     * {@link IncompleteOperationException} says what instead.
     *
     * @param objects what was removed, in the order it was made ("private key id=ab01")
     */
    public final void removedAfterwards(java.util.List<String> objects) {
        removed = java.util.List.copyOf(objects);
    }

    /** @return what the operation removed again after this failure; empty when it had made nothing */
    public final java.util.List<String> removedAfterwards() {
        return removed;
    }

    /**
     * @return the one-line description, followed by what the rollback removed, if anything:
     *         "...; nothing is left behind: removed private key id=ab01, public key id=ab01"
     */
    @Override
    public String getMessage() {
        String m = super.getMessage();
        return removed.isEmpty() ? m : m + "; nothing is left behind: removed " + String.join(", ", removed);
    }
}
