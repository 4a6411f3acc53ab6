package org.tokenctl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.tokenctl.cli.options.Completions;
import org.tokenctl.cli.options.FilePasswordOptions;
import org.tokenctl.cli.options.KeyNames;
import org.tokenctl.cli.options.KeyRequestOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollText;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.StepProgress;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.csr.SubjectAltNames;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.KeySource;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.filemedium.Pkcs12Medium;
import org.tokenctl.core.filemedium.Pkcs12Writer;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.cmp.CmpIssuer;
import org.tokenctl.core.issue.cmp.KeyUpdate;
import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeyAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.uri.Pkcs11Uri;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tokenctl enroll}: key pair on the token, request signed by it, certificate issued and installed. */
@Command(name = "enroll", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a key pair on the token whose private key can never leave it (verified by reading"
                + " its attributes back), have the token sign a certificate request (PKCS#10), get the certificate"
                + " and install it beside the key (same CKA_ID and label). Prints the certificate's serial number"
                + " and expiry.",
            "Certificate from a CA over CMP (--cmp-server, --cmp-ref and the shared secret: RFC 4210/9483, the"
                + " proof of possession signed on the token), a local CA (--ca-cert/--ca-key: development, demos) or"
                + " offline (--csr-out: the request is written and the key kept; install the CA's answer with"
                + " `tokenctl import-cert`).",
            "--key-id enrolls a key pair already on the token instead of generating one; it must be as"
                + " non-exportable as a generated key, and is never deleted, whatever fails.",
            "One operation: if anything fails after the key pair exists, exactly what this enrollment created is"
                + " deleted before the error is reported. A token whose PIN is still the initial one is refused.",
            "--medium p12 makes the key in software and writes key, certificate and chain to a PKCS#12 file: that"
                + " key IS exportable (the file is a copy of it), unlike a token key.",
            TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl enroll --token-label alice --pin-file alice.pin --label alice \\",
            "      --subject \"CN=Alice Example,O=Example Bank\" \\",
            "      --cmp-server https://ca.example.com/ejbca/publicweb/cmp/bank \\",
            "      --cmp-ref 1234 --cmp-secret-file alice.secret --cmp-trusted ca-chain.pem",
            "  tokenctl ca init --out-cert ca.pem --out-key ca.key",
            "  tokenctl enroll --token-label alice --pin-file alice.pin --label alice \\",
            "      --subject \"CN=Alice Example,O=Example Bank\" \\",
            "      --san email:alice@example.com --ca-cert ca.pem --ca-key ca.key",
            "  tokenctl enroll --token-label alice --pin-env PIN --label alice \\",
            "      --key-spec ec:p256 --subject \"CN=Alice Example\" \\",
            "      --csr-out alice.csr                       # then: tokenctl import-cert",
            "  tokenctl enroll --medium p12 --out alice.p12 --password-file p12.pw \\",
            "      --label alice --subject \"CN=Alice Example\" \\",
            "      --ca-cert ca.pem --ca-key ca.key --json",
            "  tokenctl enroll --token-label alice --pin-file alice.pin \\",
            "      --key-id 0a0b --subject \"CN=Alice Example\" \\",
            "      --ca-cert ca.pem --ca-key ca.key                    # an existing key"})
final class EnrollCommand extends TokenCommand {

    /** Where the key lives. */
    enum Medium {
        /** on the token, never exportable */
        TOKEN,
        /** in a PKCS#12 file, exportable */
        P12
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private UserPinOptions pin;

    @Option(names = "--label", paramLabel = "LABEL",
            description = "CKA_LABEL of the key pair and its certificate (friendlyName in a PKCS#12 file). Required"
                    + " unless --key-id, where the certificate gets the key's own label by default and --label"
                    + " relabels the key pair once its certificate is installed.")
    private String label;

    @Option(names = "--subject", required = true, paramLabel = "DN",
            description = "Subject of the certificate request, RFC 4514: \"CN=Alice Example,O=Example Bank,C=DE\".")
    private String subject;

    @Mixin
    private KeyRequestOptions key;

    @Option(names = "--id", paramLabel = "HEX",
            description = "CKA_ID of the key pair and certificate (default: SHA-1 of the public key, as NSS does:"
                    + " of the RSA modulus or the EC point). Refused if the token already has it.")
    private String id;

    @Option(names = "--key-id", paramLabel = "HEX|URI",
            description = "Enroll the key pair already on the token with this CKA_ID (or the one a pkcs11: URI"
                    + " names by id= or object=; its token attributes select the token) instead of generating one."
                    + " Its private key must be SENSITIVE, ALWAYS_SENSITIVE, LOCAL, never EXTRACTABLE and able to sign."
                    + " It is never deleted: a failure removes only what the enrollment created.")
    private String keyId;

