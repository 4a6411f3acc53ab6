package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tokenctl.cli.batch.BatchProgress;
import org.tokenctl.cli.batch.BatchResult;
import org.tokenctl.cli.batch.ManifestEntry;
import org.tokenctl.cli.batch.ManifestReader;
import org.tokenctl.cli.batch.Outcome;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.cli.output.BatchViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.SharedPin;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenctl batch-enroll}: {@code enroll} on many tokens at once (issue 7). */
@Command(name = "batch-enroll", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Enroll every initialised token present, or those a manifest lists, in parallel: on each, what"
                + " `tokenctl enroll` does (non-exportable key, request signed on the token, certificate installed;"
                + " rollback on failure). One token's failure never stops the others.",
            "Resume: a token that already holds a valid certificate for the subject, beside a non-exportable key"
                + " with the same CKA_ID, is skipped unless --force.",
            "PINs: each manifest row may name its token's own PIN source (pinFile, pinEnv); the others use the"
                + " shared source (--pin-file, --pin-env, --pin-stdin). Once a token refuses the shared PIN it is not"
                + " tried on any other token: those are reported as skipped.",
            "--subject, --label, --key-spec and --san apply to the tokens whose manifest row does not say;"
                + " {serial} and {label} in them (and in manifest values) become each token's serial number and label.",
            "Output: a table, or with --json one JSON object per line for each token as it finishes, then a summary."
                + " Progress goes to stderr: a bar on a terminal, else one line per token."},
        footerHeading = "%nManifest (CSV with a header row, or a JSON array of objects):%n",
        footer = {"  columns: " + ManifestReader.COLUMNS,
            "  serial or tokenLabel names the token; label is the key's CKA_LABEL; san holds TYPE:VALUE names"
                + " separated by spaces (a JSON array in JSON); pinFile is relative to the manifest. Never a PIN.",
            "",
            "Examples:",
            "  tokenctl batch-enroll --pin-file station.pin \\",
            "      --subject \"CN=Token {serial},O=Example Bank\" \\",
            "      --key-spec ec:p256 --ca-cert ca.pem --ca-key ca.key",
            "  tokenctl batch-enroll --manifest tokens.csv --pin-env PIN \\",
            "      --ca-cert ca.pem --ca-key ca.key --json"})
final class BatchEnrollCommand extends ModuleCommand {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ManyTokensOptions tokens;

    @Option(names = {"-f", "--force"}, description = "Enroll again tokens that already hold the enrollment.")
    private boolean force;

