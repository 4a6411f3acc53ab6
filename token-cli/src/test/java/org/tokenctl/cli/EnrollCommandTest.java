package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tokenctl.core.key.KeyAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;
import picocli.CommandLine;

/**
 * {@code tokenctl enroll} on a real SoftHSM token, every claim cross-checked by
 * tools that are not tokenctl: pkcs11-tool (OpenSC) for the objects and their
 * attributes, openssl for the certificate, OpenSSL's pkcs11 engine (libp11) as a
 * client that signs with the installed key.
 */
@ExtendWith(SoftHsmExtension.class)
class EnrollCommandTest {

    static final String TOKEN = "bank";
    static final String PIN = "24681357";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path pinFile;
    private static Path caCert;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        f.initToken(TOKEN, "so-pin-9", PIN);
        f.initToken("fresh", "so-pin-8", "12345678");
        pinFile = Files.writeString(dir.resolve("user.pin"), PIN + "\n");
        caCert = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        cli().run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString(), "--subject",
                "CN=Enroll Test CA,O=tokenctl").assertOk();
    }

    static Cli cli() {
        return new Cli(fixture);
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    private static List<String> enroll(String label, String... more) {
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(),
                "--label", label, "--subject", "CN=" + label + ",O=Example Bank"));
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> withCa(List<String> args) {
        args.addAll(List.of("--ca-cert", caCert.toString(), "--ca-key", caKey.toString()));
        return args;
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static String block(String kind, String label) {
        return objects().ofKind(kind).stream().filter(b -> b.contains("label:      " + label + "\n")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " '" + label + "' in " + objects()));
    }

    /** SoftHSM has no SM2: its path is tested on the vendor emulator (Sm2EnrollTest). */
    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = "SM2", mode = EnumSource.Mode.EXCLUDE)
    void everyKeySpecEnrollsANonExportableKeyWhoseCertificateAClientCanUse(KeySpec spec) throws Exception {
        String label = "user-" + spec.spec().replace(':', '-');
        JsonNode json = cli().run(withCa(enroll(label, "--key-spec", spec.spec(), "--san",
                "email:" + label + "@example.com", "--json")).toArray(new String[0])).assertOk().json();
        assertEquals(1, json.get("schemaVersion").asInt());
        assertEquals("token", json.get("medium").asText());
        assertEquals(TOKEN, json.get("token").get("label").asText());
        JsonNode key = json.get("key");
        String id = key.get("id").asText();
        assertEquals(spec.spec(), key.get("keySpec").asText());
        assertFalse(key.get("exportable").asBoolean());
        for (String t : new String[] {"sensitive", "alwaysSensitive", "neverExtractable", "local"}) {
            assertTrue(key.get("verified").get(t).asBoolean(), t);
        }
        for (String f : new String[] {"extractable", "decrypt", "unwrap", "derive"}) {
            assertFalse(key.get("verified").get(f).asBoolean(), f);
        }

        // pkcs11-tool: the private key is sensitive, always sensitive, never extractable, local; sign only
        String priv = block("Private Key Object", label);
        assertTrue(priv.contains("Access:     sensitive, always sensitive, never extractable, local"), priv);
        assertTrue(priv.contains("Usage:      sign\n"), priv);
        assertTrue(priv.contains("ID:         " + id), priv);
        // ... and the certificate object has the same ID
        assertTrue(block("Certificate Object", label).contains("ID:         " + id));

        // openssl: the certificate read from the token certifies the token's public key
        Path certDer = dir.resolve(label + ".der");
        fixture.pkcs11Tool("--token-label", TOKEN, "--read-object", "--type", "cert", "--id", id, "-o",
                certDer.toString()).assertOk();
        String certPub = openssl("x509", "-inform", "DER", "-in", certDer.toString(), "-noout", "-pubkey");
        assertEquals(certPub, OpenSsl.publicKeyPem(fixture, TOKEN, id), "libp11 reads the same public key");
        if (spec.algorithm() == KeyAlgorithm.RSA) {
            // pkcs11-tool 0.23 cannot export EC public keys under OpenSSL 3 ("cannot create EVP_PKEY"), RSA it can
            Path pubDer = dir.resolve(label + ".pub.der");
            fixture.pkcs11Tool("--token-label", TOKEN, "--read-object", "--type", "pubkey", "--id", id, "-o",
                    pubDer.toString()).assertOk();
            assertEquals(certPub, openssl("pkey", "-pubin", "-inform", "DER", "-in", pubDer.toString(), "-pubout"));
        }
        // the serial number and expiry printed are the certificate's
        String serial = openssl("x509", "-inform", "DER", "-in", certDer.toString(), "-noout", "-serial").trim();
        assertEquals(serial.substring("serial=".length()).toLowerCase(java.util.Locale.ROOT),
                json.get("certificate").get("serial").asText(), "the serial as openssl prints it, in whole bytes");
        String end = openssl("x509", "-inform", "DER", "-in", certDer.toString(), "-noout", "-enddate",
                "-dateopt", "iso_8601").trim();
        assertEquals(json.get("certificate").get("notAfter").asText().replace("T", " "),
                end.substring("notAfter=".length()));

        // a client (OpenSSL's pkcs11 engine) signs with the token key; the certificate verifies the signature
        Path data = Files.writeString(dir.resolve(label + ".txt"), "pay 100 EUR to " + label);
        Path sig = dir.resolve(label + ".sig");
        OpenSsl.sign(fixture, TOKEN, id, PIN, data, sig).assertOk();
        Path pub = Files.writeString(dir.resolve(label + ".cert-pub.pem"), certPub);
        assertTrue(openssl("dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString(),
                data.toString()).contains("Verified OK"));
        Files.writeString(data, "pay 900 EUR to " + label);
        assertEquals(1, fixture.run(List.of("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                sig.toString(), data.toString())).exitCode(), "a changed message does not verify");
    }

    @Test
    void textOutputShowsSerialExpiryIdLabelAlgorithmAndWhatWasVerified() {
        CliResult r = cli().run(withCa(enroll("texty", "--key-spec", "ec:p256", "--with-chain"))
                .toArray(new String[0])).assertOk();
        r.assertOutContains("Enrolled a key on token 'bank' (serial ");
        for (String line : new String[] {"  key id:      ", "  label:       texty", "  algorithm:   EC secp256r1"
                + " (ec:p256), signs with SHA256withECDSA", "  verified:    CKA_SENSITIVE=true CKA_ALWAYS_SENSITIVE=true"
                + " CKA_EXTRACTABLE=false CKA_NEVER_EXTRACTABLE=true CKA_LOCAL=true CKA_DECRYPT=false"
                + " CKA_UNWRAP=false CKA_DERIVE=false", "  exportable:  no: the private key can never leave the token",
            "  certificate: CN=texty,O=Example Bank", "  issuer:      CN=Enroll Test CA,O=tokenctl", "  serial:      ",
            "  expires:     ", "  chain:       CN=Enroll Test CA,O=tokenctl ("}) {
            r.assertOutContains(line);
        }
        assertTrue(objects().toString().contains("label:      CN=Enroll Test CA,O=tokenctl"), "--with-chain");
    }

    @Test
    void aCaKeyThatDoesNotMatchItsCertificateLeavesTheTokenAsItWas() {
        Path otherCert = dir.resolve("other-ca.pem");
        Path otherKey = dir.resolve("other-ca.key");
        cli().run("ca", "init", "--out-cert", otherCert.toString(), "--out-key", otherKey.toString()).assertOk();
        ObjectSnapshot before = objects();
        List<String> args = enroll("badca", "--ca-cert", caCert.toString(), "--ca-key", otherKey.toString());
        cli().run(args.toArray(new String[0])).assertExit(ExitCode.ISSUANCE)
                .assertErrContains("The CA key does not match the CA certificate");
        assertEquals(before, objects());
    }

    @Test
    void anInvalidSubjectLeavesTheTokenAsItWas() {
        ObjectSnapshot before = objects();
        List<String> args = withCa(new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--label", "dn", "--subject", "CN=dn,BOGUS=1")));
        cli().run(args.toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Invalid subject 'CN=dn,BOGUS=1': unknown attribute type 'BOGUS'");
        assertEquals(before, objects());
    }

    @Test
    void theInitialPinIsRefused() throws Exception {
        Path initial = Files.writeString(dir.resolve("initial.pin"), "12345678\n");
        ObjectSnapshot before = ObjectSnapshot.of(fixture, "fresh", "12345678");
        cli().run("enroll", "--token-label", "fresh", "--pin-file", initial.toString(), "--label", "x", "--subject",
                "CN=x", "--ca-cert", caCert.toString(), "--ca-key", caKey.toString())
                .assertExit(ExitCode.INITIAL_PIN).assertErrContains("change it first");
        assertEquals(before, ObjectSnapshot.of(fixture, "fresh", "12345678"));
    }

    @Test
    void inputErrorsAreOneLineWithTheirExitCodes() throws Exception {
        ObjectSnapshot before = objects();
        cli().run(withCa(enroll("e1", "--key-spec", "rsa:1024")).toArray(new String[0]))
                .assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Unknown key spec 'rsa:1024' (valid: rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384, sm2)");
        cli().run(withCa(enroll("e2", "--hash", "md5")).toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Unknown hash 'md5' (valid: sha256, sha384, sha512, sm3)");
        cli().run(withCa(enroll("e3", "--san", "upn:x")).toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("unknown type 'upn'");
        cli().run(enroll("e4", "--ca-cert", dir.resolve("missing.pem").toString(), "--ca-key", caKey.toString())
                .toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Certificate file " + dir.resolve("missing.pem") + " does not exist");
        cli().run(enroll("e5", "--ca-cert", caCert.toString(), "--ca-key", dir.resolve("missing.key").toString())
                .toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Key file " + dir.resolve("missing.key") + " does not exist");
        cli().run(withCa(enroll("e6", "--id", "zz")).toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Key id must be hex");
        cli().run(withCa(enroll("e7", "--days", "0")).toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("A certificate's validity must be 1 to 36500 days; got 0 (--days)");
        cli().run(withCa(enroll("e8", "--days", "5000")).toArray(new String[0])).assertExit(ExitCode.ISSUANCE)
                .assertErrContains("; use a shorter validity or a newer CA (--days)");
        assertEquals(before, objects());
    }

    /** Two key pairs with one label confuse middleware that finds keys by label: asked for, or refused. */
    @Test
    void aLabelAFinishedEnrollmentCarriesIsRefusedUnlessAskedFor() {
        CliResult first = cli().run(withCa(enroll("twice", "--key-spec", "ec:p256", "--json")).toArray(new String[0]))
                .assertOk();
        String id = first.json().get("key").get("id").asText();
        ObjectSnapshot before = objects();
        cli().run(withCa(enroll("twice", "--key-spec", "ec:p256")).toArray(new String[0]))
                .assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("The token already holds a key pair labelled 'twice' with its certificate (key id "
                        + id + ")")
                .assertErrContains("(pass --allow-duplicate-label to make a second one anyway)");
        assertEquals(before, objects(), "refused before a key was made");
        cli().run(withCa(enroll("twice", "--key-spec", "ec:p256", "--allow-duplicate-label")).toArray(new String[0]))
                .assertOk();
        assertEquals(2, fixture.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--list-objects",
                "--type", "privkey").stdout().split("label:\\s+twice\\n", -1).length - 1, "asked for: two pairs");
    }

    @Test
    void anIdAlreadyOnTheTokenIsRefusedBeforeAKeyIsMade() {
        cli().run(withCa(enroll("first", "--key-spec", "ec:p256", "--id", "a1b2")).toArray(new String[0])).assertOk();
        ObjectSnapshot before = objects();
        cli().run(withCa(enroll("second", "--key-spec", "ec:p256", "--id", "A1:B2")).toArray(new String[0]))
                .assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("The token already has an object with id a1b2 (label 'first')");
        assertEquals(before, objects());
    }

    @Test
    void anEncryptedCaKeyNeedsItsPassword() throws Exception {
        Path pw = Files.writeString(dir.resolve("ca.pw"), "ca-secret-7\n");
        Path wrong = Files.writeString(dir.resolve("wrong.pw"), "not-it\n");
        Path p12 = dir.resolve("ca.p12");
        openssl("pkcs12", "-export", "-inkey", caKey.toString(), "-in", caCert.toString(), "-out", p12.toString(),
                "-passout", "file:" + pw);
        ObjectSnapshot before = objects();
        cli().run(enroll("p1", "--ca-cert", caCert.toString(), "--ca-key", p12.toString(), "--ca-password-file",
                wrong.toString()).toArray(new String[0])).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Wrong password for " + p12);
        cli().run(enroll("p2", "--ca-cert", caCert.toString(), "--ca-key", p12.toString())
                .toArray(new String[0])).assertExit(ExitCode.USAGE)
                .assertErrContains("No CA key password given and no terminal to ask on; use --ca-password-file");
        assertEquals(before, objects());
        cli().env("CA_PW", "ca-secret-7").run(enroll("p3", "--key-spec", "ec:p256", "--ca-cert", caCert.toString(),
                "--ca-key", p12.toString(), "--ca-password-env", "CA_PW").toArray(new String[0])).assertOk();
    }

    @Test
    void optionCombinationsThatCannotWorkAreUsageErrors() {
        String[][] cases = {
            {"Say where the certificate comes from"},
            {"exclude each other", "--csr-out", "x.csr", "--ca-cert", "a", "--ca-key", "b"},
            {"needs both --ca-cert and --ca-key", "--ca-cert", "a"},
            {"need a local CA", "--csr-out", "x.csr", "--days", "3"},
            {"--medium p12 needs --out", "--medium", "p12", "--ca-cert", "a", "--ca-key", "b"},
            {"Unknown --medium 'usb'", "--medium", "usb", "--csr-out", "x.csr"},
            {"--out and --password-* are for --medium p12", "--out", "x.p12", "--csr-out", "x.csr"},
            {"Only one secret can come from standard input", "--pin-stdin", "--ca-password-stdin", "--ca-cert", "a",
                "--ca-key", "b"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("enroll", "--label", "u", "--subject", "CN=u"));
            args.addAll(List.of(c).subList(1, c.length));
            cli().run(args.toArray(new String[0])).assertExit(ExitCode.USAGE).assertErrContains(c[0]);
        }
        cli().run("enroll", "--label", "u", "--subject", "CN=u", "--csr-out", "x.csr", "--pin", "123456")
                .assertExit(ExitCode.USAGE).assertErrContains("PINs are never taken from the command line");
    }

    @Test
    void anExistingKeyIsEnrolledAndNeverDeleted() throws Exception {
        // a key pair made by another tool (pkcs11-tool sets CKA_DECRYPT and CKA_UNWRAP: reported, not refused)
        fixture.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--id", "c0ffee", "--label", "made-elsewhere", "--usage-sign").assertOk();
        ObjectSnapshot before = objects();
        List<String> failing = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--key-id", "c0ffee", "--subject", "CN=elsewhere", "--days", "5000"));
        cli().run(withCa(failing).toArray(new String[0])).assertExit(ExitCode.ISSUANCE);
        assertEquals(before, objects(), "a failed enrollment never deletes a key it did not make");

        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--key-id", "c0ffee", "--subject", "CN=elsewhere", "--json"));
        JsonNode key = cli().run(withCa(args).toArray(new String[0])).assertOk().json().get("key");
        assertEquals("c0ffee", key.get("id").asText());
        assertEquals("made-elsewhere", key.get("label").asText());
        assertEquals("ec:p256", key.get("keySpec").asText());
        assertFalse(key.get("generated").asBoolean());
        assertTrue(key.get("verified").get("decrypt").asBoolean(), "as read from the token");
        assertTrue(block("Certificate Object", "made-elsewhere").contains("ID:         c0ffee"));
        assertEquals(before.size() + 1, objects().size());

        cli().run("enroll", "--label", "u", "--subject", "CN=u", "--key-id", "c0ffee", "--key-spec", "ec:p256",
                "--csr-out", "x.csr").assertExit(ExitCode.USAGE).assertErrContains("--id, --key-spec and"
                        + " --sign-recover are for a new one");
        cli().run("enroll", "--label", "u", "--subject", "CN=u", "--key-id", "c0ffee", "--sign-recover",
                "--csr-out", "x.csr").assertExit(ExitCode.USAGE).assertErrContains("--sign-recover are for a new");
        cli().run("enroll", "--medium", "p12", "--out", "x.p12", "--label", "u", "--subject", "CN=u",
                "--sign-recover", "--ca-cert", "a", "--ca-key", "b").assertExit(ExitCode.USAGE).assertErrContains("a PKCS#12 file has no such flag");
        cli().run("enroll", "--subject", "CN=u", "--csr-out", "x.csr").assertExit(ExitCode.USAGE)
                .assertErrContains("Missing required option: '--label=LABEL' (or --key-id HEX");
    }

    /** Once the certificate is installed, the key pair and the certificate carry one label. */
    @Test
    void labelOnAnExistingKeyRenamesThePairWithItsCertificate() throws Exception {
        fixture.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--id", "beef01", "--label", "old-name", "--usage-sign").assertOk();
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--key-id", "beef01", "--label", "new-name", "--subject", "CN=renamed"));
        cli().run(withCa(args).toArray(new String[0])).assertOk();
        for (String kind : List.of("Private Key Object", "Public Key Object", "Certificate Object")) {
            assertTrue(block(kind, "new-name").contains("ID:         beef01"), kind);
        }
        assertFalse(objects().toString().contains("old-name"));
    }

    /** The examples in {@code enroll --help} use only options that exist, with values they take. */
    @Test
    void theHelpExamplesParse() {
        CommandLine enroll = Main.commandLine(new TokenctlCommand(null)).getSubcommands().get("enroll");
        String joined = String.join("\n", enroll.getCommandSpec().usageMessage().footer()).replace("\\\n", " ");
        int checked = 0;
        for (String line : joined.split("\n")) {
            String example = line.replaceAll("\\s+#.*$", "").trim();
            if (!example.startsWith("tokenctl enroll ")) {
                continue;
            }
            List<String> args = new ArrayList<>();
            Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(example.substring("tokenctl ".length()));
            while (m.find()) {
                args.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            Main.commandLine(new TokenctlCommand(null)).parseArgs(args.toArray(new String[0]));
            checked++;
        }
        assertTrue(checked >= 5, "checked " + checked + " examples in:\n" + joined);
    }

    /**
     * A token without the mechanisms a key spec needs (SoftHSM's slots.mechanisms lists what it offers):
     * refused before the login, so no PIN try is spent and nothing is created.
     */
    @Test
    void aKeySpecTheTokenCannotDoIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path conf = fixture.confFile();
        String original = Files.readString(conf);
        ObjectSnapshot before = objects();
        Path wrongPin = Files.writeString(dir.resolve("wrong.pin"), "00000000\n");
        try {
            Files.writeString(conf, original.replace("slots.mechanisms = ALL",
                    "slots.mechanisms = CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_SHA256_RSA_PKCS,CKM_RSA_PKCS"));
            // with a wrong PIN: exit 13, not 5, shows the refusal comes before the login
            List<String> ec = withCa(enroll("nope", "--key-spec", "ec:p256"));
            ec.set(ec.indexOf(pinFile.toString()), wrongPin.toString());
            cli().run(ec.toArray(new String[0])).assertExit(ExitCode.NOT_SUPPORTED)
                    .assertErrContains("The token cannot do key spec ec:p256 with SHA256withECDSA: it does not list"
                            + " CKM_EC_KEY_PAIR_GEN; nothing was created");
            cli().run(withCa(enroll("nope", "--key-spec", "rsa:3072", "--hash", "sha384")).toArray(new String[0]))
                    .assertExit(ExitCode.NOT_SUPPORTED).assertErrContains("does not list CKM_SHA384_RSA_PKCS");
        } finally {
            Files.writeString(conf, original);
        }
        assertEquals(before, objects());
    }
}
