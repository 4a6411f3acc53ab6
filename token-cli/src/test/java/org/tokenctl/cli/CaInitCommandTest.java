package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** {@code tokenctl ca init}: a throwaway CA that openssl accepts; its files are never clobbered. */
@ExtendWith(SoftHsmExtension.class)
class CaInitCommandTest {

    @Test
    void makesACaThatOpensslAcceptsAndNeverOverwritesWithoutForce(SoftHsmFixture f) throws Exception {
        Path cert = f.root().resolve("ca.pem");
        Path key = f.root().resolve("ca.key");
        JsonNode json = new Cli(f).run("ca", "init", "--out-cert", cert.toString(), "--out-key", key.toString(),
                "--subject", "CN=Demo CA,O=Example Bank", "--days", "30", "--key-spec", "rsa:2048", "--json")
                .assertOk().json();
        assertEquals(1, json.get("schemaVersion").asInt());
        assertEquals("rsa:2048", json.get("keySpec").asText());
        assertEquals("CN=Demo CA,O=Example Bank", json.get("certificate").get("subject").asText());
        assertEquals(key.toString(), json.get("keyFile").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String text = f.run(List.of("openssl", "x509", "-in", cert.toString(), "-noout", "-text")).assertOk().stdout();
        assertTrue(text.contains("CA:TRUE"), text);
        assertTrue(text.contains("Public-Key: (2048 bit)"), text);

        String keyBefore = Files.readString(key);
        new Cli(f).run("ca", "init", "--out-cert", f.root().resolve("new.pem").toString(), "--out-key", key.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains(key + " already exists; not replacing it (pass --force to replace it)");
        assertEquals(keyBefore, Files.readString(key));
        assertTrue(!Files.exists(f.root().resolve("new.pem")), "nothing written when one target exists");

        CliResult r = new Cli(f).run("ca", "init", "--out-cert", cert.toString(), "--out-key", key.toString(),
                "--force").assertOk();
        r.assertOutContains("Wrote the CA certificate " + cert + " and its key " + key)
                .assertOutContains("  subject:     CN=tokenctl demo CA");
        assertTrue(!keyBefore.equals(Files.readString(key)));
    }

    @Test
    void errorsAndHelp(SoftHsmFixture f) {
        Path cert = f.root().resolve("x.pem");
        Path key = f.root().resolve("x.key");
        new Cli(f).run("ca", "init", "--out-cert", cert.toString(), "--out-key", key.toString(), "--subject", "nope")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("Invalid subject 'nope'");
        new Cli(f).run("ca", "init", "--out-cert", cert.toString(), "--out-key", key.toString(), "--key-spec", "dsa")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("Unknown key spec 'dsa'");
        new Cli(f).run("ca", "init", "--out-cert", cert.toString(), "--out-key", cert.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("The certificate and the key must go to different files (--out-cert, --out-key)");
        new Cli(f).run("ca", "init", "--out-cert", f.root().resolve("no/dir.pem").toString(), "--out-key",
                key.toString()).assertExit(ExitCode.INVALID_INPUT).assertErrContains("does not exist");
        new Cli(f).run("ca").assertExit(ExitCode.USAGE).assertErrContains("Missing subcommand");
        new Cli(f).run("ca", "init", "--help").assertOk().assertOutContains("Examples:")
                .assertOutContains("Exit codes:");
    }
}
