package org.tokenctl.core.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * X.509 validity times (RFC 5280 section 4.1.2.5) to and from {@link Instant}: the one
 * place tokenctl reads a certificate's notBefore and notAfter, and makes the times of
 * the certificates it issues.
 *
 * <p>BouncyCastle builds a {@code SimpleDateFormat} (with its calendar and number
 * formats) for every time it makes from a {@code Date} and for every one it reads,
 * twice for a time it makes: about ten per enrolled token, a few percent of a batch's
 * Java time in its young JVM. RFC 5280 fixes the form of these times, UTCTime
 * {@code YYMMDDHHMMSSZ} up to 2049 and GeneralizedTime {@code YYYYMMDDHHMMSSZ} from 2050
 * on, so that form is written and read here directly. A time in any other form (which
 * RFC 5280 does not allow, but other CAs may write) is left to BouncyCastle's parser, as
 * before.
 */
public final class X509Time {

    private X509Time() {
    }

    /**
     * @param instant a time (seconds are kept, fractions dropped)
     * @return it as RFC 5280 wants it in a certificate or CRL: UTCTime from 1950 to 2049,
     *         GeneralizedTime otherwise
     * @throws IllegalArgumentException for a year before 1 or after 9999
     */
    public static Time of(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " cannot be an X.509 time");
        }
        boolean utc = year >= 1950 && year <= 2049;
        StringBuilder s = new StringBuilder(15);
        if (utc) {
            two(s, year % 100);
        } else {
            two(s, year / 100);
            two(s, year % 100);
        }
        two(s, t.getMonthValue());
        two(s, t.getDayOfMonth());
        two(s, t.getHour());
        two(s, t.getMinute());
        two(s, t.getSecond());
        s.append('Z');
        byte[] text = s.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[2 + text.length];
        der[0] = (byte) (utc ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        // parsed from its encoding: BouncyCastle's String and Date constructors check a
        // time with a SimpleDateFormat, its parser takes the DER value as it is
        return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }

    /**
     * @param time an X.509 time
     * @return the instant it names
     * @throws IllegalStateException if it is in another form than RFC 5280's and BouncyCastle cannot read it
     *                               either (as {@link Time#getDate()})
     */
    public static Instant instant(Time time) {
        Instant strict = strict(time.toASN1Primitive());
        return strict != null ? strict : time.getDate().toInstant();
    }

    /**
     * @param cert a certificate
     * @return its notBefore
     */
    public static Instant notBefore(X509CertificateHolder cert) {
        return instant(cert.toASN1Structure().getStartDate());
    }

    /**
     * @param cert a certificate
     * @return its notAfter
     */
    public static Instant notAfter(X509CertificateHolder cert) {
        return instant(cert.toASN1Structure().getEndDate());
    }

    /** RFC 5280's form of the time, or null when it is in another form. */
    private static Instant strict(ASN1Primitive p) {
        boolean utc = p instanceof ASN1UTCTime;
        if (!utc && !(p instanceof ASN1GeneralizedTime)) {
            return null;
        }
        byte[] der;
        try {
            der = p.getEncoded();
        } catch (IOException e) {
            return null;
        }
        int digits = utc ? 12 : 14;
        if (der.length != 2 + digits + 1 || der[1] != digits + 1 || der[der.length - 1] != 'Z') {
            return null;
        }
        for (int i = 2; i < 2 + digits; i++) {
            if (der[i] < '0' || der[i] > '9') {
                return null;
            }
        }
        int at = 2;
        int year;
        if (utc) {
            int yy = number(der, at);
            year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 section 4.1.2.5.1
            at += 2;
        } else {
            year = number(der, at) * 100 + number(der, at + 2);
            at += 4;
        }
        try {
            return LocalDateTime.of(year, number(der, at), number(der, at + 2), number(der, at + 4),
                    number(der, at + 6), number(der, at + 8)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // BouncyCastle's parser refuses a month 13 or a February 30 before this; if not, it decides
        }
    }

    private static int number(byte[] b, int at) {
        return (b[at] - '0') * 10 + (b[at + 1] - '0');
    }

    private static void two(StringBuilder s, int n) {
        s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
