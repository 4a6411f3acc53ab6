package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl ca revoke} and {@code ca crl} for the local development CA: the CRL
 * is checked by OpenSSL ({@code openssl crl -verify}, {@code openssl verify -crl_check}
 * against certificates enrolled on a token and exported), for an EC and an RSA CA.
 */
@ExtendWith(SoftHsmExtension.class)
class CaRevocationTest {

    private static final String PIN = "24685713";
    private static SoftHsmFixture fixture;
    private static Path pin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("crl-tok", "so-pin-crl", PIN);
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
    }

    private static Path[] ca(String name, String keySpec) {
        Path cert = fixture.root().resolve(name + ".pem");
        Path key = fixture.root().resolve(name + ".key");
        new Cli(fixture).run("ca", "init", "--out-cert", cert.toString(), "--out-key", key.toString(), "--subject",
                "CN=" + name, "--key-spec", keySpec).assertOk();
        return new Path[] {cert, key};
    }

    /** A certificate from the CA for a key made on the token, exported to a file. */
    private static Path holder(Path[] ca, String label) throws Exception {
        String id = new Cli(fixture).run("enroll", "--token-label", "crl-tok", "--pin-file", pin.toString(),
                "--label", label, "--subject", "CN=" + label, "--key-spec", "ec:p256", "--ca-cert", ca[0].toString(),
                "--ca-key", ca[1].toString(), "--json").assertOk().json().get("key").get("id").asText();
        return Files.writeString(fixture.root().resolve(label + ".pem"), new Cli(fixture).run("export-cert",
                "--token-label", "crl-tok", "--id", id).assertOk().out());
    }

    private static ProcessResult verifyWithCrl(Path ca, Path crl, Path cert) {
        return OpenSsl.run(fixture, "verify", "-crl_check", "-CAfile", ca.toString(), "-CRLfile", crl.toString(),
                cert.toString());
    }

    private static String serial(Path cert) {
        return OpenSsl.run(fixture, "x509", "-in", cert.toString(), "-noout", "-serial").assertOk().stdout().trim()
                .substring("serial=".length());
    }

    @Test
    void aRevokedCertificateIsOnTheNextCrlAndOpenSslRefusesIt() throws Exception {
        for (String keySpec : List.of("ec:p256", "rsa:2048")) {
            String name = "CRL CA " + keySpec.replace(':', '-');
            Path[] ca = ca(name.replace(' ', '-'), keySpec);
            Path lost = holder(ca, "lost-" + keySpec.replace(':', '-'));
            Path kept = holder(ca, "kept-" + keySpec.replace(':', '-'));
            JsonNode r = new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--cert",
                    lost.toString(), "--reason", "keyCompromise", "--json").assertOk().json();
            assertEquals(new java.math.BigInteger(serial(lost), 16), new java.math.BigInteger(r.get("serial").asText(),
                    16), "the serial OpenSSL reads");
            Path crl = fixture.root().resolve(keySpec.replace(':', '-') + ".crl");
            JsonNode c = new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key",
                    ca[1].toString(), "--out", crl.toString(), "--json").assertOk().json();
            assertEquals(1, c.get("crlNumber").asInt());
            assertEquals(1, c.get("revoked").asInt());
            ProcessResult checked = OpenSsl.run(fixture, "crl", "-in", crl.toString(), "-CAfile", ca[0].toString(),
                    "-noout", "-verify", "-text").assertOk();
            assertTrue(checked.both().contains("verify OK"), checked.both());
            assertTrue(checked.stdout().contains("Key Compromise"), checked.stdout());
            assertTrue(checked.stdout().contains("X509v3 CRL Number: \n                1"), checked.stdout());
            ProcessResult refused = verifyWithCrl(ca[0], crl, lost);
            assertFalse(refused.exitCode() == 0, refused.both());
            assertTrue(refused.both().contains("certificate revoked"), refused.both());
            assertTrue(verifyWithCrl(ca[0], crl, kept).assertOk().stdout().contains(": OK"));

            // by serial, unspecified: the next CRL lists both, with a higher number, no reason code for the second
            new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--serial", serial(kept))
                    .assertOk();
            new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key", ca[1].toString(), "--out",
                    crl.toString()).assertExit(ExitCode.INVALID_INPUT).assertErrContains("exists");
            JsonNode c2 = new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key",
                    ca[1].toString(), "--out", crl.toString(), "--force", "--der", "--json").assertOk().json();
            assertEquals(2, c2.get("crlNumber").asInt());
            String text = OpenSsl.run(fixture, "crl", "-in", crl.toString(), "-inform", "DER", "-CAfile",
                    ca[0].toString(), "-noout", "-verify", "-text").assertOk().stdout();
            assertEquals(1, text.split("CRL Reason Code", -1).length - 1, "unspecified has no reason code: " + text);
            assertTrue(text.contains(serial(kept).toUpperCase()), text);
        }
    }

    @Test
    void badRevocationsAreRefusedAndTheIndexIsKept() throws Exception {
        Path[] ca = ca("Strict-CA", "ec:p256");
        Path[] other = ca("Other-CA", "ec:p256");
        Path cert = holder(ca, "strict-holder");
        Path foreign = holder(other, "foreign-holder");
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--cert", cert.toString()).assertOk();
        Path index = fixture.root().resolve("Strict-CA.pem.index");
        String before = Files.readString(index);
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--cert", cert.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertOneLineError().assertErrContains("revoked already");
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--cert", foreign.toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("not issued by this CA");
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--serial", "0")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("positive serial");
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(), "--serial", "1f", "--reason", "angry")
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("Unknown revocation reason");
        new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString()).assertExit(ExitCode.USAGE);
        assertEquals(before, Files.readString(index), "nothing refused was recorded");

        // an index that is not tokenctl's: refused by line number, its content never quoted
        Path bad = Files.writeString(fixture.root().resolve("bad.index"), "crl-number 1\nrevoked 0a hush-secret\n");
        CliResult r = new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key", ca[1].toString(),
                "--index", bad.toString(), "--out", fixture.root().resolve("bad.crl").toString());
        r.assertExit(ExitCode.INVALID_INPUT).assertOneLineError().assertErrContains("(line 2)");
        assertFalse(r.both().contains("hush-secret"));
        assertFalse(Files.exists(fixture.root().resolve("bad.crl")), "no CRL from a bad index");
        // a key that is not the CA certificate's: no CRL, the number not spent
        CliResult wrongKey = new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key",
                other[1].toString(), "--out", fixture.root().resolve("wrong.crl").toString());
        assertEquals(ExitCode.ISSUANCE.code(), wrongKey.exitCode(), wrongKey.both());
        assertEquals(before, Files.readString(index));
    }

    @Test
    void revocationsAtOnceAreAllRecorded() throws Exception {
        Path[] ca = ca("Busy-CA", "ec:p256");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<CliResult>> runs = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String serial = Integer.toHexString(0x1000 + i);
            runs.add(pool.submit(() -> new Cli(fixture).run("ca", "revoke", "--ca-cert", ca[0].toString(),
                    "--serial", serial)));
        }
        for (Future<CliResult> f : runs) {
            f.get().assertOk();
        }
        pool.shutdown();
        // and three processes at once: the file lock
        List<java.util.concurrent.CompletableFuture<ProcessResult>> procs = new ArrayList<>();
        for (String serial : List.of("2001", "2002", "2003")) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "ca", "revoke", "--ca-cert",
                    ca[0].toString(), "--serial", serial);
            procs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> Processes.run(fixture.env(),
                    new byte[0], cmd)));
        }
        for (java.util.concurrent.CompletableFuture<ProcessResult> p : procs) {
            p.join().assertOk();
        }
        Path crl = fixture.root().resolve("busy.crl");
        JsonNode c = new Cli(fixture).run("ca", "crl", "--ca-cert", ca[0].toString(), "--ca-key", ca[1].toString(),
                "--out", crl.toString(), "--json").assertOk().json();
        assertEquals(15, c.get("revoked").asInt());
        String text = OpenSsl.run(fixture, "crl", "-in", crl.toString(), "-noout", "-text").assertOk().stdout();
        assertEquals(15, text.split("Serial Number:", -1).length - 1, text);
    }
}
