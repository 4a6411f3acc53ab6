package org.tokenctl.core;

/**
 * An operation made a change it cannot undo and then failed at a later step
 * (e.g. {@code C_InitToken} succeeded but {@code C_InitPIN} did not). The message
 * says what state the token was left in and what finishes the job.
 */
public class IncompleteOperationException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #completedStep()} */
    private final String completedStep;

    /**
     * @param completedStep what was done and stays done
     * @param message one line: what is left and how to finish
     * @param cause the failure of the later step
     */
    public IncompleteOperationException(String completedStep, String message, Throwable cause) {
        super(message, cause);
        this.completedStep = completedStep;
    }

    /** @return what was done and stays done */
    public String completedStep() {
        return completedStep;
    }

    /** @return {@link Failure#INCOMPLETE} */
    @Override
    public Failure failure() {
        return Failure.INCOMPLETE;
    }
}
