package org.tokenctl.core.cert;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;

/**
 * Reads certificates off a token for the CA's or the bank's records: the one an
 * operator names, and the chain above it among the token's other certificates
 * (each link checked by signature, not only by name). Reads only. Stateless.
 */
public final class CertificateExporter {

    private static final String FIELD = "cert";
    /** More links than any real hierarchy; stops a loop of cross-certificates. */
    private static final int MAX_CHAIN = 10;

    /**
     * A certificate as found on the token.
     *
     * @param certificate the certificate
     * @param id its CKA_ID, or null
     * @param label its CKA_LABEL
     */
    public record Found(X509CertificateHolder certificate, KeyId id, String label) {
    }

    private CertificateExporter() {
    }

    /**
     * @param session an open session (certificates are public objects: no login needed)
     * @param query what names the certificate: an id, a label or both
     * @return the one X.509 certificate that matches
     * @throws InvalidInputException if the query names neither, another type of object, no certificate or several
     *         (listed by id and subject), or one that does not parse
     * @throws TokenctlException if the token fails
     */
    public static Found find(TokenSession session, ObjectQuery query) throws TokenctlException {
        ObjectQuery certs = query.ofType(ObjectClass.CERTIFICATE);
        if (certs == null || query.isOpen()) {
            throw new InvalidInputException(FIELD, "Name the certificate by id, label or a pkcs11: URI with id= or"
                    + " object=" + (certs == null ? " (the URI's type names another kind of object)" : ""));
        }
        List<Found> found = new ArrayList<>();
        for (long h : certs.find(session)) {
            found.add(read(session, h));
        }
        if (found.size() != 1) {
            List<String> names = new ArrayList<>();
            found.forEach(f -> names.add((f.id() == null ? "(no id)" : f.id().hex()) + " "
                    + Certificates.describe(f.certificate())));
            throw new InvalidInputException(FIELD, found.isEmpty() ? "No certificate with " + query.describe()
                    + " on the token" : found.size() + " certificates have " + query.describe() + ": "
                    + String.join("; ", names) + "; name one by its id");
        }
        return found.get(0);
    }

    private static Found read(TokenSession session, long handle) throws TokenctlException {
        Attributes a = session.attributes(handle, Pkcs11.CKA_CERTIFICATE_TYPE, Pkcs11.CKA_VALUE, Pkcs11.CKA_ID,
                Pkcs11.CKA_LABEL);
        Long type = a.number(Pkcs11.CKA_CERTIFICATE_TYPE);
        byte[] der = a.bytes(Pkcs11.CKA_VALUE);
        if (type == null || type != Pkcs11.CKC_X_509 || der == null) {
            throw new InvalidInputException(FIELD, "The certificate object named is not an X.509 certificate");
        }
        try {
            byte[] id = a.id();
            return new Found(new X509CertificateHolder(der), id == null || id.length == 0 ? null : KeyId.of(id),
                    a.label() == null ? "" : a.label());
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidInputException(FIELD, "The certificate object named does not parse as X.509", e);
        }
    }

    /**
     * The chain above a certificate among the token's certificates: its issuer, that
     * one's issuer, and so on, each found by subject and checked by signature, up to a
     * self-signed certificate or the first issuer the token does not hold.
     *
     * @param session an open session
     * @param cert the certificate whose chain is wanted
     * @return the issuers, nearest first (empty when the token holds none)
     * @throws TokenctlException if the token fails
     */
    public static List<X509CertificateHolder> chain(TokenSession session, X509CertificateHolder cert)
            throws TokenctlException {
        List<X509CertificateHolder> all = new ArrayList<>();
        for (long h : session.find(Attributes.x509Certificate())) {
            try {
                all.add(read(session, h).certificate());
            } catch (InvalidInputException unreadable) {
                // a certificate that does not parse cannot be a link of the chain; skip it
            }
        }
        List<X509CertificateHolder> out = new ArrayList<>();
        X509CertificateHolder current = cert;
        while (out.size() < MAX_CHAIN && !current.getSubject().equals(current.getIssuer())) {
            X509CertificateHolder issuer = null;
            for (X509CertificateHolder c : all) {
                if (c.getSubject().equals(current.getIssuer()) && !c.equals(current) && !out.contains(c)
                        && signed(current, c)) {
                    issuer = c;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            out.add(issuer);
            current = issuer;
        }
        return out;
    }

    private static boolean signed(X509CertificateHolder cert, X509CertificateHolder by) {
        try {
            return cert.isSignatureValid(PublicKeys.verifier(by.getSubjectPublicKeyInfo()));
        } catch (Exception e) {
            return false;
        }
    }
}
