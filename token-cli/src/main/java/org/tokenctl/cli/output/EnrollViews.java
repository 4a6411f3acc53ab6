package org.tokenctl.cli.output;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.key.KeyAlgorithm;
import org.tokenctl.core.key.KeyProtection;
import org.tokenctl.core.objects.PrivateKeyAttributes;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.uri.Pkcs11Uri;

/**
 * The JSON shapes of {@code enroll}, {@code import-cert} and {@code ca init}
 * (documented in docs/json-output.md). camelCase, stable, with a schemaVersion.
 */
public final class EnrollViews {

    private EnrollViews() {
    }

    /**
     * @param label the token label
     * @param serial the token serial number
     * @param uri the token's RFC 7512 {@code pkcs11:} URI
     */
    public record TokenRef(String label, String serial, String uri) {
        /**
         * @param t a token snapshot
         * @return its reference
         */
        public static TokenRef of(TokenInfo t) {
            return new TokenRef(t.label(), t.serial(), Pkcs11Uri.of(t).toString());
        }
    }

    /**
     * @param token the token, or null for a file medium
     * @param type what the object is
     * @param id its CKA_ID
     * @param label its CKA_LABEL
     * @return its URI, or null without a token
     */
    public static String uri(TokenInfo token, ObjectClass type, KeyId id, String label) {
        return token == null ? null : Pkcs11Uri.of(token, type, id, label).toString();
    }

    /**
     * @param id CKA_ID (or PKCS#12 localKeyId), hex
     * @param label CKA_LABEL (or PKCS#12 friendlyName)
     * @param keySpec e.g. rsa:2048
     * @param algorithm RSA or EC
     * @param bits modulus or field size
     * @param curve the curve (secp256r1, secp384r1) or null
     * @param signatureAlgorithm what the request was signed with, e.g. SHA256withRSA
     * @param exportable false on a token (never), true in a PKCS#12 file
     * @param generated true if this enrollment generated the key, false for one already on the token (--key-id)
     * @param verified the private key's attributes as read back from the token (null for a file): every
     *                 one shown holds the value required
     * @param uri the private key's {@code pkcs11:} URI (null for a file)
     */
    public record KeyView(String id, String label, String keySpec, String algorithm, int bits, String curve,
                          String signatureAlgorithm, boolean exportable, boolean generated,
                          Map<String, Boolean> verified, String uri) {
        static KeyView of(EnrollmentResult r, TokenInfo token) {
            return new KeyView(r.id().hex(), r.label(), r.keySpec().spec(), r.keySpec().algorithm().name(),
                    r.keySpec().bits(), r.keySpec().algorithm() != KeyAlgorithm.RSA ? r.keySpec().curveName() : null,
                    r.signatureAlgorithm().jcaName(), r.exportable(), r.generated(), verifiedView(r.verified()),
                    EnrollViews.uri(token, ObjectClass.PRIVATE_KEY, r.id(), r.label()));
        }
    }

    /**
     * @param subject the CA certificate's subject
     * @param serial its serial number, hex
     * @param installed true if stored now, false if the token already had it
     */
    public record ChainView(String subject, String serial, boolean installed) {
        static List<ChainView> of(List<ChainEntry> chain) {
            return chain.stream().map(c -> new ChainView(SubjectName.format(c.certificate().getSubject()),
                    Certificates.serialHex(c.certificate()), c.installed())).collect(Collectors.toList());
        }
    }

    /**
     * Output of {@code tokenctl enroll}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param medium "token" or "p12"
     * @param token the token enrolled on (token medium), else null
     * @param file the PKCS#12 file written (p12 medium), else null
     * @param key the new key
     * @param certificate the certificate (serial, notAfter...), or null while awaiting it
     * @param chain CA certificates stored with it
     * @param csrFile where the request was written (offline issuance), else null
     * @param awaitingCertificate true when the key was kept for a certificate to import later
     * @param certificateUri the installed certificate's {@code pkcs11:} URI (null for a file, or while awaiting it)
     */
    public record EnrollView(int schemaVersion, String medium, TokenRef token, String file, KeyView key,
                             Views.CertificateView certificate, List<ChainView> chain, String csrFile,
                             boolean awaitingCertificate, String certificateUri) {
        /**
         * @param medium "token" or "p12"
         * @param token the token, or null
         * @param file the file, or null
         * @param r the enrollment's result
         * @return the view
         */
        public static EnrollView of(String medium, TokenInfo token, String file, EnrollmentResult r) {
            return new EnrollView(Json.SCHEMA_VERSION, medium, token == null ? null : TokenRef.of(token), file,
                    KeyView.of(r, token), certificateView(r.certificate()), ChainView.of(r.chain()), r.deferredTo(),
                    r.certificate() == null, r.certificate() == null ? null
                            : EnrollViews.uri(token, ObjectClass.CERTIFICATE, r.id(), r.label()));
        }
    }

