package org.tokenctl.core.issue.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PollRepContent;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.OpenToken;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.KeySource;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The checks every CMP answer must pass before its content is used (RFC 9483 section
 * 3.5; RFC 4210 sections 5.1.1 and 5.3.4), each driven over real HTTP: OpenSSL's CMP
 * mock server answers, and a {@link TamperingCmpProxy} between it and tokenctl alters
 * exactly one thing in one answer, either replaying a genuine answer verbatim or
 * changing one field and protecting the message again with the shared secret
 * ({@link Reprotection}), so that the MAC still verifies and the check under test is
 * the one that refuses. The enrollment runs on a SoftHSM token for a key already on
 * it; after every refusal the token holds exactly the objects it held before
 * (pkcs11-tool's listing), including the answers refused only after the certificate
 * was stored (the certConf stage).
 */
@ExtendWith(SoftHsmExtension.class)
class CmpAnswerChecksTest {

    private static final String TOKEN = "cmp-checks";
    private static final String PIN = "246813";
    private static final String SECRET = "cmp-Checks-9";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static OpenToken token;
    private static DemoCa ca;
    private static Path caPem;
    private static Holder checked;
    private static Holder control;

    /**
     * A key pair on the token and the CA's certificate for it.
     *
     * @param id its CKA_ID
     * @param cert the certificate (PEM), what the mock server answers with
     */
    private record Holder(KeyId id, Path cert) {
    }

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        token = OpenToken.init(f, TOKEN, PIN);
        ca = DemoCa.create(SubjectName.parse("CN=CMP Checks CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        caPem = Files.write(dir.resolve("ca.pem"), Pem.encodeBytes(ca.certificate()));
        checked = holder("checked");
        control = holder("control");
    }

    @AfterAll
    static void tearDown() {
        token.close();
    }

    /**
     * The mock server answers with a certificate fixed at its start: the key is made on the
     * token first (its request written out, as {@code enroll --csr-out} does), certified, and
     * then enrolled as an existing key.
     */
    private static Holder holder(String label) throws Exception {
        EnrollmentResult r = Enrollment.run(new TokenMedium(token.session()), new EnrollmentRequest(KeySpec.EC_P256,
                KeySpec.EC_P256.signatureAlgorithm(null), null, label, subject(label), null, false),
                new OfflineIssuer(dir.resolve(label + ".csr"), false));
        Issuance.Issued issued = (Issuance.Issued) new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC())
                .issue(new CertificateRequest(r.csr(), null));
        return new Holder(r.id(), Files.write(dir.resolve(label + ".pem"), Pem.encodeBytes(issued.certificate())));
    }

    private static X500Name subject(String label) throws Exception {
        return SubjectName.parse("CN=" + label + ",O=Example Bank");
    }

    private static CmpMockServer mock(Holder holder, String... more) {
        List<String> opts = new ArrayList<>(List.of("-srv_ref", "mock-srv", "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", holder.cert().toString(), "-rsp_capubs", caPem.toString()));
        opts.addAll(List.of(more));
        return CmpMockServer.start(dir, opts.toArray(new String[0]));
    }

    private static CmpIssuer issuer(String url) throws Exception {
        CmpSettings s = new CmpSettings(CmpSettings.parseServer(url), "mock-srv", SubjectName.parse("CN=mock"),
                List.of(), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                CmpSettings.DEFAULT_MAX_RESPONSE_BYTES);
        return new CmpIssuer(s, Pin.wrap(SECRET.toCharArray()), Clock.systemUTC());
    }

    private static ObjectSnapshot objects() {
        return ObjectSnapshot.of(fixture, TOKEN, PIN);
    }

    private static EnrollmentResult enroll(Holder holder, String url) throws Exception {
        try (CmpIssuer issuer = issuer(url)) {
            return Enrollment.run(new TokenMedium(token.session()), new EnrollmentRequest(
                    new KeySource.Existing(holder.id()), null, null, subject("enrolled"), null, true), issuer);
        }
    }

    /** Enrolls the checked key through the proxy: it must fail, and leave the token as it was. */
    private static String refused(TamperingCmpProxy proxy) {
        ObjectSnapshot before = objects();
        IssuanceException e = assertThrows(IssuanceException.class, () -> enroll(checked, proxy.url()));
        assertEquals(before, objects(), "nothing installed, nothing deleted: " + e.getMessage());
        String m = e.getMessage();
        assertTrue(!m.contains("\n") && !m.contains(SECRET), m);
        return m;
    }

    /** @return the server's answers with this body type, altered; the others as they are */
    private static TamperingCmpProxy.Tamper on(int answerType, TamperingCmpProxy.Tamper tamper) {
        return (request, answer, earlier) -> answer.getBody().getType() == answerType
                ? tamper.answer(request, answer, earlier) : answer;
    }

    private static PKIMessage reprotected(PKIMessage answer, Reprotection.Edit edit) throws Exception {
        return Reprotection.of(answer, SECRET.toCharArray(), edit);
    }

    private static byte[] random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String hex(ASN1OctetString s) {
        return HexFormat.of().formatHex(s.getOctets());
    }

    private static String ourTransactionId(TamperingCmpProxy proxy) {
        return hex(proxy.requests().get(0).getHeader().getTransactionID());
    }

    /** The ip, its one CertResponse answering another certReqId; all else as the server sent it. */
    private static PKIBody withCertReqId(PKIBody ip, long certReqId) {
        CertRepMessage rep = CertRepMessage.getInstance(ip.getContent());
        CertResponse r = rep.getResponse()[0];
        return new PKIBody(ip.getType(), new CertRepMessage(rep.getCaPubs(), new CertResponse[] {
            new CertResponse(new ASN1Integer(certReqId), r.getStatus(), r.getCertifiedKeyPair(), r.getRspInfo())}));
    }

    /**
     * The harness itself: answers rebuilt and protected again without a change are accepted,
     * and the certificate lands. So each refusal below is the altered field's doing.
     */
    @Test
    void answersProtectedAgainUnchangedAreAccepted() throws Exception {
        try (CmpMockServer server = mock(control); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                (request, answer, earlier) -> reprotected(answer, b -> { }))) {
            String beside = "ID:         " + control.id().hex();
            assertTrue(objects().ofKind("Certificate Object").stream().noneMatch(c -> c.contains(beside)));
            EnrollmentResult r = enroll(control, proxy.url());
            assertEquals(control.id(), r.id());
            ObjectSnapshot after = objects();
            assertTrue(after.ofKind("Certificate Object").stream().anyMatch(c -> c.contains(beside)),
                    "the certificate landed beside the key: " + after);
            assertEquals(List.of(PKIBody.TYPE_INIT_REP, PKIBody.TYPE_CONFIRM), proxy.answers().stream()
                    .map(a -> a.getBody().getType()).toList());
            assertEquals(2, server.requests(), server.output());
        }
    }

    @Test
    void anIpWithAnotherTransactionIdIsRefused() throws Exception {
        byte[] forged = random();
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                on(PKIBody.TYPE_INIT_REP, (request, answer, earlier) -> reprotected(answer,
                        b -> b.setTransactionID(forged))))) {
            String m = refused(proxy);
            assertEquals("The CMP server's answer to ir belongs to another transaction (transactionID "
                    + HexFormat.of().formatHex(forged) + ", expected " + ourTransactionId(proxy) + ")", m);
            assertEquals(1, server.requests(), "no certConf for a refused ip: " + server.output());
        }
    }

    /** The auditor's replay: a genuine ip of an earlier transaction, sent again as it was. */
    @Test
    void anIpFromAnEarlierTransactionIsRefused() throws Exception {
        KeyPair other = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        ContentSigner otherSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.BC)
                .build(other.getPrivate());
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                TamperingCmpProxy.Tamper.none())) {
            // an earlier transaction, for another key: its ip is recorded on the way
            try (CmpIssuer issuer = issuer(proxy.url())) {
                assertTrue(issuer.issue(new CertificateRequest(CsrBuilder.build(subject("earlier"), null,
                        SubjectPublicKeyInfo.getInstance(other.getPublic().getEncoded()), otherSigner), otherSigner))
                        instanceof Issuance.Issued);
            }
            PKIMessage earlierIp = proxy.answers().get(0);
            proxy.tamper(on(PKIBody.TYPE_INIT_REP, (request, answer, earlier) -> earlierIp));
            String m = refused(proxy);
            assertEquals("The CMP server's answer to ir belongs to another transaction (transactionID "
                    + hex(earlierIp.getHeader().getTransactionID()) + ", expected "
                    + hex(proxy.requests().get(1).getHeader().getTransactionID()) + ")", m);
        }
    }

    @Test
    void anIpThatDoesNotReturnOurSenderNonceIsRefused() throws Exception {
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                on(PKIBody.TYPE_INIT_REP, (request, answer, earlier) -> reprotected(answer,
                        b -> b.setRecipNonce(random()))))) {
            assertEquals("The CMP server's answer to ir does not return our senderNonce as its recipNonce (a"
                    + " replayed or misrouted answer)", refused(proxy));
            assertEquals(1, server.requests(), "no certConf for a refused ip: " + server.output());
        }
    }

    @Test
    void anIpForAnotherCertReqIdIsRefused() throws Exception {
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                on(PKIBody.TYPE_INIT_REP, (request, answer, earlier) -> reprotected(answer,
                        b -> b.setBody(withCertReqId(answer.getBody(), 1)))))) {
            assertEquals("The CMP server's ip answers certReqId 1, not ours (0)", refused(proxy));
            assertEquals(1, server.requests(), "no certConf for a refused ip: " + server.output());
        }
    }

    /**
     * The auditor's second replay: the transaction's own ip (valid MAC, right transactionID)
     * answering the certConf. It is refused only after the certificate was stored, which
     * the enrollment then removes: the CA never confirmed it.
     */
    @Test
    void anIpReplayedAsTheAnswerToCertConfIsRefusedAndTheCertificateRemoved() throws Exception {
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                on(PKIBody.TYPE_CONFIRM, (request, answer, earlier) -> earlier.get(earlier.size() - 1)))) {
            // the certificate was stored before the answer was refused: the message says it was removed
            assertTrue(refused(proxy).matches("The CMP server's answer to certConf does not return our senderNonce as"
                    + " its recipNonce \\(a replayed or misrouted answer\\); nothing is left behind: removed"
                    + " certificate id=[0-9a-f]+"));
            assertEquals(List.of(PKIBody.TYPE_INIT_REQ, PKIBody.TYPE_CERT_CONFIRM), proxy.requests().stream()
                    .map(r -> r.getBody().getType()).toList(), "the certificate was stored and confirmed");
        }
    }

    @Test
    void aPkiConfWithAnotherTransactionIdIsRefusedAndTheCertificateRemoved() throws Exception {
        byte[] forged = random();
        try (CmpMockServer server = mock(checked); TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(),
                on(PKIBody.TYPE_CONFIRM, (request, answer, earlier) -> reprotected(answer,
                        b -> b.setTransactionID(forged))))) {
            String m = refused(proxy);
            assertEquals("The CMP server's answer to certConf belongs to another transaction (transactionID "
                    + HexFormat.of().formatHex(forged) + ", expected " + ourTransactionId(proxy) + ")",
                    m.replaceFirst("; nothing is left behind: removed certificate id=[0-9a-f]+$", ""));
            assertTrue(m.contains("; nothing is left behind: removed certificate id="), m);
            assertEquals(2, server.requests(), server.output());
        }
    }

    /** Polling (RFC 9483 section 4.4): the mock says "waiting" to the ir and answers the first pollReq with a pollRep. */
    @Test
    void aPollRepForAnotherCertReqIdIsRefused() throws Exception {
        try (CmpMockServer server = mock(checked, "-poll_count", "2", "-check_after", "1");
             TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(), on(PKIBody.TYPE_POLL_REP,
                     (request, answer, earlier) -> reprotected(answer, b -> {
                         PollRepContent rep = PollRepContent.getInstance(answer.getBody().getContent());
                         b.setBody(new PKIBody(PKIBody.TYPE_POLL_REP, new PollRepContent(new ASN1Integer(1),
                                 rep.getCheckAfter(0))));
                     })))) {
            assertEquals("The CMP server's pollRep answers certReqId 1, not ours (0)", refused(proxy));
            assertEquals(List.of(PKIBody.TYPE_INIT_REQ, PKIBody.TYPE_POLL_REQ), proxy.requests().stream()
                    .map(r -> r.getBody().getType()).toList());
        }
    }

    @Test
    void theWaitingIpReplayedAsTheAnswerToAPollReqIsRefused() throws Exception {
        try (CmpMockServer server = mock(checked, "-poll_count", "2", "-check_after", "1");
             TamperingCmpProxy proxy = TamperingCmpProxy.start(server.url(), on(PKIBody.TYPE_POLL_REP,
                     (request, answer, earlier) -> earlier.get(0)))) {
            assertEquals("The CMP server's answer to pollReq does not return our senderNonce as its recipNonce (a"
                    + " replayed or misrouted answer)", refused(proxy));
            assertEquals(PKIBody.TYPE_INIT_REP, proxy.answers().get(0).getBody().getType(),
                    "the replayed answer is the ir's ip");
        }
    }
}
