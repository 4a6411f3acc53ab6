package org.tokenctl.core.issue.cmp;

import java.math.BigInteger;

import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.CertConfirmContent;
import org.bouncycastle.asn1.cmp.CertStatus;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.CertificateConfirmationContentBuilder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateMismatchException;
import org.tokenctl.core.issue.Acknowledgement;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.key.CryptoProvider;

/**
 * Tells the CA what became of the certificate it issued (RFC 4210 section 5.3.18, RFC
 * 9483 section 4.1.1): a certConf carrying the certificate's hash, with the hash
 * algorithm taken from the certificate's signature algorithm (BouncyCastle's
 * {@link CertificateConfirmationContentBuilder}), then the CA's pkiConf, checked like
 * every answer. Accepting fails the enrollment unless the pkiConf comes: the CA would
 * otherwise revoke a certificate it considers unconfirmed. Rejecting sends status
 * rejection with failInfo badCertTemplate when the certificate is for another key
 * ("not what was asked for"), else systemFailure (we could not keep it), and the reason
 * as text.
 */
final class CmpConfirmation implements Acknowledgement {

    private final CmpTransaction transaction;
    private final X509CertificateHolder certificate;
    private final BigInteger certReqId;

    /**
     * @param transaction the transaction that issued the certificate
     * @param certificate the certificate
     * @param certReqId its request's id
     */
    CmpConfirmation(CmpTransaction transaction, X509CertificateHolder certificate, BigInteger certReqId) {
        this.transaction = transaction;
        this.certificate = certificate;
        this.certReqId = certReqId;
    }

    /**
     * @throws IssuanceException if the CA does not answer the certConf with a valid pkiConf
     */
    @Override
    public void accept() throws TokenctlException {
        confirm(accepted());
    }

    @Override
    public void reject(Exception reason) {
        int failInfo = reason instanceof CertificateMismatchException ? PKIFailureInfo.badCertTemplate
                : PKIFailureInfo.systemFailure;
        String text = HttpTransport.printable(String.valueOf(reason.getMessage()));
        PKIStatusInfo status = new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(text),
                new PKIFailureInfo(failInfo));
        try {
            CertStatus hashed = accepted();
            confirm(new CertStatus(hashed.getCertHash().getOctets(), certReqId, status));
        } catch (TokenctlException | RuntimeException e) {
            // best effort: the enrollment is failing for `reason` already, and that is what gets reported;
            // a CA that hears nothing revokes the unconfirmed certificate (RFC 4210 section 5.3.18)
            reason.addSuppressed(e);
        }
    }

    /** The accepting CertStatus: BouncyCastle computes the certificate hash as RFC 9483 section 4.1.1 says. */
    private CertStatus accepted() {
        try {
            return new CertificateConfirmationContentBuilder().addAcceptedCertificate(certificate, certReqId)
                    .build(new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProvider.BC).build())
                    .toASN1Structure().toCertStatusArray()[0];
        } catch (CMPException | OperatorCreationException e) {
            throw new IllegalStateException("cannot hash the certificate for certConf: " + e.getMessage(), e);
        }
    }

    private void confirm(CertStatus status) throws TokenctlException {
        ProtectedPKIMessage answer = transaction.exchange(new PKIBody(PKIBody.TYPE_CERT_CONFIRM,
                CertConfirmContent.getInstance(new DERSequence(status))));
        if (answer.getBody().getType() != PKIBody.TYPE_CONFIRM) {
            throw transaction.fail("The CMP server answered the certConf with " + PkiStatusText.body(answer.getBody())
                    + ", not pkiconf; the certificate is not confirmed (transaction " + transaction.id() + ")");
        }
    }
}
