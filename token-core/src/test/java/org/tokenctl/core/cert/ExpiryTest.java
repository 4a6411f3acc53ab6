package org.tokenctl.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.objects.CertificateDescription;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.TokenObject;

/** Where a certificate stands, at the edges: the last second of validity, the window's end, the day counts. */
class ExpiryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static CertificateDescription cert(Instant notBefore, Instant notAfter) {
        return new CertificateDescription("CN=x", "CN=ca", "01", notBefore, notAfter);
    }

    private static CertificateDescription until(Instant notAfter) {
        return cert(NOW.minus(Duration.ofDays(400)), notAfter);
    }

    @Test
    void aCertificateIsValidThroughItsNotAfterSecond() {
        assertEquals(Expiry.Status.EXPIRING, Expiry.status(until(NOW), NOW, 30), "notAfter itself is still valid");
        assertEquals(Expiry.Status.EXPIRED, Expiry.status(until(NOW.minusSeconds(1)), NOW, 30));
        assertEquals(Expiry.Status.EXPIRED, Expiry.status(until(NOW.minusSeconds(1)), NOW, 0));
        assertEquals(Expiry.Status.VALID, Expiry.status(until(NOW), NOW, 0), "no window: valid to the end");
    }

    @Test
    void theWindowEndsExactlyDaysAfterNow() {
        Instant edge = NOW.plus(Duration.ofDays(30));
        assertEquals(Expiry.Status.EXPIRING, Expiry.status(until(edge.minusSeconds(1)), NOW, 30));
        assertEquals(Expiry.Status.VALID, Expiry.status(until(edge), NOW, 30));
    }

    @Test
    void aCertificateNotYetValidSaysSoUnlessItExpiresFirst() {
        Instant later = NOW.plus(Duration.ofDays(2));
        assertEquals(Expiry.Status.NOT_YET_VALID, Expiry.status(cert(later, NOW.plus(Duration.ofDays(90))), NOW,
                30));
        assertEquals(Expiry.Status.VALID, Expiry.status(cert(NOW, NOW.plus(Duration.ofDays(90))), NOW, 30),
                "notBefore itself is valid");
        assertEquals(Expiry.Status.EXPIRING, Expiry.status(cert(later, NOW.plus(Duration.ofDays(9))), NOW, 30));
    }

    @Test
    void daysLeftAreWholeDaysRoundedDown() {
        assertEquals(0, Expiry.daysLeft(NOW.plusSeconds(86_399), NOW));
        assertEquals(1, Expiry.daysLeft(NOW.plusSeconds(86_400), NOW));
        assertEquals(-1, Expiry.daysLeft(NOW.minusSeconds(1), NOW), "the first day after expiry is -1");
        assertEquals(-1, Expiry.daysLeft(NOW.minusSeconds(86_400), NOW));
        assertEquals(-2, Expiry.daysLeft(NOW.minusSeconds(86_401), NOW));
    }

    @Test
    void checkKeepsCertificatesOnlySoonestFirst() {
        TokenObject late = new TokenObject(1, ObjectClass.CERTIFICATE, "late", null, false, null, null,
                until(NOW.plus(Duration.ofDays(300))));
        TokenObject gone = new TokenObject(2, ObjectClass.CERTIFICATE, "gone", null, false, null, null,
                until(NOW.minus(Duration.ofDays(3))));
        TokenObject key = new TokenObject(3, ObjectClass.PUBLIC_KEY, "key", null, false, null, null, null);
        List<Expiry.Entry> out = Expiry.check(List.of(late, key, gone), NOW, 30);
        assertEquals(List.of("gone", "late"), out.stream().map(e -> e.certificate().label()).toList());
        assertEquals(List.of(Expiry.Status.EXPIRED, Expiry.Status.VALID), out.stream().map(Expiry.Entry::status)
                .toList());
        assertEquals(List.of(-3L, 300L), out.stream().map(Expiry.Entry::daysLeft).toList());
    }

    @Test
    void aWindowOutOfRangeIsABug() {
        assertThrows(IllegalArgumentException.class, () -> Expiry.status(until(NOW), NOW, -1));
        assertThrows(IllegalArgumentException.class, () -> Expiry.check(List.of(), NOW, Expiry.MAX_WINDOW_DAYS + 1));
        assertEquals(List.of(), Expiry.check(List.of(), NOW, Expiry.MAX_WINDOW_DAYS));
    }
}