    @Mixin
    private IssuerOptions issuing;

    @Option(names = "--medium", paramLabel = "MEDIUM", defaultValue = "token",
            completionCandidates = Completions.Media.class,
            description = "token (default: the key never leaves it) or p12 (a PKCS#12 file: the key is exportable).")
    private String medium;

    @Option(names = "--out", paramLabel = "FILE", description = "--medium p12: the PKCS#12 file to write.")
    private Path out;

    @Mixin
    private FilePasswordOptions filePassword;

    @Option(names = {"-f", "--force"}, description = "Replace an existing --out or --csr-out file.")
    private boolean force;

    @Option(names = "--allow-duplicate-label", description = "Make the key pair even when a key with a certificate "
            + "on the token already carries --label (refused by default: applications that find keys by label "
            + "cannot tell two apart).")
    private boolean allowDuplicateLabel;

    @Override
    public Integer call() throws Exception {
        Medium where = medium();
        checkCombinations(where);
        KeySource source = keyId != null ? new KeySource.Existing(KeyNames.key(keyId))
                : new KeySource.Generate(key.spec(), id == null ? null : KeyId.parse(id), key.signRecover());
        EnrollmentRequest request = new EnrollmentRequest(source, key.hash(), label, SubjectName.parse(subject),
                SubjectAltNames.parse(key.sans()), issuing.withChain());
        if (label != null) {
            TokenKeyGenerator.checkLabel(label);
        }
        try (CertificateIssuer issuer = issuing.issuer(ctx(), force)) {
            issuer.preflight();
            return where == Medium.P12 ? toFile(request, issuer) : toToken(request, issuer);
        }
    }

    private int toToken(EnrollmentRequest request, CertificateIssuer issuer) throws Exception {
        CliContext ctx = ctx();
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            // before the login: an unsupported key spec spends no PIN try
            requireSupported(profile(t), t, request);
            // read before, not after: once the token has changed, only a failure of the change may be reported
            TokenInfo info = t.info();
            EnrollmentResult r;
            try (TokenSession session = t.openSession(true)) {
                top().login(session, UserType.USER, pin.source(), allowFinalTry());
                ObjectQuery renewed = issuing.keyUpdateOf();
                CertificateIssuer asked = renewed == null ? issuer
                        : ((CmpIssuer) issuer).forKeyUpdate(KeyUpdate.onToken(session, renewed));
                try (StepProgress progress = progress(request, " on the token", "installing the certificate"
                        + " on the token")) {
                    r = Enrollment.run(new TokenMedium(session, allowDuplicateLabel), request, asked,
                            top().cancellation(), progress);
                }
            }
            if (json()) {
                Json.print(ctx.out(), EnrollViews.EnrollView.of("token", info, null, r));
                return ExitCode.OK.code();
            }
            if (r.certificate() == null) {
                ctx.out().printf("%s on token '%s' (serial %s) and wrote its certificate request to %s.%n",
                        r.generated() ? "Generated a key" : "Used the existing key", info.label(), info.serial(),
                        r.deferredTo());
                EnrollText.key(ctx.out(), r, info);
                ctx.out().printf("The key stays on the token, waiting for its certificate. Install the CA's answer"
                        + " with:%n  tokenctl import-cert --token-label %s --cert FILE%n", info.label());
            } else {
                ctx.out().printf("Enrolled %s on token '%s' (serial %s):%n", r.generated() ? "a key" : "the existing key",
                        info.label(), info.serial());
                EnrollText.key(ctx.out(), r, info);
                EnrollText.certificate(ctx.out(), r.certificate(), r.chain(),
                        EnrollViews.uri(info, ObjectClass.CERTIFICATE, r.id(), r.label()));
            }
            return ExitCode.OK.code();
        }
    }

    /** What the operator sees on a terminal while a step takes long (nothing elsewhere). */
    private StepProgress progress(EnrollmentRequest request, String where, String storing) {
        return new StepProgress(ctx().terminal().progressStream(), step -> switch (step) {
            case KEY -> request.key() instanceof KeySource.Generate g
                    ? "generating the " + g.spec().spec() + " key pair" + where : "reading the key pair" + where;
            case REQUEST -> "signing the certificate request" + where;
            case ISSUE -> issuing.issuingStep();
            case STORE -> storing;
        });
    }

