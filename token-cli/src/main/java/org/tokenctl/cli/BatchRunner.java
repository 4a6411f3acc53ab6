package org.tokenctl.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.KeySource;
import org.tokenctl.core.enroll.ExistingEnrollment;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.key.LabelledKeys;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.AttemptGuardException;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.SharedPin;
import org.tokenctl.core.pin.SharedPinRefusedException;
import org.tokenctl.core.pin.UserType;

/**
 * Works on the tokens of a batch, at most {@code parallel} at a time, each in its
 * own read-write session on its worker thread, all through one module
 * initialisation: the same login rules for every kind of work (a token's own PIN,
 * or the shared PIN tried once: {@link SharedPin}), the same cancellation, and
 * a token's failure is its own result: it never stops the others. What is done
 * on each token is a {@link Job}: enrolling ({@link #enrollJob}) or renewing.
 */
final class BatchRunner {

    /** The work on one token of a batch. */
    interface Job {
        /**
         * Before the session is opened and the PIN tried: a refusal here spends no PIN try.
         *
         * @param t the token
         * @throws Exception to fail the token
         */
        default void beforeLogin(BatchTarget t) throws Exception {
        }

        /**
         * @param t the token
         * @param session its read-write session, logged in as the user
         * @param start when the token's turn began ({@link System#nanoTime})
         * @return the token's result
         * @throws Exception to fail the token (what was made is rolled back by the work itself)
         */
        BatchResult run(BatchTarget t, TokenSession session, long start) throws Exception;
    }

    private final CliContext ctx;
    private final SharedPin sharedPin;
    private final boolean verbose;
    private final Cancellation cancellation;
    private final String name;

    /**
     * @param ctx stderr for --verbose traces, PIN files and variables
     * @param sharedPin the shared PIN, or null when every token has its own
     * @param verbose print each failure's stack trace
     * @param cancellation once cancelled, tokens under way stop at their next step and the others are skipped
     * @param name the command, for worker threads and traces
     */
    BatchRunner(CliContext ctx, SharedPin sharedPin, boolean verbose, Cancellation cancellation, String name) {
        this.ctx = ctx;
        this.sharedPin = sharedPin;
        this.verbose = verbose;
        this.cancellation = cancellation;
        this.name = name;
    }

    /**
     * Enrollment: the request's key spec checked before the login, the resume rule (a token
     * holding a valid enrollment for the subject is left alone unless forced), then
     * {@link Enrollment#run}.
     *
     * @param issuer shared by every token (thread-safe, as {@link CertificateIssuer} requires)
     * @param force enroll even tokens that already hold the enrollment (a second pair under its label)
     * @param duplicateLabelAllowed make a pair under a label another key with a certificate carries
     * @param clock for the resume rule's "valid now"
     * @return the job
     */
    Job enrollJob(CertificateIssuer issuer, boolean force, boolean duplicateLabelAllowed, Clock clock) {
        return enrollJob(issuer, force, duplicateLabelAllowed, false, clock);
    }

    /**
     * As {@link #enrollJob(CertificateIssuer, boolean, boolean, Clock)}; with {@code finishUnfinished}, a
     * key pair an earlier enrollment under the label left without its certificate (a token pulled in the
     * middle) is enrolled instead of a new one being made beside it ({@link LabelledKeys#unfinished}).
     *
     * @param issuer shared by every token
     * @param force enroll even tokens that already hold the enrollment
     * @param duplicateLabelAllowed make a pair under a label another key with a certificate carries
     * @param finishUnfinished enroll a pair left without its certificate under the label, rather than refuse
     * @param clock for the resume rule's "valid now"
     * @return the job
     */
    Job enrollJob(CertificateIssuer issuer, boolean force, boolean duplicateLabelAllowed, boolean finishUnfinished,
                  Clock clock) {
        boolean duplicates = force || duplicateLabelAllowed;
        return new Job() {
            @Override
            public void beforeLogin(BatchTarget t) throws Exception {
                EnrollCommand.requireSupported(t.profile(), t.token(), t.request());
            }

            @Override
            public BatchResult run(BatchTarget t, TokenSession session, long start) throws Exception {
                if (!force) {
                    Optional<ExistingEnrollment> existing = ExistingEnrollment.find(session, t.request().subject(),
                            clock.instant());
                    if (existing.isPresent()) {
                        return result(t, Outcome.ALREADY_ENROLLED, existing.get().id().hex(),
                                existing.get().certificate(), null, ExitCode.OK, start);
                    }
                }
                EnrollmentRequest request = t.request();
                if (finishUnfinished) {
                    Optional<KeyId> left = LabelledKeys.unfinished(session, request.label());
                    if (left.isPresent()) {
                        request = new EnrollmentRequest(new KeySource.Existing(ObjectQuery.id(left.get())),
                                request.hash(), request.label(), request.subject(), request.subjectAltNames(),
                                request.installChain());
                    }
                }
                EnrollmentResult r = Enrollment.run(new TokenMedium(session, duplicates), request, issuer,
                        cancellation);
                return result(t, Outcome.ENROLLED, r.id().hex(), r.certificate(), null, ExitCode.OK, start);
            }
        };
    }

