package org.tokenctl.core.enroll;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * An enrollment stopped at a {@link Cancellation} check; what it had made was removed
 * (the message names it, see {@link TokenctlException#removedAfterwards()}).
 */
public class EnrollmentCancelledException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /**
     * @param why what stopped it
     */
    public EnrollmentCancelledException(String why) {
        super("Enrollment stopped (" + why + ") before it finished");
    }

    /** @return {@link Failure#CANCELLED} */
    @Override
    public Failure failure() {
        return Failure.CANCELLED;
    }
}
