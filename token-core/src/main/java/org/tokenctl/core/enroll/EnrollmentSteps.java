package org.tokenctl.core.enroll;

/**
 * Told as each step of an enrollment begins, so that a user interface can show
 * what a step that takes seconds is doing (an RSA-4096 key generated on the token,
 * a CMP round trip that the CA answers with "wait"). Called on the enrollment's
 * own thread, between PKCS#11 calls; an implementation must return quickly and
 * must not throw. {@link #NONE} ignores them.
 */
@FunctionalInterface
public interface EnrollmentSteps {

    /** The steps, in the order an enrollment takes them. */
    enum Step {
        /** the key pair is generated (on the token, or in software for a file), or an existing one read */
        KEY,
        /** the certificate request is built and signed with the key */
        REQUEST,
        /** the issuer is asked for the certificate (a local signature, or a CA's round trips) */
        ISSUE,
        /** the certificate is checked and stored beside the key */
        STORE
    }

    /** Ignores every step. */
    EnrollmentSteps NONE = step -> {
    };

    /**
     * @param step the step that begins now
     */
    void begins(Step step);
}
