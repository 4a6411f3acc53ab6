package org.tokenctl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollText;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.cert.CertificateImporter;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl import-cert}: install a certificate beside the key it certifies. */
@Command(name = "import-cert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Install a certificate (PEM or DER) on the token beside the private key whose public key it"
                + " certifies, whatever that key's CKA_ID: the certificate gets the key's CKA_ID and label. This is"
                + " the second half of `tokenctl enroll --csr-out`.",
            "A certificate that matches no key on the token is refused (exit 17), as is one already on the token."
                + " Further certificates in the --cert file, and those in --chain files, are installed as its CA"
                + " chain (each must have issued the certificate or another chain certificate; those already on the"
                + " token are skipped). On failure nothing is left installed.",
            TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl import-cert --token-label alice --pin-file alice.pin \\",
            "      --cert alice.crt",
            "  tokenctl import-cert --token-label alice --pin-env PIN --cert alice.der \\",
            "      --chain issuing-ca.pem --json"})
final class ImportCertCommand extends TokenCommand {

    @Mixin
    private UserPinOptions pin;

    @Option(names = "--cert", required = true, paramLabel = "FILE",
            description = "The certificate (PEM or DER); further PEM certificates in the file are its chain.")
    private Path cert;

    @Option(names = "--chain", paramLabel = "FILE", description = "CA certificates to install too (repeatable).")
    private List<Path> chainFiles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ctx();
        List<X509CertificateHolder> certs = Pem.certificates(cert, "cert");
        List<X509CertificateHolder> chain = new ArrayList<>(certs.subList(1, certs.size()));
        for (Path f : chainFiles) {
            chain.addAll(Pem.certificates(f, "chain"));
        }
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            // read before, not after: once the token has changed, only a failure of the change may be reported
            TokenInfo info = t.info();
            CertificateImporter.ImportResult r;
            try (TokenSession session = t.openSession(true)) {
                top().login(session, UserType.USER, pin.source(), allowFinalTry());
                r = CertificateImporter.importCertificate(session, certs.get(0), chain);
            }
            if (json()) {
                Json.print(ctx.out(), EnrollViews.ImportCertView.of(EnrollViews.TokenRef.of(info), r.id().hex(),
                        r.label(), r.certificate(), r.chain()));
                return ExitCode.OK.code();
            }
            ctx.out().printf("Installed the certificate on token '%s' (serial %s) beside key id %s, label '%s':%n",
                    info.label(), info.serial(), r.id().hex(), r.label());
            EnrollText.certificate(ctx.out(), r.certificate(), r.chain(),
                    EnrollViews.uri(info, ObjectClass.CERTIFICATE, r.id(), r.label()));
            return ExitCode.OK.code();
        }
    }
}
