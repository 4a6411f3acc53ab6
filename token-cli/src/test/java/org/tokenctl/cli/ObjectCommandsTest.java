package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The object commands operators used to need pkcs11-tool for: {@code export-cert},
 * {@code delete} and {@code mechanisms}, on SoftHSM, each result cross-checked with
 * pkcs11-tool (the objects, the mechanism list) and openssl (the certificates).
 */
@ExtendWith(SoftHsmExtension.class)
class ObjectCommandsTest {

    private static final String TOKEN = "obj-tok-a";
    private static final String PIN = "97531864";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path pinFile;
    private static Path caCert;
    private static Path caKey;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        f.initToken(TOKEN, "so-pin-3", PIN);
        pinFile = Files.writeString(dir.resolve("user.pin"), PIN + "\n");
        caCert = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        cli().run("ca", "init", "--out-cert", caCert.toString(), "--out-key", caKey.toString(), "--subject",
                "CN=Object Test CA").assertOk();
    }

    private static Cli cli() {
        return new Cli(fixture);
    }

    private static JsonNode enroll(String label, String id, String... more) {
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--label", label, "--id", id, "--key-spec", "ec:p256", "--subject", "CN=" + label,
                "--ca-cert", caCert.toString(), "--ca-key", caKey.toString(), "--json"));
        args.addAll(List.of(more));
        return cli().run(args.toArray(new String[0])).assertOk().json();
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static long withId(String hex) {
        return objects().objects().stream().filter(b -> b.contains("ID:         " + hex + "\n")).count();
    }

    /** pkcs11-tool reads the certificate object's CKA_VALUE itself. */
    private static byte[] pkcs11ToolCert(String hex) throws Exception {
        Path der = dir.resolve("p11-" + hex + ".der");
        fixture.pkcs11Tool("--token-label", TOKEN, "--read-object", "--type", "cert", "--id", hex, "--output-file",
                der.toString()).assertOk();
        return Files.readAllBytes(der);
    }

    @Test
    void exportCertWritesTheCertificatePkcs11ToolReadsAndItsCheckedChain() throws Exception {
        enroll("exported", "e1", "--with-chain");
        String pem = cli().run("export-cert", "--token-label", TOKEN, "--label", "exported").assertOk().out();
        Path file = Files.writeString(dir.resolve("exported.pem"), pem);
        Path der = dir.resolve("exported.der");
        OpenSsl.run(fixture, "x509", "-in", file.toString(), "-outform", "DER", "-out", der.toString()).assertOk();
        assertArrayEquals(pkcs11ToolCert("e1"), Files.readAllBytes(der));
        assertTrue(OpenSsl.run(fixture, "verify", "-CAfile", caCert.toString(), file.toString()).assertOk().stdout()
                .contains(": OK"));

        // --chain appends the CA certificate the token holds; DER to a file by id
        Path chain = dir.resolve("chain.pem");
        cli().run("export-cert", "--token-label", TOKEN, "--id", "e1", "--chain", "--out", chain.toString())
                .assertOk().assertErrContains("and 1 CA certificate(s)");
        String chainText = Files.readString(chain);
        assertEquals(2, chainText.split("-----BEGIN CERTIFICATE-----", -1).length - 1);
        assertTrue(chainText.endsWith(Files.readString(caCert).trim() + "\n")
                || chainText.contains(Files.readString(caCert).trim()), chainText);
        Path derOut = dir.resolve("out.der");
        cli().run("export-cert", "--token-label", TOKEN, "--id", "e1", "--der", "--out", derOut.toString())
                .assertOk();
        assertArrayEquals(pkcs11ToolCert("e1"), Files.readAllBytes(derOut));
        cli().run("export-cert", "--token-label", TOKEN, "--id", "e1", "--der", "--out", derOut.toString())
                .assertExit(ExitCode.INVALID_INPUT);

        // the URI list printed, and --json (validated against export-cert.schema.json by Cli.run)
        JsonNode certObject = null;
        for (JsonNode o : cli().run("list", "--token-label", TOKEN, "--objects", "--json").assertOk().json()
                .get("slots").get(0).get("objects")) {
            if (o.get("objectClass").asText().equals("CERTIFICATE") && o.get("id").asText().equals("e1")) {
                certObject = o;
            }
        }
        JsonNode json = cli().run("export-cert", "--uri", certObject.get("uri").asText(), "--chain", "--json")
                .assertOk().json();
        assertEquals(pem, json.get("certificate").get("pem").asText());
        assertEquals("CN=Object Test CA", json.get("chain").get(0).get("subject").asText());
    }

    @Test
    void exportCertRefusesWhatItCannotNameExactly() {
        enroll("twice", "e2");
        enroll("twice", "e3", "--allow-duplicate-label");
        cli().run("export-cert", "--token-label", TOKEN, "--label", "twice").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("2 certificates have label 'twice'").assertErrContains("name one by its id");
        cli().run("export-cert", "--token-label", TOKEN, "--label", "nobody").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("No certificate with label 'nobody'");
        cli().run("export-cert", "--token-label", TOKEN).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Name the certificate by id, label");
        cli().run("export-cert", "--uri", "pkcs11:token=" + TOKEN + ";id=%E2;type=private")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("type names another kind of object");
        cli().run("export-cert", "--token-label", TOKEN, "--id", "e2", "--der").assertExit(ExitCode.USAGE)
                .assertErrContains("--der writes binary: give --out FILE");
        cli().run("export-cert", "--token-label", TOKEN, "--id", "e2", "--der", "--chain", "--out", "x")
                .assertExit(ExitCode.USAGE);
        cli().run("export-cert", "--uri", "pkcs11:token=" + TOKEN + ";id=%E2", "--id", "e2")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("either in the URI");
    }

    @Test
    void deleteRemovesExactlyWhatItShowedAndAsksFirst() throws Exception {
        enroll("gone", "d1");
        enroll("kept", "d2");
        ObjectSnapshot before = objects();
        // no terminal to ask on and no --force: nothing changes
        cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", "d1")
                .assertExit(ExitCode.ABORTED).assertErrContains("certificate id=d1 label='gone' (CN=gone, serial ")
                .assertErrContains("public key id=d1 label='gone'; private key id=d1 label='gone'");
        assertEquals(before, objects());

        // the certificate alone
        JsonNode cert = cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label",
                "gone", "--type", "cert", "--force", "--json").assertOk().json();
        assertEquals(1, cert.get("deleted").size());
        assertEquals("CERTIFICATE", cert.get("deleted").get(0).get("objectClass").asText());
        assertEquals(2, withId("d1"), "the key pair stays");

        // the rest by URI, named by label; the other enrollment is untouched
        JsonNode rest = cli().run("delete", "--uri", "pkcs11:token=" + TOKEN + ";object=gone", "--pin-file",
                pinFile.toString(), "--force", "--json").assertOk().json();
        Set<String> classes = new TreeSet<>();
        rest.get("deleted").forEach(d -> classes.add(d.get("objectClass").asText()));
        assertEquals(Set.of("PRIVATE_KEY", "PUBLIC_KEY"), classes);
        assertEquals(0, withId("d1"));
        assertEquals(3, withId("d2"));
        // and the private key went last
        assertEquals("PRIVATE_KEY", rest.get("deleted").get(1).get("objectClass").asText());
    }

    @Test
    void deleteRefusesAnOpenOrEmptySelection() {
        ObjectSnapshot before = objects();
        cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--force")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("never deletes every object of a kind");
        cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--type", "private",
                "--force").assertExit(ExitCode.INVALID_INPUT);
        cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", "0bad", "--force")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("No object with id 0bad on the token");
        cli().run("delete", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--id", "d2",
                "--type", "keys", "--force").assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("--type must be all, pair, cert, private or public");
        assertEquals(before, objects());
    }

    @Test
    void mechanismsListsWhatPkcs11ToolListsAndWhichKeySpecsFit() throws Exception {
        JsonNode json = cli().run("mechanisms", "--token-label", TOKEN, "--json").assertOk().json();
        String listed = fixture.pkcs11Tool("--token-label", TOKEN, "--list-mechanisms").assertOk().stdout();
        Matcher m = Pattern.compile("(?m)^  (\\S[^,\\n]*)").matcher(listed);
        int count = 0;
        while (m.find()) {
            count++;
        }
        assertEquals(count, json.get("mechanisms").size(), listed);
        JsonNode gen = null;
        for (JsonNode mech : json.get("mechanisms")) {
            if (mech.get("name").asText().equals("CKM_RSA_PKCS_KEY_PAIR_GEN")) {
                gen = mech;
            }
        }
        // pkcs11-tool: "RSA-PKCS-KEY-PAIR-GEN, keySize={512,16384}, ..., generate_key_pair"
        Matcher sizes = Pattern.compile("RSA-PKCS-KEY-PAIR-GEN, keySize=\\{(\\d+),(\\d+)}").matcher(listed);
        assertTrue(sizes.find(), listed);
        assertEquals(Long.parseLong(sizes.group(1)), gen.get("minKeySize").asLong());
        assertEquals(Long.parseLong(sizes.group(2)), gen.get("maxKeySize").asLong());
        assertTrue(gen.get("flags").toString().contains("GENERATE_KEY_PAIR"));
        // every spec but SM2, which SoftHSM lacks and no profile gives it: that one says why
        json.get("keySpecs").forEach(s -> assertEquals(!s.get("spec").asText().equals("sm2"),
                s.get("supported").asBoolean(), s::toString));

        // a token that lists RSA only: the EC specs are not possible, and say why
        Path conf = fixture.confFile();
        String original = Files.readString(conf);
        try {
            Files.writeString(conf, original.replace("slots.mechanisms = ALL",
                    "slots.mechanisms = CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_SHA256_RSA_PKCS,CKM_RSA_PKCS"));
            String text = cli().run("mechanisms", "--token-label", TOKEN).assertOk().out();
            assertTrue(text.contains("  ec:p256   no: does not list CKM_EC_KEY_PAIR_GEN"), text);
            assertTrue(text.contains("  rsa:2048  yes"), text);
            assertFalse(text.contains("CKM_EC_KEY_PAIR_GEN "), text);
        } finally {
            Files.writeString(conf, original);
        }
    }
}
