package org.tokenctl.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.cli.options.KeyNames;
import org.tokenctl.cli.options.CaPasswordOptions;
import org.tokenctl.cli.options.CmpSecretOptions;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.PrivateKeyFiles;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.issue.cmp.CmpIssuer;
import org.tokenctl.core.issue.cmp.CmpSettings;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.pin.Pin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the certificate comes from, for every command that enrolls: a local CA
 * ({@code --ca-cert}, {@code --ca-key}), offline ({@code --csr-out}) or a CA over CMP
 * ({@code --cmp-server}, {@code --cmp-ref} and the shared secret). One mixin so that
 * {@code enroll} and batch enrollment take the same options and mean the same by them.
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

    @Option(names = "--with-chain",
            description = "Local CA or CMP: install the CA certificates on the token too.")
    private boolean withChain;

    @Option(names = "--csr-out", paramLabel = "FILE",
            description = "Offline: write the certificate request (PEM) to FILE and keep the key for "
                    + "`tokenctl import-cert`.")
    private Path csrOut;

    @Option(names = "--cmp-server", paramLabel = "URL",
            description = "CMP (RFC 4210/9483): the CA's CMP URL with its path, e.g."
                    + " https://ca.example.com/ejbca/publicweb/cmp/ALIAS.")
    private String cmpServer;

    @Option(names = "--cmp-ref", paramLabel = "REF",
            description = "CMP: the reference value the CA gave with the shared secret (sent as senderKID).")
    private String cmpRef;

    @Mixin
    private CmpSecretOptions cmpSecret;

    @Option(names = "--cmp-kur", paramLabel = "HEX|URI",
            description = "CMP key update (kur): renew the certificate of the key pair with this CKA_ID (or pkcs11: URI), whose"
                    + " certificate is beside it on the token. The request is signed with that current key instead"
                    + " of the shared secret (answers must then be signed by a --cmp-trusted CA, or MAC-protected"
                    + " with a secret given); the new key is generated (or --key-id). The old key and certificate"
                    + " stay on the token.")
    private String cmpKur;

    @Option(names = "--cmp-recipient", paramLabel = "DN",
            description = "CMP: the CA's name, RFC 4514 (default: the empty name, as RFC 9483 allows).")
    private String cmpRecipient;

    @Option(names = "--cmp-trusted", paramLabel = "FILE",
            description = "CMP: certificates (PEM) that may sign the CA's answers, or their CAs; without it only"
                    + " answers protected by the shared secret are accepted.")
    private Path cmpTrusted;

    @Option(names = "--cmp-tls-trusted", paramLabel = "FILE",
            description = "CMP over https: trust anchors (PEM) for the server's TLS certificate (default: the"
                    + " JVM's trust store).")
    private Path cmpTlsTrusted;

    @Option(names = "--cmp-connect-timeout", paramLabel = "SECONDS",
            description = "CMP: how long to wait for a connection (default: " + CmpSettings.DEFAULT_CONNECT_SECONDS
                    + ").")
    private Integer cmpConnectTimeout;

    @Option(names = "--cmp-read-timeout", paramLabel = "SECONDS",
            description = "CMP: how long each answer may take, headers and body together (default: "
                    + CmpSettings.DEFAULT_READ_SECONDS + ").")
    private Integer cmpReadTimeout;

    @Option(names = "--cmp-poll-timeout", paramLabel = "SECONDS",
            description = "CMP: how long to keep asking while the CA answers \"waiting\" (default: "
                    + CmpSettings.DEFAULT_POLL_SECONDS + ").")
    private Integer cmpPollTimeout;

    /** Set by {@code renew}: over CMP every request is a key update signed with the current key. */
    private boolean renewal;

    /**
     * For {@code renew}: a CMP request is a key update of the key being renewed (no
     * {@code --cmp-ref} needed, {@code --cmp-kur} not taken: renew names the key itself).
     *
     * @return this
     */
    IssuerOptions forRenewal() {
        renewal = true;
        return this;
    }

    /** Set by {@code revoke}: CMP only, a revocation request signed with the certificate's key or MAC-protected. */
    private boolean revocation;

    /**
     * For {@code revoke}: only the CMP options apply; without a shared secret the request
     * is signed with the certificate's own key (then {@code --cmp-trusted} checks the answers).
     *
     * @return this
     */
    IssuerOptions forRevocation() {
        revocation = true;
        return this;
    }

    /** @return whether a revocation is to be signed with the certificate's key (no shared secret given) */
    boolean signsWithCertificateKey() {
        return revocation && !cmpSecret.source().explicit();
    }

    /** @return whether the CA chain is to be installed on the token too */
    boolean withChain() {
        return withChain;
    }

    /** @return the offline request file, or null */
    /** @return what the issuing step is doing, for the progress shown on a terminal */
    String issuingStep() {
        if (cmpServer != null) {
            return "waiting for the CA (CMP)";
        }
        return csrOut != null ? "writing the certificate request" : "issuing the certificate with the local CA";
    }

    Path csrOut() {
        return csrOut;
    }

    /** @return where the CA key's password comes from (only read when the key is encrypted) */
    PinSource caPasswordSource() {
        return caPassword.source();
    }

    /**
     * @return the key a CMP key update renews, or null for an initial registration
     * @throws InvalidInputException if it is neither hex nor a pkcs11: URI naming a key
     */
    ObjectQuery keyUpdateOf() throws InvalidInputException {
        return cmpKur == null ? null : KeyNames.key(cmpKur);
    }

    /** @return the --cmp-kur value as given, or null */
    String keyUpdateValue() {
        return cmpKur;
    }

    /** @return whether --cmp-kur was given */
    boolean renews() {
        return cmpKur != null;
    }

    /** @return where the CMP shared secret comes from (only read with --cmp-server) */
    PinSource cmpSecretSource() {
        return cmpSecret.source();
    }

    /**
     * Option combinations picocli cannot express.
     *
     * @return a usage message, or null when the options fit together
     */
    String problem() {
        if (revocation && (caCert != null || caKey != null || csrOut != null || days != null || withChain
                || cmpKur != null || caPassword.source().explicit())) {
            return "revoke is over CMP: --ca-cert, --ca-key, --days, --csr-out, --with-chain and --cmp-kur do not"
                    + " apply (the local CA revokes with `tokenctl ca revoke`)";
        }
        if (revocation && cmpServer == null) {
            return "Say which CA revokes: --cmp-server URL (the local CA revokes with `tokenctl ca revoke`)";
        }
        boolean localCa = caCert != null || caKey != null;
        boolean cmp = cmpServer != null;
        long paths = Stream.of(localCa, csrOut != null, cmp).filter(b -> b).count();
        if (paths > 1) {
            return "--csr-out (offline), --ca-cert/--ca-key (local CA) and --cmp-server (CMP) exclude each other";
        }
        if (paths == 0) {
            return "Say where the certificate comes from: --ca-cert FILE --ca-key FILE (local CA),"
                    + " --csr-out FILE (offline) or --cmp-server URL --cmp-ref REF (CMP)";
        }
        if (localCa && (caCert == null || caKey == null)) {
            return "A local CA needs both --ca-cert and --ca-key";
        }
        if (!localCa && (days != null || caPassword.source().explicit())) {
            return "--days and --ca-password-* need a local CA (--ca-cert, --ca-key)";
        }
        if (csrOut != null && withChain) {
            return "--with-chain needs a local CA or CMP: offline, the chain comes with `tokenctl import-cert`";
        }
        if (!cmp && (cmpRef != null || cmpRecipient != null || cmpTrusted != null || cmpTlsTrusted != null
                || cmpConnectTimeout != null || cmpReadTimeout != null || cmpPollTimeout != null
                || cmpKur != null || cmpSecret.source().explicit())) {
            return "The --cmp-* options need --cmp-server URL";
        }
        if (cmpTlsTrusted != null && cmp && cmpServer.regionMatches(true, 0, "http:", 0, 5)) {
            return "--cmp-tls-trusted is for an https server; --cmp-server is plain http";
        }
        if (renewal && cmpKur != null) {
            return "renew names the key it renews (--id, --label, --uri or --expiring): --cmp-kur is for enroll";
        }
        boolean keyUpdate = cmpKur != null || renewal && cmp || signsWithCertificateKey();
        if (cmp && !keyUpdate && (cmpRef == null || cmpRef.isEmpty())) {
            return "CMP needs --cmp-ref REF: the reference value the CA gave with the shared secret";
        }
        if (keyUpdate && cmpTrusted == null && !cmpSecret.source().explicit()) {
            return revocation ? "A revocation without a shared secret is signed with the certificate's key on the"
                    + " token: give --cmp-trusted FILE to check the CA's signed answers, or --cmp-ref and a"
                    + " --cmp-secret-* to protect it with the shared secret"
                    : "A key update (" + (renewal ? "renew over CMP" : "--cmp-kur") + ") is signed with the current"
                    + " key, not a shared secret: give --cmp-trusted FILE to check the CA's signed answers (or a"
                    + " --cmp-secret-* the CA uses for them)";
        }
        for (Integer t : new Integer[] {cmpConnectTimeout, cmpReadTimeout, cmpPollTimeout}) {
            if (t != null && t < 1) {
                return "CMP timeouts are whole seconds, at least 1; got " + t;
            }
        }
        return null;
    }

    /**
     * The issuer the options name: the local CA (reading its key's password only when the
     * key is encrypted), the offline issuer, or the CMP issuer (reading the shared secret,
     * which the issuer owns: close it when done).
     *
     * @param ctx the clock, and where a password or secret comes from
     * @param force whether an existing --csr-out file may be replaced
     * @return the issuer; close it when done
     * @throws CliException if a password or secret source is unusable
     * @throws TokenctlException if the CA files, the CMP URL, recipient or trust files are unusable
     */
    CertificateIssuer issuer(CliContext ctx, boolean force) throws CliException, TokenctlException {
        if (csrOut != null) {
            return new OfflineIssuer(csrOut, force);
        }
        if (cmpServer != null) {
            return cmpIssuer(ctx);
        }
        return localCa(ctx, caCert, caKey, caPassword.source(), days == null ? LocalCa.DEFAULT_DAYS : days);
    }

    /**
     * Loads the local CA, reading the key's password only when the key file is encrypted.
     *
     * @param ctx the clock, and where the password comes from
     * @param caCert the CA certificate file
     * @param caKey the CA key file
     * @param password where its password comes from
     * @param validity days of the certificates it issues
     * @return the CA
     * @throws CliException if the password source is unusable
     * @throws TokenctlException if the files are unusable or the password is wrong
     */
    static LocalCa localCa(CliContext ctx, Path caCert, Path caKey, PinSource password, int validity)
            throws CliException, TokenctlException {
        if (!PrivateKeyFiles.needsPassword(caKey, "ca-key")) {
            return LocalCa.load(caCert, caKey, null, validity, ctx.clock());
        }
        try (Pin pin = new PinReader(ctx).read(password)) {
            return LocalCa.load(caCert, caKey, pin, validity, ctx.clock());
        }
    }

    /** Everything is checked before the secret is read, so a bad option never waits for a prompt. */
    private CmpIssuer cmpIssuer(CliContext ctx) throws CliException, TokenctlException {
        X500Name recipient = null;
        if (cmpRecipient != null) {
            try {
                recipient = SubjectName.parse(cmpRecipient);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("cmp-recipient", "--cmp-recipient: " + e.getMessage(), e);
            }
        }
        List<X509CertificateHolder> trusted = cmpTrusted == null ? List.of()
                : Pem.certificates(cmpTrusted, "cmp-trusted");
        List<X509CertificateHolder> tlsTrusted = cmpTlsTrusted == null ? List.of()
                : Pem.certificates(cmpTlsTrusted, "cmp-tls-trusted");
        CmpSettings settings = new CmpSettings(CmpSettings.parseServer(cmpServer), cmpRef == null ? "" : cmpRef,
                recipient, trusted,
                tlsTrusted, seconds(cmpConnectTimeout, CmpSettings.DEFAULT_CONNECT_SECONDS),
                seconds(cmpReadTimeout, CmpSettings.DEFAULT_READ_SECONDS),
                seconds(cmpPollTimeout, CmpSettings.DEFAULT_POLL_SECONDS), CmpSettings.DEFAULT_MAX_RESPONSE_BYTES);
        // a key update signs with the current key: the secret is optional, for answers the CA MACs
        Pin secret = (cmpKur != null || renewal || revocation) && !cmpSecret.source().explicit() ? null
                : new PinReader(ctx).read(cmpSecret.source());
        try {
            return new CmpIssuer(settings, secret, ctx.clock());
        } catch (TokenctlException | RuntimeException e) {
            if (secret != null) {
                secret.close();
            }
            throw e;
        }
    }

    private static Duration seconds(Integer value, int otherwise) {
        return Duration.ofSeconds(value == null ? otherwise : value);
    }
}
