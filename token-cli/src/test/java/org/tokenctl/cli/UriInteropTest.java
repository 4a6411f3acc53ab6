package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.uri.Pkcs11Uri;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsm;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * RFC 7512 URIs in and out. Every URI tokenctl prints for a token, key or
 * certificate is handed to two independent consumers, GnuTLS's p11tool and OpenSSL's
 * pkcs11 engine (libp11), which must find exactly the object tokenctl meant; and the
 * URIs those tools print select the same token and key in tokenctl.
 */
@ExtendWith(SoftHsmExtension.class)
class UriInteropTest {

    private static final String TOKEN = "uri-tok-a";
    private static final String OTHER = "uri-tok-b";
    private static final String PIN = "13572468";
    /** A label that needs percent-encoding: a space and an apostrophe. */
    private static final String LABEL = "Alice's key";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path pinFile;
    private static Path caCert;
    private static Path caKey;
    private static JsonNode enrolled;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        f.initToken(TOKEN, "so-pin-1", PIN);
        f.initToken(OTHER, "so-pin-2", PIN);
        pinFile = Files.writeString(dir.resolve("user.pin"), PIN + "\n");
        caCert = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        cli().run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString(), "--subject",
                "CN=URI Test CA").assertOk();
        enrolled = cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", LABEL,
                "--key-spec", "ec:p256", "--subject", "CN=Alice", "--ca-cert", caCert.toString(), "--ca-key",
                caKey.toString(), "--json").assertOk().json();
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    private static ProcessResult p11tool(boolean login, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SoftHsm.tool("p11tool", "gnutls-bin").toString(), "--provider",
                fixture.softhsmModule().toString()));
        if (login) {
            cmd.add("--login");
        }
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(fixture.env());
        if (login) {
            env.put("GNUTLS_PIN", PIN); // p11tool's documented way to take a PIN without prompting
        }
        return Processes.run(env, new byte[0], cmd);
    }

    /** @return every "URL: ..." line p11tool printed, parsed */
    private static List<Pkcs11Uri> urls(ProcessResult r) throws Exception {
        List<Pkcs11Uri> out = new ArrayList<>();
        Matcher m = Pattern.compile("URL: (pkcs11:\\S*)").matcher(r.assertOk().stdout());
        while (m.find()) {
            out.add(Pkcs11Uri.parse(m.group(1)));
        }
        return out;
    }

    @Test
    void everyPrintedTokenUriIsTheOneP11toolGivesAndSelectsThatToken() throws Exception {
        JsonNode slots = cli().run("list", "--json").assertOk().json().get("slots");
        List<Pkcs11Uri> p11 = urls(p11tool(false, "--list-tokens"));
        int checked = 0;
        for (JsonNode slot : slots) {
            JsonNode token = slot.get("token");
            if (token == null || token.isNull() || !token.get("initialized").asBoolean()) {
                continue;
            }
            Pkcs11Uri ours = Pkcs11Uri.parse(token.get("uri").asText());
            assertTrue(p11.contains(ours), () -> ours + " not among p11tool's " + p11);
            // and the URI selects that token in tokenctl
            JsonNode selected = cli().run("list", "--uri", ours.toString(), "--objects", "--json").assertOk().json()
                    .get("slots").get(0).get("token");
            assertEquals(token.get("serial").asText(), selected.get("serial").asText());
            checked++;
        }
        assertEquals(2, checked);
        // the text output prints the same URI
        String text = cli().run("list", "--token-label", TOKEN, "--objects").assertOk().out();
        assertTrue(text.contains("  uri:        " + Pkcs11Uri.parse(enrolled.get("token").get("uri").asText())),
                text);
    }

    @Test
    void everyPrintedObjectUriFindsExactlyThatObjectInP11tool() throws Exception {
        JsonNode objects = cli().run("list", "--token-label", TOKEN, "--objects", "--login", "--pin-file",
                pinFile.toString(), "--json").assertOk().json().get("slots").get(0).get("objects");
        assertEquals(3, objects.size(), objects::toString);
        for (JsonNode o : objects) {
            Pkcs11Uri uri = Pkcs11Uri.parse(o.get("uri").asText());
            assertEquals(LABEL, uri.object());
            assertEquals(o.get("id").asText(), uri.id().hex());
            List<Pkcs11Uri> found = urls(p11tool(o.get("privateObject").asBoolean(), "--list-all", uri.toString()));
            assertEquals(List.of(uri), found, o::toString);
        }
        // enroll printed the same URIs for its key and certificate
        Pkcs11Uri key = Pkcs11Uri.parse(enrolled.get("key").get("uri").asText());
        Pkcs11Uri cert = Pkcs11Uri.parse(enrolled.get("certificateUri").asText());
        List<String> listed = new ArrayList<>();
        objects.forEach(o -> listed.add(o.get("uri").asText()));
        assertTrue(listed.contains(key.toString()) && listed.contains(cert.toString()), listed::toString);
    }

    @Test
    void openSslSignsWithThePrintedKeyUriAndP11toolExportsThePrintedCertificate() throws Exception {
        Path cert = dir.resolve("exported.pem");
        Files.writeString(cert, p11tool(false, "--export", enrolled.get("certificateUri").asText()).assertOk()
                .stdout());
        String serial = OpenSsl.run(fixture, "x509", "-in", cert.toString(), "-noout", "-serial").assertOk().stdout();
        assertEquals(new java.math.BigInteger(enrolled.get("certificate").get("serial").asText(), 16),
                new java.math.BigInteger(serial.trim().substring("serial=".length()), 16));

        Path data = Files.writeString(dir.resolve("data.txt"), "signed through a printed URI\n");
        Path sig = dir.resolve("data.sig");
        // the engine takes the PIN from the URI; the test's own command line, never tokenctl's
        String keyUri = enrolled.get("key").get("uri").asText() + "?pin-value=" + PIN;
        OpenSsl.withEngine(fixture, fixture.softhsmModule(), "dgst", "-sha256", "-engine", "pkcs11", "-keyform",
                "engine", "-sign", keyUri, "-out", sig.toString(), data.toString()).assertOk();
        Path pub = dir.resolve("cert.pub");
        OpenSsl.run(fixture, "x509", "-in", cert.toString(), "-noout", "-pubkey", "-out", pub.toString()).assertOk();
        assertTrue(OpenSsl.run(fixture, "dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString(),
                data.toString()).assertOk().stdout().contains("Verified OK"));
    }

    @Test
    void aKeyUriFromP11toolNamesTheKeyAndItsTokenForEnroll() throws Exception {
        List<Pkcs11Uri> keys = urls(p11tool(true, "--list-privkeys", "pkcs11:token=" + TOKEN));
        assertEquals(1, keys.size());
        Path csr = dir.resolve("again.csr");
        // no token option: the URI's token attributes select the token
        JsonNode again = cli().run("enroll", "--pin-file", pinFile.toString(), "--key-id", keys.get(0).toString(),
                "--subject", "CN=Alice again", "--csr-out", csr.toString(), "--json").assertOk().json();
        assertEquals(enrolled.get("key").get("id").asText(), again.get("key").get("id").asText());
        // by label alone (object=), the token given separately
        cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--key-id",
                "pkcs11:object=Alice%27s%20key", "--subject", "CN=Alice third", "--csr-out",
                dir.resolve("third.csr").toString()).assertOk();
        cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--key-id",
                "pkcs11:object=nobody", "--subject", "CN=x", "--csr-out", dir.resolve("x.csr").toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("No private key with label 'nobody'");
        cli().run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--key-id",
                keys.get(0).toString(), "--subject", "CN=x", "--csr-out", dir.resolve("y.csr").toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("names its token already");
    }

    @Test
    void aUriCarryingAPinOrWhatTokenctlCannotHonourIsRefusedWithoutQuotingIt() {
        CliResult pin = cli().run("list", "--uri", "pkcs11:token=" + TOKEN + "?pin-value=SECRET99");
        pin.assertExit(ExitCode.INVALID_INPUT).assertErrContains("must not carry the PIN (pin-value)");
        assertFalse(pin.both().contains("SECRET99"), pin.both());
        cli().run("list", "--uri", "pkcs11:token=" + TOKEN + ";id=%01").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("leave id=, object= and type= out of --uri");
        cli().run("list", "--uri", "pkcs11:token=no-such-tok").assertExit(ExitCode.TOKEN_NOT_FOUND)
                .assertErrContains("No token matching pkcs11:token=no-such-tok");
        cli().run("list", "--uri", "pkcs11:token=" + TOKEN, "--serial", "x").assertExit(ExitCode.USAGE);
    }
}
