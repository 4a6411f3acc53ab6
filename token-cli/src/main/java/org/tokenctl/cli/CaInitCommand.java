package org.tokenctl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.tokenctl.cli.options.Completions;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.cert.X509Time;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl ca init}: make a throwaway CA certificate and key. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a self-signed CA (basicConstraints CA:TRUE, pathlen 0; keyUsage keyCertSign, cRLSign)"
                + " for `tokenctl enroll --ca-cert/--ca-key`. The key is written unencrypted (PKCS#8 PEM) with mode"
                + " 0600: for demos and tests only. Neither file is ever overwritten without --force."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl ca init --out-cert ca.pem --out-key ca.key",
            "  tokenctl ca init --out-cert ca.pem --out-key ca.key \\",
            "      --subject \"CN=Test CA,O=Example Bank\" --days 30 --key-spec rsa:3072 \\",
            "      --force --json"})
final class CaInitCommand implements Callable<Integer> {

    @ParentCommand
    private CaCommand ca;

    @Option(names = "--out-cert", required = true, paramLabel = "FILE", description = "Where the CA certificate goes (PEM).")
    private Path outCert;

    @Option(names = "--out-key", required = true, paramLabel = "FILE",
            description = "Where the CA key goes (unencrypted PKCS#8 PEM, mode 0600).")
    private Path outKey;

    @Option(names = "--subject", paramLabel = "DN", defaultValue = DemoCa.DEFAULT_SUBJECT,
            description = "The CA's name, RFC 4514 (default: ${DEFAULT-VALUE}).")
    private String subject;

    @Option(names = "--days", paramLabel = "N", defaultValue = "" + DemoCa.DEFAULT_DAYS,
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--key-spec", paramLabel = "SPEC", defaultValue = "ec:p256",
            completionCandidates = Completions.KeySpecs.class,
            description = "The CA key: rsa:2048, rsa:3072, rsa:4096, ec:p256 (default), ec:p384 or sm2 (signs"
                    + " SM3withSM2).")
    private String keySpec;

    @Option(names = {"-f", "--force"}, description = "Replace existing files.")
    private boolean force;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ca.top().ctx();
        KeySpec spec = KeySpec.parse(keySpec);
        DemoCa demo = DemoCa.create(SubjectName.parse(subject), spec, days, ctx.clock());
        demo.write(outCert, outKey, force);
        if (output.json()) {
            Json.print(ctx.out(), new EnrollViews.CaInitView(Json.SCHEMA_VERSION, outCert.toString(),
                    outKey.toString(), spec.spec(), EnrollViews.certificateView(demo.certificate())));
            return ExitCode.OK.code();
        }
        ctx.out().printf("Wrote the CA certificate %s and its key %s (unencrypted, mode 0600: for demos and tests"
                + " only):%n", outCert, outKey);
        ctx.out().printf("  %-12s %s%n", "subject:", SubjectName.format(demo.certificate().getSubject()));
        ctx.out().printf("  %-12s %s%n", "serial:", Certificates.serialHex(demo.certificate()));
        ctx.out().printf("  %-12s %s%n", "expires:", X509Time.notAfter(demo.certificate()));
        return ExitCode.OK.code();
    }
}
