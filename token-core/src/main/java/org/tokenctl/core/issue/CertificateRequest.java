package org.tokenctl.core.issue;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What an issuer gets: the PKCS#10 request (signed by the new key), whether its
 * signature is already known to verify, and the key's signer, for issuers that need further signatures by the same key
 * (CMP proof of possession, RFC 4211 section 4.1). The signer of a token key is
 * bound to the enrolling session: use it only on the thread that called
 * {@link CertificateIssuer#issue}, during that call.
 *
 * @param csr the signed request (subject, public key, requested extensions)
 * @param signer signs with the new private key
 * @param signatureVerified whether the request's signature is known to verify with its own public key
 *        ({@link org.tokenctl.core.csr.CsrBuilder#build} checks it, so an enrollment's request is); an
 *        issuer that needs proof of possession checks it itself when this is false. Verifying it once
 *        instead of twice saves a batch an EC signature verification per token (issue 7)
 */
public record CertificateRequest(PKCS10CertificationRequest csr, ContentSigner signer, boolean signatureVerified) {

    /**
     * A request whose signature nobody has checked yet: an issuer that needs proof
     * of possession checks it.
     *
     * @param csr the signed request
     * @param signer signs with the new private key, or null when none is at hand
     */
    public CertificateRequest(PKCS10CertificationRequest csr, ContentSigner signer) {
        this(csr, signer, false);
    }
}
