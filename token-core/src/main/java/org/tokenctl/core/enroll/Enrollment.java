package org.tokenctl.core.enroll;

import java.util.List;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.Issuance;

/**
 * The enrollment as one operation: key pair (generated, or one already on the
 * token), request signed by the key, issued certificate checked against the key
 * and stored beside it. Nothing half-made is left behind: once the key is there,
 * any failure (request, issuance, a certificate for another key, storing, a
 * PKCS#11 error, a bug) discards exactly what this enrollment created (never a key
 * that was there before), then the original failure is reported; if discarding
 * fails too, an {@link org.tokenctl.core.IncompleteOperationException} carries the
 * original message and says what is left. When issuance is deferred (offline CA)
 * the key is kept by design: the certificate comes back later.
 *
 * <p>Stateless; the medium and the issuer's session are the caller's thread's.
 */
public final class Enrollment {

    private Enrollment() {
    }

    /**
     * @param medium where the key lives (a token session logged in as the user, or a file)
     * @param request what to enroll
     * @param issuer who issues the certificate
     * @return what was made
     * @throws org.tokenctl.core.issue.IssuanceException if the CA refused or failed (nothing left behind)
     * @throws org.tokenctl.core.cert.CertificateMismatchException if the certificate is for another key
     *         (nothing left behind)
     * @throws org.tokenctl.core.IncompleteOperationException if a step failed and its leftovers could not be removed
     * @throws TokenctlException for every other failure (nothing left behind)
     */
    public static EnrollmentResult run(EnrollmentMedium medium, EnrollmentRequest request, CertificateIssuer issuer)
            throws TokenctlException {
        return run(medium, request, issuer, new Cancellation());
    }

    /**
     * As {@link #run(EnrollmentMedium, EnrollmentRequest, CertificateIssuer)}, stopping
     * at the next step once {@code cancellation} is cancelled: before the key pair,
     * before the request, or before the issuance (after it, the enrollment is completed).
     *
     * @param medium where the key lives
     * @param request what to enroll
     * @param issuer who issues the certificate
     * @param cancellation checked between the steps
     * @return what was made
     * @throws EnrollmentCancelledException if cancelled (what was made is removed, as for any failure)
     * @throws TokenctlException as the three-argument form
     */
    public static EnrollmentResult run(EnrollmentMedium medium, EnrollmentRequest request, CertificateIssuer issuer,
                                       Cancellation cancellation) throws TokenctlException {
        return run(medium, request, issuer, cancellation, EnrollmentSteps.NONE);
    }

    /**
     * As {@link #run(EnrollmentMedium, EnrollmentRequest, CertificateIssuer, Cancellation)}, telling
     * {@code steps} as each step begins.
     *
     * @param medium where the key and certificate go
     * @param request what to enroll
     * @param issuer who issues the certificate
     * @param cancellation checked between the steps
     * @param steps told as each step begins (on this thread)
     * @return what was enrolled
     * @throws TokenctlException as the other form does
     */
    public static EnrollmentResult run(EnrollmentMedium medium, EnrollmentRequest request, CertificateIssuer issuer,
                                       Cancellation cancellation, EnrollmentSteps steps) throws TokenctlException {
        try (Cancellation.Active ignored = cancellation.begin()) {
            cancellation.check();
            return steps(medium, request, issuer, cancellation, steps);
        }
    }

    private static EnrollmentResult steps(EnrollmentMedium medium, EnrollmentRequest request,
                                          CertificateIssuer issuer, Cancellation cancellation, EnrollmentSteps steps)
            throws TokenctlException {
        if (request.key() instanceof KeySource.Generate g) {
            g.spec().checkHash(request.hash());
        }
        issuer.preflight();
        medium.preflight(request);
        try {
            // from here on the medium may hold something (a lock, a key pair): every failure discards it
            cancellation.check();
            steps.begins(EnrollmentSteps.Step.KEY);
            EnrollmentKey key = medium.obtainKey(request);
            cancellation.check();
            steps.begins(EnrollmentSteps.Step.REQUEST);
            PKCS10CertificationRequest csr = CsrBuilder.build(request.subject(), request.subjectAltNames(),
                    key.publicKey(), key.signer());
            cancellation.check();
            steps.begins(EnrollmentSteps.Step.ISSUE);
            // CsrBuilder.build has just verified the token's signature: the issuer need not again
            Issuance issuance = issuer.issue(new CertificateRequest(csr, key.signer(), true));
            if (issuance instanceof Issuance.Deferred) {
                medium.keepKey();
                return result(key, csr, null, List.of(), ((Issuance.Deferred) issuance).reference());
            }
            Issuance.Issued issued = (Issuance.Issued) issuance;
            steps.begins(EnrollmentSteps.Step.STORE);
            List<ChainEntry> chain = store(medium, request, key, issued);
            issued.acknowledgement().accept();
            medium.commit();
            return result(key, csr, issued, chain, null);
        } catch (TokenctlException | RuntimeException e) {
            medium.discard(e);
            throw e;
        }
    }

    /** Checks and stores the certificate; tells the CA when it cannot be used. */
    private static List<ChainEntry> store(EnrollmentMedium medium, EnrollmentRequest request, EnrollmentKey key,
                                          Issuance.Issued issued) throws TokenctlException {
        try {
            Certificates.requireUsableHolderCertificate(issued.certificate(), java.time.Instant.now());
            Certificates.requireCertifies(issued.certificate(), key.publicKey(), (key.generated() ? "the new key"
                    : "the key") + " (id " + key.id().hex() + ")");
            return medium.store(request, key, issued.certificate(), issued.chain());
        } catch (TokenctlException | RuntimeException e) {
            issued.acknowledgement().reject(e);
            throw e;
        }
    }

    private static EnrollmentResult result(EnrollmentKey key, PKCS10CertificationRequest csr, Issuance.Issued issued,
                                           List<ChainEntry> chain, String deferredTo) {
        return new EnrollmentResult(key.spec(), key.signatureAlgorithm(), key.id(), key.label(), key.verified(),
                key.exportable(), key.generated(), csr, issued == null ? null : issued.certificate(), chain,
                deferredTo);
    }
}
