package org.tokenctl.core.cert;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CreatedObjects;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Creates X.509 certificate objects on a token (PKCS#11 v2.40 section 4.6.3):
 * {@code CKO_CERTIFICATE} / {@code CKC_X_509}, public token objects carrying
 * CKA_SUBJECT, CKA_ISSUER, CKA_SERIAL_NUMBER (the DER INTEGER) and CKA_VALUE,
 * with the CKA_ID and CKA_LABEL that tie them to their key, and gives the key
 * pair the certificate's CKA_SUBJECT and the same CKA_LABEL ({@link #nameKeys}).
 * Stateless.
 */
public final class CertificateInstaller {

    /** CKA_CERTIFICATE_CATEGORY (v2.40 table 21): the holder's own certificate. */
    private static final long CATEGORY_TOKEN_USER = 1;
    /** CKA_CERTIFICATE_CATEGORY: a CA certificate. */
    private static final long CATEGORY_AUTHORITY = 2;
    private static final int LABEL_MAX_CHARS = 255;

    /**
     * How one chain certificate fared.
     *
     * @param certificate the CA certificate
     * @param installed true if created now, false if the token already had it
     */
    public record ChainEntry(X509CertificateHolder certificate, boolean installed) {
    }

    private CertificateInstaller() {
    }

    /**
     * @param session an open session
     * @param cert a certificate
     * @return whether the token already holds exactly this certificate (same DER)
     * @throws TokenctlException if the token fails
     */
    public static boolean isInstalled(TokenSession session, X509CertificateHolder cert) throws TokenctlException {
        return session.find(Attributes.x509Certificate().bytes(Pkcs11.CKA_VALUE, der(cert))).length > 0;
    }

    /**
     * @param session an open session
     * @param cert a certificate
     * @param id a key's CKA_ID
     * @return whether the token already holds exactly this certificate (same DER) with that CKA_ID
     * @throws TokenctlException if the token fails
     */
    public static boolean isInstalledFor(TokenSession session, X509CertificateHolder cert, KeyId id)
            throws TokenctlException {
        return session.find(Attributes.x509Certificate().bytes(Pkcs11.CKA_VALUE, der(cert)).id(id.bytes())).length > 0;
    }

    /**
     * Installs the holder's certificate beside its key.
     *
     * @param session a read-write session logged in as the user
     * @param cert the certificate
     * @param id the key's CKA_ID
     * @param label the key's CKA_LABEL
     * @param created records the new object, for rollback
     * @return the new object's handle
     * @throws InvalidInputException if the token already holds this certificate
     * @throws TokenctlException if the token refuses
     */
    public static long install(TokenSession session, X509CertificateHolder cert, KeyId id, String label,
                               CreatedObjects created) throws TokenctlException {
        if (isInstalled(session, cert)) {
            throw new InvalidInputException("cert", "The token already holds this " + Certificates.describe(cert));
        }
        return installForNewKey(session, cert, id, label, created);
    }

    /**
     * As {@link #install}, for a certificate of a key pair made in the same operation
     * (checked to certify its public key): no certificate on the token can be this one,
     * so the token is not searched for it first.
     *
     * @param session a read-write session logged in as the user
     * @param cert the certificate, certifying the new key
     * @param id the key's CKA_ID
     * @param label the key's CKA_LABEL
     * @param created records the new object, for rollback
     * @return the new object's handle
     * @throws TokenctlException if the token refuses
     */
    public static long installForNewKey(TokenSession session, X509CertificateHolder cert, KeyId id, String label,
                                        CreatedObjects created) throws TokenctlException {
        long handle = session.create(template(cert, id, label, CATEGORY_TOKEN_USER));
        created.add(handle, "certificate id=" + id.hex());
        return handle;
    }

    /**
     * Installs CA certificates that the token does not hold yet. Each gets the
     * default id of its own public key (so it is never paired with the holder's
     * key) and its subject as label.
     *
     * @param session a read-write session
     * @param chain the CA certificates
     * @param created records the new objects, for rollback
     * @return what happened to each
     * @throws TokenctlException if the token refuses
     */
    public static List<ChainEntry> installChain(TokenSession session, List<X509CertificateHolder> chain,
                                                CreatedObjects created) throws TokenctlException {
        List<ChainEntry> out = new ArrayList<>();
        for (X509CertificateHolder ca : chain) {
            if (isInstalled(session, ca)) {
                out.add(new ChainEntry(ca, false));
                continue;
            }
            KeyId id = PublicKeys.defaultId(ca.getSubjectPublicKeyInfo());
            String label = SubjectName.format(ca.getSubject());
            if (label.length() > LABEL_MAX_CHARS) {
                label = label.substring(0, LABEL_MAX_CHARS);
            }
            long handle = session.create(template(ca, id, label, CATEGORY_AUTHORITY));
            created.add(handle, "CA certificate id=" + id.hex());
            out.add(new ChainEntry(ca, true));
        }
        return out;
    }

    /**
     * Gives the key pair with this CKA_ID what middleware expects once its certificate
     * is installed: the certificate's subject as CKA_SUBJECT (PKCS#11 v2.40 sections
     * 4.8 and 4.9 recommend it; some middleware matches keys to certificates by it) and
     * the certificate's CKA_LABEL, so that the three objects carry one label. Values a
     * key already has are not written again. Each change is recorded in {@code created}
     * with the old values, so that rolling the operation back (a later failure, or the
     * token refusing one of these changes) puts the keys back as they were.
     *
     * @param session a read-write session logged in as the user
     * @param id the pair's CKA_ID
     * @param label the label all three objects carry
     * @param cert the installed certificate
     * @param created the operation's record, which the caller rolls back on any failure
     * @throws TokenctlException if the token refuses a change
     */
    public static void nameKeys(TokenSession session, KeyId id, String label, X509CertificateHolder cert,
                                CreatedObjects created) throws TokenctlException {
        byte[] subject;
        try {
            subject = cert.getSubject().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode a certificate's subject", e);
        }
        for (long cls : new long[] {Pkcs11.CKO_PRIVATE_KEY, Pkcs11.CKO_PUBLIC_KEY}) {
            for (long key : session.find(Attributes.ofClass(cls).id(id.bytes()))) {
                Attributes now = session.attributes(key, Pkcs11.CKA_LABEL, Pkcs11.CKA_SUBJECT);
                Attributes change = new Attributes();
                Attributes old = new Attributes();
                if (!Arrays.equals(subject, now.bytes(Pkcs11.CKA_SUBJECT))) {
                    change.bytes(Pkcs11.CKA_SUBJECT, subject);
                    old.bytes(Pkcs11.CKA_SUBJECT, now.bytes(Pkcs11.CKA_SUBJECT) == null ? new byte[0]
                            : now.bytes(Pkcs11.CKA_SUBJECT));
                }
                if (label != null && !label.equals(now.label())) {
                    change.label(label);
                    old.label(now.label() == null ? "" : now.label());
                }
                if (!change.isEmpty()) {
                    session.setAttributes(key, change);
                    created.changed(key, (cls == Pkcs11.CKO_PRIVATE_KEY ? "private" : "public") + " key id="
                            + id.hex(), old);
                }
            }
        }
    }

    private static Attributes template(X509CertificateHolder cert, KeyId id, String label, long category) {
        try {
            return Attributes.x509Certificate().bool(Pkcs11.CKA_TOKEN, true).bool(Pkcs11.CKA_PRIVATE, false)
                    .id(id.bytes()).label(label)
                    .bytes(Pkcs11.CKA_SUBJECT, cert.getSubject().getEncoded(ASN1Encoding.DER))
                    .bytes(Pkcs11.CKA_ISSUER, cert.getIssuer().getEncoded(ASN1Encoding.DER))
                    .bytes(Pkcs11.CKA_SERIAL_NUMBER, new ASN1Integer(cert.getSerialNumber()).getEncoded(ASN1Encoding.DER))
                    .number(Pkcs11.CKA_CERTIFICATE_CATEGORY, category)
                    .bytes(Pkcs11.CKA_VALUE, der(cert));
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode a certificate's names", e);
        }
    }

    private static byte[] der(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode a certificate", e);
        }
    }
}
