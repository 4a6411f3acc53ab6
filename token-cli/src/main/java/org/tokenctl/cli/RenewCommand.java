package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.List;

import org.tokenctl.cli.batch.BatchProgress;
import org.tokenctl.cli.batch.BatchResult;
import org.tokenctl.cli.batch.Outcome;
import org.tokenctl.cli.options.KeyRequestOptions;
import org.tokenctl.cli.options.ObjectOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.BatchViews;
import org.tokenctl.cli.output.EnrollText;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.StepProgress;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.cert.Expiry;
import org.tokenctl.core.csr.SubjectAltNames;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.Renewal;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectDeleter;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.pin.SharedPin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.cert.X509Time;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenctl renew}: a new certificate (and by default a new key) for a key pair whose certificate expires. */
@Command(name = "renew", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Renew the certificate of a key pair on the token, named by --id, --label or --uri, or of"
                + " every certificate on the token that has expired or expires within --expiring DAYS. A new key"
                + " pair of the old key's type (or --key-spec) is generated on the token and certified for the old"
                + " certificate's subject and alternative names (or --subject, --san); --same-key certifies the"
                + " same pair again.",
            "The certificate comes from a local CA (--ca-cert/--ca-key), over CMP (--cmp-server: a key update,"
                + " RFC 9483 4.1.3, signed with the current key and certificate, which must still be valid) or"
                + " offline (--csr-out; finish with `tokenctl import-cert`).",
            "The new key and certificate are installed and read back before anything old is touched. The old"
                + " ones stay unless --remove-old: then the old certificate and, for a new key, the old key pair"
                + " are deleted. Any failure before that removes what was new and leaves the old pair as it was. "
                + TokenCommand.DEFAULT_SELECTION,
            "--all-tokens --expiring DAYS renews what is due on every initialised token present, as batch-enroll"
                + " enrolls: in parallel, with the shared PIN (never tried again once a token refuses it), one"
                + " result per token and a summary."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl renew --token-label alice --pin-file alice.pin --id da9c \\",
            "      --ca-cert ca.pem --ca-key ca.key --remove-old",
            "  tokenctl renew --token-label alice --pin-file alice.pin --label alice \\",
            "      --cmp-server https://ca.example.com/pkix/ --cmp-trusted ca-chain.pem",
            "  tokenctl renew --token-label alice --pin-file alice.pin --expiring 30 \\",
            "      --ca-cert ca.pem --ca-key ca.key --json",
            "  tokenctl renew --token-label alice --pin-file alice.pin --id da9c \\",
            "      --csr-out alice-renewal.csr             # then: tokenctl import-cert",
            "  tokenctl renew --all-tokens --expiring 30 --pin-file desk.pin \\",
            "      --ca-cert ca.pem --ca-key ca.key --remove-old --json"})
final class RenewCommand extends TokenCommand {

    @Spec
    private CommandSpec spec;

    @Mixin
    private UserPinOptions pin;

    @Mixin
    private ObjectOptions object;

    @Option(names = "--expiring", paramLabel = "DAYS",
            description = "Renew every certificate with its key pair on the token that has expired or expires within"
                    + " DAYS (0 to " + Expiry.MAX_WINDOW_DAYS + "), soonest first, instead of one named.")
    private Integer expiring;

    @Option(names = "--subject", paramLabel = "DN",
            description = "Subject of the new certificate, RFC 4514 (default: the old certificate's).")
    private String subject;

    @Mixin
    private KeyRequestOptions key;

    @Option(names = "--same-key", description = "Certify the same key pair again instead of generating a new one"
            + " (where the CA allows it).")
    private boolean sameKey;

    @Option(names = "--new-label", paramLabel = "LABEL",
            description = "CKA_LABEL of the new key pair and certificate (default: the old key's).")
    private String newLabel;

    @Option(names = "--remove-old", description = "Once the new certificate is on the token and reads back, delete"
            + " the old certificate and (for a new key) the old key pair.")
    private boolean removeOld;

