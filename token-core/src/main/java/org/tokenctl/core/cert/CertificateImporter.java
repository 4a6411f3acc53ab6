package org.tokenctl.core.cert;

import java.time.Instant;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CreatedObjects;
import org.tokenctl.core.objects.KeyId;

/**
 * Installs a certificate that came back from a CA (the offline enrollment's
 * second half) next to the key it certifies, and optionally its CA chain, as
 * one operation: on failure nothing it created is left.
 */
public final class CertificateImporter {

    /**
     * What was installed.
     *
     * @param id the CKA_ID the certificate got (its key's)
     * @param label the CKA_LABEL the certificate got (its key's)
     * @param certificate the holder's certificate
     * @param chain the CA certificates, each installed now or already present
     */
    public record ImportResult(KeyId id, String label, X509CertificateHolder certificate,
                               List<CertificateInstaller.ChainEntry> chain) {
    }

    private CertificateImporter() {
    }

    /**
     * @param session a read-write session logged in as the user
     * @param certificate the holder's certificate
     * @param chain CA certificates to install too (each must have issued the certificate or another of them)
     * @return what was installed
     * @throws CertificateMismatchException if no private key on the token has the certificate's public key
     * @throws InvalidInputException if the certificate is expired, not yet valid or a CA certificate, the
     *                               certificates are in the wrong order, the certificate is already on the
     *                               token, the key has no CKA_ID, or a chain certificate is unrelated
     * @throws org.tokenctl.core.IncompleteOperationException if a step failed and an object could not be removed
     * @throws TokenctlException if the token fails
     */
    public static ImportResult importCertificate(TokenSession session, X509CertificateHolder certificate,
                                                 List<X509CertificateHolder> chain) throws TokenctlException {
        refuseWrongOrder(certificate, chain);
        Certificates.requireUsableHolderCertificate(certificate, Instant.now());
        for (X509CertificateHolder ca : chain) {
            Certificates.requireConformingCa(ca, "chain");
        }
        requireChainRelated(certificate, chain);
        TokenKeyFinder.MatchedKey key = TokenKeyFinder.find(session, certificate.getSubjectPublicKeyInfo())
                .orElseThrow(() -> new CertificateMismatchException(SubjectName.format(certificate.getSubject()),
                        Certificates.serialHex(certificate), "The " + Certificates.describe(certificate)
                        + " matches no private key on the token; nothing was installed"));
        if (key.id() == null) {
            throw new InvalidInputException("cert", "The matching private key '" + key.label()
                    + "' has no CKA_ID, so no application could pair it with a certificate; give it one first");
        }
        CreatedObjects created = new CreatedObjects(session);
        List<CertificateInstaller.ChainEntry> entries;
        try {
            CertificateInstaller.install(session, certificate, key.id(), key.label(), created);
            entries = CertificateInstaller.installChain(session, chain, created);
            CertificateInstaller.nameKeys(session, key.id(), key.label(), certificate, created);
        } catch (TokenctlException | RuntimeException e) {
            created.rollBack(e);
            throw e;
        }
        created.commit();
        return new ImportResult(key.id(), key.label(), certificate, entries);
    }

    /** A file that lists the CA before the holder's certificate is a common mistake; say so plainly. */
    private static void refuseWrongOrder(X509CertificateHolder certificate, List<X509CertificateHolder> chain)
            throws InvalidInputException {
        if (Certificates.isCa(certificate) && chain.stream().anyMatch(c -> !Certificates.isCa(c))) {
            throw new InvalidInputException("cert", "The certificates are in the wrong order: the holder's certificate"
                    + " must come first, its CA chain after it (the first is " + Certificates.describe(certificate)
                    + ", a CA)");
        }
    }

    /**
     * Refuses chain certificates that issued nothing in the set: a typo in a
     * file name must not put an unrelated CA on the token.
     */
    private static void requireChainRelated(X509CertificateHolder certificate, List<X509CertificateHolder> chain)
            throws InvalidInputException {
        List<X509CertificateHolder> all = new ArrayList<>(chain);
        all.add(certificate);
        for (X509CertificateHolder ca : chain) {
            boolean issuedOne = false;
            for (X509CertificateHolder c : all) {
                if (c != ca && c.getIssuer().equals(ca.getSubject()) && signedBy(c, ca)) {
                    issuedOne = true;
                    break;
                }
            }
            if (!issuedOne) {
                throw new InvalidInputException("chain", "The chain " + Certificates.describe(ca)
                        + " issued neither the certificate nor another chain certificate");
            }
        }
    }

    private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder ca) {
        try {
            return cert.isSignatureValid(PublicKeys.verifier(ca.getSubjectPublicKeyInfo()));
        } catch (CertException | InvalidInputException e) {
            return false;
        }
    }
}