    @Option(names = "--allow-duplicate-label", description = "Make a token's key pair even when a key with a "
            + "certificate on it already carries the label (refused for that token by default).")
    private boolean allowDuplicateLabel;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        int workers = checkCombinations();
        long start = System.nanoTime();
        List<ManifestEntry> rows = tokens.rows();
        try (Pkcs11Module m = openModule()) {
            // the manifest is checked against the tokens present (no login) before the CA is read
            List<BatchTarget> targets = targets(m, rows);
            List<BatchResult> results;
            // the issuer is closed with the batch: a CMP issuer wipes its shared secret then
            try (CertificateIssuer issuer = tokens.issuing().issuer(ctx, false)) {
                issuer.expect(targets.size());
                issuer.preflight();
                results = enrollAll(issuer, targets, workers);
            }
            ExitCode code = exitCode(results);
            BatchViews.Summary summary = BatchViews.Summary.of(results, Math.min(workers, targets.size()),
                    code.code(), (System.nanoTime() - start) / 1_000_000);
            if (json()) {
                Json.printLine(ctx.out(), summary);
            } else {
                BatchViews.table(ctx.out(), results, summary);
            }
            if (code != ExitCode.OK) {
                ctx.err().println("tokenctl: " + (summary.failed() + summary.skipped()) + " of " + summary.tokens()
                        + " tokens not enrolled (" + summary.failed() + " failed, " + summary.skipped()
                        + " skipped); the result of each is on stdout");
            }
            return code.code();
        }
    }

    private List<BatchResult> enrollAll(CertificateIssuer issuer, List<BatchTarget> targets, int workers)
            throws Exception {
        CliContext ctx = ctx();
        boolean needShared = targets.stream().anyMatch(t -> t.ownPin() == null);
        try (SharedPin shared = needShared ? new SharedPin(new PinReader(ctx).read(
                tokens.pin().forTarget("the tokens of this batch"))) : null;
             BatchProgress progress = BatchProgress.of(ctx.terminal().progressStream(), ctx.err(),
                     targets.size())) {
            BatchRunner runner = new BatchRunner(ctx, shared, top().verbose(), top().cancellation(), "batch-enroll");
            BatchRunner.Job job = runner.enrollJob(issuer, force, allowDuplicateLabel, ctx.clock());
            return runner.run(targets, workers, job, r -> {
                progress.done(r);
                if (json()) {
                    Json.printLine(ctx.out(), BatchViews.TokenLine.of(r));
                }
            });
        }
    }

    static ExitCode exitCode(List<BatchResult> results) {
        long ok = results.stream().filter(r -> r.outcome().ok()).count();
        if (ok == results.size()) {
            return ExitCode.OK;
        }
        return ok == 0 ? ExitCode.BATCH_FAILED : ExitCode.BATCH_PARTIAL;
    }

    /** Every token of the batch, its request built and checked: a bad value refuses the batch before any login. */
    private List<BatchTarget> targets(Pkcs11Module m, List<ManifestEntry> rows) throws Exception {
        List<Slot> slots = m.slots();
        List<BatchTarget> targets = new ArrayList<>();
        if (rows == null) {
            List<Slot> present = slots.stream().filter(s -> s.token() != null && s.token().initialized())
                    .collect(Collectors.toList());
            if (present.isEmpty()) {
                throw new CliException(ExitCode.TOKEN_NOT_FOUND, "No initialised token present (slots: "
                        + slots.size() + "); initialise tokens first, or name them in a --manifest");
            }
            for (Slot s : present) {
                targets.add(target(m, s, null, null));
            }
            return targets;
        }
        Map<Long, ManifestEntry> bySlot = new HashMap<>();
        for (ManifestEntry row : rows) {
            Slot s = select(slots, row);
            ManifestEntry other = bySlot.putIfAbsent(s.id(), row);
            if (other != null) {
                throw manifestError(row, "the token with " + row.tokenName() + " is the one line " + other.line()
                        + " names (" + other.tokenName() + ")", ExitCode.INVALID_INPUT);
            }
            tokens.requireUsablePinSource(row, ctx());
            targets.add(target(m, s, row, ManyTokensOptions.ownPin(row)));
        }
        return targets;
    }

    private Slot select(List<Slot> slots, ManifestEntry row) throws CliException {
        try {
            Slot s = (row.serial() != null ? TokenSelector.serial(row.serial())
                    : TokenSelector.label(row.tokenLabel())).select(slots);
            if (row.tokenLabel() != null && !row.tokenLabel().equals(s.token().label())) {
                throw manifestError(row, "the token with serial " + row.serial() + " is labelled '"
                        + s.token().label() + "', not '" + row.tokenLabel() + "'", ExitCode.INVALID_INPUT);
            }
            if (!s.token().initialized()) {
                throw manifestError(row, "the token with " + row.tokenName() + " is not initialised",
                        ExitCode.INVALID_INPUT);
            }
            return s;
        } catch (InvalidInputException e) {
            throw manifestError(row, e.getMessage(), ExitCode.INVALID_INPUT);
        } catch (TokenSelectionException e) {
            throw manifestError(row, e.getMessage(), ExitCode.TOKEN_NOT_FOUND);
        }
    }

    private BatchTarget target(Pkcs11Module m, Slot slot, ManifestEntry row, PinSource ownPin)
            throws Exception {
        TokenInfo info = slot.token();
        try {
            EnrollmentRequest request = tokens.template().request(info, row);
            Token t = m.token(slot);
            VendorProfile profile = profile(t, info);
            return new BatchTarget(t, info, request, ownPin == null ? null : ownPin.forToken(info), profile,
                    loginOptions(profile));
        } catch (InvalidInputException e) {
            if (row == null) {
                throw new CliException(ExitCode.INVALID_INPUT, "Token " + info.serial() + " ('" + info.label()
                        + "'): " + e.getMessage(), e);
            }
            throw manifestError(row, e.getMessage(), ExitCode.INVALID_INPUT);
        }
    }

    private CliException manifestError(ManifestEntry row, String problem, ExitCode code) {
        return tokens.manifestError(row, problem, code);
    }

    /** Option combinations picocli cannot express; refused before anything is read. */
    private int checkCombinations() {
        String problem = tokens.problem("batch-enroll");
        if (problem != null) {
            throw usage(problem);
        }
        return tokens.workers();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