    @Mixin
    private IssuerOptions issuing;

    @Option(names = {"-f", "--force"}, description = "Replace an existing --csr-out file.")
    private boolean force;

    @Option(names = "--all-tokens", description = "With --expiring: renew what is due on every initialised token"
            + " present, as batch-enroll works: in parallel, the shared PIN tried on one token at a time and never"
            + " again once refused, one result per token (--json: one JSON line per token, then a summary).")
    private boolean allTokens;

    @Option(names = "--parallel", paramLabel = "N",
            description = "--all-tokens: tokens worked on at once (default: the number of CPUs).")
    private Integer parallel;

    @Override
    protected boolean namesObjects() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        checkCombinations();
        Renewal.Options options = new Renewal.Options(sameKey, key.keySpec() == null ? null : key.spec(), key.hash(),
                subject == null ? null : SubjectName.parse(subject),
                key.sans().isEmpty() ? null : SubjectAltNames.parse(key.sans()), newLabel, issuing.withChain(),
                removeOld);
        if (newLabel != null) {
            TokenKeyGenerator.checkLabel(newLabel);
        }
        ObjectQuery named = object.query(uri(), null);
        if (allTokens) {
            return allTokens(options, named);
        }
        if (parallel != null) {
            throw usage("--parallel is for --all-tokens");
        }
        if (expiring != null && !named.isOpen()) {
            throw usage("Name one key pair (--id, --label, --uri) or renew what is due (--expiring), not both");
        }
        if (expiring == null && named.isOpen()) {
            throw usage("Name the key pair whose certificate to renew (--id, --label or --uri with id= or object=),"
                    + " or renew every certificate due with --expiring DAYS");
        }
        CliContext ctx = ctx();
        try (CertificateIssuer issuer = issuing.issuer(ctx, force); Pkcs11Module m = openModule()) {
            issuer.preflight();
            Token t = selectToken(m);
            if (options.keySpec() != null) {
                // before the login: a key spec the token cannot make spends no PIN try
                EnrollCommand.requireSupported(profile(t), t, options.keySpec(), options.hash());
            }
            TokenInfo info = t.info();
            List<Renewal.Result> done = new ArrayList<>();
            try (TokenSession session = t.openSession(true)) {
                top().login(session, UserType.USER, pin.source(), allowFinalTry());
                List<Renewal.Target> targets = expiring == null ? List.of(Renewal.target(session, named))
                        : Renewal.due(session, ctx.clock().instant(), expiring);
                if (targets.size() > 1 && issuing.csrOut() != null) {
                    throw new InvalidInputException("csr-out", targets.size() + " certificates are due and --csr-out"
                            + " writes one request: renew them one at a time by --id");
                }
                for (Renewal.Target target : targets) {
                    // the old key's type, unless --key-spec: the token's profile must still allow it
                    EnrollCommand.requireSupported(profile(t), t, Renewal.request(target, options));
                    try (StepProgress progress = progress(target)) {
                        done.add(Renewal.run(session, target, options, issuer, top().cancellation(), progress));
                    } catch (Exception e) {
                        throw done.isEmpty() ? e : partly(done, targets.size(), e);
                    }
                }
            }
            print(ctx, info, done);
            return ExitCode.OK.code();
        }
    }

    /** renew --all-tokens: what is due on every present token, with batch-enroll's rules and output. */
    private int allTokens(Renewal.Options options, ObjectQuery named) throws Exception {
        if (expiring == null || !named.isOpen() || tokenSelected()) {
            throw usage("--all-tokens renews what is due (--expiring DAYS) on every token present: leave the token"
                    + " and key selection out");
        }
        if (issuing.csrOut() != null) {
            throw usage("--all-tokens installs each certificate at once: use a local CA or CMP; --csr-out (offline)"
                    + " is for one token");
        }
        int workers = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (workers < 1 || workers > 256) {
            throw usage("--parallel must be between 1 and 256; got " + workers);
        }
        CliContext ctx = ctx();
        long start = System.nanoTime();
        try (CertificateIssuer issuer = issuing.issuer(ctx, force); Pkcs11Module m = openModule()) {
            issuer.preflight();
            List<BatchTarget> targets = new ArrayList<>();
            for (Slot s : m.slots()) {
                if (s.token() != null && s.token().initialized()) {
                    Token t = m.token(s);
                    VendorProfile profile = profile(t, s.token());
                    targets.add(new BatchTarget(t, s.token(), null, null, profile, loginOptions(profile)));
                }
            }
            if (targets.isEmpty()) {
                throw new CliException(ExitCode.TOKEN_NOT_FOUND, "No initialised token present");
            }
            issuer.expect(targets.size());
            List<BatchResult> results;
            try (SharedPin shared = new SharedPin(new PinReader(ctx).read(pin.source().forTarget(
                    "the tokens to renew"))); BatchProgress progress = BatchProgress.of(
                    ctx.terminal().progressStream(), ctx.err(), targets.size())) {
                BatchRunner runner = new BatchRunner(ctx, shared, top().verbose(), top().cancellation(), "renew");
                results = runner.run(targets, workers, renewJob(options, issuer, runner.cancellation()), r -> {
                    progress.done(r);
                    if (json()) {
                        Json.printLine(ctx.out(), BatchViews.RenewTokenLine.of(r));
                    }
                });
            }
            ExitCode code = BatchEnrollCommand.exitCode(results);
            BatchViews.RenewSummary summary = BatchViews.RenewSummary.of(results, Math.min(workers, targets.size()),
                    code.code(), (System.nanoTime() - start) / 1_000_000);
            if (json()) {
                Json.printLine(ctx.out(), summary);
            } else {
                BatchViews.renewTable(ctx.out(), results, summary);
            }
            if (code != ExitCode.OK) {
                ctx.err().println("tokenctl: " + (summary.failed() + summary.skipped()) + " of " + summary.tokens()
                        + " tokens not renewed (" + summary.failed() + " failed, " + summary.skipped()
                        + " skipped); the result of each is on stdout");
            }
            return code.code();
        }
    }

    /** On one logged-in token: every certificate due, renewed in turn; one failing after others is incomplete. */
    private BatchRunner.Job renewJob(Renewal.Options options, CertificateIssuer issuer,
                                     org.tokenctl.core.enroll.Cancellation cancellation) {
        java.time.Clock clock = ctx().clock();
        return (t, session, start) -> {
            List<Renewal.Target> due = Renewal.due(session, clock.instant(), expiring);
            if (due.isEmpty()) {
                return BatchRunner.result(t, Outcome.NOTHING_DUE, null, null, null, ExitCode.OK, start);
            }
            List<Renewal.Result> done = new ArrayList<>();
            for (Renewal.Target target : due) {
                try {
                    EnrollCommand.requireSupported(t.profile(), t.token(), Renewal.request(target, options));
                    done.add(Renewal.run(session, target, options, issuer, cancellation,
                            org.tokenctl.core.enroll.EnrollmentSteps.NONE));
                } catch (Exception e) {
                    throw done.isEmpty() ? e : partly(done, due.size(), e);
                }
            }
            Renewal.Result last = done.get(done.size() - 1);
            return new BatchResult(t.info().serial(), t.info().label(), Outcome.RENEWED, last.renewed().id().hex(),
                    last.renewed().certificate(), null, ExitCode.OK, (System.nanoTime() - start) / 1_000_000, done);
        };
    }

    /** What the operator sees on a terminal while a step takes long (nothing elsewhere). */
    private StepProgress progress(Renewal.Target target) {
        return new StepProgress(ctx().terminal().progressStream(), step -> "renewing key id " + target.id().hex()
                + ": " + switch (step) {
                    case KEY -> sameKey ? "reading the key pair on the token" : "generating the new key pair on the"
                            + " token";
                    case REQUEST -> "signing the certificate request on the token";
                    case ISSUE -> issuing.issuingStep();
                    case STORE -> "installing the new certificate on the token";
                });
    }

    /** Some certificates were renewed before one failed: those stand, and the error says which. */
    private static Exception partly(List<Renewal.Result> done, int due, Exception e) {
        List<String> ids = done.stream().map(r -> r.old().id().hex() + " -> " + r.renewed().id().hex()).toList();
        String failure = ErrorReporter.oneLine(ErrorReporter.report(e).text());
        return new IncompleteOperationException("renewed " + String.join(", ", ids), "Renewed " + done.size()
                + " of " + due + " certificates (" + String.join(", ", ids) + "); then: " + failure, e);
    }

    private void print(CliContext ctx, TokenInfo info, List<Renewal.Result> done) {
        if (json()) {
            List<EnrollViews.RenewedView> views = new ArrayList<>();
            for (Renewal.Result r : done) {
                views.add(EnrollViews.RenewedView.of(info, r));
            }
            Json.print(ctx.out(), new EnrollViews.RenewView(Json.SCHEMA_VERSION, EnrollViews.TokenRef.of(info),
                    expiring, views));
            return;
        }
        if (done.isEmpty()) {
            ctx.out().printf("Nothing to renew on token '%s' (serial %s): no certificate with its key pair expires"
                    + " within %d days.%n", info.label(), info.serial(), expiring);
            return;
        }
        for (Renewal.Result r : done) {
            EnrollmentResult n = r.renewed();
            ctx.out().printf("Renewed the certificate %s (%s, expires %s) of key id %s on token '%s' (serial %s):%n",
                    Certificates.serialHex(r.old().certificate()), SubjectName.format(r.old().certificate()
                            .getSubject()), X509Time.notAfter(r.old().certificate()), r.old().id().hex(),
                    info.label(), info.serial());
            EnrollText.key(ctx.out(), n, info);
            if (n.certificate() == null) {
                ctx.out().printf("The request is in %s; install the CA's answer with:%n  tokenctl import-cert"
                        + " --token-label %s --cert FILE%n", n.deferredTo(), info.label());
            } else {
                EnrollText.certificate(ctx.out(), n.certificate(), n.chain(),
                        EnrollViews.uri(info, ObjectClass.CERTIFICATE, n.id(), n.label()));
            }
            if (!r.removed().isEmpty()) {
                ctx.out().println("Removed the old objects:");
                r.removed().forEach(o -> ctx.out().println("  " + ObjectDeleter.describe(o)));
            } else if (n.certificate() != null) {
                ctx.out().printf("The old certificate%s stay%s on the token (--remove-old, or `tokenctl delete`).%n",
                        n.id().equals(r.old().id()) ? "" : " and key pair", n.id().equals(r.old().id()) ? "s" : "");
            }
        }
    }

    /** Option combinations picocli cannot express; refused before anything is read or created. */
    private void checkCombinations() throws CliException {
        String problem = issuing.forRenewal().problem();
        if (problem != null) {
            throw usage(problem);
        }
        if (expiring != null && (expiring < 0 || expiring > Expiry.MAX_WINDOW_DAYS)) {
            throw new CliException(ExitCode.INVALID_INPUT, "--expiring must be 0 to " + Expiry.MAX_WINDOW_DAYS
                    + " days");
        }
        if (sameKey && (key.keySpec() != null || key.signRecover())) {
            throw usage("--same-key certifies the key pair there is: --key-spec and --sign-recover are for a new one");
        }
        if (removeOld && issuing.csrOut() != null) {
            throw usage("--remove-old needs the new certificate now: offline (--csr-out), install it with"
                    + " import-cert, then delete the old one with `tokenctl delete`");
        }
        if (PinSource.severalFromStdin(pin.source(), issuing.caPasswordSource(), issuing.cmpSecretSource())) {
            throw usage("Only one secret can come from standard input; use a file or a variable for the others");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
