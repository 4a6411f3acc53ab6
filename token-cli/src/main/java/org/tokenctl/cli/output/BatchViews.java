package org.tokenctl.cli.output;

import java.io.PrintWriter;
import java.util.List;

import org.tokenctl.cli.batch.BatchResult;
import org.tokenctl.cli.batch.Outcome;
import org.tokenctl.core.cert.X509Time;

/**
 * The output of {@code tokenctl batch-enroll} (documented in docs/json-output.md):
 * with {@code --json}, one {@link TokenLine} per token as it finishes,
 * then one {@link Summary}, each a JSON object on its own line; else a table.
 */
public final class BatchViews {

    private BatchViews() {
    }

    /**
     * One token's result.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type "token"
     * @param serial the token's serial number
     * @param label the token's label
     * @param outcome enrolled, already-enrolled, failed or skipped
     * @param keyId the key's CKA_ID (hex), or null
     * @param certificate the certificate (new, or the one found by resume), or null
     * @param error one line, or null
     * @param exitCode what {@code tokenctl enroll} would have exited with for this token
     * @param durationMs how long the token took
     */
    public record TokenLine(int schemaVersion, String type, String serial, String label, String outcome, String keyId,
                            Views.CertificateView certificate, String error, int exitCode, long durationMs) {
        /**
         * @param r a result
         * @return its line
         */
        public static TokenLine of(BatchResult r) {
            return new TokenLine(Json.SCHEMA_VERSION, "token", r.serial(), r.tokenLabel(), r.outcome().label(),
                    r.keyId(), EnrollViews.certificateView(r.certificate()), r.error(), r.exitCode().code(),
                    r.millis());
        }
    }

    /**
     * The last line.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type "summary"
     * @param tokens how many tokens the batch had
     * @param enrolled how many were enrolled now
     * @param alreadyEnrolled how many already were (skipped by resume)
     * @param failed how many failed
     * @param skipped how many were not tried (shared PIN refused)
     * @param parallel how many tokens were worked on at once
     * @param exitCode the process's exit code
     * @param durationMs wall time of the batch
     */
    public record Summary(int schemaVersion, String type, int tokens, long enrolled, long alreadyEnrolled, long failed,
                          long skipped, int parallel, int exitCode, long durationMs) {
        /**
         * @param results every token's result
         * @param parallel the bound on concurrent tokens
         * @param exitCode the process's exit code
         * @param durationMs the batch's wall time
         * @return the summary
         */
        public static Summary of(List<BatchResult> results, int parallel, int exitCode, long durationMs) {
            return new Summary(Json.SCHEMA_VERSION, "summary", results.size(), count(results, Outcome.ENROLLED),
                    count(results, Outcome.ALREADY_ENROLLED), count(results, Outcome.FAILED),
                    count(results, Outcome.SKIPPED), parallel, exitCode, durationMs);
        }

        /** @return e.g. "3 tokens: 2 enrolled, 1 already enrolled, 0 failed, 0 skipped (4.2 s, 2 at a time)" */
        public String text() {
            return String.format("%d tokens: %d enrolled, %d already enrolled, %d failed, %d skipped (%.1f s, %d at"
                    + " a time)", tokens, enrolled, alreadyEnrolled, failed, skipped, durationMs / 1000.0, parallel);
        }
    }

    private static long count(List<BatchResult> results, Outcome o) {
        return results.stream().filter(r -> r.outcome() == o).count();
    }

    /**
     * The human-readable table: one row per token, in batch order, then the summary.
     *
     * @param out stdout
     * @param results every token's result, in batch order
     * @param summary the summary
     */
    public static void table(PrintWriter out, List<BatchResult> results, Summary summary) {
        String fmt = "%-18s %-16s %-16s %-32s %-20s %s%n";
        out.printf(fmt, "SERIAL", "TOKEN", "OUTCOME", "CERTIFICATE SERIAL", "NOT AFTER", "ERROR");
        for (BatchResult r : results) {
            TokenLine l = TokenLine.of(r);
            out.printf(fmt, l.serial(), l.label(), l.outcome(), l.certificate() == null ? "-" : l.certificate().serial(),
                    l.certificate() == null ? "-" : l.certificate().notAfter(), l.error() == null ? "" : l.error());
        }
        out.println(summary.text());
        out.flush();
    }

