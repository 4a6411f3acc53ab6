package org.tokenctl.core.cert;

import org.tokenctl.core.Failure;

import org.tokenctl.core.TokenctlException;

/**
 * A certificate does not certify the key it should: its public key differs
 * from the token's key, or matches no key on the token at all.
 */
public class CertificateMismatchException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #subject()} */
    private final String subject;
    /** @serial see {@link #serialHex()} */
    private final String serialHex;

    /**
     * @param subject the certificate's subject (RFC 4514)
     * @param serialHex its serial number in hex
     * @param message one line naming the certificate and what it does not match
     */
    public CertificateMismatchException(String subject, String serialHex, String message) {
        super(message);
        this.subject = subject;
        this.serialHex = serialHex;
    }

    /** @return the certificate's subject */
    public String subject() {
        return subject;
    }

    /** @return the certificate's serial number, hex */
    public String serialHex() {
        return serialHex;
    }

    /** @return {@link Failure#CERT_MISMATCH} */
    @Override
    public Failure failure() {
        return Failure.CERT_MISMATCH;
    }
}
