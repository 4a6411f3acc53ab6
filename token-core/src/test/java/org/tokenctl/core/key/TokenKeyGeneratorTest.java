package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tokenctl.core.UnsupportedByTokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** On-token key generation on SoftHSM, cross-checked with pkcs11-tool and OpenSSL's pkcs11 engine. */
@ExtendWith(SoftHsmExtension.class)
class TokenKeyGeneratorTest {

    private static final String TOKEN = "keygen";
    private static final String PIN = "246810";
    private static SoftHsmFixture fixture;
    private static OpenToken token;
    private static TokenSession session;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        token = OpenToken.init(f, TOKEN, PIN);
        session = token.session();
    }

    @AfterAll
    static void tearDown() {
        token.close();
    }

    /** SoftHSM has no SM2 (its path runs on the vendor emulator: token-cli's Sm2EnrollTest). */
    @Test
    void sm2IsRefusedWhereNothingGivesTheVendorsConstants() throws Exception {
        ObjectSnapshot before = ObjectSnapshot.of(fixture, TOKEN, PIN);
        UnsupportedByTokenException e = assertThrows(UnsupportedByTokenException.class,
                () -> TokenKeyGenerator.generate(session, KeySpec.SM2, SignatureAlgorithm.SM3_WITH_SM2, null, "sm2"));
        assertTrue(e.getMessage().startsWith("SM2 is not standard PKCS#11"), e.getMessage());
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN));
    }

    @ParameterizedTest
    @EnumSource(value = KeySpec.class, names = "SM2", mode = EnumSource.Mode.EXCLUDE)
    void everySpecMakesAVerifiedNonExportableKeyWithTheNssId(KeySpec spec) throws Exception {
        String label = "gen-" + spec.spec();
        TokenKeyPair pair = TokenKeyGenerator.generate(session, spec, spec.signatureAlgorithm(null), null, label);

        assertTrue(pair.verified().nonExportable(), pair.verified().toString());
        assertEquals(Boolean.TRUE, pair.verified().sign());
        assertEquals(List.of(), KeyProtection.violations(pair.verified()));
        assertEquals(spec.describe(), PublicKeys.describe(pair.publicKeyInfo()));

        // OpenSSL's pkcs11 engine reads the same public key from the token by the id we set
        String pem = OpenSsl.publicKeyPem(fixture, TOKEN, pair.id().hex());
        try (PEMParser p = new PEMParser(new java.io.StringReader(pem))) {
            assertTrue(PublicKeys.sameKey(pair.publicKeyInfo(), (SubjectPublicKeyInfo) p.readObject()));
        }
        // and the id is SHA-1 of the modulus / point as openssl prints them (NSS's rule)
        assertEquals(TestTokens.nssIdByOpenssl(fixture, pem), pair.id().hex());

        // pkcs11-tool sees the private key as non-exportable, sign-only, with that id
        String priv = ObjectSnapshot.of(fixture, TOKEN, PIN).ofKind("Private Key Object").stream()
                .filter(b -> b.contains("label:      " + label + "\n")).findFirst().orElseThrow();
        assertTrue(priv.contains("ID:         " + pair.id().hex()), priv);
        assertTrue(priv.contains("Access:     sensitive, always sensitive, never extractable, local"), priv);
        assertTrue(priv.contains("Usage:      sign\n"), priv);
        // pkcs11-tool does not print the recovery usages: read them back ourselves (SoftHSM's default is true)
        assertEquals(Boolean.FALSE, pair.verified().signRecover());
        assertEquals(Boolean.FALSE, session.attributes(pair.publicKey(), Pkcs11.CKA_VERIFY_RECOVER)
                .bool(Pkcs11.CKA_VERIFY_RECOVER));
    }

    @Test
    void signingWithRecoveryIsGivenOnlyWhenAsked() throws Exception {
        TokenKeyPair pair = TokenKeyGenerator.generate(session, KeySpec.RSA_2048,
                SignatureAlgorithm.SHA256_WITH_RSA, null, "recover", true);
        assertEquals(Boolean.TRUE, pair.verified().signRecover());
        assertTrue(pair.verified().nonExportable());
        assertEquals(Boolean.TRUE, session.attributes(pair.publicKey(), Pkcs11.CKA_VERIFY_RECOVER)
                .bool(Pkcs11.CKA_VERIFY_RECOVER));
    }

    @Test
    void anExplicitIdIsUsedAndATakenIdIsRefusedBeforeAnythingIsCreated() throws Exception {
        KeyId id = KeyId.parse("c0:ff:ee");
        TokenKeyPair pair = TokenKeyGenerator.generate(session, KeySpec.EC_P256,
                SignatureAlgorithm.SHA256_WITH_ECDSA, id, "explicit");
        assertEquals("c0ffee", pair.id().hex());

        ObjectSnapshot before = ObjectSnapshot.of(fixture, TOKEN, PIN);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TokenKeyGenerator.generate(
                session, KeySpec.RSA_2048, SignatureAlgorithm.SHA256_WITH_RSA, id, "again"));
        assertEquals("id", e.field());
        assertEquals("The token already has an object with id c0ffee (label 'explicit'); choose another id, or"
                + " leave it to the default (derived from the public key)", e.getMessage());
        assertEquals(Optional.of(Remedy.KEY_ID), e.remedy());
        assertEquals(before, ObjectSnapshot.of(fixture, TOKEN, PIN));
    }

    @Test
    void badLabelsAreRefused() {
        for (String bad : new String[] {"", " ", "a\nb", "x".repeat(256)}) {
            assertThrows(InvalidInputException.class, () -> TokenKeyGenerator.generate(session, KeySpec.EC_P256,
                    SignatureAlgorithm.SHA256_WITH_ECDSA, null, bad), bad);
        }
        assertFalse(ObjectSnapshot.of(fixture, TOKEN, PIN).toString().contains("label:      a"));
    }
}
