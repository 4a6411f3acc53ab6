package org.tokenctl.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateMismatchException;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.filemedium.Pkcs12Medium;
import org.tokenctl.core.issue.Acknowledgement;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Enrolling a key pair that was on the token before (made by pkcs11-tool, not by
 * tokenctl): the certificate lands beside it, and no failure ever deletes it.
 */
@ExtendWith(SoftHsmExtension.class)
class ExistingKeyEnrollmentTest {

    private static final String TOKEN = "existing";
    private static final String PIN = "864209";
    private static SoftHsmFixture fixture;
    private static OpenToken token;
    private static DemoCa ca;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken(TOKEN, "so-" + PIN, PIN);
        keypair("EC:prime256v1", "0b01", "pre-ec", "--usage-sign");
        keypair("rsa:2048", "0b02", "pre-rsa", "--usage-sign");
        keypair("EC:prime256v1", "0b03", "extractable", "--usage-sign", "--extractable");
        keypair("rsa:1024", "0b05", "short", "--usage-sign");
        keypair("EC:prime256v1", "0b06", "no-public", "--usage-sign");
        f.pkcs11Tool("--token-label", TOKEN, "--login", "--pin", PIN, "--delete-object", "--type", "pubkey",
                "--id", "0b06").assertOk();
        token = OpenToken.open(f, TOKEN, PIN);
        // pkcs11-tool cannot make a key without CKA_SIGN (SoftHSM defaults it to true): the session can
        Attributes priv = Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).number(Pkcs11.CKA_KEY_TYPE, Pkcs11.CKK_EC)
                .bool(Pkcs11.CKA_TOKEN, true).bool(Pkcs11.CKA_PRIVATE, true).bool(Pkcs11.CKA_SENSITIVE, true)
                .bool(Pkcs11.CKA_EXTRACTABLE, false).bool(Pkcs11.CKA_SIGN, false).bool(Pkcs11.CKA_DERIVE, true)
                .id(new byte[] {0x0b, 0x04}).label("no-sign");
        Attributes pub = Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).number(Pkcs11.CKA_KEY_TYPE, Pkcs11.CKK_EC)
                .bool(Pkcs11.CKA_TOKEN, true).bytes(Pkcs11.CKA_EC_PARAMS, SECObjectIdentifiers.secp256r1.getEncoded())
                .id(new byte[] {0x0b, 0x04}).label("no-sign");
        token.session().generateKeyPair(Pkcs11.CKM_EC_KEY_PAIR_GEN, pub, priv);
        ca = DemoCa.create(SubjectName.parse("CN=Existing Key CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
    }

    private static void keypair(String type, String id, String label, String... usage) {
        List<String> args = new ArrayList<>(List.of("--token-label", TOKEN, "--login", "--pin", PIN,
                "--keypairgen", "--key-type", type, "--id", id, "--label", label));
        args.addAll(List.of(usage));
        fixture.pkcs11Tool(args.toArray(new String[0])).assertOk();
    }

    @AfterAll
    static void tearDown() {
        token.close();
    }

    private static EnrollmentRequest request(String id, String label) throws Exception {
        return new EnrollmentRequest(new KeySource.Existing(KeyId.parse(id)), null, label,
                SubjectName.parse("CN=" + id + ",O=Example Bank"), null, false);
    }

    private static LocalCa localCa() throws InvalidInputException {
        return new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC());
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static EnrollmentResult enroll(String id, String label, CertificateIssuer issuer) throws TokenctlException {
        try {
            return Enrollment.run(new TokenMedium(token.session()), request(id, label), issuer);
        } catch (TokenctlException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCertificateLandsBesideTheExistingKeyWithItsIdAndLabel() throws Exception {
        ObjectSnapshot before = objects();
        EnrollmentResult r = enroll("0b02", null, localCa());
        assertFalse(r.generated());
        assertEquals(KeySpec.RSA_2048, r.keySpec());
        assertEquals("0b02", r.id().hex());
        assertEquals("pre-rsa", r.label());
        assertTrue(r.verified().nonExportable());
        assertTrue(r.verified().decrypt(), "a usage pkcs11-tool set is reported as read, not required");
        ObjectSnapshot after = objects();
        assertEquals(before.size() + 1, after.size(), after.toString());
        String cert = after.ofKind("Certificate Object").stream().filter(b -> b.contains("ID:         0b02"))
                .findFirst().orElseThrow(() -> new AssertionError(after.toString()));
        assertTrue(cert.contains("label:      pre-rsa"), cert);
    }

    @Test
    void noFailureEverDeletesTheExistingKey() throws Exception {
        ObjectSnapshot before = objects();
        IssuanceException refused = new IssuanceException("test CA", "refused");
        assertEquals(refused, assertThrows(IssuanceException.class, () -> enroll("0b01", "x", req -> {
            throw refused;
        })));
        assertEquals(before, objects());

        // a certificate for another key: rejected, nothing installed, the key stays
        CertificateIssuer another = req -> {
            Issuance.Issued other = (Issuance.Issued) localCa().issue(new CertificateRequest(generatedElsewhere(),
                    null));
            return new Issuance.Issued(other.certificate(), List.of(), Acknowledgement.NONE);
        };
        CertificateMismatchException mismatch = assertThrows(CertificateMismatchException.class,
                () -> enroll("0b01", "x", another));
        assertTrue(mismatch.getMessage().endsWith("not for the key (id 0b01)"), mismatch.getMessage());
        assertEquals(before, objects());

        // the CA never confirms: the installed certificate goes, the key stays
        assertThrows(IssuanceException.class, () -> enroll("0b01", "x", new UnconfirmingIssuer(localCa(), refused)));
        assertEquals(before, objects());
    }

    /** A request for a software key: what a CA would certify if it mixed up its requests. */
    private static PKCS10CertificationRequest generatedElsewhere() throws TokenctlException {
        KeyPair kp = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        try {
            return CsrBuilder.build(SubjectName.parse("CN=elsewhere"), null,
                    SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()),
                    new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keysThatDoNotQualifyAreRefusedNamingTheReason() throws Exception {
        ObjectSnapshot before = objects();
        String[][] cases = {
            {"0b03", "The private key with id 0b03 reports CKA_EXTRACTABLE=true: tokenctl enrolls only keys that"
                + " never left the token and never can (needs CKA_EXTRACTABLE=false)"},
            {"0b04", "The private key with id 0b04 reports CKA_SIGN=false: it cannot sign a certificate request"
                + " (needs CKA_SIGN=true)"},
            {"0b05", "The key is RSA 1024, which tokenctl does not enroll (valid: rsa:2048, rsa:3072, rsa:4096,"
                + " ec:p256, ec:p384, sm2)"},
            {"0b06", "The private key with id 0b06 has no public key object with the same id (an EC private key does"
                + " not carry its public key)"},
        };
        for (String[] c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> enroll(c[0], null, localCa()),
                    c[0]);
            assertEquals(c[1], e.getMessage());
            assertEquals("key-id", e.field());
        }
        String missing = assertThrows(InvalidInputException.class, () -> enroll("0bff", null, localCa()))
                .getMessage();
        assertTrue(missing.startsWith("No private key with id 0bff on the token (private keys: "), missing);
        assertTrue(missing.contains("0b01 'pre-ec'"), missing);
        assertEquals(before, objects());
    }

    @Test
    void theFileMediumMakesItsOwnKey() throws Exception {
        try (Pin pw = Pin.wrap("file-password".toCharArray())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Enrollment.run(
                    new Pkcs12Medium(fixture.root().resolve("x.p12"), pw, false), request("0b01", "x"), localCa()));
            assertTrue(e.getMessage().contains("an existing key can be enrolled on its token only"));
        }
    }
}
