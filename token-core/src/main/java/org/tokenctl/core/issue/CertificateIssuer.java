package org.tokenctl.core.issue;

import org.tokenctl.core.TokenctlException;

/**
 * How a certification request becomes a certificate: written out for a CA to
 * answer later ({@link OfflineIssuer}), signed by a local CA ({@link LocalCa}),
 * or sent to a CA over CMP ({@code issue.cmp.CmpIssuer}, RFC 4210 / RFC 9483).
 *
 * <p>The enrollment calls {@link #preflight()} before any key exists, then
 * {@link #issue} once. The {@link CertificateRequest} carries both the signed
 * PKCS#10 request and the key's signer, so a CMP issuer can build its own
 * CRMF request with a signature proof of possession made by the same key
 * (on the token). An issued certificate comes with an {@link Acknowledgement}:
 * the enrollment accepts it after checking that it certifies the key and
 * installing it, or rejects it when it cannot be used (CMP's certConf).
 *
 * <p>An issuer may hold a secret (CMP's shared secret): close it when done.
 *
 * <p>Implementations must be thread-safe: batch enrollment (issue 7) shares one
 * issuer between the tokens it enrolls in parallel, calling {@link #issue} from
 * several threads at once (each call with its own request and signer).
 */
public interface CertificateIssuer extends AutoCloseable {

    /**
     * Checks everything that can be checked before a key is made (files,
     * the CA key matching its certificate, connectivity), so that a doomed
     * enrollment creates nothing.
     *
     * @throws TokenctlException naming what is wrong
     */
    default void preflight() throws TokenctlException {
    }

    /**
     * Says that about this many certificates are to be issued (a batch), so that the
     * issuer may prepare what pays only over many: the local CA then signs with an RSA
     * key in native code ({@link LocalCa#expect}). By default it does nothing.
     *
     * @param certificates how many
     */
    default void expect(int certificates) {
    }

    /**
     * Asks for a certificate.
     *
     * @param request the signed request, and the signer for proof of possession
     * @return the certificate (with what to do once it is checked), or a deferral
     * @throws IssuanceException if the CA refuses or fails
     * @throws TokenctlException if the signer's token fails or an output cannot be written
     */
    Issuance issue(CertificateRequest request) throws TokenctlException;

    /** Wipes what the issuer holds (a shared secret); by default there is nothing to wipe. */
    @Override
    default void close() {
    }
}
