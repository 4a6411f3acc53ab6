package org.tokenctl.core.enroll;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.TokenKeyFinder;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.PrivateKeyAttributes;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Whether a token already holds a finished enrollment for a subject, so that a
 * batch run again skips it (issue 7, resume): an X.509 certificate object with
 * that subject, valid now, whose public key belongs to a private key on the
 * token with the same CKA_ID, and that private key provably non-exportable
 * (sensitive, never extractable, generated on the token) and able to sign.
 * A certificate without such a key, an expired one or a key that could have been
 * copied does not count: enrolling again is then the right thing.
 *
 * @param id the key's (and certificate's) CKA_ID
 * @param label the certificate's CKA_LABEL
 * @param certificate the certificate
 */
public record ExistingEnrollment(KeyId id, String label, X509CertificateHolder certificate) {

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param subject the subject asked for (compared as X.500 names, not as text)
     * @param now the time the certificate must be valid at
     * @return the enrollment found, or empty
     * @throws TokenctlException if the token fails
     */
    public static Optional<ExistingEnrollment> find(TokenSession session, X500Name subject, Instant now)
            throws TokenctlException {
        for (long handle : session.find(Attributes.x509Certificate())) {
            Attributes a = session.attributes(handle, Pkcs11.CKA_ID, Pkcs11.CKA_LABEL,
                    Pkcs11.CKA_VALUE);
            X509CertificateHolder cert = parse(a.bytes(Pkcs11.CKA_VALUE));
            if (cert == null || a.id() == null || a.id().length == 0 || !subject.equals(cert.getSubject())
                    || !cert.isValidOn(java.util.Date.from(now))) {
                continue;
            }
            KeyId id = KeyId.of(a.id());
            Optional<TokenKeyFinder.MatchedKey> key = TokenKeyFinder.find(session, cert.getSubjectPublicKeyInfo());
            if (key.isEmpty() || !id.equals(key.get().id())) {
                continue;
            }
            PrivateKeyAttributes p = ObjectLister.privateKeyAttributes(session, key.get().privateKey());
            if (p.nonExportable() && Boolean.TRUE.equals(p.sign())) {
                return Optional.of(new ExistingEnrollment(id, a.label() == null ? "" : a.label(), cert));
            }
        }
        return Optional.empty();
    }

    private static X509CertificateHolder parse(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            return new X509CertificateHolder(der);
        } catch (IOException | RuntimeException e) {
            return null; // not a certificate we can read: it cannot be the enrollment asked for
        }
    }
}
