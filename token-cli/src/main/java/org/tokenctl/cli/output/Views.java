package org.tokenctl.cli.output;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tokenctl.core.module.ModuleInfo;
import org.tokenctl.core.objects.CertificateDescription;
import org.tokenctl.core.objects.KeyDescription;
import org.tokenctl.core.objects.PrivateKeyAttributes;
import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.core.token.Memory;
import org.tokenctl.core.token.PinStatus;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.uri.Pkcs11Uri;
import org.tokenctl.core.cert.X509Time;

/**
 * The JSON shapes tokenctl prints (documented in docs/json-output.md). Field
 * names are camelCase and stable; every top-level object has a schemaVersion.
 */
public final class Views {

    private Views() {
    }

    /**
     * @param path module file
     * @param cryptokiVersion PKCS#11 version
     * @param manufacturer module manufacturer
     * @param description library description
     * @param libraryVersion library version
     */
    public record ModuleView(String path, String cryptokiVersion, String manufacturer, String description,
                             String libraryVersion) {
        static ModuleView of(String path, ModuleInfo i) {
            return new ModuleView(path, i.cryptokiVersion(), i.manufacturer(), i.description(), i.libraryVersion());
        }
    }

    /**
     * @param state OK, COUNT_LOW, FINAL_TRY or LOCKED
     * @param toBeChanged the token asks for a change
     * @param initialized (user PIN) set
     */
    public record PinView(String state, boolean toBeChanged, boolean initialized) {
        static PinView of(PinStatus s) {
            return new PinView(s.state().name(), s.toBeChanged(), s.initialized());
        }
    }

    /**
     * @param label token label
     * @param serial serial number
     * @param manufacturer manufacturer id
     * @param model model
     * @param hardwareVersion hardware version
     * @param firmwareVersion firmware version
     * @param initialized CKF_TOKEN_INITIALIZED
     * @param flags every flag by camelCase name
     * @param userPin user PIN state
     * @param soPin SO PIN state
     * @param minPinLength ulMinPinLen
     * @param maxPinLength ulMaxPinLen
     * @param memory memory in bytes (null components: not reported)
     * @param profile the vendor profile whose rules apply, or null where the command does not say
     * @param uri the token's RFC 7512 {@code pkcs11:} URI
     */
    public record TokenView(String label, String serial, String manufacturer, String model, String hardwareVersion,
                            String firmwareVersion, boolean initialized, Map<String, Boolean> flags,
                            PinView userPin, PinView soPin, long minPinLength, long maxPinLength, Memory memory,
                            ProfileView profile, String uri) {
        static TokenView of(TokenInfo t, ProfileView profile) {
            Map<String, Boolean> flags = new LinkedHashMap<>();
            for (TokenFlag f : TokenFlag.values()) {
                flags.put(f.camelName(), t.has(f));
            }
            return new TokenView(t.label(), t.serial(), t.manufacturer(), t.model(), t.hardwareVersion(),
                    t.firmwareVersion(), t.initialized(), flags, PinView.of(t.userPin()), PinView.of(t.soPin()),
                    t.minPinLength(), t.maxPinLength(), t.memory(), profile, Pkcs11Uri.of(t).toString());
        }
    }

    /**
     * Which vendor profile applies to a token, and why.
     *
     * @param id the profile's id (what --profile takes)
     * @param name its name
     * @param source "named" (--profile, $TOKENCTL_PROFILE), "detected" (it recognised the token) or "generic"
     *               (none did)
     */
    public record ProfileView(String id, String name, String source) {

        /** @return the reason in words, for text output */
        public String describe() {
            return switch (source) {
                case "named" -> "named with --profile or $TOKENCTL_PROFILE";
                case "detected" -> "recognised from the token's manufacturer and model";
                default -> "no profile recognised this token: generic rules";
            };
        }
    }

    /**
     * @param id slot id (valid in one process only)
     * @param description slot description
     * @param manufacturer slot manufacturer
     * @param tokenPresent a token is present
     * @param removable removable device
     * @param hardware hardware slot
     * @param token the token, or null
     * @param objects the token's objects (only with list --objects), or null
     */
    public record SlotView(long id, String description, String manufacturer, boolean tokenPresent,
                           boolean removable, boolean hardware, TokenView token, List<ObjectView> objects) {
        /**
         * @param s a slot snapshot
         * @param objects its objects, or null
         * @return the view
         */
        public static SlotView of(Slot s, List<TokenObject> objects) {
            return of(s, objects, null);
        }

        /**
         * @param s a slot snapshot
         * @param objects its objects, or null
         * @param profile the profile that applies to its token, or null
         * @return the view
         */
        public static SlotView of(Slot s, List<TokenObject> objects, ProfileView profile) {
            return new SlotView(s.id(), s.description(), s.manufacturer(), s.tokenPresent(), s.removable(),
                    s.hardware(), s.token() == null ? null : TokenView.of(s.token(), profile),
                    objects == null || s.token() == null ? null : objects.stream().map(o -> ObjectView.of(o, s.token()))
                            .collect(Collectors.toList()));
        }
    }

