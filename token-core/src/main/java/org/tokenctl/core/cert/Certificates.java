package org.tokenctl.core.cert;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.InvalidInputException;
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
        return serialHex(cert.getSerialNumber());
    }

    /**
     * @param serial a certificate serial number
     * @return it in lower-case hex, in whole bytes: what {@code openssl x509 -serial} prints
     *         (in upper case), so that the two compare as text
     */
    public static String serialHex(BigInteger serial) {
        String hex = serial.toString(16).toLowerCase(Locale.ROOT);
        return serial.signum() >= 0 && hex.length() % 2 == 1 ? "0" + hex : hex;
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
                serialHex(cert), X509Time.notBefore(cert), X509Time.notAfter(cert));
    }

    /** How far a certificate's notBefore may be in the future: CA and station clocks drift. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * @param cert a certificate
     * @return whether its basicConstraints say it is a CA (RFC 5280 4.2.1.9)
     */
    public static boolean isCa(X509CertificateHolder cert) {
        BasicConstraints bc = BasicConstraints.fromExtensions(cert.getExtensions());
        return bc != null && bc.isCA();
    }

    /**
     * Refuses a certificate whose serial number RFC 5280 section 4.1.2.2 forbids: it
     * "MUST be a positive integer", so zero and negative numbers (which some tools
     * then print and compare differently) are refused.
     *
     * @param cert a certificate read from outside (a file, a CA's answer)
     * @param field the option that gave it, for the exception
     * @throws InvalidInputException if the serial is zero or negative
     */
    public static void requirePositiveSerial(X509CertificateHolder cert, String field) throws InvalidInputException {
        int sign = cert.getSerialNumber().signum();
        if (sign <= 0) {
            throw new InvalidInputException(field, "The certificate '" + SubjectName.format(cert.getSubject())
                    + "' has a " + (sign == 0 ? "zero" : "negative") + " serial number; RFC 5280 section 4.1.2.2"
                    + " requires a positive integer");
        }
    }

    /**
     * Refuses a certificate as a CA certificate (the local CA's, or a chain certificate
     * to install) unless RFC 5280 allows it to be one: a positive serial and version 3,
     * the only version with the basicConstraints extension that makes a CA
     * (sections 4.1.2.1 and 4.2.1.9).
     *
     * @param cert the CA certificate
     * @param field the option that gave it
     * @throws InvalidInputException if it breaks either rule
     */
    public static void requireConformingCa(X509CertificateHolder cert, String field) throws InvalidInputException {
        requirePositiveSerial(cert, field);
        if (cert.getVersionNumber() != 3) {
            throw new InvalidInputException(field, "The CA " + describe(cert) + " is a version "
                    + cert.getVersionNumber() + " certificate; RFC 5280 (sections 4.1.2.1, 4.2.1.9) requires version 3"
                    + " with basicConstraints CA:TRUE for a CA");
        }
    }

    /**
     * Refuses a certificate no holder could use now: a serial RFC 5280 forbids,
     * expired, not yet valid (beyond {@link #CLOCK_SKEW}), or a CA certificate rather
     * than a holder's.
     *
     * @param cert the holder's certificate
     * @param now the current time
     * @throws InvalidInputException naming what is wrong, with the dates
     */
    public static void requireUsableHolderCertificate(X509CertificateHolder cert, Instant now)
            throws InvalidInputException {
        requirePositiveSerial(cert, "cert");
        Instant notAfter = X509Time.notAfter(cert);
        Instant notBefore = X509Time.notBefore(cert);
        if (notAfter.isBefore(now)) {
            throw new InvalidInputException("cert", "The " + describe(cert) + " expired on " + notAfter);
        }
        if (notBefore.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidInputException("cert", "The " + describe(cert) + " is not valid until " + notBefore
                    + " (check this machine's clock and the CA's)");
        }
        if (isCa(cert)) {
            throw new InvalidInputException("cert", "The " + describe(cert)
                    + " is a CA certificate, not a holder's certificate");
        }
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
