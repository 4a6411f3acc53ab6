package org.tokenctl.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.tokenctl.cli.batch.BatchResult;
import org.tokenctl.cli.batch.Outcome;
import org.tokenctl.core.enroll.Cancellation;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.ExistingEnrollment;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.SharedPin;
import org.tokenctl.core.pin.SharedPinRefusedException;
import org.tokenctl.core.pin.UserType;

/**
 * Enrolls the tokens of a batch, at most {@code parallel} at a time, each in its
 * own read-write session on its worker thread, all through one module
 * initialisation. A token's failure is its own result: it never stops the others.
 */
final class BatchRunner {

    private final CliContext ctx;
    private final CertificateIssuer issuer;
    private final SharedPin sharedPin;
    private final boolean force;
    private final boolean duplicateLabelAllowed;
    private final boolean verbose;
    private final Clock clock;
    private final Cancellation cancellation;

    /**
     * @param ctx stderr for --verbose traces, PIN files and variables
     * @param issuer shared by every token (thread-safe, as {@link CertificateIssuer} requires)
     * @param sharedPin the shared PIN, or null when every token has its own
     * @param force enroll even tokens that already hold the enrollment (a second pair under its label)
     * @param duplicateLabelAllowed make a pair under a label another key with a certificate carries
     * @param verbose print each failure's stack trace
     * @param cancellation once cancelled, tokens under way stop at their next step and the others are skipped
     */
    BatchRunner(CliContext ctx, CertificateIssuer issuer, SharedPin sharedPin, boolean force,
                boolean duplicateLabelAllowed, boolean verbose, Cancellation cancellation) {
        this.ctx = ctx;
        this.issuer = issuer;
        this.sharedPin = sharedPin;
        this.force = force;
        this.duplicateLabelAllowed = force || duplicateLabelAllowed;
        this.verbose = verbose;
        this.clock = ctx.clock();
        this.cancellation = cancellation;
    }

    /**
     * @param targets the tokens, in batch order
     * @param parallel how many at a time
     * @param onDone told about each token as it finishes (from the worker threads)
     * @return every result, in batch order
     * @throws InterruptedException if interrupted while waiting
     */
    List<BatchResult> run(List<BatchTarget> targets, int parallel, Consumer<BatchResult> onDone)
            throws InterruptedException {
        // busy for the whole run, so that a signal between two tokens still waits for the summary
        try (Cancellation.Active ignored = cancellation.begin()) {
            return runAll(targets, parallel, onDone);
        }
    }

    private List<BatchResult> runAll(List<BatchTarget> targets, int parallel, Consumer<BatchResult> onDone)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, targets.size()), r -> {
            Thread t = new Thread(r, "batch-enroll");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BatchResult>> futures = new ArrayList<>();
            for (BatchTarget t : targets) {
                futures.add(pool.submit(() -> {
                    BatchResult r = enroll(t);
                    onDone.accept(r);
                    return r;
                }));
            }
            List<BatchResult> results = new ArrayList<>();
            for (Future<BatchResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    // enroll() catches everything but Errors: let those end the process as they would anyway
                    throw new IllegalStateException("a batch worker died", e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One token: preflight (no PIN try), login, resume check, enrollment. Never throws an Exception. */
    private BatchResult enroll(BatchTarget t) {
        long start = System.nanoTime();
        if (cancellation.cancelled()) {
            // a token not yet started once the batch is interrupted is skipped, untouched
            return result(t, Outcome.SKIPPED, null, null, "Not started: the batch was interrupted",
                    ExitCode.INTERRUPTED, start);
        }
        try {
            EnrollCommand.requireSupported(t.profile(), t.token(), t.request());
            try (TokenSession session = t.token().openSession(true)) {
                login(session, t);
                if (!force) {
                    Optional<ExistingEnrollment> existing = ExistingEnrollment.find(session, t.request().subject(),
                            clock.instant());
                    if (existing.isPresent()) {
                        return result(t, Outcome.ALREADY_ENROLLED, existing.get().id().hex(),
                                existing.get().certificate(), null, ExitCode.OK, start);
                    }
                }
                EnrollmentResult r = Enrollment.run(new TokenMedium(session, duplicateLabelAllowed), t.request(), issuer, cancellation);
                return result(t, Outcome.ENROLLED, r.id().hex(), r.certificate(), null, ExitCode.OK, start);
            }
        } catch (Exception e) {
            ErrorReporter.Report report = ErrorReporter.report(e);
            if (verbose) {
                synchronized (ctx.err()) {
                    ctx.err().println("batch-enroll: token " + t.info().serial() + ":");
                    e.printStackTrace(ctx.err());
                }
            }
            return result(t, e instanceof SharedPinRefusedException ? Outcome.SKIPPED : Outcome.FAILED, null, null,
                    ErrorReporter.oneLine(report.text()), report.code(), start);
        }
    }

    private void login(TokenSession session, BatchTarget t) throws Exception {
        if (t.ownPin() == null) {
            sharedPin.login(session, t.login());
            return;
        }
        try (Pin pin = new PinReader(ctx).read(t.ownPin())) {
            session.login(UserType.USER, pin, t.login());
        }
    }

    private static BatchResult result(BatchTarget t, Outcome outcome, String keyId,
                                      org.bouncycastle.cert.X509CertificateHolder cert, String error, ExitCode code,
                                      long start) {
        return new BatchResult(t.info().serial(), t.info().label(), outcome, keyId, cert, error, code,
                (System.nanoTime() - start) / 1_000_000);
    }
}
