package org.tokenctl.cli;

import java.nio.file.Path;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.options.Completions;
import org.tokenctl.cli.options.ObjectOptions;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.cert.CertificateExporter;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.issue.RevocationReason;
import org.tokenctl.core.issue.cmp.CmpIssuer;
import org.tokenctl.core.issue.cmp.KeyUpdate;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenctl revoke}: ask a CA over CMP to revoke a certificate. */
@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ask a CA over CMP to revoke a certificate: a revocation request (rr, RFC 9483 4.2) naming its"
                + " issuer and serial number, with an RFC 5280 reason. The certificate is one on the token (--id,"
                + " --label or --uri; read without a PIN) or a file (--cert).",
            "With a shared secret (--cmp-ref and a --cmp-secret-*) the request is MAC-protected. Without one it is"
                + " signed by the certificate's own key on the token (a login; the certificate must still be valid)"
                + " and the CA's signed answer is checked against --cmp-trusted. The answer is checked as for an"
                + " enrollment (protection, transactionID, nonces) and must grant the revocation.",
            "The certificate and its key stay on the token: delete them with `tokenctl delete`. For the local"
                + " development CA, use `tokenctl ca revoke` and `tokenctl ca crl`. " + TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl revoke --token-label alice --label alice \\",
            "      --reason keyCompromise --cmp-server https://ca.example.com/pkix/ \\",
            "      --cmp-ref 1234 --cmp-secret-file alice.secret",
            "  tokenctl revoke --token-label alice --pin-file alice.pin --id da9c \\",
            "      --reason superseded --cmp-server https://ca.example.com/pkix/ \\",
            "      --cmp-trusted ca-chain.pem --json",
            "  tokenctl revoke --cert lost.pem --reason keyCompromise \\",
            "      --cmp-server https://ca.example.com/pkix/ \\",
            "      --cmp-ref 1234 --cmp-secret-env CMP_SECRET"})
final class RevokeCommand extends TokenCommand {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ObjectOptions object;

    @Option(names = "--cert", paramLabel = "FILE", description = "Revoke the certificate in FILE (PEM or DER) instead"
            + " of one on a token (needs the shared secret).")
    private Path cert;

    @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified",
            completionCandidates = Completions.RevocationReasons.class,
            description = "RFC 5280 reason: unspecified (default), keyCompromise, cACompromise, affiliationChanged,"
                    + " superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise.")
    private String reason;

    @Mixin
    private UserPinOptions pin;

    @Mixin
    private IssuerOptions issuing;

    @Override
    protected boolean namesObjects() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        String problem = issuing.forRevocation().problem();
        if (problem != null) {
            throw usage(problem);
        }
        ObjectQuery named = object.query(uri(), ObjectClass.CERTIFICATE);
        if (cert != null && (!named.isOpen() || tokenSelected())) {
            throw usage("--cert names a certificate file: leave the token and object selection out");
        }
        if (cert == null && named.isOpen()) {
            throw usage("Name the certificate: --id, --label or --uri on the token, or --cert FILE");
        }
        if (cert != null && issuing.signsWithCertificateKey()) {
            throw usage("A certificate file is revoked with the shared secret (--cmp-ref and a --cmp-secret-*): its"
                    + " key is not here to sign the request; name it on the token to sign with its key");
        }
        if (!issuing.signsWithCertificateKey() && pin.source().explicit()) {
            throw usage("A --pin-* source is for signing with the certificate's key: with a shared secret no login"
                    + " is needed");
        }
        RevocationReason why = RevocationReason.parse(reason, "reason");
        CliContext ctx = ctx();
        try (CmpIssuer issuer = (CmpIssuer) issuing.issuer(ctx, false)) {
            issuer.preflight();
            if (cert != null) {
                X509CertificateHolder holder = Pem.certificates(cert, "cert").get(0);
                return print(ctx, null, null, holder, why, issuer.revoke(holder, why));
            }
            try (Pkcs11Module m = openModule()) {
                Token t = selectToken(m);
                TokenInfo info = t.info();
                try (TokenSession session = t.openSession(false)) {
                    CertificateExporter.Found found = CertificateExporter.find(session, named);
                    String status;
                    if (issuing.signsWithCertificateKey()) {
                        if (found.id() == null) {
                            throw new org.tokenctl.core.InvalidInputException("id", "The certificate has no CKA_ID,"
                                    + " so no key on the token is known to be its: revoke it with the shared secret");
                        }
                        top().login(session, UserType.USER, pin.source(), allowFinalTry());
                        status = issuer.forKeyUpdate(KeyUpdate.onToken(session, found.id()))
                                .revoke(found.certificate(), why);
                    } else {
                        status = issuer.revoke(found.certificate(), why);
                    }
                    return print(ctx, info, found, found.certificate(), why, status);
                }
            }
        }
    }

    private int print(CliContext ctx, TokenInfo token, CertificateExporter.Found found, X509CertificateHolder holder,
                      RevocationReason why, String status) {
        if (json()) {
            Json.print(ctx.out(), new EnrollViews.RevokeView(Json.SCHEMA_VERSION, token == null ? null
                    : EnrollViews.TokenRef.of(token), found == null || found.id() == null ? null : found.id().hex(),
                    EnrollViews.certificateView(holder), why.asn1Name(), status));
            return ExitCode.OK.code();
        }
        ctx.out().printf("The CA revoked the %s (%s): %s.%n", Certificates.describe(holder), why.asn1Name(), status);
        if (token != null) {
            ctx.out().printf("It stays on token '%s' with its key; delete them with `tokenctl delete --token-label %s"
                    + " %s`.%n", token.label(), token.label(), found.id() == null ? "--label " + found.label()
                    : "--id " + found.id().hex());
        }
        return ExitCode.OK.code();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
