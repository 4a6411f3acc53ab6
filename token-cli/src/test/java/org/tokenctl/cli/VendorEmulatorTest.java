package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.profile.ProfileRegistry;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The CLI flows under each bank vendor profile, through the vendor emulator
 * (SoftHSM behind a shim that reports the vendor's token info, keeps a PIN retry
 * counter with real lock flags, and refuses C_InitToken as the profile says).
 */
@ExtendWith(SoftHsmExtension.class)
class VendorEmulatorTest {

    private static final String CA_SUBJECT = "CN=Vendor Test CA,O=Example Bank";

    private static SoftHsmFixture fixture;
    private static Path noGuard;
    private static Path ca;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        // the token's own counter is what these tests watch: the client-side guard would stop at 5
        noGuard = Files.writeString(f.root().resolve("no-guard.properties"), "guard.enabled = false\n");
        ca = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString(), "--subject",
                CA_SUBJECT).assertOk();
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(fixture.root().resolve(name), content);
    }

    private static Cli cli(String profile) {
        return new Cli(fixture).module(fixture.emulateProfile(profile, Map.of()))
                .env("TOKENCTL_CONFIG", noGuard.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gd", "mingwah", "huada", "watchdata"})
    void holderFlowUnderEachVendorProfile(String profile) throws Exception {
        String label = "bank-" + profile;
        // bank tokens arrive personalised by the issuer: made here with SoftHSM's own tool
        fixture.initToken(label, "issuer-so-1", "12345678");
        Cli cli = cli(profile);

        JsonNode token = cli.run("list", "--json").assertOk().json().get("slots");
        JsonNode mine = null;
        for (JsonNode s : token) {
            if (label.equals(s.get("token").get("label").asText())) {
                mine = s.get("token");
            }
        }
        assertTrue(mine != null, token.toString());
        assertEquals(6, mine.get("minPinLength").asInt(), "the emulator reports the vendor's PIN range");
        assertEquals(10, mine.get("maxPinLength").asInt());

        // the profile is recognised from the manufacturer id: its rules apply
        cli.run("change-pin", "--token-label", label, "--pin-file", file(label + "-init", "12345678").toString(),
                "--new-pin-file", file(label + "-long", "12345678901").toString())
                .assertExit(ExitCode.PIN_POLICY).assertErrContains("6 to 10 characters; got 11");
        cli.run("change-pin", "--token-label", label, "--pin-file", file(label + "-init", "12345678").toString(),
                "--new-pin-file", file(label + "-pin", "482916").toString()).assertOk();
        cli.run("list", "--objects", "--token-label", label, "--pin-file", file(label + "-pin", "482916").toString())
                .assertOk();

        // the issuer personalised it: tokenctl will not wipe it over PKCS#11
        cli.run("init", "--token-label", label, "--label", "x", "--force", "--so-pin-file",
                file(label + "-so", "issuer-so-1").toString())
                .assertExit(ExitCode.NOT_SUPPORTED).assertErrContains("cannot be initialised over PKCS#11; use the "
                        + "vendor's tool");

        cli.run("unblock", "--token-label", label, "--so-pin-file", file(label + "-so", "issuer-so-1").toString(),
                "--new-pin-file", file(label + "-pin2", "593027").toString()).assertOk();
        Path pin = file(label + "-pin2", "593027");
        cli.run("list", "--login", "--token-label", label, "--pin-file", pin.toString()).assertOk();

        enrollUnderProfile(profile, label, pin, cli);
    }

    /**
     * Issue 5's enroll step: every key spec the profile lists is enrolled with a local CA
     * and found on the token (by tokenctl and by pkcs11-tool through the emulator); a spec
     * it does not list is refused with NOT_SUPPORTED (13) and changes nothing.
     */
    private static void enrollUnderProfile(String profile, String label, Path pin, Cli cli) throws Exception {
        VendorProfile vendor = ProfileRegistry.builtIn().get(profile);
        String unlisted = Arrays.stream(KeySpec.values()).map(KeySpec::spec)
                .filter(s -> !vendor.keySpecs().contains(s)).findFirst().orElseThrow();
        String before = objectsOf(cli, label, pin).toString();
        cli.run("enroll", "--token-label", label, "--pin-file", pin.toString(), "--label", "refused", "--subject",
                "CN=Refused", "--key-spec", unlisted, "--ca-cert", ca.toString(), "--ca-key", caKey.toString())
                .assertExit(ExitCode.NOT_SUPPORTED)
                .assertErrContains("Key spec " + unlisted + " is not supported by " + vendor.name() + " tokens");
        assertEquals(before, objectsOf(cli, label, pin).toString(), "a refused key spec changes nothing");

        List<String> enrolled = new ArrayList<>();
        for (String spec : vendor.keySpecs()) {
            String keyLabel = "holder-" + spec.replace(':', '-');
            String subject = "CN=" + keyLabel + ",O=Example Bank";
            JsonNode r = cli.run("enroll", "--token-label", label, "--pin-file", pin.toString(), "--label", keyLabel,
                    "--subject", subject, "--key-spec", spec, "--ca-cert", ca.toString(), "--ca-key",
                    caKey.toString(), "--json").assertOk().json();
            assertEquals(spec, r.get("key").get("keySpec").asText());
            String id = r.get("key").get("id").asText();
            String serial = r.get("certificate").get("serial").asText();
            assertInstalled(cli, label, pin, spec, keyLabel, subject, id, serial);
            enrolled.add(id);
        }
        assertEquals(vendor.keySpecs().size(), enrolled.stream().distinct().count(), "one key per spec");
    }

    private static JsonNode objectsOf(Cli cli, String label, Path pin) {
        return cli.run("list", "--objects", "--json", "--token-label", label, "--pin-file", pin.toString())
                .assertOk().json().get("slots").get(0).get("objects");
    }

    /** The key pair and its certificate are on the token, side by side, as tokenctl and pkcs11-tool read them. */
    private static void assertInstalled(Cli cli, String label, Path pin, String spec, String keyLabel,
                                        String subject, String id, String serial) throws Exception {
        KeySpec expected = KeySpec.parse(spec);
        JsonNode privateKey = null;
        JsonNode certificate = null;
        for (JsonNode o : objectsOf(cli, label, pin)) {
            if (id.equals(o.get("id").asText())) {
                assertEquals(keyLabel, o.get("label").asText(), o.toString());
                switch (o.get("objectClass").asText()) {
                    case "PRIVATE_KEY" -> privateKey = o;
                    case "CERTIFICATE" -> certificate = o;
                    default -> { }
                }
            }
        }
        assertTrue(privateKey != null && certificate != null, "key and certificate with id " + id);
        assertEquals(expected.algorithm().name(), privateKey.get("key").get("type").asText(), privateKey.toString());
        if (expected.curve() == null) {
            assertEquals(expected.bits(), privateKey.get("key").get("bits").asInt(), privateKey.toString());
        }
        JsonNode attrs = privateKey.get("privateKey");
        assertTrue(attrs.get("sensitive").asBoolean() && !attrs.get("extractable").asBoolean()
                && attrs.get("neverExtractable").asBoolean() && attrs.get("local").asBoolean(), attrs.toString());
        assertEquals(subject, certificate.get("certificate").get("subject").asText());
        assertEquals(CA_SUBJECT, certificate.get("certificate").get("issuer").asText());
        assertEquals(serial, certificate.get("certificate").get("serial").asText());

        // independently: pkcs11-tool reads certificate and public key through the emulator, openssl compares
        Path module = fixture.emulatorModule();
        Path certDer = fixture.root().resolve(label + "-" + keyLabel + ".crt.der");
        Path keyDer = fixture.root().resolve(label + "-" + keyLabel + ".pub.der");
        fixture.pkcs11Tool(module, "--token-label", label, "--read-object", "--type", "cert", "--id", id, "-o",
                certDer.toString()).assertOk();
        if (expected == KeySpec.SM2) {
            // pkcs11-tool knows no vendor SM2 key type, nor can it export a key on sm2p256v1: read the point the
            // emulator stored in SoftHSM (an EC key on sm2p256v1), straight from SoftHSM
            String listed = fixture.pkcs11Tool(fixture.softhsmModule(), "--token-label", label, "--list-objects",
                    "--type", "pubkey", "--id", id).assertOk().stdout();
            java.util.regex.Matcher point = java.util.regex.Pattern.compile("EC_POINT:\\s+([0-9a-f]+)")
                    .matcher(listed);
            assertTrue(point.find(), listed);
            byte[] stored = org.bouncycastle.asn1.ASN1OctetString.getInstance(java.util.HexFormat.of()
                    .parseHex(point.group(1))).getOctets();
            org.junit.jupiter.api.Assertions.assertArrayEquals(stored, new org.bouncycastle.cert.X509CertificateHolder(
                    java.nio.file.Files.readAllBytes(certDer)).getSubjectPublicKeyInfo().getPublicKeyData().getOctets(),
                    "the certificate certifies the key on the token");
        } else {
            fixture.pkcs11Tool(module, "--token-label", label, "--read-object", "--type", "pubkey", "--id", id, "-o",
                    keyDer.toString()).assertOk();
            String certKey = OpenSsl.run(fixture, "x509", "-inform", "DER", "-in", certDer.toString(), "-noout",
                    "-pubkey").assertOk().stdout();
            String tokenKey = OpenSsl.run(fixture, "pkey", "-pubin", "-inform", "DER", "-in", keyDer.toString())
                    .assertOk().stdout();
            assertEquals(tokenKey, certKey, "the certificate certifies the key on the token");
        }
        OpenSsl.run(fixture, "verify", "-CAfile", ca.toString(), pem(certDer).toString()).assertOk();
        String printedSerial = OpenSsl.run(fixture, "x509", "-inform", "DER", "-in", certDer.toString(), "-noout",
                "-serial").assertOk().stdout().trim();
        assertEquals(serial.replaceFirst("^0+", ""), printedSerial.substring("serial=".length())
                .toLowerCase(Locale.ROOT).replaceFirst("^0+", ""));
    }

    private static Path pem(Path der) {
        Path out = Path.of(der + ".pem");
        OpenSsl.run(fixture, "x509", "-inform", "DER", "-in", der.toString(), "-out", out.toString()).assertOk();
        return out;
    }

    @Test
    void theTokensOwnRefusalOfInitTokenGivesTheSameMessage() throws Exception {
        fixture.initToken("refuser", "issuer-so-1", "12345678");
        // --profile generic says C_InitToken is fine; the emulated gd token refuses it itself
        cli("gd").run("init", "--profile", "generic", "--token-label", "refuser", "--label", "x", "--force",
                "--so-pin-file", file("refuser-so", "issuer-so-1").toString())
                .assertExit(ExitCode.NOT_SUPPORTED).assertErrContains("use the vendor's tool");
        assertTrue(fixture.pkcs11Tool("-L").stdout().contains("token label        : refuser"));
    }

    @Test
    void wrongPinsUntilTheFinalTryThenLockedThenUnblocked() throws Exception {
        fixture.initToken("lock", "issuer-so-1", "24681357");
        Cli cli = cli("gd");
        Path wrong = file("lock-wrong", "00000000");
        Path right = file("lock-right", "24681357");
        CliResult first = cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT);
        first.assertErrContains("the token reports few tries left");
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("few tries may be left");
        for (int i = 3; i <= 4; i++) {
            cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        // the 5th wrong PIN leaves one try: the message says so
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString())
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("one more wrong user PIN locks this token");
        assertTrue(fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout().contains("final user PIN try"));

        // even the right PIN is not tried without --allow-final-try
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", right.toString())
                .assertExit(ExitCode.PIN_FINAL_TRY).assertErrContains("--allow-final-try");
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", wrong.toString(), "--allow-final-try")
                .assertExit(ExitCode.PIN_INCORRECT).assertErrContains("is now locked");

        cli.run("list", "--login", "--token-label", "lock", "--pin-file", right.toString())
                .assertExit(ExitCode.PIN_LOCKED).assertErrContains("tokenctl unblock");
        String flags = fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout();
        assertTrue(flags.contains("user PIN locked"), flags);

        cli.run("unblock", "--token-label", "lock", "--so-pin-file", file("lock-so", "issuer-so-1").toString(),
                "--new-pin-file", file("lock-new", "71358246").toString()).assertOk();
        cli.run("list", "--login", "--token-label", "lock", "--pin-file", file("lock-new", "71358246").toString())
                .assertOk();
    }

    @Test
    void withTheGuardOnTheTokenIsNeverLocked() throws Exception {
        fixture.initToken("saved", "issuer-so-1", "24681357");
        Cli guarded = new Cli(fixture).module(fixture.emulateProfile("gd", Map.of()));
        Path wrong = file("saved-wrong", "00000000");
        for (int i = 0; i < 5; i++) {
            guarded.run("list", "--login", "--token-label", "saved", "--pin-file", wrong.toString())
                    .assertExit(ExitCode.PIN_INCORRECT);
        }
        guarded.run("list", "--login", "--token-label", "saved", "--pin-file", wrong.toString(), "--allow-final-try")
                .assertExit(ExitCode.ATTEMPT_GUARD);
        String flags = fixture.pkcs11Tool(fixture.emulatorModule(), "-T").stdout();
        assertTrue(flags.contains("final user PIN try") && !flags.contains("user PIN locked"), flags);
    }

    /** The check, with an independent tool: pkcs11-tool sees a G&D token through the emulator. */
    @Test
    void pkcs11ToolSeesTheGdProfileAndItsLock() {
        fixture.initToken("gd-tool", "issuer-so-1", "24681357");
        Path module = fixture.emulateProfile("gd", Map.of());
        String info = fixture.pkcs11Tool(module, "-T").assertOk().stdout();
        assertTrue(info.contains("token manufacturer : Giesecke+Devrient"), info);
        assertTrue(info.contains("pin min/max        : 6/10"), info);
        for (int i = 0; i < 6; i++) {
            fixture.pkcs11Tool(module, "--token-label", "gd-tool", "--login", "--pin", "00000000", "--list-objects");
        }
        String locked = fixture.pkcs11Tool(module, "--token-label", "gd-tool", "-T").stdout();
        assertTrue(locked.contains("user PIN locked"), locked);
    }

    @Test
    void profilesListsEveryProfileAndAMissingVendorModuleIsOneLine() {
        JsonNode json = new Cli(fixture).run("profiles", "--json").assertOk().json();
        assertEquals(6, json.get("profiles").size());
        JsonNode softhsm = json.get("profiles").get(4);
        assertEquals("softhsm", softhsm.get("id").asText());
        assertTrue(softhsm.get("module").get("found").asText().endsWith("libsofthsm2.so"), softhsm.toString());
        // (the test harness names a module in TOKENCTL_MODULE, which would win over the profile's search)
        new Cli(fixture).env("TOKENCTL_MODULE", null).run("list", "--profile", "gd").assertExit(ExitCode.MODULE)
                .assertErrContains("No PKCS#11 module for profile 'gd'").assertErrContains("libaetpkss.so.3");
        new Cli(fixture).run("list", "--profile", "acme").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Unknown profile 'acme' (known: gd, mingwah");
    }
}