    /**
     * One certificate renewed on a token of {@code renew --all-tokens}.
     *
     * @param oldId the CKA_ID of the key pair whose certificate was renewed
     * @param id the new (or, with --same-key, the same) key pair's CKA_ID
     * @param certificate the new certificate
     */
    public record RenewedLine(String oldId, String id, Views.CertificateView certificate) {
    }

    /**
     * One token's result in {@code renew --all-tokens --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type "token"
     * @param serial the token's serial number
     * @param label the token's label
     * @param outcome renewed, nothing-due, failed or skipped
     * @param renewed the certificates renewed, in order
     * @param error one line, or null
     * @param exitCode what {@code tokenctl renew} would have exited with for this token
     * @param durationMs how long the token took
     */
    public record RenewTokenLine(int schemaVersion, String type, String serial, String label, String outcome,
                                 List<RenewedLine> renewed, String error, int exitCode, long durationMs) {
        /**
         * @param r a result
         * @return its line
         */
        public static RenewTokenLine of(BatchResult r) {
            List<RenewedLine> renewed = r.renewals().stream().map(x -> new RenewedLine(x.old().id().hex(),
                    x.renewed().id().hex(), EnrollViews.certificateView(x.renewed().certificate()))).toList();
            return new RenewTokenLine(Json.SCHEMA_VERSION, "token", r.serial(), r.tokenLabel(), r.outcome().label(),
                    renewed, r.error(), r.exitCode().code(), r.millis());
        }
    }

    /**
     * The last line of {@code renew --all-tokens}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type "summary"
     * @param tokens how many tokens the batch had
     * @param renewed how many tokens had their due certificates renewed
     * @param certificates how many certificates were renewed in all
     * @param nothingDue how many tokens had none due
     * @param failed how many failed
     * @param skipped how many were not tried (shared PIN refused, interrupted)
     * @param parallel how many tokens were worked on at once
     * @param exitCode the process's exit code
     * @param durationMs wall time of the batch
     */
    public record RenewSummary(int schemaVersion, String type, int tokens, long renewed, long certificates,
                               long nothingDue, long failed, long skipped, int parallel, int exitCode,
                               long durationMs) {
        /**
         * @param results every token's result
         * @param parallel the bound on concurrent tokens
         * @param exitCode the process's exit code
         * @param durationMs the batch's wall time
         * @return the summary
         */
        public static RenewSummary of(List<BatchResult> results, int parallel, int exitCode, long durationMs) {
            return new RenewSummary(Json.SCHEMA_VERSION, "summary", results.size(), count(results, Outcome.RENEWED),
                    results.stream().mapToLong(r -> r.renewals().size()).sum(), count(results, Outcome.NOTHING_DUE),
                    count(results, Outcome.FAILED), count(results, Outcome.SKIPPED), parallel, exitCode, durationMs);
        }

        /** @return e.g. "3 tokens: 2 renewed (3 certificates), 1 with nothing due, 0 failed, 0 skipped (...)" */
        public String text() {
            return String.format("%d tokens: %d renewed (%d certificate%s), %d with nothing due, %d failed, %d skipped"
                    + " (%.1f s, %d at a time)", tokens, renewed, certificates, certificates == 1 ? "" : "s",
                    nothingDue, failed, skipped, durationMs / 1000.0, parallel);
        }
    }

    /**
     * The human-readable table of {@code renew --all-tokens}: one row per certificate renewed
     * (or per token when none was), in batch order, then the summary.
     *
     * @param out stdout
     * @param results every token's result, in batch order
     * @param summary the summary
     */
    public static void renewTable(PrintWriter out, List<BatchResult> results, RenewSummary summary) {
        String fmt = "%-18s %-16s %-12s %-42s %-20s %s%n";
        out.printf(fmt, "SERIAL", "TOKEN", "OUTCOME", "NEW KEY ID", "NOT AFTER", "ERROR");
        for (BatchResult r : results) {
            if (r.renewals().isEmpty()) {
                out.printf(fmt, r.serial(), r.tokenLabel(), r.outcome().label(), "-", "-",
                        r.error() == null ? "" : r.error());
            }
            for (org.tokenctl.core.enroll.Renewal.Result x : r.renewals()) {
                out.printf(fmt, r.serial(), r.tokenLabel(), r.outcome().label(), x.renewed().id().hex(),
                        X509Time.notAfter(x.renewed().certificate()), "");
            }
        }
        out.println(summary.text());
        out.flush();
    }
}
