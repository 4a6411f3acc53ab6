package org.tokenctl.core.cert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.tokenctl.core.objects.CertificateDescription;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.TokenObject;

/**
 * Which certificates on a token have expired or expire soon: the question an
 * operator of a fleet of tokens asks before certificates stop working. Pure
 * computation over what {@link org.tokenctl.core.objects.ObjectLister} read; thread-safe.
 */
public final class Expiry {

    /** The most days a window may span (about a hundred years). */
    public static final int MAX_WINDOW_DAYS = 36_500;

    private static final long SECONDS_PER_DAY = 86_400;

    /** Where a certificate stands at a moment, for a window of days. */
    public enum Status {
        /** its notAfter has passed */
        EXPIRED,
        /** it expires within the window */
        EXPIRING,
        /** its notBefore is still to come (a wrong clock, or a certificate issued ahead) */
        NOT_YET_VALID,
        /** valid beyond the window */
        VALID
    }

    /**
     * One certificate object and where it stands.
     *
     * @param certificate the certificate object (its {@code certificate()} is not null)
     * @param status where it stands
     * @param daysLeft whole days from the moment to its notAfter, rounded down: 0 on its last day,
     *                 negative once expired (-1 on the first day after)
     */
    public record Entry(TokenObject certificate, Status status, long daysLeft) {
        /**
         * @param certificate the certificate object (its {@code certificate()} is not null)
         * @param status where it stands
         * @param daysLeft whole days to its notAfter, rounded down
         */
        public Entry {
            Objects.requireNonNull(certificate.certificate(), "a certificate object");
        }
    }

    private Expiry() {
    }

    /**
     * @param c a certificate
     * @param now the moment
     * @param withinDays the window, 0 to {@link #MAX_WINDOW_DAYS}
     * @return where it stands: expired once now is after notAfter (X.509 validity includes notAfter itself),
     *         expiring when notAfter falls within the window, not yet valid before notBefore
     */
    public static Status status(CertificateDescription c, Instant now, int withinDays) {
        checkWindow(withinDays);
        if (now.isAfter(c.notAfter())) {
            return Status.EXPIRED;
        }
        if (c.notAfter().isBefore(now.plus(Duration.ofDays(withinDays)))) {
            return Status.EXPIRING;
        }
        return now.isBefore(c.notBefore()) ? Status.NOT_YET_VALID : Status.VALID;
    }

    /**
     * @param notAfter a certificate's end of validity
     * @param now the moment
     * @return whole days from now to notAfter, rounded down (negative once past)
     */
    public static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), SECONDS_PER_DAY);
    }

    /**
     * @param objects objects listed on one token (others than X.509 certificates are passed over)
     * @param now the moment
     * @param withinDays the window, 0 to {@link #MAX_WINDOW_DAYS}
     * @return each certificate with where it stands, soonest expiry first
     */
    public static List<Entry> check(List<TokenObject> objects, Instant now, int withinDays) {
        checkWindow(withinDays);
        List<Entry> out = new ArrayList<>();
        for (TokenObject o : objects) {
            if (o.objectClass() == ObjectClass.CERTIFICATE && o.certificate() != null) {
                out.add(new Entry(o, status(o.certificate(), now, withinDays),
                        daysLeft(o.certificate().notAfter(), now)));
            }
        }
        out.sort(Comparator.comparing((Entry e) -> e.certificate().certificate().notAfter()));
        return out;
    }

    private static void checkWindow(int withinDays) {
        if (withinDays < 0 || withinDays > MAX_WINDOW_DAYS) {
            throw new IllegalArgumentException("a window of 0 to " + MAX_WINDOW_DAYS + " days");
        }
    }
}