    /**
     * @param objectClass CERTIFICATE, PUBLIC_KEY, PRIVATE_KEY, SECRET_KEY, DATA or OTHER
     * @param label CKA_LABEL
     * @param id CKA_ID in hex, or null
     * @param privateObject CKA_PRIVATE
     * @param key key type and size (keys only)
     * @param privateKey exportability attributes (private keys only)
     * @param certificate certificate details (X.509 certificates only)
     * @param uri the object's RFC 7512 {@code pkcs11:} URI (token, id, label and type)
     */
    public record ObjectView(String objectClass, String label, String id, Boolean privateObject, KeyDescription key,
                             PrivateKeyAttributes privateKey, CertificateView certificate, String uri) {
        static ObjectView of(TokenObject o, TokenInfo token) {
            return new ObjectView(o.objectClass().name(), o.label(), o.id() == null ? null : o.id().hex(),
                    o.privateObject(), o.key(), o.privateKey(), CertificateView.of(o.certificate()),
                    TextFormat.uri(token, o));
        }
    }

    /**
     * @param subject subject DN
     * @param issuer issuer DN
     * @param serial serial number, hex
     * @param notBefore ISO-8601 instant
     * @param notAfter ISO-8601 instant (expiry)
     */
    public record CertificateView(String subject, String issuer, String serial, String notBefore, String notAfter) {
        /**
         * @param c a certificate description, or null
         * @return its view, or null
         */
        public static CertificateView of(CertificateDescription c) {
            return c == null ? null : new CertificateView(c.subject(), c.issuer(), c.serialHex(),
                    c.notBefore().toString(), c.notAfter().toString());
        }
    }

    /**
     * Output of {@code tokenctl list}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param module the module used
     * @param slots every slot (or, with --objects, the selected one with its objects)
     */
    public record ListView(int schemaVersion, ModuleView module, List<SlotView> slots) {
        /**
         * @param path module path
         * @param info module info
         * @param slots slot views
         * @return the view
         */
        public static ListView of(String path, ModuleInfo info, List<SlotView> slots) {
            return new ListView(Json.SCHEMA_VERSION, ModuleView.of(path, info), slots);
        }
    }

    /**
     * Output of {@code tokenctl init}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param slot the initialised token's slot (its id is valid in this process only)
     * @param userPinIsInitialPin whether the user PIN was set to the issuer's initial PIN (must be changed)
     */
    public record InitView(int schemaVersion, SlotView slot, boolean userPinIsInitialPin) {
    }

    /**
     * A failure, with {@code --json}: one object on one line of stdout, beside the line on stderr.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param type always "error", so that a reader of batch-enroll's lines tells it from theirs
     * @param exitCode the process's exit code
     * @param exitName its name in the exit-code table
     * @param message the line stderr shows (without "tokenctl: "), the remedy included
     * @param remedy what to do about it, alone; null when there is nothing to do but read the message
     */
    public record FailureView(int schemaVersion, String type, int exitCode, String exitName, String message,
                              String remedy) {

        /**
         * @param exitCode the process's exit code
         * @param exitName its name
         * @param message the one line
         * @param remedy the remedy, or null
         * @return the view
         */
        public static FailureView of(int exitCode, String exitName, String message, String remedy) {
            return new FailureView(Json.SCHEMA_VERSION, "error", exitCode, exitName, message, remedy);
        }
    }

    /**
     * A certificate read off the token by {@code export-cert}.
     *
     * @param subject subject DN
     * @param issuer issuer DN
     * @param serial serial number, hex
     * @param notAfter expiry, ISO-8601
     * @param id CKA_ID in hex, or null (chain certificates: not given)
     * @param label CKA_LABEL, or null (chain certificates)
     * @param uri its pkcs11: URI, or null (chain certificates)
     * @param pem the certificate in PEM
     */
    public record ExportedView(String subject, String issuer, String serial, String notAfter, String id,
                               String label, String uri, String pem) {
        /**
         * @param c the certificate
         * @param id its CKA_ID in hex, or null
         * @param label its label, or null
         * @param uri its URI, or null
         * @return the view
         */
        public static ExportedView of(org.bouncycastle.cert.X509CertificateHolder c, String id, String label,
                                      String uri) {
            return new ExportedView(org.tokenctl.core.csr.SubjectName.format(c.getSubject()),
                    org.tokenctl.core.csr.SubjectName.format(c.getIssuer()),
                    org.tokenctl.core.cert.Certificates.serialHex(c), X509Time.notAfter(c).toString(), id,
                    label, uri, org.tokenctl.core.io.Pem.encode(c));
        }
    }

