package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Every PKCS#11 call of an enrollment (each issuing path) and of import-cert,
 * failed in turn with each fault (see {@link FaultSweep}): the token's objects are
 * exactly as before, or exactly as after success.
 */
@ExtendWith(SoftHsmExtension.class)
class EnrollFaultInjectionTest {

    private static final String TOKEN = "faults";
    private static final String PIN = "11223344";

    private static SoftHsmFixture fixture;
    private static Path pin;
    private static Path ca;
    private static Path caKey;
    private static final AtomicInteger RUN = new AtomicInteger();

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-pin-6", PIN);
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        ca = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()).assertOk();
    }

    /**
     * The token's objects, each reduced to its kind, label, usage and access flags:
     * every enrollment makes a new key (a new CKA_ID, a new certificate serial), so
     * "as after success" means the same objects of the same shape, not the same bytes.
     */
    private static String objects(SoftHsmFixture f) {
        return ObjectSnapshot.of(f, TOKEN, PIN).objects().stream()
                .map(block -> block.lines().filter(l -> !Character.isWhitespace(l.charAt(0))
                        || l.trim().startsWith("label:") || l.trim().startsWith("Usage:")
                        || l.trim().startsWith("Access:")).collect(Collectors.joining("\n")))
                .sorted().collect(Collectors.joining("\n--\n"));
    }

    /** The calls whose failure the sweep saw reported (not absorbed): proof that it reached the dangerous ones. */
    private static Set<String> reported(List<FaultSweep.Outcome> out) {
        return out.stream().filter(o -> o.result().exitCode() != 0).map(FaultSweep.Outcome::function)
                .collect(Collectors.toSet());
    }

    @Test
    void enrollWithALocalCa() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"enroll",
            "--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "holder", "--subject", "CN=Holder",
            "--key-spec", "ec:p256", "--ca-cert", ca.toString(), "--ca-key", caKey.toString()},
                EnrollFaultInjectionTest::objects);
        System.out.println(FaultSweep.summary("enroll (local CA)", out));
        Set<String> seen = reported(out);
        for (String call : List.of("C_GenerateKeyPair", "C_SetAttributeValue", "C_SignInit", "C_Sign",
                "C_CreateObject")) {
            assertTrue(seen.contains(call), call + " was failed and handled: " + seen);
        }
    }

    /**
     * The SM2 path under each SM2 profile's constants: the vendor's key-pair generation,
     * the read-back of the vendor key type, and signing in both modes (huada: the token
     * hashes with Z and answers DER; watchdata: raw SM2 over tokenctl's digest, r || s).
     */
    @ParameterizedTest
    @ValueSource(strings = {"huada", "watchdata"})
    void enrollAnSm2KeyWithALocalCa(String profile) {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, profile, Map.of()).sweep(() -> new String[] {"enroll",
            "--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "sm2-" + profile, "--subject",
            "CN=SM2 Holder", "--key-spec", "sm2", "--ca-cert", ca.toString(), "--ca-key", caKey.toString()},
                EnrollFaultInjectionTest::objects);
        System.out.println(FaultSweep.summary("enroll sm2 (" + profile + ", local CA)", out));
        Set<String> seen = reported(out);
        for (String call : List.of("C_GenerateKeyPair", "C_SetAttributeValue", "C_SignInit", "C_Sign",
                "C_CreateObject")) {
            assertTrue(seen.contains(call), call + " was failed and handled: " + seen);
        }
    }

    @Test
    void enrollOffline() {
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"enroll",
            "--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "offline", "--subject", "CN=Offline",
            "--key-spec", "rsa:2048", "--csr-out", fixture.root().resolve("req-" + RUN.incrementAndGet() + ".csr")
                .toString()}, EnrollFaultInjectionTest::objects);
        System.out.println(FaultSweep.summary("enroll --csr-out", out));
        assertTrue(reported(out).contains("C_GenerateKeyPair"));
    }

    /**
     * Over CMP against OpenSSL's mock server, with a key already on the token: a fault
     * anywhere (the request's signature, the proof of possession, storing the
     * certificate, the session's end) leaves the objects as before or as after, and the
     * key that was there before is there after every run.
     */
    @Test
    void enrollOverCmpWithAnExistingKey() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture)) {
            CmpFixture.Holder h = cmp.holder(TOKEN, pin, "cmp-holder", "ec:p256");
            CmpMockServer server = cmp.server(h.cert());
            List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                    pin.toString(), "--key-id", h.id(), "--subject", "CN=cmp-holder,O=Mock Bank"));
            args.addAll(cmp.options(server.url()));
            List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(
                    () -> args.toArray(new String[0]), EnrollFaultInjectionTest::objects);
            System.out.println(FaultSweep.summary("enroll --key-id over CMP", out));
            for (FaultSweep.Outcome o : out) {
                assertTrue(o.state().contains("Private Key Object; EC\n  label:      cmp-holder"),
                        "the existing key survives a fault at call " + o.call() + " (" + o.function() + "), "
                                + o.fault() + ":\n" + o.state());
            }
            Set<String> seen = reported(out);
            // (not C_GetAttributeValue: the wrapper retries a failed multi-attribute read one attribute at a time,
            // so a single fault there does not surface)
            for (String call : List.of("C_FindObjectsInit", "C_FindObjects", "C_SignInit", "C_Sign",
                    "C_CreateObject")) {
                assertTrue(seen.contains(call), call + " was failed and handled: " + seen);
            }
        }
    }

    /**
     * Over CMP with a key generated by the enrollment, the usual path: a fault before
     * the certificate is stored rolls the new key pair back; the mock answers (through
     * {@link CertifyingCmpFront}) with a certificate for whichever key the request carries.
     */
    @Test
    void enrollOverCmpWithANewKey() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture);
             CertifyingCmpFront front = cmp.certifyingServer("/O=Mock Bank/CN=cmp-new")) {
            List<String> args = new ArrayList<>(List.of("enroll", "--token-label", TOKEN, "--pin-file",
                    pin.toString(), "--label", "cmp-new", "--subject", "CN=cmp-new,O=Mock Bank"));
            args.addAll(cmp.options(front.url()));
            List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(
                    () -> args.toArray(new String[0]), EnrollFaultInjectionTest::objects);
            System.out.println(FaultSweep.summary("enroll over CMP (new key)", out));
            assertTrue(front.problems().isEmpty(), front.problems().toString());
            Set<String> seen = reported(out);
            for (String call : List.of("C_GenerateKeyPair", "C_SetAttributeValue", "C_SignInit", "C_Sign",
                    "C_CreateObject")) {
                assertTrue(seen.contains(call), call + " was failed and handled: " + seen);
            }
        }
    }

    /**
     * A CMP key update to a new key: the request is signed with the current key, the
     * new pair is generated, proved and certified. A fault anywhere leaves the objects as
     * before or as after, and the current key and its certificate are there after every run.
     */
    @Test
    void enrollOverCmpKeyUpdate() throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture)) {
            CmpFixture.Holder current = cmp.holder(TOKEN, pin, "kur-current", "ec:p256");
            // OpenSSL 3.0's mock matches oldCertID against the certificate it answers with: same serial
            Path currentCert = cmp.certify(cmp.requestOf("kur-current"), "kur-current-fixed", "4711");
            new Cli(fixture).run("import-cert", "--token-label", TOKEN, "--pin-file", pin.toString(), "--cert",
                    currentCert.toString()).assertOk();
            Path[] srv = cmp.serverSigner("kur-sweep-ra");
            try (CertifyingCmpFront front = cmp.certifyingKeyUpdateServer("/O=Mock Bank/CN=kur-new", "4711", srv[0],
                    srv[1], cmp.caPem())) {
                String[] args = {"enroll", "--token-label", TOKEN, "--pin-file", pin.toString(), "--label",
                    "kur-new", "--subject", "CN=kur-new,O=Mock Bank", "--cmp-server", front.url(), "--cmp-kur",
                    current.id(), "--cmp-trusted", cmp.caPem().toString()};
                List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(args::clone,
                        EnrollFaultInjectionTest::objects);
                System.out.println(FaultSweep.summary("enroll --cmp-kur (new key)", out));
                assertTrue(front.problems().isEmpty(), front.problems().toString());
                for (FaultSweep.Outcome o : out) {
                    for (String kind : List.of("Private Key Object", "Certificate Object")) {
                        assertTrue(Arrays.stream(o.state().split("\n--\n")).anyMatch(b -> b.startsWith(kind)
                                        && b.contains("label:      kur-current")),
                                "the current key and certificate survive a fault at call " + o.call() + " ("
                                        + o.function() + "), " + o.fault() + ":\n" + o.state());
                    }
                }
                Set<String> seen = reported(out);
                for (String call : List.of("C_FindObjectsInit", "C_FindObjects", "C_GenerateKeyPair", "C_SignInit",
                        "C_Sign", "C_CreateObject")) {
                    assertTrue(seen.contains(call), call + " was failed and handled: " + seen);
                }
            }
        }
    }

    @Test
    void importCert() throws Exception {
        Path csr = fixture.root().resolve("import.csr");
        new Cli(fixture).run("enroll", "--token-label", TOKEN, "--pin-file", pin.toString(), "--label", "later",
                "--subject", "CN=Later", "--key-spec", "ec:p256", "--csr-out", csr.toString()).assertOk();
        Path cert = fixture.root().resolve("import.pem");
        fixture.run(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-days", "30", "-out", cert.toString())).assertOk();
        List<FaultSweep.Outcome> out = new FaultSweep(fixture, Map.of()).sweep(() -> new String[] {"import-cert",
            "--token-label", TOKEN, "--pin-file", pin.toString(), "--cert", cert.toString(), "--chain",
            ca.toString()}, EnrollFaultInjectionTest::objects);
        System.out.println(FaultSweep.summary("import-cert", out));
        assertTrue(reported(out).contains("C_CreateObject"));
    }
}
