package org.tokenctl.core.issue;

import org.tokenctl.core.Failure;

import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;

/** The CA refused or failed to issue a certificate. */
public class IssuanceException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #issuer()} */
    private final String issuer;

    /**
     * @param issuer which CA, e.g. "local CA 'CN=Demo CA'"
     * @param message one line: what went wrong and what to do
     */
    public IssuanceException(String issuer, String message) {
        super(message);
        this.issuer = issuer;
    }

    /**
     * @param issuer which CA
     * @param message one line
     * @param cause the underlying failure
     */
    public IssuanceException(String issuer, String message, Throwable cause) {
        this(issuer, message, null, cause);
    }

    /**
     * @param issuer which CA
     * @param message one line
     * @param remedy the caller's setting that mends it
     * @param cause the underlying failure, or null
     */
    public IssuanceException(String issuer, String message, Remedy remedy, Throwable cause) {
        super(message, cause, remedy);
        this.issuer = issuer;
    }

    /** @return which CA */
    public String issuer() {
        return issuer;
    }

    /** @return {@link Failure#ISSUANCE} */
    @Override
    public Failure failure() {
        return Failure.ISSUANCE;
    }
}