    /** @return the batch's cancellation, for jobs that run several steps */
    Cancellation cancellation() {
        return cancellation;
    }

    /**
     * @param targets the tokens, in batch order
     * @param parallel how many at a time
     * @param job what to do on each
     * @param onDone told about each token as it finishes (from the worker threads)
     * @return every result, in batch order
     * @throws InterruptedException if interrupted while waiting
     */
    List<BatchResult> run(List<BatchTarget> targets, int parallel, Job job, Consumer<BatchResult> onDone)
            throws InterruptedException {
        // busy for the whole run, so that a signal between two tokens still waits for the summary
        try (Cancellation.Active ignored = cancellation.begin()) {
            return runAll(targets, parallel, job, onDone);
        }
    }

    /**
     * Every token, with the attempt guards' withdrawals deferred for the run (a correct PIN
     * is written with the next login's reservation: one state write per login, not two);
     * what still waits at the end is written then, or, if it cannot be, a warning says so
     * (those reservations then stand as wrong PINs, the safe side).
     */
    private List<BatchResult> runAll(List<BatchTarget> targets, int parallel, Job job, Consumer<BatchResult> onDone)
            throws InterruptedException {
        List<AttemptGuard.Deferral> deferrals = new ArrayList<>();
        for (AttemptGuard guard : new LinkedHashSet<>(targets.stream().map(t -> t.login().guard()).toList())) {
            deferrals.add(guard.deferWithdrawals());
        }
        try {
            return runEach(targets, parallel, job, onDone);
        } finally {
            for (AttemptGuard.Deferral d : deferrals) {
                try {
                    d.close();
                } catch (AttemptGuardException e) {
                    synchronized (ctx.err()) {
                        ctx.err().println("tokenctl: warning: " + ErrorReporter.oneLine(e.getMessage()));
                    }
                }
            }
        }
    }

    private List<BatchResult> runEach(List<BatchTarget> targets, int parallel, Job job, Consumer<BatchResult> onDone)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, targets.size()), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BatchResult>> futures = new ArrayList<>();
            for (BatchTarget t : targets) {
                futures.add(pool.submit(() -> {
                    BatchResult r = one(t, job);
                    onDone.accept(r);
                    return r;
                }));
            }
            List<BatchResult> results = new ArrayList<>();
            for (Future<BatchResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    // one() catches everything but Errors: let those end the process as they would anyway
                    throw new IllegalStateException("a batch worker died", e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Works on one token now, on the caller's thread (a station hands tokens over as they
     * arrive), with the batch's login rules; never throws an Exception.
     *
     * @param t the token
     * @param job what to do
     * @return its result
     */
    BatchResult runOne(BatchTarget t, Job job) {
        return one(t, job);
    }

    /** One token: the job's preflight (no PIN try), login, the job. Never throws an Exception. */
    private BatchResult one(BatchTarget t, Job job) {
        long start = System.nanoTime();
        if (cancellation.cancelled()) {
            // a token not yet started once the batch is interrupted is skipped, untouched
            return result(t, Outcome.SKIPPED, null, null, "Not started: the batch was interrupted",
                    ExitCode.INTERRUPTED, start);
        }
        try {
            job.beforeLogin(t);
            try (TokenSession session = t.token().openSession(true)) {
                login(session, t);
                return job.run(t, session, start);
            }
        } catch (Exception e) {
            ErrorReporter.Report report = ErrorReporter.report(e);
            if (verbose) {
                synchronized (ctx.err()) {
                    ctx.err().println(name + ": token " + t.info().serial() + ":");
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

    /**
     * @param t the token
     * @param outcome what happened
     * @param keyId the key's id, or null
     * @param cert the certificate, or null
     * @param error one line, or null
     * @param code the exit code for the token
     * @param start when its turn began
     * @return its result
     */
    static BatchResult result(BatchTarget t, Outcome outcome, String keyId,
                              org.bouncycastle.cert.X509CertificateHolder cert, String error, ExitCode code,
                              long start) {
        return new BatchResult(t.info().serial(), t.info().label(), outcome, keyId, cert, error, code,
                (System.nanoTime() - start) / 1_000_000);
    }
}
