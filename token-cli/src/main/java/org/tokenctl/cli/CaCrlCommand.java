package org.tokenctl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.bouncycastle.cert.X509CRLHolder;
import org.tokenctl.cli.options.CaPasswordOptions;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.SafeFiles;
import org.tokenctl.core.issue.CaIndex;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.cert.X509Time;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl ca crl}: the local CA's CRL from its index. */
@Command(name = "crl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the local CA's next CRL (X.509 v2, RFC 5280): every certificate its index records as"
                + " revoked, with its date and reason, the CA's authority key identifier and a CRL number one above"
                + " the last (kept in the index). thisUpdate is now, nextUpdate --days later."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl ca crl --ca-cert ca.pem --ca-key ca.key --out ca.crl",
            "  tokenctl ca crl --ca-cert ca.pem --ca-key ca.key --out ca.crl.der \\",
            "      --der --days 7 --force --json"})
final class CaCrlCommand implements Callable<Integer> {

    @ParentCommand
    private CaCommand ca;

    @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "The CA certificate (PEM or DER).")
    private Path caCert;

    @Option(names = "--ca-key", required = true, paramLabel = "FILE",
            description = "The CA's private key (PEM, plain or encrypted, or PKCS#12).")
    private Path caKey;

    @Mixin
    private CaPasswordOptions caPassword;

    @Option(names = "--index", paramLabel = "FILE", description = "The CA's index (default: the CA certificate's file"
            + " name with .index added); absent, the CRL lists nothing.")
    private Path index;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the CRL goes.")
    private Path out;

    @Option(names = "--der", description = "Write DER instead of PEM.")
    private boolean der;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30",
            description = "Days until nextUpdate (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = {"-f", "--force"}, description = "Replace an existing --out file.")
    private boolean force;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ca.top().ctx();
        SafeFiles.requireWritable(out, force, "out");
        LocalCa localCa = IssuerOptions.localCa(ctx, caCert, caKey, caPassword.source(), LocalCa.DEFAULT_DAYS);
        Path file = CaRevokeCommand.indexOf(caCert, index);
        X509CRLHolder crl = CaIndex.update(file, current -> {
            CaIndex.Crl next = localCa.crl(current, days);
            try {
                byte[] bytes = der ? next.crl().getEncoded() : Pem.encodeBytes(next.crl());
                // the CRL is written before the index keeps its number: a failure here changes nothing
                SafeFiles.write(out, bytes, force, false, "out");
            } catch (IOException e) {
                throw new org.tokenctl.core.InvalidInputException("out", "Cannot encode the CRL: " + e.getMessage(), e);
            }
            return new CaIndex.Changed<>(next.index(), next.crl());
        });
        String number = CaIndex.read(file).crlNumber().toString();
        if (output.json()) {
            Json.print(ctx.out(), new EnrollViews.CaCrlView(Json.SCHEMA_VERSION, out.toString(), file.toString(),
                    SubjectName.format(crl.getIssuer()), Long.parseLong(number),
                    X509Time.instant(crl.toASN1Structure().getThisUpdate()).toString(),
                    X509Time.instant(crl.toASN1Structure().getNextUpdate()).toString(),
                    crl.getRevokedCertificates().size()));
        } else {
            ctx.out().printf("Wrote CRL number %s of '%s' to %s: %d revoked certificate%s; next update %s.%n", number,
                    SubjectName.format(crl.getIssuer()), out, crl.getRevokedCertificates().size(),
                    crl.getRevokedCertificates().size() == 1 ? "" : "s",
                    X509Time.instant(crl.toASN1Structure().getNextUpdate()));
        }
        return ExitCode.OK.code();
    }
}
