package org.tokenctl.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Two enrollments of one label at once: the one that loses is told another is
 * under way, not asked to delete the other's key pair, and the winner finishes.
 */
@ExtendWith(SoftHsmExtension.class)
class ConcurrentLabelTest {

    private static final String PIN = "975310";
    private static SoftHsmFixture fixture;
    private static LocalCa ca;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("samelabel", "so-" + PIN, PIN);
        DemoCa demo = DemoCa.create(SubjectName.parse("CN=Concurrent CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        ca = new LocalCa(demo.certificate(), demo.key(), 10, Clock.systemUTC());
    }

    private static EnrollmentRequest request(String label) throws Exception {
        return new EnrollmentRequest(KeySpec.EC_P256, KeySpec.EC_P256.signatureAlgorithm(null), null, label,
                SubjectName.parse("CN=" + label), null, false);
    }

    /** Issues with the local CA once told to; meanwhile the enrollment waits with its key pair made. */
    private static final class HeldIssuer implements CertificateIssuer {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Issuance issue(CertificateRequest request) throws org.tokenctl.core.TokenctlException {
            reached.countDown();
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ca.issue(request);
        }
    }

    @Test
    void theSecondIsToldTheFirstIsUnderWay() throws Exception {
        try (OpenToken first = OpenToken.open(fixture, "samelabel", PIN);
             TokenSession second = TestTokens.userSession(first.module(), "samelabel", PIN)) {
            HeldIssuer held = new HeldIssuer();
            CompletableFuture<EnrollmentResult> winner = CompletableFuture.supplyAsync(() -> {
                try {
                    return Enrollment.run(new TokenMedium(first.session()), request("shared"), held,
                            new Cancellation());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(held.reached.await(60, TimeUnit.SECONDS), "the first enrollment made its key pair");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Enrollment.run(
                    new TokenMedium(second), request("shared"), ca, new Cancellation()));
            assertTrue(e.getMessage().startsWith("Another enrollment of a key labelled 'shared' on token "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("delete"), e.getMessage());
            held.release.countDown();
            EnrollmentResult r = winner.get(60, TimeUnit.SECONDS);
            assertEquals("shared", r.label());
            // the lock is released with the enrollment: a pair left without certificate is again named as such
            Enrollment.run(new TokenMedium(second), new EnrollmentRequest(KeySpec.EC_P256,
                    KeySpec.EC_P256.signatureAlgorithm(null), null, "waiting", SubjectName.parse("CN=w"), null,
                    false), new org.tokenctl.core.issue.OfflineIssuer(fixture.root().resolve("w.csr"), false),
                    new Cancellation());
            InvalidInputException stale = assertThrows(InvalidInputException.class, () -> Enrollment.run(
                    new TokenMedium(second), request("waiting"), ca, new Cancellation()));
            assertTrue(stale.getMessage().contains("no certificate"), stale.getMessage());
        }
    }

    @Test
    void theLockFileNameHidesSerialAndLabel() {
        String n = EnrollmentLock.name("9dca3ab4", "alice");
        assertTrue(n.matches("[0-9a-f]{32}\\.lock"), n);
        assertFalse(n.equals(EnrollmentLock.name("9dca3ab", "4alice")), "serial and label are kept apart");
        assertEquals(List.of(n), List.of(EnrollmentLock.name("9dca3ab4", "alice")));
    }
}
