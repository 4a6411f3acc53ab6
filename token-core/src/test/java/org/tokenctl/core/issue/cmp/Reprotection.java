package org.tokenctl.core.issue.cmp;

import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.tokenctl.core.key.CryptoProvider;

/**
 * Rebuilds a server's MAC-protected CMP message with one thing changed and protects it
 * again with the shared secret, as a man in the middle who knows the secret (or a
 * server that is wrong) would: so that a test reaches the check it means to drive and
 * not the protection check before it. Every header field, the body and the extraCerts
 * are copied with BouncyCastle's {@link ProtectedPKIMessageBuilder}; the edit then
 * overrides what it changes; the MAC uses the server's own password-based MAC
 * parameters (RFC 4210 section 5.1.3.1) through BouncyCastle's {@link PKMACBuilder}.
 */
final class Reprotection {

    /** Changes part of a message being rebuilt: header fields, or the body. */
    @FunctionalInterface
    interface Edit {
        /**
         * @param message the builder, holding everything the original had
         * @throws Exception if the edit cannot be made
         */
        void apply(ProtectedPKIMessageBuilder message) throws Exception;
    }

    private Reprotection() {
    }

    /**
     * @param original a message protected by a password-based MAC
     * @param secret the shared secret
     * @param edit what to change
     * @return the changed message, protected again
     * @throws Exception if it cannot be rebuilt
     */
    static PKIMessage of(PKIMessage original, char[] secret, Edit edit) throws Exception {
        PKIHeader h = original.getHeader();
        ProtectedPKIMessageBuilder b = new ProtectedPKIMessageBuilder(h.getPvno().intValueExact(), h.getSender(),
                h.getRecipient());
        if (h.getMessageTime() != null) {
            b.setMessageTime(h.getMessageTime().getDate());
        }
        if (h.getSenderKID() != null) {
            b.setSenderKID(h.getSenderKID().getOctets());
        }
        if (h.getRecipKID() != null) {
            b.setRecipKID(h.getRecipKID().getOctets());
        }
        if (h.getTransactionID() != null) {
            b.setTransactionID(h.getTransactionID().getOctets());
        }
        if (h.getSenderNonce() != null) {
            b.setSenderNonce(h.getSenderNonce().getOctets());
        }
        if (h.getRecipNonce() != null) {
            b.setRecipNonce(h.getRecipNonce().getOctets());
        }
        if (h.getFreeText() != null) {
            b.setFreeText(h.getFreeText());
        }
        if (h.getGeneralInfo() != null) {
            for (InfoTypeAndValue info : h.getGeneralInfo()) {
                b.addGeneralInfo(info);
            }
        }
        if (original.getExtraCerts() != null) {
            for (CMPCertificate c : original.getExtraCerts()) {
                b.addCMPCertificate(new X509CertificateHolder(c.getX509v3PKCert()));
            }
        }
        b.setBody(original.getBody());
        edit.apply(b);
        PBMParameter params = PBMParameter.getInstance(h.getProtectionAlg().getParameters());
        return b.build(new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(CryptoProvider.BC))
                .setParameters(params).build(secret)).toASN1Structure();
    }
}
