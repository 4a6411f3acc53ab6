package org.tokenctl.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.options.Completions;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.issue.CaIndex;
import org.tokenctl.core.key.PublicKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl ca revoke}: record a certificate of the local CA as revoked, for its next CRL. */
@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Record a certificate the local CA issued as revoked, in the CA's index (a text file next to"
                + " the CA certificate, FILE.index unless --index), with the time and an RFC 5280 reason. The next"
                + " `tokenctl ca crl` lists it. Given by --cert (checked to be signed by the CA) or by --serial."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl export-cert --token-label alice --label alice --out alice.pem",
            "  tokenctl ca revoke --ca-cert ca.pem --cert alice.pem --reason keyCompromise",
            "  tokenctl ca crl --ca-cert ca.pem --ca-key ca.key --out ca.crl"})
final class CaRevokeCommand implements Callable<Integer> {

    @ParentCommand
    private CaCommand ca;

    @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "The CA certificate (PEM or DER).")
    private Path caCert;

    /** What is revoked: a certificate file, or a serial number. */
    static final class Target {
        @Option(names = "--cert", paramLabel = "FILE", description = "The certificate to revoke (PEM or DER).")
        private Path cert;

        @Option(names = "--serial", paramLabel = "HEX", description = "The serial number to revoke, hex.")
        private String serial;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified",
            completionCandidates = Completions.RevocationReasons.class,
            description = "RFC 5280 reason: unspecified (default), keyCompromise, cACompromise, affiliationChanged,"
                    + " superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise.")
    private String reason;

    @Option(names = "--index", paramLabel = "FILE", description = "The CA's index (default: the CA certificate's file"
            + " name with .index added).")
    private Path index;

    @Mixin
    private OutputOptions output;

    /** @return the index file: --index, or FILE.index beside the CA certificate */
    static Path indexOf(Path caCert, Path index) {
        return index != null ? index : caCert.resolveSibling(caCert.getFileName() + ".index");
    }

    @Override
    public Integer call() throws Exception {
        CliContext ctx = ca.top().ctx();
        org.tokenctl.core.issue.RevocationReason why = org.tokenctl.core.issue.RevocationReason.parse(reason, "reason");
        X509CertificateHolder caCertificate = Pem.certificates(caCert, "ca-cert").get(0);
        Certificates.requireConformingCa(caCertificate, "ca-cert");
        BigInteger serial = target.cert != null ? issuedBy(caCertificate, target.cert) : serial(target.serial);
        Path file = indexOf(caCert, index);
        CaIndex.Entry entry = CaIndex.update(file, current -> {
            CaIndex next = current.revoke(serial, ctx.clock().instant(), why);
            return new CaIndex.Changed<>(next, next.find(serial).orElseThrow());
        });
        if (output.json()) {
            Json.print(ctx.out(), new EnrollViews.CaRevokeView(Json.SCHEMA_VERSION, file.toString(),
                    entry.serial().toString(16), entry.revoked().toString(), entry.reason().asn1Name()));
        } else {
            ctx.out().printf("Revoked certificate %s of '%s' (%s) on %s; recorded in %s. Publish it with"
                    + " `tokenctl ca crl`.%n", entry.serial().toString(16), SubjectName.format(caCertificate
                    .getSubject()), entry.reason().asn1Name(), entry.revoked(), file);
        }
        return ExitCode.OK.code();
    }

    private static BigInteger issuedBy(X509CertificateHolder caCertificate, Path certFile)
            throws InvalidInputException {
        X509CertificateHolder cert = Pem.certificates(certFile, "cert").get(0);
        try {
            if (cert.getIssuer().equals(caCertificate.getSubject())
                    && cert.isSignatureValid(PublicKeys.verifier(caCertificate.getSubjectPublicKeyInfo()))) {
                return cert.getSerialNumber();
            }
        } catch (CertException e) {
            // reported below
        }
        throw new InvalidInputException("cert", "The " + Certificates.describe(cert) + " was not issued by this CA"
                + " (its signature does not verify with the CA certificate's key)");
    }

    private static BigInteger serial(String hex) throws InvalidInputException {
        String h = hex.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("0x")) {
            h = h.substring(2);
        }
        if (!h.matches("[0-9a-f]{1,40}") || new BigInteger(h, 16).signum() == 0) {
            throw new InvalidInputException("serial", "--serial must be a positive serial number in hex, at most 20"
                    + " bytes (RFC 5280)");
        }
        return new BigInteger(h, 16);
    }
}
