package org.tokenctl.core.enroll;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;

/**
 * Where an enrollment's key lives and its certificate goes: a token
 * ({@link TokenMedium}) or a file ({@code filemedium.Pkcs12Medium}). One instance
 * serves one enrollment; {@link Enrollment#run} calls, in order, {@link #preflight},
 * {@link #obtainKey}, then {@link #store} and {@link #commit} (or {@link #keepKey}
 * when issuance is deferred), or {@link #discard} on any failure after that. A key
 * that was on the medium before ({@link KeySource.Existing}) is never discarded.
 */
public interface EnrollmentMedium {

    /**
     * Checks what can be checked before anything is created.
     *
     * @param request the enrollment
     * @throws TokenctlException naming the problem
     */
    void preflight(EnrollmentRequest request) throws TokenctlException;

    /**
     * Generates the key pair, or finds and checks the existing one the request names.
     * If this fails, it leaves nothing behind itself.
     *
     * @param request the enrollment
     * @return the key to certify
     * @throws TokenctlException if it cannot be generated, or the existing key is missing or unfit
     */
    EnrollmentKey obtainKey(EnrollmentRequest request) throws TokenctlException;

    /**
     * Stores the certificate (checked to certify the key) with the key.
     *
     * @param request the enrollment
     * @param key the key from {@link #obtainKey}
     * @param certificate its certificate
     * @param chain the issuer's CA chain
     * @return what became of each CA certificate (empty when the medium does not keep them)
     * @throws TokenctlException if it cannot be stored
     */
    List<ChainEntry> store(EnrollmentRequest request, EnrollmentKey key, X509CertificateHolder certificate,
                           List<X509CertificateHolder> chain) throws TokenctlException;

    /**
     * Keeps the key without a certificate: issuance was deferred, the certificate
     * will be imported later.
     *
     * @throws TokenctlException if this medium cannot keep a key without its certificate
     */
    void keepKey() throws TokenctlException;

    /** Makes everything created final. */
    void commit();

    /**
     * Undoes everything this enrollment created (never a key it did not generate).
     *
     * @param cause why the enrollment failed
     * @throws IncompleteOperationException if something could not be undone (the message says what is left)
     */
    void discard(Throwable cause) throws IncompleteOperationException;
}
