package org.tokenctl.cli;

import java.nio.file.Path;

import org.tokenctl.cli.options.CaPasswordOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.io.PrivateKeyFiles;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.pin.Pin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the certificate comes from, for every command that enrolls: a local CA
 * ({@code --ca-cert}, {@code --ca-key}) or offline ({@code --csr-out}). One mixin so
 * that {@code enroll} and batch enrollment take the same options and mean the
 * same by them.
 */
final class IssuerOptions {

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Local CA: its certificate (PEM or DER).")
    private Path caCert;

    @Option(names = "--ca-key", paramLabel = "FILE",
            description = "Local CA: its private key (PEM, plain or encrypted, or PKCS#12).")
    private Path caKey;

    @Mixin
    private CaPasswordOptions caPassword;

    @Option(names = "--days", paramLabel = "N",
            description = "Local CA: validity of the certificate in days (default: " + LocalCa.DEFAULT_DAYS + ").")
    private Integer days;

    @Option(names = "--with-chain", description = "Local CA: install the CA certificate on the token too.")
    private boolean withChain;

    @Option(names = "--csr-out", paramLabel = "FILE",
            description = "Offline: write the certificate request (PEM) to FILE and keep the key for "
                    + "`tokenctl import-cert`.")
    private Path csrOut;

    /** @return whether the CA chain is to be installed on the token too */
    boolean withChain() {
        return withChain;
    }

    /** @return the offline request file, or null */
    Path csrOut() {
        return csrOut;
    }

    /** @return where the CA key's password comes from (only read when the key is encrypted) */
    PinSource caPasswordSource() {
        return caPassword.source();
    }

    /**
     * Option combinations picocli cannot express.
     *
     * @return a usage message, or null when the options fit together
     */
    String problem() {
        boolean localCa = caCert != null || caKey != null;
        if (localCa && csrOut != null) {
            return "--csr-out (offline) and --ca-cert/--ca-key (local CA) exclude each other";
        }
        if (!localCa && csrOut == null) {
            return "Say where the certificate comes from: --ca-cert FILE --ca-key FILE (local CA)"
                    + " or --csr-out FILE (offline)";
        }
        if (localCa && (caCert == null || caKey == null)) {
            return "A local CA needs both --ca-cert and --ca-key";
        }
        if (!localCa && (days != null || withChain || caPassword.source().explicit())) {
            return "--days, --with-chain and --ca-password-* need a local CA (--ca-cert, --ca-key)";
        }
        return null;
    }

    /**
     * The local CA (reading its key's password only when the key is encrypted), or the offline issuer.
     *
     * @param ctx the clock, and where a password comes from
     * @param force whether an existing --csr-out file may be replaced
     * @return the issuer
     * @throws CliException if the password source is unusable
     * @throws TokenctlException if the CA files are unusable
     */
    CertificateIssuer issuer(CliContext ctx, boolean force) throws CliException, TokenctlException {
        if (csrOut != null) {
            return new OfflineIssuer(csrOut, force);
        }
        int validity = days == null ? LocalCa.DEFAULT_DAYS : days;
        if (!PrivateKeyFiles.needsPassword(caKey, "ca-key")) {
            return LocalCa.load(caCert, caKey, null, validity, ctx.clock());
        }
        try (Pin password = new PinReader(ctx).read(caPassword.source())) {
            return LocalCa.load(caCert, caKey, password, validity, ctx.clock());
        }
    }
}