    /**
     * Output of {@code tokenctl export-cert}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token
     * @param certificate the certificate named
     * @param chain the CA certificates above it (with --chain), nearest first
     * @param file where it was written, or null (stdout: the PEM is in the JSON)
     * @param format "pem" or "der" (of the file)
     */
    public record ExportCertView(int schemaVersion, EnrollViews.TokenRef token, ExportedView certificate,
                                 List<ExportedView> chain, String file, String format) {
    }

    /**
     * One mechanism, as {@code tokenctl mechanisms} shows it.
     *
     * @param code the CKM_ value, hex ("0x00000001")
     * @param name its name, or the hex value for a vendor mechanism
     * @param minKeySize ulMinKeySize
     * @param maxKeySize ulMaxKeySize
     * @param flags the CKF_ flags set, without the prefix
     */
    public record MechanismView(String code, String name, long minKeySize, long maxKeySize, List<String> flags) {
    }

    /**
     * Whether the token can do one of tokenctl's key specs.
     *
     * @param spec e.g. rsa:2048
     * @param supported whether it can
     * @param reason why not, or null
     */
    public record KeySpecView(String spec, boolean supported, String reason) {
    }

    /**
     * Output of {@code tokenctl mechanisms}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token
     * @param mechanisms every mechanism it lists
     * @param keySpecs each of tokenctl's key specs and whether the token can do it
     */
    public record MechanismsView(int schemaVersion, EnrollViews.TokenRef token, List<MechanismView> mechanisms,
                                 List<KeySpecView> keySpecs) {
    }

    /**
     * One object {@code tokenctl delete} deleted (or would delete).
     *
     * @param objectClass CERTIFICATE, PUBLIC_KEY, PRIVATE_KEY, ...
     * @param id CKA_ID in hex, or null
     * @param label CKA_LABEL
     * @param uri its pkcs11: URI
     */
    public record DeletedView(String objectClass, String id, String label, String uri) {
    }

    /**
     * Output of {@code tokenctl delete}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param token the token
     * @param deleted what was deleted, in order
     */
    public record DeleteView(int schemaVersion, EnrollViews.TokenRef token, List<DeletedView> deleted) {
    }

    /**
     * One certificate in {@code tokenctl expiry}.
     *
     * @param token the token it is on
     * @param id CKA_ID in hex, or null
     * @param label CKA_LABEL
     * @param uri its pkcs11: URI
     * @param subject subject DN
     * @param issuer issuer DN
     * @param serial serial number, lower-case hex
     * @param notBefore start of validity (ISO-8601, UTC)
     * @param notAfter end of validity (ISO-8601, UTC)
     * @param daysLeft whole days to notAfter, rounded down; negative once expired
     * @param status expired, expiring, not-yet-valid or valid
     */
    public record ExpiringView(EnrollViews.TokenRef token, String id, String label, String uri, String subject,
                               String issuer, String serial, String notBefore, String notAfter, long daysLeft,
                               String status) {
    }

    /**
     * A token {@code tokenctl expiry} could not read.
     *
     * @param token the token
     * @param exitCode what reading it failed with
     * @param exitName the code's name
     * @param message one line
     */
    public record UnreadTokenView(EnrollViews.TokenRef token, int exitCode, String exitName, String message) {
    }

    /**
     * The counts of {@code tokenctl expiry}.
     *
     * @param tokens tokens looked at
     * @param certificates certificates found
     * @param expired of which expired
     * @param expiring expiring within the window
     * @param notYetValid not yet valid
     * @param valid valid beyond the window
     * @param exitCode the exit code of the run
     * @param exitName its name
     */
    public record ExpirySummaryView(int tokens, int certificates, int expired, int expiring, int notYetValid,
                                    int valid, int exitCode, String exitName) {
    }

    /**
     * Output of {@code tokenctl expiry}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param checkedAt the moment compared with (ISO-8601, UTC)
     * @param withinDays the window
     * @param certificates every certificate, soonest expiry first
     * @param unreadTokens tokens that could not be read
     * @param summary the counts and the exit code
     */
    public record ExpiryView(int schemaVersion, String checkedAt, int withinDays, List<ExpiringView> certificates,
                             List<UnreadTokenView> unreadTokens, ExpirySummaryView summary) {
    }
}
