package org.tokenctl.core.issue;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What an issuer gets: the PKCS#10 request (signed by the new key and verified),
 * and the key's signer, for issuers that need further signatures by the same key
 * (CMP proof of possession, RFC 4211 section 4.1). The signer of a token key is
 * bound to the enrolling session: use it only on the thread that called
 * {@link CertificateIssuer#issue}, during that call.
 *
 * @param csr the signed, verified request (subject, public key, requested extensions)
 * @param signer signs with the new private key
 */
public record CertificateRequest(PKCS10CertificationRequest csr, ContentSigner signer) {
}
