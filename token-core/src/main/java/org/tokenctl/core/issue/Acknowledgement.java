package org.tokenctl.core.issue;

import org.tokenctl.core.TokenctlException;

/**
 * What the enrollment tells the CA once it has checked an issued certificate
 * (CMP's certConf, RFC 4210 section 5.3.18): accept after the certificate was
 * found to certify the key and was installed; reject when it cannot be used.
 */
public interface Acknowledgement {

    /** For issuers that need no confirmation (offline, local CA). */
    Acknowledgement NONE = new Acknowledgement() {
        @Override
        public void accept() {
        }

        @Override
        public void reject(Exception reason) {
        }
    };

    /**
     * The certificate was checked and installed. If this fails the enrollment
     * is undone: a certificate the CA does not consider confirmed is not kept.
     *
     * @throws TokenctlException if the CA cannot be told
     */
    void accept() throws TokenctlException;

    /**
     * The certificate will not be used. Best effort: never throws, as the
     * enrollment is already failing for {@code reason}.
     *
     * @param reason why: a {@link org.tokenctl.core.cert.CertificateMismatchException} when the certificate
     *               is for another key, else the failure that stopped it from being stored
     */
    void reject(Exception reason);
}
