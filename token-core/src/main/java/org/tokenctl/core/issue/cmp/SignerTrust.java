package org.tokenctl.core.issue.cmp;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.PublicKeys;

/**
 * Checks a CMP message protected by a signature (RFC 9483 section 3.2 and 3.5): the
 * first certificate in extraCerts is the signer's; the signature verifies with it; the
 * header's sender is its subject; it may sign (keyUsage digitalSignature when present);
 * and it is one of the trusted certificates or chains to one of them through the other
 * extraCerts (PKIX path validation at the current time, without revocation checking).
 * Immutable.
 */
final class SignerTrust {

    private final List<X509CertificateHolder> anchors;

    /**
     * @param anchors trust anchors, or the server's own certificate (pinned)
     */
    SignerTrust(List<X509CertificateHolder> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    /**
     * Why a signed answer is not trusted.
     *
     * @param text one line
     * @param remedy the setting that mends it, or null
     */
    record Problem(String text, Remedy remedy) {
    }

    /**
     * @param message a signature-protected message
     * @param now the time to validate at
     * @return null when the message is trusted, else why not
     */
    Problem problem(ProtectedPKIMessage message, Date now) {
        X509CertificateHolder[] certs = message.getCertificates();
        if (certs.length == 0) {
            return new Problem("it is signed, but its extraCerts do not carry the signer's certificate", null);
        }
        X509CertificateHolder signer = certs[0];
        String who = "'" + SubjectName.format(signer.getSubject()) + "'";
        try {
            if (!message.verify(PublicKeys.verifier(signer.getSubjectPublicKeyInfo()))) {
                return new Problem("its signature does not verify with the certificate of " + who, null);
            }
        } catch (CMPException | InvalidInputException e) {
            return new Problem("its signature cannot be verified with the certificate of " + who + ": "
                    + e.getMessage(), null);
        }
        GeneralName sender = message.getHeader().getSender();
        if (sender.getTagNo() != GeneralName.directoryName
                || !X500Name.getInstance(sender.getName()).equals(signer.getSubject())) {
            return new Problem("its sender is not the subject of its signer " + who, null);
        }
        KeyUsage ku = KeyUsage.fromExtensions(signer.getExtensions());
        if (ku != null && !ku.hasUsages(KeyUsage.digitalSignature)) {
            return new Problem("its signer " + who + " may not sign (keyUsage without digitalSignature)", null);
        }
        String path = pathProblem(signer, Arrays.asList(certs).subList(1, certs.length), now);
        return path == null ? null : new Problem("its signer " + who + " is not trusted by the trust anchors for signed"
                + " answers: " + path, Remedy.CMP_TRUST_ANCHORS);
    }

    private String pathProblem(X509CertificateHolder signer, List<X509CertificateHolder> intermediates, Date now) {
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            X509Certificate target = converter.getCertificate(signer);
            Set<TrustAnchor> trust = new HashSet<>();
            for (X509CertificateHolder a : anchors) {
                X509Certificate anchor = converter.getCertificate(a);
                if (anchor.equals(target)) {
                    // the server's own certificate, pinned: trusted while it is valid
                    target.checkValidity(now);
                    return null;
                }
                trust.add(new TrustAnchor(anchor, null));
            }
            List<X509Certificate> pool = new ArrayList<>();
            pool.add(target);
            for (X509CertificateHolder c : intermediates) {
                pool.add(converter.getCertificate(c));
            }
            X509CertSelector selector = new X509CertSelector();
            selector.setCertificate(target);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trust, selector);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            params.setRevocationEnabled(false);
            params.setDate(now);
            CertPathBuilder.getInstance("PKIX").build(params);
            return null;
        } catch (GeneralSecurityException e) {
            return HttpTransport.printable(String.valueOf(e.getMessage()));
        }
    }
}