    /**
     * Output of {@code tokenctl import-cert}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token
     * @param keyId the CKA_ID of the key the certificate was installed beside (and now carries)
     * @param label the CKA_LABEL it carries (the key's)
     * @param certificate the installed certificate
     * @param chain CA certificates
     */
    public record ImportCertView(int schemaVersion, TokenRef token, String keyId, String label,
                                 Views.CertificateView certificate, List<ChainView> chain) {
        /**
         * @param token the token
         * @param keyId key id, hex
         * @param label label
         * @param cert the certificate
         * @param chain the chain entries
         * @return the view
         */
        public static ImportCertView of(TokenRef token, String keyId, String label, X509CertificateHolder cert,
                                        List<ChainEntry> chain) {
            return new ImportCertView(Json.SCHEMA_VERSION, token, keyId, label, certificateView(cert), ChainView.of(chain));
        }
    }

    /**
     * Output of {@code tokenctl ca init}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param certificateFile where the CA certificate was written
     * @param keyFile where its key was written (unencrypted, 0600)
     * @param keySpec the CA key's type
     * @param certificate the CA certificate
     */
    public record CaInitView(int schemaVersion, String certificateFile, String keyFile, String keySpec,
                             Views.CertificateView certificate) {
    }

    /**
     * @param cert a certificate, or null
     * @return its view, or null
     */
    public static Views.CertificateView certificateView(X509CertificateHolder cert) {
        return cert == null ? null : Views.CertificateView.of(Certificates.description(cert));
    }

    /**
     * @param attributes the private key's attributes as read back, or null
     * @return each verified attribute by camelCase name (sensitive, alwaysSensitive, ...), or null
     */
    public static Map<String, Boolean> verifiedView(PrivateKeyAttributes attributes) {
        if (attributes == null) {
            return null;
        }
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (KeyProtection p : KeyProtection.values()) {
            m.put(camel(p.name()), p.actual(attributes));
        }
        return m;
    }

    private static String camel(String constant) {
        StringBuilder sb = new StringBuilder();
        for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    /**
     * The certificate a renewal replaced.
     *
     * @param id the CKA_ID of its key pair
     * @param label its key pair's CKA_LABEL
     * @param certificate the old certificate
     */
    public record RenewedFromView(String id, String label, Views.CertificateView certificate) {
    }

    /**
     * One certificate {@code tokenctl renew} renewed.
     *
     * @param old what was renewed
     * @param key the new key pair (or the same, with --same-key)
     * @param certificate the new certificate, or null while awaiting it (offline)
     * @param chain CA certificates stored with it
     * @param csrFile where the request was written (offline), else null
     * @param awaitingCertificate true when the request waits for the CA's answer
     * @param certificateUri the new certificate's {@code pkcs11:} URI, or null while awaiting it
     * @param removed the old objects deleted (--remove-old), in order
     */
    public record RenewedView(RenewedFromView old, KeyView key, Views.CertificateView certificate,
                              List<ChainView> chain, String csrFile, boolean awaitingCertificate,
                              String certificateUri, List<Views.DeletedView> removed) {
        /**
         * @param token the token
         * @param r the renewal's result
         * @return the view
         */
        public static RenewedView of(TokenInfo token, org.tokenctl.core.enroll.Renewal.Result r) {
            EnrollmentResult n = r.renewed();
            List<Views.DeletedView> removed = r.removed().stream().map(o -> new Views.DeletedView(
                    o.objectClass().name(), o.id() == null ? null : o.id().hex(), o.label(),
                    TextFormat.uri(token, o))).collect(Collectors.toList());
            return new RenewedView(new RenewedFromView(r.old().id().hex(), r.old().keyLabel(),
                    certificateView(r.old().certificate())), KeyView.of(n, token), certificateView(n.certificate()),
                    ChainView.of(n.chain()), n.deferredTo(), n.certificate() == null, n.certificate() == null ? null
                            : uri(token, ObjectClass.CERTIFICATE, n.id(), n.label()), removed);
        }
    }

    /**
     * Output of {@code tokenctl renew}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token
     * @param expiringWithinDays the --expiring window, or null when one key pair was named
     * @param renewed what was renewed, in order (empty when nothing was due)
     */
    public record RenewView(int schemaVersion, TokenRef token, Integer expiringWithinDays,
                            List<RenewedView> renewed) {
    }

    /**
     * Output of {@code tokenctl ca revoke}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param index the CA index file it was recorded in
     * @param serial the revoked serial number, hex
     * @param revoked when (ISO-8601, UTC)
     * @param reason the RFC 5280 reason name
     */
    public record CaRevokeView(int schemaVersion, String index, String serial, String revoked, String reason) {
    }

    /**
     * Output of {@code tokenctl ca crl}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param file the CRL file written
     * @param index the CA index it was made from
     * @param issuer the CA's name
     * @param crlNumber its CRL number
     * @param thisUpdate its thisUpdate (ISO-8601, UTC)
     * @param nextUpdate its nextUpdate (ISO-8601, UTC)
     * @param revoked how many certificates it lists
     */
    public record CaCrlView(int schemaVersion, String file, String index, String issuer, long crlNumber,
                            String thisUpdate, String nextUpdate, int revoked) {
    }

    /**
     * Output of {@code tokenctl revoke}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token the certificate is on, or null for a file
     * @param id its CKA_ID, or null
     * @param certificate the revoked certificate
     * @param reason the RFC 5280 reason name
     * @param status the CA's answer, e.g. "accepted"
     */
    public record RevokeView(int schemaVersion, TokenRef token, String id, Views.CertificateView certificate,
                             String reason, String status) {
    }
}
