package org.tokenctl.cli.batch;

import java.util.Locale;

/** What batch enrollment did with one token. */
public enum Outcome {
    /** a key was generated and its certificate installed */
    ENROLLED,
    /** the token already held a valid enrollment for the subject (resume): nothing was done */
    ALREADY_ENROLLED,
    /** the enrollment failed; nothing half-made was left (or the error says what was) */
    FAILED,
    /** not tried: the shared PIN had been refused by another token */
    SKIPPED,
    /** renew: every certificate due on the token was renewed */
    RENEWED,
    /** renew: no certificate on the token was due */
    NOTHING_DUE;

    /** @return the name in output: "enrolled", "already-enrolled", "failed", "skipped", "renewed", "nothing-due" */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return whether the token ends the run as it should: enrolled, or with nothing left due */
    public boolean ok() {
        return this == ENROLLED || this == ALREADY_ENROLLED || this == RENEWED || this == NOTHING_DUE;
    }
}
