package org.tokenctl.core.issue.cmp;

import java.time.Instant;
import java.util.Objects;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.key.ExistingKeys;
import org.tokenctl.core.key.TokenKeyPair;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * A key update (RFC 4210 section 5.3.5, RFC 9483 section 4.1.3): the holder's
 * current key and certificate authenticate the request for a new certificate (for a
 * new key) by signing the message, instead of a shared secret; the request names the
 * certificate it replaces.
 *
 * @param oldKeySigner signs with the current key (on the token)
 * @param oldCertificate the current certificate, which the CA must recognise
 */
public record KeyUpdate(ContentSigner oldKeySigner, X509CertificateHolder oldCertificate) {

    private static final String FIELD = "cmp-kur";

    /**
     * Checks the parts.
     *
     * @param oldKeySigner signs with the current key (on the token)
     * @param oldCertificate the current certificate, which the CA must recognise
     */
    public KeyUpdate {
        Objects.requireNonNull(oldKeySigner, "oldKeySigner");
        Objects.requireNonNull(oldCertificate, "oldCertificate");
    }

    /**
     * The current key and certificate on a token, by their shared CKA_ID.
     *
     * @param session a session logged in as the user, used for signing until the enrollment ends
     * @param oldKey the CKA_ID of the key pair and certificate being updated
     * @return the key update
     * @throws InvalidInputException if there is no such key, no (single) certificate for it, or the certificate is
     *         expired, not yet valid or for another key
     * @throws TokenctlException if the token fails
     */
    public static KeyUpdate onToken(TokenSession session, KeyId oldKey) throws TokenctlException {
        return onToken(session, ObjectQuery.id(oldKey));
    }

    /**
     * The current key and certificate on a token, the key named by id or label ({@link ExistingKeys#resolve}).
     *
     * @param session a session logged in as the user, used for signing until the enrollment ends
     * @param named what names the key pair being updated
     * @return the key update
     * @throws InvalidInputException as {@link #onToken(TokenSession, KeyId)}, or if the name matches no key or
     *         several
     * @throws TokenctlException if the token fails
     */
    public static KeyUpdate onToken(TokenSession session, ObjectQuery named) throws TokenctlException {
        KeyId oldKey = ExistingKeys.resolve(session, named);
        TokenKeyPair key = ExistingKeys.find(session, oldKey, null);
        long[] certs = session.find(Attributes.ofClass(Pkcs11.CKO_CERTIFICATE)
                .number(Pkcs11.CKA_CERTIFICATE_TYPE, Pkcs11.CKC_X_509).id(oldKey.bytes()));
        if (certs.length != 1) {
            throw new InvalidInputException(FIELD, "A key update needs the current certificate beside key " + oldKey.hex()
                    + " (same CKA_ID); the token has " + certs.length);
        }
        byte[] der = session.attributes(certs[0], Pkcs11.CKA_VALUE).bytes(Pkcs11.CKA_VALUE);
        X509CertificateHolder cert;
        try {
            cert = new X509CertificateHolder(der);
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidInputException(FIELD, "The certificate beside key " + oldKey.hex() + " does not parse", e);
        }
        Certificates.requireUsableHolderCertificate(cert, Instant.now());
        Certificates.requireCertifies(cert, key.publicKeyInfo(), "the key being updated (id " + oldKey.hex() + ")");
        return new KeyUpdate(new TokenContentSigner(session, key.privateKey(), key.spec().signatureAlgorithm(null),
                key.publicKeyInfo()),
                cert);
    }

    /** @return the current certificate's subject key identifier, the senderKID of signed requests, or null */
    byte[] senderKid() {
        Extension ski = oldCertificate.getExtension(Extension.subjectKeyIdentifier);
        return ski == null ? null : SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier();
    }
}
