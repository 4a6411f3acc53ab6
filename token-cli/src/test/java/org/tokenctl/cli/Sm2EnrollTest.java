package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.profile.ProfileRegistry;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * SM2 keys and SM3withSM2 signatures on the vendor emulator, under each SM2
 * profile's constants: huada (the token computes Z and SM3 and answers DER) and
 * watchdata (tokenctl computes e = SM3(Z || M), the token answers r || s). Every
 * request is checked by OpenSSL ({@code req -verify} with the default user ID) and
 * BouncyCastle, every certificate by {@code openssl verify}, and a signature made
 * by the token key through the library by {@code openssl dgst -sm3}.
 */
@ExtendWith(SoftHsmExtension.class)
class Sm2EnrollTest {

    private static final String PIN = "24681357";
    private static final String DIST_ID = "distid:1234567812345678";
    private static SoftHsmFixture fixture;
    private static Path pinFile;
    private static Path ca;
    private static Path caKey;
    private static Path noGuard;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        for (String label : new String[] {"sm2-huada", "sm2-wdata", "sm2-plain", "sm2-gdtok"}) {
            f.initToken(label, "so-pin-sm2", PIN);
        }
        pinFile = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        noGuard = Files.writeString(f.root().resolve("no-guard.properties"), "guard.enabled = false\n");
        ca = f.root().resolve("ca.pem");
        caKey = f.root().resolve("ca.key");
        new Cli(f).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString(), "--subject",
                "CN=SM2 Test CA,O=Example Bank").assertOk();
    }

    private static String token(String profile) {
        return profile.equals("huada") ? "sm2-huada" : "sm2-wdata";
    }

    private static Cli cli(String profile) {
        return new Cli(fixture).module(fixture.emulateProfile(profile, Map.of()))
                .env("TOKENCTL_CONFIG", noGuard.toString());
    }

    private static String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().both();
    }

    @ParameterizedTest
    @ValueSource(strings = {"huada", "watchdata"})
    void aRequestSignedOnTheTokenVerifiesWithOpenSslAndBouncyCastle(String profile) throws Exception {
        Path csr = fixture.root().resolve(profile + ".csr");
        JsonNode r = cli(profile).run("enroll", "--token-label", token(profile), "--pin-file", pinFile.toString(),
                "--label", "req-" + profile, "--subject", "CN=SM2 Request,O=Example Bank", "--key-spec", "sm2",
                "--csr-out", csr.toString(), "--json").assertOk().json();
        JsonNode key = r.get("key");
        assertEquals("SM2", key.get("algorithm").asText());
        assertEquals("sm2p256v1", key.get("curve").asText());
        assertEquals("SM3withSM2", key.get("signatureAlgorithm").asText());
        assertTrue(key.get("verified").get("neverExtractable").asBoolean(), key.toString());

        String verified = openssl("req", "-in", csr.toString(), "-noout", "-verify", "-vfyopt", DIST_ID, "-text");
        assertTrue(verified.contains("verify OK"), verified);
        assertTrue(verified.contains("ASN1 OID: SM2") && verified.contains("SM2-with-SM3"), verified);
        // without the default user ID OpenSSL 3 computes another Z: the signature really binds it
        assertFalse(OpenSsl.run(fixture, "req", "-in", csr.toString(), "-noout", "-verify", "-vfyopt",
                "distid:0000000000000000").both().contains("verify OK"));

        try (PEMParser p = new PEMParser(Files.newBufferedReader(csr))) {
            PKCS10CertificationRequest req = (PKCS10CertificationRequest) p.readObject();
            assertEquals(GMObjectIdentifiers.sm2sign_with_sm3, req.getSignatureAlgorithm().getAlgorithm());
            assertTrue(req.isSignatureValid(PublicKeys.verifier(req.getSubjectPublicKeyInfo())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"huada", "watchdata"})
    void theLocalCaCertifiesTheKeyAndTheTokenKeySignsWhatOpenSslVerifies(String profile) throws Exception {
        String label = "cert-" + profile;
        JsonNode r = cli(profile).run("enroll", "--token-label", token(profile), "--pin-file", pinFile.toString(),
                "--label", label, "--subject", "CN=SM2 Holder,O=Example Bank", "--key-spec", "sm2", "--ca-cert",
                ca.toString(), "--ca-key", caKey.toString(), "--json").assertOk().json();
        String id = r.get("key").get("id").asText();
        Path cert = Files.writeString(fixture.root().resolve(label + ".pem"), cli(profile).run("export-cert",
                "--token-label", token(profile), "--id", id).assertOk().out());
        assertTrue(openssl("verify", "-CAfile", ca.toString(), cert.toString()).contains(": OK"));
        assertTrue(openssl("x509", "-in", cert.toString(), "-noout", "-text").contains("ASN1 OID: SM2"));

        // list shows the key as SM2, read through the vendor's key type
        JsonNode list = cli(profile).run("list", "--token-label", token(profile), "--objects", "--pin-file",
                pinFile.toString(), "--json").assertOk().json();
        assertTrue(list.toString().contains("\"SM2\""), list.toString());

        // a signature by the token key, through the library, as any application would make one
        byte[] data = ("signed on " + profile).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try (Pkcs11Module m = Pkcs11Module.open(fixture.emulateProfile(profile, Map.of()))) {
            Token t = m.token(TokenSelector.label(token(profile)));
            t.useSm2(ProfileRegistry.builtIn().get(profile).sm2());
            try (TokenSession s = t.openSession(false); Pin pin = Pin.wrap(PIN.toCharArray())) {
                s.login(UserType.USER, pin, LoginOptions.defaults(AttemptGuard.disabled()));
                long[] keys = s.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).id(HexFormat.of().parseHex(id)));
                assertEquals(1, keys.length);
                long[] pubs = s.find(Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).id(HexFormat.of().parseHex(id)));
                SubjectPublicKeyInfo spki = PublicKeys.read(s, pubs[0]);
                TokenContentSigner signer = new TokenContentSigner(s, keys[0], SignatureAlgorithm.SM3_WITH_SM2,
                        spki);
                try (OutputStream out = signer.getOutputStream()) {
                    out.write(data);
                }
                signature = signer.getSignature();
            }
        }
        Path dataFile = Files.write(fixture.root().resolve(label + ".data"), data);
        Path sigFile = Files.write(fixture.root().resolve(label + ".sig"), signature);
        Path pub = fixture.root().resolve(label + ".pub");
        openssl("x509", "-in", cert.toString(), "-noout", "-pubkey", "-out", pub.toString());
        assertTrue(openssl("dgst", "-sm3", "-verify", pub.toString(), "-sigopt", DIST_ID, "-signature",
                sigFile.toString(), dataFile.toString()).contains("Verified OK"));
        data[0] ^= 1;
        Files.write(dataFile, data);
        assertFalse(OpenSsl.run(fixture, "dgst", "-sm3", "-verify", pub.toString(), "-sigopt", DIST_ID,
                "-signature", sigFile.toString(), dataFile.toString()).both().contains("Verified OK"));
    }

    @Test
    void theEmulatorNeverRevealsTheSm2PrivateKey() throws Exception {
        JsonNode r = cli("huada").run("enroll", "--token-label", "sm2-huada", "--pin-file", pinFile.toString(),
                "--label", "hidden", "--subject", "CN=Hidden", "--key-spec", "sm2", "--csr-out",
                fixture.root().resolve("hidden.csr").toString(), "--json").assertOk().json();
        byte[] id = HexFormat.of().parseHex(r.get("key").get("id").asText());
        try (Pkcs11Module m = Pkcs11Module.open(fixture.emulateProfile("huada", Map.of()))) {
            Token t = m.token(TokenSelector.label("sm2-huada"));
            try (TokenSession s = t.openSession(false); Pin pin = Pin.wrap(PIN.toCharArray())) {
                s.login(UserType.USER, pin, LoginOptions.defaults(AttemptGuard.disabled()));
                long key = s.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).id(id))[0];
                Attributes a = s.attributes(key, Pkcs11.CKA_KEY_TYPE, Pkcs11.CKA_VALUE, Pkcs11.CKA_SENSITIVE,
                        Pkcs11.CKA_EXTRACTABLE, Pkcs11.CKA_EC_POINT);
                assertEquals(0x80000004L, a.number(Pkcs11.CKA_KEY_TYPE));
                assertEquals(null, a.bytes(Pkcs11.CKA_VALUE), "CKA_VALUE is sensitive");
                assertEquals(Boolean.TRUE, a.bool(Pkcs11.CKA_SENSITIVE));
                assertEquals(Boolean.FALSE, a.bool(Pkcs11.CKA_EXTRACTABLE));
                // huada's private key carries its point (SM2_PRIVATEKEY_ECPOINT): the public key object's
                long pub = s.find(Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).id(id))[0];
                assertNotNull(a.bytes(Pkcs11.CKA_EC_POINT));
                assertArrayEquals(s.attributes(pub, Pkcs11.CKA_EC_POINT).bytes(Pkcs11.CKA_EC_POINT),
                        a.bytes(Pkcs11.CKA_EC_POINT));
            }
        }
    }

    @Test
    void withoutVendorSm2ConstantsSm2IsRefusedBeforeAnyLogin() throws Exception {
        // a wrong PIN: the refusal must come before the login would have spent it
        Path wrong = Files.writeString(fixture.root().resolve("wrong.pin"), "99999999\n");
        String before = fixture.pkcs11Tool("--token-label", "sm2-plain", "--login", "--pin", PIN, "--list-objects")
                .assertOk().stdout();
        CliResult plain = new Cli(fixture).run("enroll", "--token-label", "sm2-plain", "--pin-file",
                wrong.toString(), "--label", "nope", "--subject", "CN=Nope", "--key-spec", "sm2", "--csr-out",
                fixture.root().resolve("nope.csr").toString());
        assertEquals(ExitCode.NOT_SUPPORTED.code(), plain.exitCode(), plain.both());
        plain.assertOneLineError().assertErrContains("no vendor SM2 constants");
        CliResult gd = cli("gd").run("enroll", "--token-label", "sm2-gdtok", "--pin-file", wrong.toString(),
                "--label", "nope", "--subject", "CN=Nope", "--key-spec", "sm2", "--csr-out",
                fixture.root().resolve("nope2.csr").toString());
        assertEquals(ExitCode.NOT_SUPPORTED.code(), gd.exitCode(), gd.both());
        assertEquals(before, fixture.pkcs11Tool("--token-label", "sm2-plain", "--login", "--pin", PIN,
                "--list-objects").assertOk().stdout(), "nothing made");
        assertFalse(Files.exists(fixture.root().resolve("nope.csr")));

        // mechanisms says why, per token
        JsonNode mech = new Cli(fixture).run("mechanisms", "--token-label", "sm2-plain", "--json").assertOk().json();
        for (JsonNode s : mech.get("keySpecs")) {
            if (s.get("spec").asText().equals("sm2")) {
                assertFalse(s.get("supported").asBoolean());
                assertTrue(s.get("reason").asText().contains("SM2 is not standard PKCS#11"), s.toString());
            }
        }
        JsonNode huada = cli("huada").run("mechanisms", "--token-label", "sm2-huada", "--json").assertOk().json();
        assertTrue(huada.get("keySpecs").toString().contains("{\"spec\":\"sm2\",\"supported\":true"),
                huada.toString());
    }

    @Test
    void sm2SignsWithSm3Only() {
        CliResult r = cli("huada").run("enroll", "--token-label", "sm2-huada", "--pin-file", pinFile.toString(),
                "--label", "hash", "--subject", "CN=Hash", "--key-spec", "sm2", "--hash", "sha256", "--csr-out",
                fixture.root().resolve("hash.csr").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.exitCode(), r.both());
        r.assertOneLineError().assertErrContains("signs with SM3");
        CliResult rsa = cli("huada").run("enroll", "--token-label", "sm2-huada", "--pin-file", pinFile.toString(),
                "--label", "hash", "--subject", "CN=Hash", "--key-spec", "rsa:2048", "--hash", "sm3", "--csr-out",
                fixture.root().resolve("hash2.csr").toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), rsa.exitCode(), rsa.both());
    }

    /**
     * Checks a certificate's SM3withSM2 signature by its CA with OpenSSL: {@code openssl verify}
     * (OpenSSL 3.0) computes no Z for SM2 certificate signatures and so rejects GM/T 0015
     * certificates, which use the default user ID; {@code openssl dgst -sm3 -sigopt distid:}
     * checks the signature over the to-be-signed part, which BouncyCastle only cuts out.
     */
    private static boolean opensslVerifiesSm2Signature(Path cert, Path caCert, String distId) throws Exception {
        org.bouncycastle.asn1.x509.Certificate c;
        try (PEMParser p = new PEMParser(Files.newBufferedReader(cert))) {
            c = ((org.bouncycastle.cert.X509CertificateHolder) p.readObject()).toASN1Structure();
        }
        String name = cert.getFileName().toString();
        Path tbs = Files.write(fixture.root().resolve(name + ".tbs"), c.getTBSCertificate().getEncoded("DER"));
        Path sig = Files.write(fixture.root().resolve(name + ".sig"), c.getSignature().getOctets());
        Path caPub = fixture.root().resolve(name + ".ca.pub");
        openssl("x509", "-in", caCert.toString(), "-noout", "-pubkey", "-out", caPub.toString());
        return OpenSsl.run(fixture, "dgst", "-sm3", "-verify", caPub.toString(), "-sigopt", "distid:" + distId,
                "-signature", sig.toString(), tbs.toString()).both().contains("Verified OK");
    }

    @Test
    void aCaWithAnSm2KeyIssuesSm3WithSm2Certificates() throws Exception {
        Path smCa = fixture.root().resolve("sm2-ca.pem");
        Path smCaKey = fixture.root().resolve("sm2-ca.key");
        new Cli(fixture).run("ca", "init", "--out-cert", smCa.toString(), "--out-key", smCaKey.toString(),
                "--subject", "CN=SM2 Root,O=Example Bank", "--key-spec", "sm2").assertOk();
        String caText = openssl("x509", "-in", smCa.toString(), "-noout", "-text");
        assertTrue(caText.contains("SM2-with-SM3") && caText.contains("ASN1 OID: SM2"), caText);
        assertTrue(opensslVerifiesSm2Signature(smCa, smCa, "1234567812345678"), "self-signed with the default ID");

        JsonNode r = cli("watchdata").run("enroll", "--token-label", "sm2-wdata", "--pin-file", pinFile.toString(),
                "--label", "by-sm2-ca", "--subject", "CN=By SM2 CA", "--key-spec", "sm2", "--ca-cert",
                smCa.toString(), "--ca-key", smCaKey.toString(), "--json").assertOk().json();
        Path cert = Files.writeString(fixture.root().resolve("by-sm2-ca.pem"), cli("watchdata").run("export-cert",
                "--token-label", "sm2-wdata", "--id", r.get("key").get("id").asText()).assertOk().out());
        assertTrue(openssl("x509", "-in", cert.toString(), "-noout", "-text").contains("SM2-with-SM3"));
        assertTrue(opensslVerifiesSm2Signature(cert, smCa, "1234567812345678"));
        assertFalse(opensslVerifiesSm2Signature(cert, smCa, "0000000000000000"), "Z binds the user ID");
        try (PEMParser p = new PEMParser(Files.newBufferedReader(cert))) {
            org.bouncycastle.cert.X509CertificateHolder h = (org.bouncycastle.cert.X509CertificateHolder) p.readObject();
            try (PEMParser q = new PEMParser(Files.newBufferedReader(smCa))) {
                SubjectPublicKeyInfo caKey = ((org.bouncycastle.cert.X509CertificateHolder) q.readObject())
                        .getSubjectPublicKeyInfo();
                assertTrue(h.isSignatureValid(PublicKeys.verifier(caKey)));
            }
        }
    }

    @Test
    void aPkcs12FileWithAnSm2KeyIsOneOpenSslReads() throws Exception {
        Path p12 = fixture.root().resolve("sm2.p12");
        Path password = Files.writeString(fixture.root().resolve("p12.pw"), "p12-password-sm2\n");
        new Cli(fixture).run("enroll", "--medium", "p12", "--out", p12.toString(), "--password-file",
                password.toString(), "--label", "soft-sm2", "--subject", "CN=Soft SM2", "--key-spec", "sm2",
                "--ca-cert", ca.toString(), "--ca-key", caKey.toString()).assertOk();
        Path pem = fixture.root().resolve("sm2-p12.pem");
        openssl("pkcs12", "-in", p12.toString(), "-passin", "file:" + password, "-nodes", "-out", pem.toString());
        String keyPub = openssl("pkey", "-in", pem.toString(), "-pubout");
        String certPub = openssl("x509", "-in", pem.toString(), "-noout", "-pubkey");
        assertEquals(certPub.trim(), keyPub.trim(), "the file's key is the certified one");
        assertTrue(openssl("x509", "-in", pem.toString(), "-noout", "-text").contains("ASN1 OID: SM2"));
        assertTrue(openssl("verify", "-CAfile", ca.toString(), pem.toString()).contains(": OK"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"huada", "watchdata"})
    void anSm2KeyWaitingForItsCertificateGetsItByImportOrByKeyId(String profile) throws Exception {
        // offline: the request goes to a CA (here OpenSSL's x509 -req, which checks it with the default ID)
        Path csr = fixture.root().resolve("offline-" + profile + ".csr");
        String id = cli(profile).run("enroll", "--token-label", token(profile), "--pin-file", pinFile.toString(),
                "--label", "offline-" + profile, "--subject", "CN=Offline SM2", "--key-spec", "sm2", "--csr-out",
                csr.toString(), "--json").assertOk().json().get("key").get("id").asText();
        Path answer = fixture.root().resolve("offline-" + profile + ".pem");
        openssl("x509", "-req", "-in", csr.toString(), "-vfyopt", DIST_ID, "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-days", "30", "-out", answer.toString());
        JsonNode imported = cli(profile).run("import-cert", "--token-label", token(profile), "--pin-file",
                pinFile.toString(), "--cert", answer.toString(), "--json").assertOk().json();
        assertTrue(imported.toString().contains(id), imported.toString());
        Path onToken = Files.writeString(fixture.root().resolve("offline-" + profile + ".on-token.pem"),
                cli(profile).run("export-cert", "--token-label", token(profile), "--id", id).assertOk().out());
        assertEquals(openssl("x509", "-in", answer.toString(), "-noout", "-fingerprint", "-sha256"),
                openssl("x509", "-in", onToken.toString(), "-noout", "-fingerprint", "-sha256"),
                "the CA's answer is installed beside the SM2 key");

        // an existing SM2 key enrolled by id: the key stays, its certificate is installed beside it
        String other = cli(profile).run("enroll", "--token-label", token(profile), "--pin-file", pinFile.toString(),
                "--label", "by-id-" + profile, "--subject", "CN=By Id", "--key-spec", "sm2", "--csr-out",
                fixture.root().resolve("by-id-" + profile + ".csr").toString(), "--json").assertOk().json()
                .get("key").get("id").asText();
        JsonNode r = cli(profile).run("enroll", "--token-label", token(profile), "--pin-file", pinFile.toString(),
                "--key-id", other, "--subject", "CN=By Id", "--ca-cert", ca.toString(), "--ca-key",
                caKey.toString(), "--json").assertOk().json();
        assertEquals(other, r.get("key").get("id").asText());
        assertEquals("sm2", r.get("key").get("keySpec").asText());
        Path cert = Files.writeString(fixture.root().resolve("by-id-" + profile + ".pem"), cli(profile).run(
                "export-cert", "--token-label", token(profile), "--id", other).assertOk().out());
        assertTrue(openssl("verify", "-CAfile", ca.toString(), cert.toString()).contains(": OK"));
    }

    /**
     * Over CMP (an ir to OpenSSL's mock server through a certifying RA front): the proof
     * of possession is signed by the SM2 key on the token with SM3withSM2. OpenSSL 3.0's
     * mock checks SM2 proofs with an empty user ID, not GM/T 0009's default, and rejects
     * them (badPOP), as it would a conformant client's; so the front checks the proof
     * with BouncyCastle (default user ID) and passes the request on as raVerified, as a
     * registration authority does. That the mock really refuses it is checked too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"huada", "watchdata"})
    void overCmpTheTokenProvesPossessionOfTheSm2Key(String profile) throws Exception {
        try (CmpFixture cmp = new CmpFixture(fixture);
             CertifyingCmpFront front = cmp.certifyingRa("/O=Mock Bank/CN=cmp-sm2-" + profile);
             CertifyingCmpFront direct = cmp.certifyingServer("/O=Mock Bank/CN=cmp-sm2-" + profile)) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("enroll", "--token-label",
                    token(profile), "--pin-file", pinFile.toString(), "--label", "cmp-" + profile, "--subject",
                    "CN=cmp-sm2-" + profile + ",O=Mock Bank", "--key-spec", "sm2", "--json"));
            java.util.List<String> toMock = new java.util.ArrayList<>(args);
            toMock.addAll(cmp.options(direct.url()));
            CliResult refused = cli(profile).run(toMock.toArray(new String[0]));
            assertEquals(ExitCode.ISSUANCE.code(), refused.exitCode(), refused.both());
            refused.assertOneLineError().assertErrContains("badPOP");
            assertEquals(1, direct.provedPossession(), "BouncyCastle accepted the proof OpenSSL 3.0 refused");

            args.addAll(cmp.options(front.url()));
            JsonNode r = cli(profile).run(args.toArray(new String[0])).assertOk().json();
            assertTrue(front.problems().isEmpty(), front.problems().toString());
            assertEquals(1, front.provedPossession(), "the front checked one SM2 proof of possession");
            String id = r.get("key").get("id").asText();
            Path cert = Files.writeString(fixture.root().resolve("cmp-" + profile + ".pem"), cli(profile).run(
                    "export-cert", "--token-label", token(profile), "--id", id).assertOk().out());
            assertTrue(openssl("verify", "-CAfile", cmp.caPem().toString(), cert.toString()).contains(": OK"));
            assertTrue(openssl("x509", "-in", cert.toString(), "-noout", "-text").contains("ASN1 OID: SM2"));
        }
    }
}
