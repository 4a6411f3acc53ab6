package org.tokenctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.options.ObjectOptions;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.Views;
import org.tokenctl.core.cert.CertificateExporter;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.SafeFiles;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.cert.X509Time;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenctl export-cert}: a certificate on the token, and its chain, as PEM or DER. */
@Command(name = "export-cert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a certificate from the token (and, with --chain, the CA certificates above it that"
                + " the token holds, each checked by signature) as PEM, or as DER, to stdout or --out FILE.",
            "Name it by --id, --label or a pkcs11: URI (--uri, as list prints it); exactly one certificate must"
                + " match. Certificates are public objects: no PIN is asked unless --login or a --pin-* source is"
                + " given (for a token that keeps certificates private). " + TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl export-cert --token-label alice --label alice",
            "  tokenctl export-cert --uri 'pkcs11:token=alice;id=%%DA%%9C;type=cert' \\",
            "      --chain --out alice-chain.pem",
            "  tokenctl export-cert --token-label alice --id da9c --der --out alice.der"})
final class ExportCertCommand extends TokenCommand {

    @Mixin
    private ObjectOptions object;

    @Option(names = "--chain", description = "Append the CA certificates above it that the token holds (PEM only).")
    private boolean chain;

    @Option(names = "--der", description = "Write DER instead of PEM (one certificate, to --out FILE; not with"
            + " --chain).")
    private boolean der;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (refused if it exists, unless"
            + " --force) instead of stdout.")
    private Path out;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    private boolean force;

    @Option(names = "--login", description = "Log in as the user first (tokens that keep certificates private).")
    private boolean login;

    @Mixin
    private UserPinOptions pin;

    @Spec
    private CommandSpec spec;

    @Override
    protected boolean namesObjects() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (der && chain) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--der writes one certificate: use PEM"
                    + " (the default) with --chain");
        }
        if (der && out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--der writes binary: give --out FILE");
        }
        var query = object.query(uri(), null);
        if (out != null) {
            SafeFiles.requireWritable(out, force, "out");
        }
        CliContext ctx = ctx();
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            TokenInfo info = t.info();
            CertificateExporter.Found found;
            List<X509CertificateHolder> issuers;
            try (TokenSession session = t.openSession(false)) {
                if (login || pin.source().explicit()) {
                    top().login(session, UserType.USER, pin.source(), allowFinalTry());
                }
                found = CertificateExporter.find(session, query);
                issuers = chain ? CertificateExporter.chain(session, found.certificate()) : List.of();
            }
            byte[] bytes = der ? found.certificate().getEncoded() : pem(found.certificate(), issuers);
            if (out != null) {
                SafeFiles.write(out, bytes, force, false, "out");
            }
            if (json()) {
                List<Views.ExportedView> chainViews = new ArrayList<>();
                for (X509CertificateHolder c : issuers) {
                    chainViews.add(Views.ExportedView.of(c, null, null, null));
                }
                Json.print(ctx.out(), new Views.ExportCertView(Json.SCHEMA_VERSION, EnrollViews.TokenRef.of(info),
                        Views.ExportedView.of(found.certificate(), found.id() == null ? null : found.id().hex(),
                                found.label(), EnrollViews.uri(info, ObjectClass.CERTIFICATE, found.id(),
                                        found.label())), chainViews, out == null ? null : out.toString(),
                        der ? "der" : "pem"));
            } else if (out == null) {
                ctx.out().print(new String(bytes, StandardCharsets.US_ASCII));
            } else {
                ctx.err().printf("Wrote %s%s (serial %s, expires %s) to %s%n",
                        SubjectName.format(found.certificate().getSubject()),
                        issuers.isEmpty() ? "" : " and " + issuers.size() + " CA certificate(s)",
                        Certificates.serialHex(found.certificate()),
                        X509Time.notAfter(found.certificate()), out);
            }
            return ExitCode.OK.code();
        }
    }

    private static byte[] pem(X509CertificateHolder cert, List<X509CertificateHolder> issuers) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Pem.encodeBytes(cert));
        for (X509CertificateHolder c : issuers) {
            b.write(Pem.encodeBytes(c));
        }
        return b.toByteArray();
    }
}