    private int toFile(EnrollmentRequest request, CertificateIssuer issuer) throws Exception {
        CliContext ctx = ctx();
        EnrollmentResult r;
        try (Pin password = new PinReader(ctx).readNew(filePassword.source())) {
            try (StepProgress progress = progress(request, "", "writing the PKCS#12 file")) {
                r = Enrollment.run(new Pkcs12Medium(out, password, force), request, issuer, top().cancellation(),
                        progress);
            }
        }
        if (json()) {
            Json.print(ctx.out(), EnrollViews.EnrollView.of("p12", null, out.toString(), r));
            return ExitCode.OK.code();
        }
        ctx.out().printf("Enrolled a key into %s (PKCS#12; PBES2: PBKDF2-HMAC-SHA256, %d iterations,"
                + " AES-256-CBC; HMAC-SHA256 MAC; mode 0600):%n", out, Pkcs12Writer.ITERATIONS);
        EnrollText.key(ctx.out(), r, null);
        EnrollText.certificate(ctx.out(), r.certificate(), r.chain(), null);
        return ExitCode.OK.code();
    }

    /**
     * Refuses a key spec the token's profile or mechanism list rules out. Call it
     * before the login: it spends no PIN try.
     */
    static void requireSupported(VendorProfile profile, Token t, EnrollmentRequest request) throws TokenctlException {
        if (request.key() instanceof KeySource.Generate g) {
            requireSupported(profile, t, g.spec(), request.hash());
        }
    }

    /**
     * Refuses a key spec (with a hash, or null for its default) the token's profile or
     * mechanism list rules out, before any request exists. Call it before the login.
     */
    static void requireSupported(VendorProfile profile, Token t, KeySpec spec, HashAlgorithm hash)
            throws TokenctlException {
        spec.checkHash(hash);
        requireProfileSupports(profile, spec);
        TokenKeyGenerator.requireSupported(t, spec, spec.signatureAlgorithm(hash));
    }

    /** A vendor profile lists the key specs its tokens take; a token may list more mechanisms than it can use. */
    private static void requireProfileSupports(VendorProfile profile, KeySpec spec) throws UnsupportedByTokenException {
        if (!profile.keySpecs().contains(spec.spec())) {
            throw new UnsupportedByTokenException(spec.spec(), "Key spec " + spec.spec() + " is not supported by "
                    + profile.name() + " tokens (profile " + profile.id() + ": " + String.join(", ", profile.keySpecs())
                    + ")" + (spec.algorithm() == KeyAlgorithm.SM2 && profile.sm2() == null ? "; SM2 is not standard"
                    + " PKCS#11 and this profile gives no vendor SM2 constants (sm2.key_type, sm2.keygen, sm2.sign)"
                    : ""));
        }
    }

    private Medium medium() {
        try {
            return Medium.valueOf(medium.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("Unknown --medium '" + medium + "' (valid: token, p12)");
        }
    }

    /** Option combinations picocli cannot express; refused before anything is read or created. */
    private void checkCombinations(Medium where) {
        String problem = issuing.problem();
        if (problem != null) {
            throw usage(problem);
        }
        if (keyId == null && label == null) {
            throw usage("Missing required option: '--label=LABEL' (or --key-id HEX for a key already on the token)");
        }
        if (keyId != null && (id != null || key.keySpec() != null || key.signRecover())) {
            throw usage("--key-id names an existing key pair: --id, --key-spec and --sign-recover are for a new one");
        }
        if (where == Medium.P12) {
            if (out == null) {
                throw usage("--medium p12 needs --out FILE.p12");
            }
            if (issuing.csrOut() != null) {
                throw usage("--medium p12 needs the certificate at once: use a local CA or CMP, not --csr-out");
            }
            if (key.signRecover()) {
                throw usage("--sign-recover sets a token key's CKA_SIGN_RECOVER; a PKCS#12 file has no such flag");
            }
            if (tokenSelected() || pin.source().explicit() || moduleNamed() || issuing.withChain()
                    || keyId != null || issuing.renews()) {
                throw usage("--medium p12 uses no token: --module, token selection, --pin-*, --with-chain,"
                        + " --key-id and --cmp-kur do not apply");
            }
        } else if (out != null || filePassword.source().explicit()) {
            throw usage("--out and --password-* are for --medium p12");
        }
        if (PinSource.severalFromStdin(pin.source(), issuing.caPasswordSource(), issuing.cmpSecretSource(),
                filePassword.source())) {
            throw usage("Only one secret can come from standard input; use a file or a variable for the others");
        }
    }

    @Override
    protected Pkcs11Uri keyUriToken() throws InvalidInputException {
        Pkcs11Uri a = KeyNames.tokenOf(keyId);
        Pkcs11Uri b = KeyNames.tokenOf(issuing.keyUpdateValue());
        if (a != null && b != null && !a.equals(b)) {
            throw new InvalidInputException("uri", "--key-id and --cmp-kur name different tokens");
        }
        return a != null ? a : b;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
