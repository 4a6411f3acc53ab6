package org.tokenctl.cli;

import java.nio.file.Path;
import java.util.List;

import org.tokenctl.cli.batch.ManifestEntry;
import org.tokenctl.cli.batch.ManifestReader;
import org.tokenctl.cli.options.KeyRequestOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.options.UserPinOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code batch-enroll} and {@code station} take alike: the manifest, the
 * templates, the key and issuing options, the shared PIN, the parallelism; and the
 * checks on them that picocli cannot express.
 */
final class ManyTokensOptions {

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "The tokens to enroll and their names (CSV or JSON, see below); a token it does not list is"
                    + " not enrolled. Default: every initialised token.")
    private Path manifest;

    @Option(names = "--subject", paramLabel = "DN",
            description = "Subject for tokens whose manifest row has none (RFC 4514, with {serial} and {label}).")
    private String subject;

    @Option(names = "--label", paramLabel = "LABEL", defaultValue = "{label}",
            description = "CKA_LABEL of each key pair and certificate (default: the token's label).")
    private String label;

    @Mixin
    private KeyRequestOptions key;

    @Mixin
    private IssuerOptions issuing;

    @Mixin
    private UserPinOptions pin;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Tokens worked on at once (default: the number of CPUs).")
    private Integer parallel;

    /** @return the manifest file, or null */
    Path manifest() {
        return manifest;
    }

    /**
     * @return the manifest's rows, or null without one
     * @throws Exception if the manifest is unreadable or malformed
     */
    List<ManifestEntry> rows() throws Exception {
        return manifest == null ? null : ManifestReader.read(manifest);
    }

    /** @return what each token is enrolled with */
    EnrollTemplate template() {
        return new EnrollTemplate(subject, label, key, issuing.withChain());
    }

    /** @return the issuing options */
    IssuerOptions issuing() {
        return issuing;
    }

    /** @return the shared PIN's source */
    PinSource pin() {
        return pin.source();
    }

    /**
     * @param row a manifest row
     * @return the PIN source the row names for its token (pinFile, pinEnv), or null for the shared one
     */
    static PinSource ownPin(ManifestEntry row) {
        if (row == null) {
            return null;
        }
        return row.pinFile() != null
                ? new PinSource("user PIN", PinSource.Kind.FILE, row.pinFile(), null, "pinFile or pinEnv")
                : row.pinEnv() != null
                ? new PinSource("user PIN", PinSource.Kind.ENV, null, row.pinEnv(), "pinFile or pinEnv") : null;
    }

    /**
     * A row's own PIN source is checked with the rest of the manifest, so that a
     * missing file or variable refuses the run before any token is touched; the
     * PIN itself is read only when its token's turn comes.
     *
     * @param row a manifest row
     * @param ctx the environment
     * @throws CliException naming the row
     */
    void requireUsablePinSource(ManifestEntry row, CliContext ctx) throws CliException {
        if (row.pinFile() != null) {
            try {
                org.tokenctl.core.io.InputFiles.requireReadable(row.pinFile(), "pinFile", "pinFile");
            } catch (org.tokenctl.core.InvalidInputException e) {
                throw manifestError(row, e.getMessage(), ExitCode.INVALID_INPUT);
            }
        }
        if (row.pinEnv() != null) {
            String value = ctx.env().get(row.pinEnv());
            if (value == null || value.isEmpty()) {
                throw manifestError(row, "pinEnv " + row.pinEnv() + " is not set or empty", ExitCode.INVALID_INPUT);
            }
        }
    }

    /**
     * @param row a manifest row
     * @param problem what is wrong with it
     * @param code the exit code
     * @return the error, naming the manifest and the line
     */
    CliException manifestError(ManifestEntry row, String problem, ExitCode code) {
        return new CliException(code, "Manifest " + manifest + " line " + row.line() + ": " + problem);
    }

    /**
     * The checks both commands make before anything is read.
     *
     * @param what the command, for messages
     * @return a usage message, or null when the options fit together
     */
    String problem(String what) {
        String problem = issuing.problem();
        if (problem != null) {
            return problem;
        }
        if (issuing.csrOut() != null) {
            return what + " installs each certificate at once: use a local CA (--ca-cert, --ca-key) or CMP"
                    + " (--cmp-server); --csr-out (offline) is for one token, with `tokenctl enroll`";
        }
        if (issuing.renews()) {
            return "--cmp-kur renews one key's certificate: use `tokenctl renew`";
        }
        if (manifest == null && subject == null) {
            return "Give --subject (with {serial} or {label} to tell the tokens apart) or a --manifest";
        }
        if (PinSource.severalFromStdin(pin.source(), issuing.caPasswordSource(), issuing.cmpSecretSource())) {
            return "Only one secret can come from standard input; use a file or a variable for the others";
        }
        int n = workers();
        if (n < 1 || n > 256) {
            return "--parallel must be between 1 and 256; got " + n;
        }
        return null;
    }

    /** @return how many tokens at once */
    int workers() {
        return parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
    }
}
