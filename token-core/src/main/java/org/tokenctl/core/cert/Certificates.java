package org.tokenctl.core.cert;

import java.util.Locale;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.objects.CertificateDescription;

/** Small facts about X.509 certificates, for messages and checks. */
public final class Certificates {

    private Certificates() {
    }

    /**
     * @param cert a certificate
     * @return its serial number in lower-case hex (as {@code tokenctl list} shows it)
     */
    public static String serialHex(X509CertificateHolder cert) {
        return cert.getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
    }

    /**
     * @param cert a certificate
     * @return e.g. "certificate 'CN=alice' (serial 3f0a...)"
     */
    public static String describe(X509CertificateHolder cert) {
        return "certificate '" + SubjectName.format(cert.getSubject()) + "' (serial " + serialHex(cert) + ")";
    }

    /**
     * @param cert a certificate
     * @return what {@code tokenctl list} shows of it: names, serial and validity
     */
    public static CertificateDescription description(X509CertificateHolder cert) {
        return new CertificateDescription(SubjectName.format(cert.getSubject()), SubjectName.format(cert.getIssuer()),
                serialHex(cert), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }

    /**
     * Refuses a certificate that does not certify a given key.
     *
     * @param cert the certificate
     * @param key the key it must certify
     * @param keyName the key, for the message, e.g. "the new key (id ab01...)"
     * @throws CertificateMismatchException if the public keys differ
     */
    public static void requireCertifies(X509CertificateHolder cert, SubjectPublicKeyInfo key, String keyName)
            throws CertificateMismatchException {
        if (!PublicKeys.sameKey(cert.getSubjectPublicKeyInfo(), key)) {
            throw new CertificateMismatchException(SubjectName.format(cert.getSubject()), serialHex(cert),
                    "The " + describe(cert) + " is for another key (" + PublicKeys.describe(
                            cert.getSubjectPublicKeyInfo()) + "), not for " + keyName);
        }
    }
}
