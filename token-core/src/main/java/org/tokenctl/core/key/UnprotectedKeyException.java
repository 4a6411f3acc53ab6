package org.tokenctl.core.key;

import org.tokenctl.core.UnsupportedByTokenException;

/**
 * The token generated a key pair but did not honour the non-exportable template:
 * read back, the private key fails one of the {@link KeyProtection} requirements.
 * Such a key is never kept.
 */
public class UnprotectedKeyException extends UnsupportedByTokenException {

    private static final long serialVersionUID = 1L;

    private final transient KeyProtection violated;
    /** @serial see {@link #reported()} */
    private final Boolean reported;

    /**
     * @param violated the first requirement the key fails
     * @param reported what the token reported (null: not reported)
     * @param deleted whether the key pair has been deleted again
     */
    public UnprotectedKeyException(KeyProtection violated, Boolean reported, boolean deleted) {
        super(violated.attribute(), "The token did not honour " + violated.requirement() + " for the new private key"
                + " (it reports " + (reported == null ? "nothing" : reported) + ")"
                + (deleted ? "; the key pair was deleted" : ""));
        this.violated = violated;
        this.reported = reported;
    }

    /** @return the requirement the key failed */
    public KeyProtection violated() {
        return violated;
    }

    /** @return the value the token reported, or null when it reported none */
    public Boolean reported() {
        return reported;
    }
}
