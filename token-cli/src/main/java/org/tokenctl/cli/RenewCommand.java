package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.List;

import org.tokenctl.cli.options.KeyRequestOptions;
import org.tokenctl.cli.options.ObjectOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
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
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;
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
                + TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl renew --token-label alice --pin-file alice.pin --id da9c \\",
            "      --ca-cert ca.pem --ca-key ca.key --remove-old",
            "  tokenctl renew --token-label alice --pin-file alice.pin --label alice \\",
            "      --cmp-server https://ca.example.com/pkix/ --cmp-trusted ca-chain.pem",
            "  tokenctl renew --token-label alice --pin-file alice.pin --expiring 30 \\",
            "      --ca-cert ca.pem --ca-key ca.key --json",
            "  tokenctl renew --token-label alice --pin-file alice.pin --id da9c \\",
            "      --csr-out alice-renewal.csr             # then: tokenctl import-cert"})
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
                EnrollCommand.requireSupported(profile(t), t, new org.tokenctl.core.enroll.EnrollmentRequest(
                        new org.tokenctl.core.enroll.KeySource.Generate(options.keySpec(), null), options.hash(),
                        "renewal", SubjectName.parse("CN=renewal"), null, false));
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
                            .getSubject()), r.old().certificate().getNotAfter().toInstant(), r.old().id().hex(),
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
