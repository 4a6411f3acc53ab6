package org.tokenctl.core.issue;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;

/** The outcome of {@link CertificateIssuer#issue}: a certificate now, or later. */
public sealed interface Issuance permits Issuance.Issued, Issuance.Deferred {

    /**
     * A certificate was issued.
     *
     * @param certificate the holder's certificate
     * @param chain the issuer's chain, issuing CA first (may be empty)
     * @param acknowledgement what to tell the CA once the certificate is checked
     */
    record Issued(X509CertificateHolder certificate, List<X509CertificateHolder> chain,
                  Acknowledgement acknowledgement) implements Issuance {
        /**
         * Copies the chain.
         *
         * @param certificate the holder's certificate
         * @param chain the issuer's chain, issuing CA first (may be empty)
         * @param acknowledgement what to tell the CA once the certificate is checked
         */
        public Issued {
            chain = List.copyOf(chain);
        }
    }

    /**
     * The request went somewhere a certificate will come back from later; the key
     * is kept so that the certificate can be imported then.
     *
     * @param reference where the request went (the CSR file, or a CA's transaction id)
     */
    record Deferred(String reference) implements Issuance {
    }
}
