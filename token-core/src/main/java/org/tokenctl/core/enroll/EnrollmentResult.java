package org.tokenctl.core.enroll;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * What an enrollment made.
 *
 * @param keySpec the key type
 * @param signatureAlgorithm what the request was signed with
 * @param id the key's id
 * @param label the key's label
 * @param verified the private key's attributes as read back (all {@code KeyProtection} requirements met for
 *                 a generated key, the non-exportability ones for an existing key), or null for a software key
 * @param exportable whether the private key can be copied (file medium) or never (token)
 * @param generated whether this enrollment generated the key (false: it was on the token before)
 * @param csr the request the key signed
 * @param certificate the installed certificate, or null when issuance was deferred
 * @param chain what became of each CA certificate
 * @param deferredTo where the request went when issuance was deferred (the CSR file), else null
 */
public record EnrollmentResult(KeySpec keySpec, SignatureAlgorithm signatureAlgorithm, KeyId id, String label,
                               PrivateKeyAttributes verified, boolean exportable, boolean generated,
                               PKCS10CertificationRequest csr, X509CertificateHolder certificate,
                               List<ChainEntry> chain, String deferredTo) {

    /**
     * Copies the chain.
     *
     * @param keySpec the key type
     * @param signatureAlgorithm what the request was signed with
     * @param id the key's id
     * @param label the key's label
     * @param verified the private key's attributes as read back (all {@code KeyProtection} requirements met for a
     *                 generated key, the non-exportability ones for an existing key), or null for a software key
     * @param exportable whether the private key can be copied (file medium) or never (token)
     * @param generated whether this enrollment generated the key (false: it was on the token before)
     * @param csr the request the key signed
     * @param certificate the installed certificate, or null when issuance was deferred
     * @param chain what became of each CA certificate
     * @param deferredTo where the request went when issuance was deferred (the CSR file), else null
     */
    public EnrollmentResult {
        chain = List.copyOf(chain);
    }
}
