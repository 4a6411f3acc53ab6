package org.tokenctl.core.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

/**
 * X.509 times made and read without BouncyCastle's date formats: the same bytes as
 * BouncyCastle's own {@code new Time(Date)}, the same instants as its
 * {@code Time.getDate()}, RFC 5280's choice of UTCTime or GeneralizedTime by year,
 * and BouncyCastle's parser for every form RFC 5280 does not allow.
 */
class X509TimeTest {

    private static final List<String> EDGES = List.of("1950-01-01T00:00:00Z", "1949-12-31T23:59:59Z",
            "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z", "2000-02-29T12:00:00Z", "1970-01-01T00:00:00Z",
            "2126-11-13T07:08:09Z", "1600-03-01T00:00:00Z", "9999-12-31T23:59:59Z");

    /** A time as its DER encoding names it, for times in forms X509Time does not write. */
    private static Time parsed(boolean utc, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[t.length + 2];
        der[0] = (byte) (utc ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) t.length;
        System.arraycopy(t, 0, der, 2, t.length);
        return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }

    @Test
    void madeAsBouncyCastleMakesThemAndReadBack() throws Exception {
        Random random = new Random(4711);
        List<Instant> instants = new java.util.ArrayList<>(EDGES.stream().map(Instant::parse).toList());
        for (int i = 0; i < 200; i++) {
            instants.add(Instant.ofEpochSecond(-700_000_000L + (long) (random.nextDouble() * 5_000_000_000L)));
        }
        for (Instant t : instants) {
            Time ours = X509Time.of(t);
            Time theirs = new Time(Date.from(t));
            assertArrayEquals(theirs.getEncoded(), ours.getEncoded(), t.toString());
            assertEquals(t, X509Time.instant(ours), t.toString());
            assertEquals(theirs.getDate().toInstant(), X509Time.instant(theirs), t.toString());
        }
    }

    @Test
    void rfc5280ChoosesTheFormByYear() {
        assertEquals(ASN1UTCTime.class, X509Time.of(Instant.parse("2049-12-31T23:59:59Z")).toASN1Primitive()
                .getClass());
        assertEquals(ASN1GeneralizedTime.class, X509Time.of(Instant.parse("2050-01-01T00:00:00Z")).toASN1Primitive()
                .getClass());
        assertEquals(ASN1GeneralizedTime.class, X509Time.of(Instant.parse("1949-12-31T23:59:59Z")).toASN1Primitive()
                .getClass());
        // the two-digit year: 50 and above is 19YY, below is 20YY
        assertEquals(Instant.parse("1950-01-01T00:00:00Z"), X509Time.instant(parsed(true, "500101000000Z")));
        assertEquals(Instant.parse("2049-12-31T23:59:59Z"), X509Time.instant(parsed(true, "491231235959Z")));
        assertEquals(Instant.parse("2050-06-01T10:00:00Z"), X509Time.instant(parsed(false, "20500601100000Z")));
    }

    @Test
    void fractionsOfASecondAreDropped() {
        Instant t = Instant.parse("2030-05-06T07:08:09.987Z");
        assertEquals(t.truncatedTo(ChronoUnit.SECONDS), X509Time.instant(X509Time.of(t)));
    }

    @Test
    void otherFormsAreReadAsBouncyCastleReadsThem() {
        // RFC 5280 allows none of these; other CAs may still write them
        List<Time> odd = List.of(parsed(true, "3001020304Z"), parsed(true, "300102030405+0130"),
                parsed(true, "3001020304+0100"), parsed(true, "300102030405-0000"),
                parsed(false, "20300102030405.5Z"), parsed(false, "20300102030405+0200"),
                parsed(false, "203001020304Z"), parsed(false, "20300102030405"));
        for (Time t : odd) {
            assertEquals(t.getDate().toInstant(), X509Time.instant(t), t.toString());
        }
    }

    @Test
    void yearsAnX509TimeCannotHoldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> X509Time.of(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> X509Time.of(Instant.parse("0000-12-31T23:59:59Z")));
    }
}
