package org.tokenctl.core.enroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.cert.CertificateMismatchException;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectAltNames;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.issue.Acknowledgement;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The enrollment flow on SoftHSM: what it installs, and that every failure after
 * the key exists leaves the token's objects exactly as they were (pkcs11-tool's
 * listing before and after).
 */
@ExtendWith(SoftHsmExtension.class)
class EnrollmentTest {

    private static final String TOKEN = "enroll";
    private static final String PIN = "135790";
    private static SoftHsmFixture fixture;
    private static OpenToken token;
    private static TokenSession session;
    private static DemoCa ca;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        token = OpenToken.init(f, TOKEN, PIN);
        session = token.session();
        ca = DemoCa.create(SubjectName.parse("CN=Test CA,O=tokenctl"), KeySpec.EC_P256, 30, Clock.systemUTC());
    }

    @AfterAll
    static void tearDown() {
        token.close();
    }

    private static EnrollmentRequest request(KeySpec spec, String label, boolean chain) throws Exception {
        return new EnrollmentRequest(spec, spec.signatureAlgorithm(null), null, label,
                SubjectName.parse("CN=" + label + ",O=Example Bank"),
                SubjectAltNames.parse(List.of("email:" + label + "@example.com")), chain);
    }

    private static LocalCa localCa() throws org.tokenctl.core.InvalidInputException {
        return new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC());
    }

    /** A request with the same subject, signed by a software key that is not the token's. */
    private static PKCS10CertificationRequest softwareCsr(PKCS10CertificationRequest like)
            throws org.tokenctl.core.TokenctlException {
        KeyPair other = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        try {
            return CsrBuilder.build(like.getSubject(), null,
                    SubjectPublicKeyInfo.getInstance(other.getPublic().getEncoded()),
                    new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    @Test
    void withALocalCaTheCertificateLandsBesideTheKey() throws Exception {
        ObjectSnapshot before = objects();
        EnrollmentResult r = Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P384, "alice", false),
                localCa());

        assertTrue(r.verified().nonExportable());
        assertFalse(r.exportable());
        assertNull(r.deferredTo());
        assertTrue(CsrBuilder.verifies(r.csr(), r.certificate().getSubjectPublicKeyInfo()));
        assertEquals("CN=alice,O=Example Bank", SubjectName.format(r.certificate().getSubject()));
        ObjectSnapshot after = objects();
        assertEquals(before.size() + 3, after.size(), after.toString());
        String cert = after.ofKind("Certificate Object").stream().filter(b -> b.contains("label:      alice"))
                .findFirst().orElseThrow();
        assertTrue(cert.contains("ID:         " + r.id().hex()), cert);
        assertTrue(cert.contains("subject:    DN: O=Example Bank, CN=alice")
                || cert.contains("subject:    DN: CN=alice, O=Example Bank"), cert);
        assertEquals(List.of(), r.chain());
    }

    /** The CKA_SUBJECT of both keys with this CKA_ID (and that there are exactly two). */
    private static List<byte[]> keySubjects(org.tokenctl.core.objects.KeyId id) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (long cls : new long[] {Pkcs11.CKO_PRIVATE_KEY, Pkcs11.CKO_PUBLIC_KEY}) {
            long[] keys = session.find(Attributes.ofClass(cls).id(id.bytes()));
            assertEquals(1, keys.length, "one key of class " + cls + " with id " + id.hex());
            out.add(session.attributes(keys[0], Pkcs11.CKA_SUBJECT).bytes(Pkcs11.CKA_SUBJECT));
        }
        return out;
    }

    @Test
    void theNewKeysCarryTheCertificatesSubject() throws Exception {
        EnrollmentResult r = Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P256, "subject", false),
                localCa());
        byte[] subject = r.certificate().getSubject().getEncoded(ASN1Encoding.DER);
        for (byte[] s : keySubjects(r.id())) {
            assertArrayEquals(subject, s);
        }
    }

    @Test
    void aSubjectTheCaChangedIsWrittenOnTheKeys() throws Exception {
        // the CA certifies the token's key under a name of its own choosing (CMP servers may)
        X500Name renamed = SubjectName.parse("CN=Renamed by the CA,O=Example Bank");
        CertificateIssuer renaming = req -> localCa().issue(new CertificateRequest(CsrBuilder.build(renamed, null,
                req.csr().getSubjectPublicKeyInfo(), req.signer()), null));
        EnrollmentResult r = Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P256, "renamed", false),
                renaming);
        assertEquals(renamed, r.certificate().getSubject());
        for (byte[] s : keySubjects(r.id())) {
            assertArrayEquals(renamed.getEncoded(ASN1Encoding.DER), s);
        }
    }

    @Test
    void aCancelledEnrollmentStopsBeforeMakingAnything() throws Exception {
        ObjectSnapshot before = objects();
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("test");
        EnrollmentCancelledException e = assertThrows(EnrollmentCancelledException.class, () -> Enrollment.run(
                new TokenMedium(session), request(KeySpec.EC_P256, "cancelled", false), localCa(), cancellation));
        assertEquals("Enrollment stopped (test) before it finished", e.getMessage(), "it had made nothing to remove");
        assertEquals(before, objects());
        assertFalse(cancellation.busy(), "the enrollment counts itself out when it stops");
        assertTrue(cancellation.awaitIdle(java.time.Duration.ZERO));
    }

    @Test
    void theChainIsInstalledOnceWhenAsked() throws Exception {
        EnrollmentResult first = Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P256, "bob", true),
                localCa());
        assertEquals(1, first.chain().size());
        assertTrue(first.chain().get(0).installed());
        EnrollmentResult second = Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P256, "carol", true),
                localCa());
        assertFalse(second.chain().get(0).installed(), "the CA certificate is on the token already");
        assertEquals(1, objects().ofKind("Certificate Object").stream()
                .filter(b -> b.contains("label:      CN=Test CA,O=tokenctl")).count());
    }

    /** The documented threading model: one session per thread, a LocalCa shared by all. */
    @Test
    void threadsEnrollAtOnceEachInItsOwnSession() throws Exception {
        ObjectSnapshot before = objects();
        LocalCa shared = localCa();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<EnrollmentResult>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String label = "thread-" + i;
            results.add(pool.submit(() -> {
                try (TokenSession own = TestTokens.userSession(token.module(), TOKEN, PIN)) {
                    return Enrollment.run(new TokenMedium(own), request(KeySpec.EC_P256, label, false), shared);
                }
            }));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (java.util.concurrent.Future<EnrollmentResult> f : results) {
            ids.add(f.get().id().hex());
        }
        pool.shutdown();
        assertEquals(4, ids.size());
        assertEquals(before.size() + 12, objects().size());
        // the first session's login survived the other sessions' logouts
        assertTrue(session.loggedInAs() != null);
        assertEquals(before.size() + 12, org.tokenctl.core.objects.ObjectLister.list(session).size());
    }

    @Test
    void aFailingCaLeavesTheTokenAsItWas() throws Exception {
        ObjectSnapshot before = objects();
        IssuanceException down = new IssuanceException("test CA", "the CA is down");
        IssuanceException e = assertThrows(IssuanceException.class, () -> Enrollment.run(new TokenMedium(session),
                request(KeySpec.RSA_2048, "down", false), req -> {
                    throw down;
                }));
        assertSame(down, e, "the original error is reported");
        assertEquals(before, objects());
    }

    @Test
    void aCertificateForAnotherKeyIsRejectedAndLeavesTheTokenAsItWas() throws Exception {
        ObjectSnapshot before = objects();
        List<String> rejected = new ArrayList<>();
        CertificateIssuer wrongKey = req -> {
            PKCS10CertificationRequest csr = softwareCsr(req.csr());
            Issuance.Issued issued = (Issuance.Issued) localCa().issue(new CertificateRequest(csr, null));
            return new Issuance.Issued(issued.certificate(), issued.chain(), new Acknowledgement() {
                @Override
                public void accept() {
                    throw new AssertionError("must not be accepted");
                }

                @Override
                public void reject(Exception reason) {
                    rejected.add(reason.getMessage());
                }
            });
        };
        CertificateMismatchException e = assertThrows(CertificateMismatchException.class,
                () -> Enrollment.run(new TokenMedium(session), request(KeySpec.EC_P256, "mismatch", false), wrongKey));
        assertTrue(e.getMessage().contains("is for another key (EC secp256r1), not for the new key (id "),
                e.getMessage());
        // the CA is told why before the rollback; the caller is also told what the rollback removed
        assertEquals(List.of(e.getMessage().replaceFirst("; nothing is left behind: removed private key id=\\w+,"
                + " public key id=\\w+$", "")), rejected, "the CA is told why (CMP certConf)");
        assertEquals(2, e.removedAfterwards().size(), e.getMessage());
        assertEquals(before, objects());
    }

    @Test
    void aCaKeyThatDoesNotMatchItsCertificate() throws Exception {
        DemoCa other = DemoCa.create(SubjectName.parse("CN=Other CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        LocalCa broken = new LocalCa(ca.certificate(), other.key(), 10, Clock.systemUTC());
        ObjectSnapshot before = objects();

        // normally refused before any key exists
        IssuanceException early = assertThrows(IssuanceException.class, () -> Enrollment.run(
                new TokenMedium(session), request(KeySpec.EC_P256, "broken", false), broken));
        assertTrue(early.getMessage().contains("The CA key does not match the CA certificate"), early.getMessage());
        assertEquals(before, objects());

        // and if the check were skipped, the CA's own check of what it signed fails after the key exists:
        // the rollback removes the key pair
        CertificateIssuer noPreflight = broken::issue;
        IssuanceException late = assertThrows(IssuanceException.class, () -> Enrollment.run(
                new TokenMedium(session), request(KeySpec.RSA_2048, "broken", false), noPreflight));
        assertTrue(late.getMessage().contains("The CA key does not match the CA certificate"), late.getMessage());
        assertEquals(before, objects());
    }

    @Test
    void aCaThatCannotConfirmUndoesTheInstalledCertificateToo() throws Exception {
        ObjectSnapshot before = objects();
        IssuanceException noConfirm = new IssuanceException("test CA", "certConf was not answered");
        assertSame(noConfirm, assertThrows(IssuanceException.class, () -> Enrollment.run(new TokenMedium(session),
                request(KeySpec.EC_P256, "unconfirmed", true), new UnconfirmingIssuer(localCa(), noConfirm))));
        assertEquals(before, objects());
    }

    @Test
    void offlineIssuanceKeepsTheKeyAndWritesAVerifiableCsr() throws Exception {
        Path csr = fixture.root().resolve("offline.csr");
        ObjectSnapshot before = objects();
        EnrollmentResult r = Enrollment.run(new TokenMedium(session), request(KeySpec.RSA_3072, "offline", false),
                new OfflineIssuer(csr, false));
        assertEquals(csr.toString(), r.deferredTo());
        assertNull(r.certificate());
        assertEquals(before.size() + 2, objects().size(), "key pair kept, no certificate");
        String verify = fixture.run(List.of("openssl", "req", "-in", csr.toString(), "-verify", "-noout", "-text"))
                .assertOk().stderr();
        assertTrue(verify.contains("verify OK") || verify.contains("Certificate request self-signature verify OK"),
                verify);
        assertTrue(Files.readString(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));

        // a second run must not overwrite the CSR: refused before a key is made
        ObjectSnapshot kept = objects();
        assertThrows(org.tokenctl.core.InvalidInputException.class, () -> Enrollment.run(new TokenMedium(session),
                request(KeySpec.RSA_2048, "offline2", false), new OfflineIssuer(csr, false)));
        assertEquals(kept, objects());
    }
}
