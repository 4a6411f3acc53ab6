package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * {@code tokenctl enroll} over CMP against OpenSSL's CMP mock server on loopback:
 * the certificate lands on the token beside the key (read back with pkcs11-tool and
 * compared by openssl), and every failure (wrong secret, nothing listening, a
 * certificate for another key, a rejection, an untrusted signer) is one line with a
 * documented exit code and leaves the token's objects exactly as they were.
 */
@ExtendWith(SoftHsmExtension.class)
class CmpEnrollTest {

    private static final String TOKEN = "cmp";
    private static final String PIN = "36925814";
    private static SoftHsmFixture fixture;
    private static CmpFixture cmp;
    private static Path pinFile;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-3", PIN);
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        cmp = new CmpFixture(f);
    }

    @AfterAll
    static void tearDown() {
        cmp.close();
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    private static CliResult enroll(String url, String... more) {
        return enroll(new Cli(fixture), url, more);
    }

    private static CliResult enroll(Cli cli, String url, String... more) {
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--subject", "CN=cmp,O=Mock Bank"));
        args.addAll(cmp.options(url));
        args.addAll(List.of(more));
        CliResult r = cli.run(args.toArray(new String[0]));
        assertFalse(r.out().contains(CmpFixture.SECRET) || r.err().contains(CmpFixture.SECRET),
                "the shared secret never reaches any output: " + r.both());
        return r;
    }

    /** The certificate on the token with this CKA_ID, as openssl reads it (text form, for comparison). */
    private static String certificateOnToken(String id) {
        Path der = fixture.root().resolve("read-" + id + ".der");
        fixture.pkcs11Tool("--token-label", TOKEN, "--read-object", "--type", "cert", "--id", id, "-o",
                der.toString()).assertOk();
        return openssl("x509", "-inform", "DER", "-in", der.toString(), "-noout", "-fingerprint", "-sha256");
    }

    private static String fingerprint(Path pem) {
        return openssl("x509", "-in", pem.toString(), "-noout", "-fingerprint", "-sha256");
    }

    @Test
    void enrollsAnExistingKeyEndToEnd() {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "end-to-end", "ec:p256");
        CmpMockServer server = cmp.server(h.cert());
        ObjectSnapshot before = objects();
        JsonNode json = enroll(server.url(), "--key-id", h.id(), "--with-chain", "--json").assertOk().json();
        assertEquals(h.id(), json.get("key").get("id").asText());
        assertFalse(json.get("key").get("generated").asBoolean());
        assertEquals("CN=Mock Issuing CA,O=Mock Bank", json.get("certificate").get("issuer").asText());
        assertEquals(fingerprint(h.cert()), certificateOnToken(h.id()), "the CA's certificate, beside the key");
        ObjectSnapshot after = objects();
        assertEquals(before.size() + 2, after.size(), "the certificate and the CA certificate from caPubs");
        assertTrue(after.ofKind("Certificate Object").stream().anyMatch(b -> b.contains("label:      end-to-end")
                && b.contains("ID:         " + h.id())), after.toString());
        // ir, then certConf: our success requires the pkiConf that answers it
        assertEquals(2, server.requests(), server.output());
        assertFalse(server.output().contains("error"), server.output());
    }

    @Test
    void waitingIsPolled() {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "polled", "rsa:2048");
        CmpMockServer server = cmp.server(h.cert(), "-poll_count", "2", "-check_after", "1");
        // the CA makes us wait two seconds at least: on a terminal, stderr shows what is going on meanwhile
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        CliResult r = enroll(new Cli(fixture).progress(terminal), server.url(), "--key-id", h.id(), "--json")
                .assertOk();
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Enrolling") && shown.contains("waiting for the CA (CMP)"), shown);
        assertFalse(r.err().contains("Enrolling"), "the bar goes to the terminal only: " + r.err());
        assertTrue(r.json().get("certificate") != null, "stdout stays one JSON object: " + r.out());
        assertEquals(fingerprint(h.cert()), certificateOnToken(h.id()));
        assertEquals(4, server.requests(), "ir, pollReq, pollReq, certConf: " + server.output());
    }

    @Test
    void signedAnswersNeedATrustedSigner() throws Exception {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "signed", "ec:p256");
        Path srvKey = cmp.dir().resolve("srv.key");
        Path srvCsr = cmp.dir().resolve("srv.csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                srvKey.toString(), "-out", srvCsr.toString(), "-subj", "/O=Mock Bank/CN=Mock RA");
        Path srvCert = cmp.certify(srvCsr, "srv");
        CmpMockServer server = cmp.signingServer(h.cert(), srvCert, srvKey);
        Path strangerKey = cmp.dir().resolve("stranger.key");
        Path stranger = cmp.dir().resolve("stranger.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                strangerKey.toString(), "-out", stranger.toString(), "-days", "30", "-subj", "/CN=Stranger CA");

        ObjectSnapshot before = objects();
        enroll(server.url(), "--key-id", h.id(), "--cmp-trusted", stranger.toString())
                .assertExit(ExitCode.ISSUANCE)
                .assertErrContains("its signer 'CN=Mock RA,O=Mock Bank' is not trusted by the trust anchors for signed answers");
        enroll(server.url(), "--key-id", h.id()).assertExit(ExitCode.ISSUANCE)
                .assertErrContains("is signed by the server; give its certificate or CA as a trust anchor for signed answers to accept it (--cmp-trusted)");
        assertEquals(before, objects());
        // the CA that issued the server's certificate: the path is built and checked
        enroll(server.url(), "--key-id", h.id(), "--cmp-trusted", cmp.caPem().toString()).assertOk();
        assertEquals(fingerprint(h.cert()), certificateOnToken(h.id()));
    }

    /**
     * Key update (kur) against OpenSSL's mock: the request is signed with the holder's
     * current key (the server accepts only a signature from a certificate its CA issued)
     * and names the current certificate in oldCertID. OpenSSL 3.0's mock accepts a kur only
     * for the very certificate it answers with, so it renews a certificate to itself: the
     * exchange runs end to end (kur, kup, certConf, pkiConf) and the token keeps its one
     * certificate, which is the right outcome of a retried or unchanged renewal.
     */
    @Test
    void keyUpdateIsSignedWithTheCurrentKey() throws Exception {
        CmpFixture.Holder current = cmp.holder(TOKEN, pinFile, "kur-current", "ec:p256");
        new Cli(fixture).run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                current.cert().toString()).assertOk();
        Path[] srv = cmp.serverSigner("kur-ra");
        CmpMockServer server = cmp.keyUpdateServer(current.cert(), srv[0], srv[1], cmp.caPem());
        ObjectSnapshot before = objects();
        JsonNode json = new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(),
                "--subject", "CN=kur-current,O=Mock Bank", "--key-id", current.id(), "--cmp-server", server.url(),
                "--cmp-kur", current.id(), "--cmp-trusted", cmp.caPem().toString(), "--json").assertOk().json();
        assertEquals(current.id(), json.get("key").get("id").asText());
        assertEquals(fingerprint(current.cert()), certificateOnToken(current.id()));
        assertEquals(before, objects(), "the same certificate is not installed twice");
        assertEquals(2, server.requests(), "kur, then certConf: " + server.output());
        assertFalse(server.output().toLowerCase(java.util.Locale.ROOT).contains("error"), server.output());
    }

    /**
     * Key update to a new key: signed with the current key, proof of possession by the new
     * one, the new certificate installed beside the new key, the current one kept. (OpenSSL
     * 3.0's mock checks oldCertID against the certificate it answers with, so the test CA
     * gives both certificates the same serial; a real CA would not.)
     */
    @Test
    void keyUpdateToANewKey() throws Exception {
        CmpFixture.Holder current = cmp.holder(TOKEN, pinFile, "kur-old", "ec:p256");
        Path currentCert = cmp.certify(cmp.requestOf("kur-old"), "kur-old-fixed", "4242");
        new Cli(fixture).run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                currentCert.toString()).assertOk();
        CmpFixture.Holder fresh = cmp.holder(TOKEN, pinFile, "kur-new", "rsa:2048");
        Path freshCert = cmp.certify(cmp.requestOf("kur-new"), "kur-new-fixed", "4242");
        Path[] srv = cmp.serverSigner("kur-ra-new");
        CmpMockServer server = cmp.keyUpdateServer(freshCert, srv[0], srv[1], cmp.caPem());
        ObjectSnapshot before = objects();
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--subject",
                "CN=kur-new,O=Mock Bank", "--key-id", fresh.id(), "--cmp-server", server.url(), "--cmp-kur",
                current.id(), "--cmp-trusted", cmp.caPem().toString()).assertOk();
        assertEquals(fingerprint(freshCert), certificateOnToken(fresh.id()), "the new certificate, beside the new key");
        assertEquals(fingerprint(currentCert), certificateOnToken(current.id()), "the current one stays");
        assertEquals(before.size() + 1, objects().size());
        assertEquals(2, server.requests(), "kur, then certConf: " + server.output());
    }

    @Test
    void aKeyUpdateTheServerDoesNotTrustChangesNothing() throws Exception {
        CmpFixture.Holder old = cmp.holder(TOKEN, pinFile, "kur-untrusted-old", "ec:p256");
        new Cli(fixture).run("import-cert", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--cert",
                old.cert().toString()).assertOk();
        CmpFixture.Holder fresh = cmp.holder(TOKEN, pinFile, "kur-untrusted-new", "ec:p256");
        Path[] srv = cmp.serverSigner("kur-ra-2");
        Path strangerKey = cmp.dir().resolve("kur-stranger.key");
        Path stranger = cmp.dir().resolve("kur-stranger.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                strangerKey.toString(), "-out", stranger.toString(), "-days", "30", "-subj", "/CN=Other CA");
        CmpMockServer server = cmp.keyUpdateServer(fresh.cert(), srv[0], srv[1], stranger);
        ObjectSnapshot before = objects();
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--subject",
                "CN=kur-untrusted-new,O=Mock Bank", "--key-id", fresh.id(), "--cmp-server", server.url(), "--cmp-kur",
                old.id(), "--cmp-trusted", cmp.caPem().toString()).assertExit(ExitCode.ISSUANCE);
        assertEquals(before, objects());
    }

    @Test
    void aKeyUpdateNeedsTheCurrentCertificateAndATrustAnchor() {
        CmpFixture.Holder lonely = cmp.holder(TOKEN, pinFile, "kur-no-cert", "ec:p256");
        CmpFixture.Holder fresh = cmp.holder(TOKEN, pinFile, "kur-no-cert-new", "ec:p256");
        ObjectSnapshot before = objects();
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--subject",
                "CN=x", "--key-id", fresh.id(), "--cmp-server", "http://127.0.0.1:9/x", "--cmp-kur", lonely.id())
                .assertExit(ExitCode.USAGE).assertErrContains("--cmp-trusted");
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--subject",
                "CN=x", "--key-id", fresh.id(), "--cmp-server", cmp.server(fresh.cert()).url(), "--cmp-kur",
                lonely.id(), "--cmp-trusted", cmp.caPem().toString())
                .assertExit(ExitCode.INVALID_INPUT).assertErrContains("needs the current certificate");
        assertEquals(before, objects());
    }

    @Test
    void aWrongSharedSecretChangesNothing() throws Exception {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "wrong-secret", "ec:p256");
        CmpMockServer server = cmp.server(h.cert());
        Path wrong = Files.writeString(cmp.dir().resolve("wrong.secret"), "not-the-secret\n");
        ObjectSnapshot before = objects();
        List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                pinFile.toString(), "--key-id", h.id(), "--subject", "CN=x", "--cmp-server", server.url(),
                "--cmp-ref", CmpFixture.REF, "--cmp-secret-file", wrong.toString()));
        for (boolean verbose : new boolean[] {false, true}) {
            List<String> a = new ArrayList<>(args);
            if (verbose) {
                a.add(0, "--verbose");
            }
            CliResult r = new Cli(fixture).run(a.toArray(new String[0]));
            assertEquals(ExitCode.ISSUANCE.code(), r.exitCode(), r.both());
            r.assertErrContains("does not verify with the shared secret: wrong secret, or a secret for another"
                    + " reference value? (the server said, unauthenticated: rejection");
            r.assertErrContains(") (--cmp-ref)\n");
            assertFalse(r.err().contains("not-the-secret") || r.out().contains("not-the-secret"), r.both());
            if (!verbose) {
                r.assertOneLineError();
            }
        }
        assertEquals(before, objects());
        // a generated key is made only after the server was found listening, and rolled back here
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", "fresh",
                "--subject", "CN=x", "--cmp-server", server.url(), "--cmp-ref", CmpFixture.REF, "--cmp-secret-file",
                wrong.toString()).assertExit(ExitCode.ISSUANCE);
        assertEquals(before, objects());
    }

    @Test
    void nothingListeningChangesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ObjectSnapshot before = objects();
        String url = "http://127.0.0.1:" + port + "/pkix/";
        enroll(url, "--label", "unreachable").assertExit(ExitCode.ISSUANCE)
                .assertErrContains("Cannot reach the CMP server " + url + ": Connection refused");
        assertEquals(before, objects(), "checked before a key is generated");
    }

    /**
     * The read timeout is a deadline for the whole answer: a server trickling one byte a
     * second never leaves a read waiting 3 s, yet the enrollment ends after about 3 s with
     * exit 16 and the generated key pair rolled back (before, only the global --timeout
     * ended it, by halting the JVM with the key pair left on the token).
     */
    @Test
    void aTricklingServerMeetsTheReadDeadlineAndTheKeyPairIsRolledBack() {
        for (boolean trickleHeaders : new boolean[] {false, true}) {
            try (TricklingHttpServer server = new TricklingHttpServer(trickleHeaders, 40)) {
                ObjectSnapshot before = objects();
                long start = System.nanoTime();
                CliResult r = enroll(server.url(), "--label", "trickled", "--cmp-read-timeout", "3")
                        .assertExit(ExitCode.ISSUANCE)
                        .assertErrContains("The CMP server " + server.url() + " did not answer within 3 s (the read"
                                + " timeout, for the whole answer)");
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertTrue(seconds < 15, "bounded by the read timeout, not the 40 s trickle: " + seconds + " s");
                assertEquals(1, r.err().strip().lines().count(), "one line: " + r.both());
                assertEquals(before, objects(), "the generated key pair rolled back (headers trickled: "
                        + trickleHeaders + ")");
            }
        }
    }

    @Test
    void aCertificateForAnotherKeyIsRejectedAndRolledBack() {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "mismatch", "ec:p256");
        CmpMockServer server = cmp.server(cmp.certificateForAnotherKey());
        ObjectSnapshot before = objects();
        CliResult existing = enroll(server.url(), "--key-id", h.id()).assertExit(ExitCode.CERT_MISMATCH)
                .assertErrContains("is for another key (EC secp256r1), not for the key (id " + h.id() + ")");
        assertFalse(existing.err().contains("removed"), "it made nothing, so it claims no removal: " + existing.err());
        assertEquals(before, objects(), "nothing installed, the existing key kept");
        CliResult generated = enroll(server.url(), "--label", "generated").assertExit(ExitCode.CERT_MISMATCH)
                .assertErrContains("not for the new key (id ");
        // the error line says what the rollback removed: the pair it had generated
        String id = generated.err().replaceAll("(?s).*not for the new key \\(id ([0-9a-f]+)\\).*", "$1");
        generated.assertErrContains("; nothing is left behind: removed private key id=" + id + ", public key id="
                + id);
        assertEquals(before, objects(), "the generated key pair rolled back");
        // each time: ir, then a certConf rejecting the certificate, answered by pkiconf
        assertEquals(4, server.requests(), server.output());
        assertFalse(server.output().contains("error"), server.output());
    }

    @Test
    void aRejectionIsOneLineWithStatusFailureBitsAndText() {
        CmpFixture.Holder h = cmp.holder(TOKEN, pinFile, "rejected", "ec:p256");
        CmpMockServer server = cmp.server(h.cert(), "-pkistatus", "2", "-failurebits",
                Integer.toString((1 << 2) | (1 << 9)), "-statusstring", "not on the list");
        ObjectSnapshot before = objects();
        enroll(server.url(), "--key-id", h.id()).assertExit(ExitCode.ISSUANCE)
                .assertErrContains("tokenctl: The CA rejected the request: rejection (badRequest, badPOP):"
                        + " 'not on the list' (transaction ");
        assertEquals(before, objects());
    }

    @Test
    void optionsThatDoNotFitAreUsageErrors() {
        String[][] cases = {
            {"CMP needs --cmp-ref REF", "--cmp-server", "http://127.0.0.1:1/"},
            {"The --cmp-* options need --cmp-server URL", "--csr-out", "x.csr", "--cmp-ref", "r"},
            {"The --cmp-* options need --cmp-server URL", "--csr-out", "x.csr", "--cmp-secret-stdin"},
            {"exclude each other", "--cmp-server", "http://127.0.0.1:1/", "--cmp-ref", "r", "--csr-out", "x.csr"},
            {"CMP timeouts are whole seconds, at least 1; got 0", "--cmp-server", "http://127.0.0.1:1/", "--cmp-ref",
                "r", "--cmp-read-timeout", "0"},
            {"Only one secret can come from standard input", "--cmp-server", "http://127.0.0.1:1/", "--cmp-ref", "r",
                "--cmp-secret-stdin", "--pin-stdin"},
            {"--cmp-secret is not accepted: shared secrets are never taken from the command line", "--cmp-server",
                "http://127.0.0.1:1/", "--cmp-ref", "r", "--cmp-secret", CmpFixture.SECRET},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("enroll", "--label", "u", "--subject", "CN=u"));
            args.addAll(List.of(c).subList(1, c.length));
            CliResult r = new Cli(fixture).run(args.toArray(new String[0])).assertExit(ExitCode.USAGE)
                    .assertErrContains(c[0]);
            assertFalse(r.err().contains(CmpFixture.SECRET), r.both());
        }
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pinFile.toString(), "--label", "u",
                "--subject", "CN=u", "--cmp-server", "ftp://ca.example.com/cmp", "--cmp-ref", "r",
                "--cmp-secret-file", cmp.secretFile().toString()).assertExit(ExitCode.INVALID_INPUT)
                .assertErrContains("Invalid CMP server URL 'ftp://ca.example.com/cmp': not http or https");
    }
}
