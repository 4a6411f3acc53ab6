package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl revoke} against OpenSSL's CMP mock server on loopback. The mock
 * accepts a revocation request only when its issuer and serial are those of the
 * certificate it was started with, and checks the request's protection (the shared
 * secret, or a signature it trusts): so an accepted revocation shows that the request
 * named the certificate and was protected as it should be. It is also made to reject.
 */
@ExtendWith(SoftHsmExtension.class)
class RevokeCommandTest {

    private static final String TOKEN = "rv-tok";
    private static final String PIN = "36925814";
    private static SoftHsmFixture fixture;
    private static Path pin;
    private static CmpFixture cmp;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-rv", PIN);
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        cmp = new CmpFixture(f);
    }

    @AfterAll
    static void tearDown() {
        cmp.close();
    }

    /** A key on the token with the mock CA's certificate installed beside it. */
    private static CmpFixture.Holder installed(String label) {
        CmpFixture.Holder h = cmp.holder(TOKEN, pin, label, "ec:p256");
        new Cli(fixture).run("import-cert", "--token-label", TOKEN, "--pin-file", pin.toString(), "--cert",
                h.cert().toString()).assertOk();
        return h;
    }

    private static List<String> secretOptions(String url) {
        return cmp.options(url);
    }

    private static CliResult revoke(List<String> more) {
        List<String> args = new ArrayList<>(List.of("revoke"));
        args.addAll(more);
        return new Cli(fixture).run(args.toArray(new String[0]));
    }

    private static List<String> args(String... first) {
        return new ArrayList<>(List.of(first));
    }

    @Test
    void aCertificateOnTheTokenIsRevokedWithTheSharedSecret() throws Exception {
        CmpFixture.Holder h = installed("rv-mac");
        CmpMockServer server = cmp.server(h.cert());
        String before = ObjectSnapshot.of(fixture, TOKEN, PIN).toString();
        List<String> a = args("--token-label", TOKEN, "--id", h.id(), "--reason", "keyCompromise", "--json");
        a.addAll(secretOptions(server.url()));
        JsonNode r = revoke(a).assertOk().json();
        assertEquals("keyCompromise", r.get("reason").asText());
        assertTrue(r.get("status").asText().startsWith("accepted"), r.toString());
        String serial = OpenSsl.run(fixture, "x509", "-in", h.cert().toString(), "-noout", "-serial").assertOk()
                .stdout().trim().substring(7);
        assertEquals(new BigInteger(serial, 16), new BigInteger(r.get("certificate").get("serial").asText(), 16));
        assertEquals(h.id(), r.get("id").asText());
        assertEquals(1, server.requests(), "one rr, no confirmation: " + server.output());
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN).toString(), "the token is not changed");

        // the same certificate as a file
        List<String> file = args("--cert", h.cert().toString(), "--reason", "superseded");
        file.addAll(secretOptions(server.url()));
        revoke(file).assertOk().assertOutContains("superseded").assertOutContains("accepted");
    }

    @Test
    void withoutASecretTheCertificatesOwnKeySignsTheRequest() throws Exception {
        CmpFixture.Holder h = installed("rv-signed");
        Path[] srv = cmp.serverSigner("rv-ra");
        // the mock trusts requests signed by keys the CA certified, and signs its answers
        CmpMockServer server = cmp.keyUpdateServer(h.cert(), srv[0], srv[1], cmp.caPem());
        JsonNode r = revoke(args("--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "rv-signed",
                "--reason", "cessationOfOperation", "--cmp-server", server.url(), "--cmp-trusted",
                cmp.caPem().toString(), "--json")).assertOk().json();
        assertTrue(r.get("status").asText().startsWith("accepted"), r.toString());
        assertEquals(1, server.requests(), server.output());
        assertFalse(server.output().toLowerCase(java.util.Locale.ROOT).contains("error"), server.output());
    }

    @Test
    void aRejectionIsReportedAndAnotherCertificateIsRefused() throws Exception {
        CmpFixture.Holder h = installed("rv-reject");
        CmpMockServer rejecting = cmp.server(h.cert(), "-pkistatus", "2", "-failurebits", "4");
        List<String> a = args("--token-label", TOKEN, "--label", "rv-reject");
        a.addAll(secretOptions(rejecting.url()));
        CliResult r = revoke(a);
        assertEquals(ExitCode.ISSUANCE.code(), r.exitCode(), r.both());
        r.assertOneLineError().assertErrContains("rejected the revocation").assertErrContains("rejection");

        // a mock started for another certificate: the request names this one, so it is not accepted
        CmpMockServer other = cmp.server(cmp.certificateForAnotherKey());
        List<String> b = args("--token-label", TOKEN, "--label", "rv-reject");
        b.addAll(secretOptions(other.url()));
        CliResult wrong = revoke(b);
        assertEquals(ExitCode.ISSUANCE.code(), wrong.exitCode(), wrong.both());
        wrong.assertOneLineError();
    }

    @Test
    void aWrongSecretIsSaidSo() throws Exception {
        CmpFixture.Holder h = installed("rv-wrong");
        CmpMockServer server = cmp.server(h.cert());
        Path wrong = Files.writeString(fixture.root().resolve("wrong.secret"), "not-the-secret\n");
        CliResult r = revoke(args("--token-label", TOKEN, "--label", "rv-wrong", "--cmp-server", server.url(),
                "--cmp-ref", CmpFixture.REF, "--cmp-secret-file", wrong.toString()));
        assertEquals(ExitCode.ISSUANCE.code(), r.exitCode(), r.both());
        r.assertOneLineError();
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsSent() throws Exception {
        CmpFixture.Holder h = installed("rv-bad");
        CmpMockServer server = cmp.server(h.cert());
        revoke(args("--token-label", TOKEN, "--label", "rv-bad", "--ca-cert", cmp.caPem().toString(), "--ca-key",
                cmp.caPem().toString())).assertExit(ExitCode.USAGE).assertErrContains("ca revoke");
        revoke(args("--token-label", TOKEN, "--label", "rv-bad")).assertExit(ExitCode.USAGE)
                .assertErrContains("--cmp-server");
        revoke(args("--token-label", TOKEN, "--cmp-server", server.url(), "--cmp-trusted", cmp.caPem().toString()))
                .assertExit(ExitCode.USAGE).assertErrContains("Name the certificate");
        revoke(args("--cert", h.cert().toString(), "--cmp-server", server.url(), "--cmp-trusted",
                cmp.caPem().toString())).assertExit(ExitCode.USAGE).assertErrContains("shared secret");
        revoke(args("--token-label", TOKEN, "--label", "rv-bad", "--cmp-server", server.url()))
                .assertExit(ExitCode.USAGE).assertErrContains("--cmp-trusted");
        List<String> reason = args("--token-label", TOKEN, "--label", "rv-bad", "--reason", "bored");
        reason.addAll(secretOptions(server.url()));
        revoke(reason).assertExit(ExitCode.INVALID_INPUT).assertErrContains("Unknown revocation reason");
        List<String> none = args("--token-label", TOKEN, "--label", "nobody");
        none.addAll(secretOptions(server.url()));
        revoke(none).assertExit(ExitCode.INVALID_INPUT).assertErrContains("No certificate");
        assertEquals(0, server.requests(), "nothing was sent: " + server.output());
    }

    /**
     * Every PKCS#11 call of a signed revocation failed in turn: a failure before the request
     * is sent is reported and nothing reaches the CA; once the CA has revoked, the run never
     * says it failed.
     */
    @Test
    void aFaultAnywhereNeverHidesARevocation() throws Exception {
        CmpFixture.Holder h = installed("rv-fault");
        Path[] srv = cmp.serverSigner("rv-fault-ra");
        CmpMockServer server = cmp.keyUpdateServer(h.cert(), srv[0], srv[1], cmp.caPem());
        Path noGuard = Files.writeString(fixture.root().resolve("no-guard.properties"), "guard.enabled = false\n");
        Path trace = fixture.root().resolve("revoke-trace");
        Files.deleteIfExists(trace);
        String[] a = {"revoke", "--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "rv-fault",
            "--cmp-server", server.url(), "--cmp-trusted", cmp.caPem().toString()};
        new Cli(fixture).module(fixture.emulateProfile("softhsm", Map.of("trace.file", trace.toString())))
                .env("TOKENCTL_CONFIG", noGuard.toString()).run(a).assertOk();
        List<String> calls = Files.readAllLines(trace).stream().map(l -> l.split(" ")[0]).toList();
        assertTrue(calls.contains("C_Sign"), calls.toString());
        String[] faults = FaultSweep.FAULTS.toArray(new String[0]);
        boolean sawAfter = false;
        for (int k = 1; k < calls.size(); k++) {
            String fault = faults[k % faults.length];
            long sent = server.requests();
            CliResult r = new Cli(fixture).module(fixture.emulateProfile("softhsm", Map.of("fault.function", "any",
                    "fault.call", Integer.toString(k), "fault.rv", fault))).env("TOKENCTL_CONFIG",
                    noGuard.toString()).run(a);
            String where = "fault " + fault + " at call " + k + " (" + calls.get(k) + "): ";
            if (server.requests() > sent) {
                sawAfter = true;
                assertEquals(0, r.exitCode(), where + "the CA revoked it, so the run must say so: " + r.both());
            } else {
                assertTrue(r.exitCode() != 0 && FaultSweep.FAULT_EXITS.stream().anyMatch(e -> e.code() == r.exitCode()),
                        where + "nothing was sent, so the run must fail with a documented code: " + r.both());
                r.assertOneLineError();
            }
        }
        assertTrue(sawAfter, "faults after the request (C_Logout, C_CloseSession, C_Finalize) were swept too");
    }
}
