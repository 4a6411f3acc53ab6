package org.tokenctl.core.csr;

import java.io.IOException;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.key.PublicKeys;

/**
 * Builds a PKCS#10 certification request (RFC 2986) and checks its signature
 * before anyone else sees it. Stateless and thread-safe (the signer is not).
 */
public final class CsrBuilder {

    private CsrBuilder() {
    }

    /**
     * @param subject the subject name
     * @param subjectAltNames SANs for an extensionRequest attribute (RFC 2985 section 5.4.2), or null
     * @param publicKey the key being certified
     * @param signer signs with the matching private key (on the token, or in software)
     * @return the request, its signature verified against {@code publicKey}
     * @throws CsrSignatureException if the signature does not verify
     * @throws TokenctlException if the signer's token fails
     */
    public static PKCS10CertificationRequest build(X500Name subject, GeneralNames subjectAltNames,
                                                   SubjectPublicKeyInfo publicKey, ContentSigner signer)
            throws TokenctlException {
        PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(subject, publicKey);
        if (subjectAltNames != null) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            try {
                ext.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode subject alternative names", e);
            }
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        PKCS10CertificationRequest csr;
        try {
            csr = b.build(signer);
        } catch (RuntimeOperatorException e) {
            throw TokenContentSigner.unwrap(e);
        }
        if (!verifies(csr, publicKey)) {
            throw new CsrSignatureException(PublicKeys.describe(publicKey));
        }
        return csr;
    }

    /**
     * @param csr a request
     * @param publicKey the key it should be signed with
     * @return whether its signature verifies with that key
     */
    public static boolean verifies(PKCS10CertificationRequest csr, SubjectPublicKeyInfo publicKey) {
        try {
            return csr.isSignatureValid(PublicKeys.verifier(publicKey));
        } catch (PKCSException | InvalidInputException e) {
            return false;
        }
    }
}
