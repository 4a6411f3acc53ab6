package org.tokenctl.core.enroll;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.issue.Acknowledgement;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.issue.LocalCa;

/**
 * A CA that issues (through a local CA) but never confirms: accepting the certificate
 * fails, as a CMP CA's missing pkiConf would make it. Rejections are ignored.
 *
 * @param ca who really issues
 * @param failure what accepting throws
 */
record UnconfirmingIssuer(LocalCa ca, IssuanceException failure) implements CertificateIssuer {

    @Override
    public Issuance issue(CertificateRequest request) throws TokenctlException {
        Issuance.Issued issued = (Issuance.Issued) ca.issue(request);
        return new Issuance.Issued(issued.certificate(), issued.chain(), new Acknowledgement() {
            @Override
            public void accept() throws IssuanceException {
                throw failure;
            }

            @Override
            public void reject(Exception reason) {
            }
        });
    }
}
