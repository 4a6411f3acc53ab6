package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** {@code enroll --medium p12}: a PKCS#12 file that openssl reads, with modern protection. */
@ExtendWith(SoftHsmExtension.class)
class Pkcs12EnrollTest {

    private static SoftHsmFixture fixture;
    private static Path dir;
    private static Path pw;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        pw = Files.writeString(dir.resolve("p12.pw"), "holder-pass-1\n");
        new Cli(f).run("ca", "init", "--out-cert", dir.resolve("ca.pem").toString(), "--out-key",
                dir.resolve("ca.key").toString()).assertOk();
    }

    private static CliResult enroll(Path out, String... more) {
        return enroll(new Cli(fixture), out, more);
    }

    private static CliResult enroll(Cli cli, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("enroll", "--medium", "p12", "--out", out.toString(),
                "--label", "alice", "--subject", "CN=Alice,O=Example Bank", "--ca-cert",
                dir.resolve("ca.pem").toString(), "--ca-key", dir.resolve("ca.key").toString()));
        args.addAll(List.of(more));
        return cli.run(args.toArray(new String[0]));
    }

    @Test
    void writesAProtectedFileAndSaysTheKeyIsExportable() throws Exception {
        Path out = dir.resolve("alice.p12");
        CliResult r = enroll(out, "--password-file", pw.toString()).assertOk();
        r.assertOutContains("Enrolled a key into " + out + " (PKCS#12; PBES2: PBKDF2-HMAC-SHA256, 100000 iterations,"
                + " AES-256-CBC; HMAC-SHA256 MAC; mode 0600)")
                .assertOutContains("  exportable:  YES: this file is a copy of the private key")
                .assertOutContains("  serial:      ").assertOutContains("  expires:     ");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));

        String info = fixture.run(List.of("openssl", "pkcs12", "-info", "-noout", "-in", out.toString(), "-passin",
                "file:" + pw)).assertOk().stderr();
        assertTrue(info.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256"),
                info);
        assertTrue(info.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000,"
                + " PRF hmacWithSHA256"), info);
        assertTrue(info.contains("MAC: sha256"), info);
        assertEquals(1, fixture.run(List.of("openssl", "pkcs12", "-info", "-noout", "-in", out.toString(), "-passin",
                "pass:wrong-password")).exitCode(), "the MAC refuses a wrong password");
    }

    @Test
    void jsonSaysExportableAndNeverOverwritesWithoutForce() throws Exception {
        Path out = dir.resolve("json.p12");
        JsonNode json = enroll(new Cli(fixture).env("P12_PW", "holder-pass-2"), out, "--password-env", "P12_PW",
                "--key-spec", "ec:p384", "--json").assertOk().json();
        assertEquals("p12", json.get("medium").asText());
        assertEquals(out.toString(), json.get("file").asText());
        assertTrue(json.get("key").get("exportable").asBoolean());
        assertTrue(json.get("key").get("verified").isNull());
        assertEquals("secp384r1", json.get("key").get("curve").asText());
        assertEquals(1, json.get("chain").size());

        byte[] before = Files.readAllBytes(out);
        enroll(out, "--password-file", pw.toString()).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains(out + " already exists; not replacing it (pass --force to replace it)");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out)));
        enroll(out, "--password-file", pw.toString(), "--force").assertOk();
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(out)));
    }

    @Test
    void passwordRules() throws Exception {
        Path out = dir.resolve("short.p12");
        Path shortPw = Files.writeString(dir.resolve("short.pw"), "1234567\n");
        enroll(out, "--password-file", shortPw.toString()).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("The PKCS#12 password must have at least 8 characters");
        enroll(new Cli(fixture).answers("first-pass-1", "other-pass-2"), out).assertExit(ExitCode.PIN_POLICY)
                .assertErrContains("The two entries of the PKCS#12 file password do not match");
        assertFalse(Files.exists(out));
        enroll(out, "--password", "x").assertExit(ExitCode.USAGE).assertErrContains("never taken from the command line");
        enroll(out, "--password-file", pw.toString(), "--token-label", "x").assertExit(ExitCode.USAGE)
                .assertErrContains("--medium p12 uses no token");
    }
}
