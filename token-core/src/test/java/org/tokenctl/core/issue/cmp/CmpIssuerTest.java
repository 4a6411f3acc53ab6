package org.tokenctl.core.issue.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.cert.CertificateMismatchException;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The CMP issuer against OpenSSL's CMP mock server (an independent implementation)
 * and against HTTP servers that are not CMP servers, with a software key: what
 * touches a token is tested in token-cli. Every failure must be an
 * {@link IssuanceException} with one line that says what went wrong.
 */
@ExtendWith(SoftHsmExtension.class)
class CmpIssuerTest {

    private static final String SECRET = "cmp-Shared-7";
    private static SoftHsmFixture fixture;
    private static Path dir;
    private static DemoCa ca;
    private static KeyPair key;
    private static PKCS10CertificationRequest csr;
    private static ContentSigner signer;
    private static Path caPem;
    private static Path eePem;
    private static Path otherPem;
    private static HttpServer http;
    private static final List<String> headers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        dir = f.root();
        ca = DemoCa.create(SubjectName.parse("CN=CMP Test CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        key = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.BC).build(key.getPrivate());
        csr = CsrBuilder.build(SubjectName.parse("CN=cmp-holder,O=Example Bank"), null,
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), signer);
        caPem = Files.write(dir.resolve("ca.pem"), Pem.encodeBytes(ca.certificate()));
        eePem = Files.write(dir.resolve("ee.pem"), Pem.encodeBytes(certify(csr)));
        KeyPair other = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        ContentSigner otherSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.BC)
                .build(other.getPrivate());
        otherPem = Files.write(dir.resolve("other.pem"), Pem.encodeBytes(certify(CsrBuilder.build(
                SubjectName.parse("CN=someone else"), null,
                SubjectPublicKeyInfo.getInstance(other.getPublic().getEncoded()), otherSigner))));

        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/html", x -> {
            headers.add(x.getRequestHeaders().getFirst("Connection") + " " + x.getRequestHeaders()
                    .getFirst("Content-Type"));
            respond(x, 200, "text/html", "<html><body>Welcome</body></html>".getBytes(StandardCharsets.UTF_8));
        });
        http.createContext("/missing", x -> respond(x, 404, "text/html", "not found".getBytes(StandardCharsets.UTF_8)));
        http.createContext("/huge", x -> respond(x, 200, HttpTransport.CONTENT_TYPE, new byte[3 * 1024 * 1024]));
        http.createContext("/chunked-huge", x -> {
            x.getResponseHeaders().add("Content-Type", HttpTransport.CONTENT_TYPE);
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < 3 * 1024; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException e) {
                // the client hangs up once it has read enough: that is the point
            }
        });
        http.createContext("/garbage", x -> respond(x, 200, HttpTransport.CONTENT_TYPE,
                "this is no PKIMessage".getBytes(StandardCharsets.UTF_8)));
        http.start();
    }

    @AfterAll
    static void tearDown() {
        http.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange x, int status, String type, byte[] body)
            throws IOException {
        x.getRequestBody().readAllBytes();
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static X509CertificateHolder certify(PKCS10CertificationRequest request) throws Exception {
        return ((Issuance.Issued) new LocalCa(ca.certificate(), ca.key(), 10, Clock.systemUTC())
                .issue(new CertificateRequest(request, null))).certificate();
    }

    private static CmpIssuer issuer(String url, String secret, List<X509CertificateHolder> trusted,
                                    Duration pollTimeout) throws Exception {
        CmpSettings s = new CmpSettings(CmpSettings.parseServer(url), "mock-srv", SubjectName.parse("CN=mock"),
                trusted, List.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), pollTimeout,
                CmpSettings.DEFAULT_MAX_RESPONSE_BYTES);
        return new CmpIssuer(s, Pin.wrap(secret.toCharArray()), Clock.systemUTC());
    }

    private static CmpMockServer mock(String... more) {
        List<String> opts = new java.util.ArrayList<>(List.of("-srv_ref", "mock-srv", "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", eePem.toString(), "-rsp_capubs", caPem.toString()));
        opts.addAll(List.of(more));
        return CmpMockServer.start(dir, opts.toArray(new String[0]));
    }

    private static IssuanceException fails(CmpIssuer issuer) {
        IssuanceException e = assertThrows(IssuanceException.class, () -> {
            issuer.preflight();
            issuer.issue(new CertificateRequest(csr, signer));
        });
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains(SECRET), e.getMessage());
        return e;
    }

    @Test
    void anEnrollmentIsIssuedAndConfirmed() throws Exception {
        try (CmpMockServer server = mock(); CmpIssuer issuer = issuer(server.url(), SECRET, List.of(),
                Duration.ofSeconds(30))) {
            issuer.preflight();
            Issuance.Issued issued = (Issuance.Issued) issuer.issue(new CertificateRequest(csr, signer));
            assertEquals(Pem.certificates(eePem, "ee").get(0), issued.certificate());
            assertEquals(List.of(ca.certificate()), issued.chain(), "the chain from caPubs, linked by signature");
            issued.acknowledgement().accept();
            assertEquals(2, server.requests(), "ir, then certConf: " + server.output());
            assertTrue(!server.output().contains("error"), server.output());
        }
    }

    @Test
    void openSslsOwnClientWithTheSameKeyGetsTheSameAnswer() throws Exception {
        // the fixture, cross-checked: OpenSSL's client (an independent implementation) enrolls the same key
        // against the same server and accepts the certificate, so what the other tests see is tokenctl's doing
        Path keyFile = Files.write(dir.resolve("holder.key"), Pem.encodeBytes(
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null)));
        Path got = dir.resolve("openssl-client.pem");
        try (CmpMockServer server = mock()) {
            OpenSsl.run(fixture, "cmp", "-server", server.url().replace("http://", ""), "-ref", "mock-srv",
                    "-secret", "pass:" + SECRET, "-cmd", "ir", "-newkey", keyFile.toString(), "-subject",
                    "/CN=cmp-holder", "-recipient", "/CN=mock", "-certout", got.toString()).assertOk();
        }
        assertEquals(Pem.certificates(eePem, "ee").get(0), Pem.certificates(got, "got").get(0));
    }

    @Test
    void aWrongSecretIsReportedWithWhatTheServerSaid() throws Exception {
        try (CmpMockServer server = mock(); CmpIssuer issuer = issuer(server.url(), "not-the-secret", List.of(),
                Duration.ofSeconds(30))) {
            IssuanceException e = fails(issuer);
            String m = e.getMessage();
            assertTrue(m.contains("does not verify with the shared secret: wrong secret, or a secret for another"
                    + " reference value?"), m);
            assertEquals(Optional.of(Remedy.CMP_REFERENCE), e.remedy());
            assertTrue(m.contains("(the server said, unauthenticated: rejection"), m);
            assertTrue(m.contains("wrong pbm value"), m);
        }
    }

    @Test
    void aRejectionNamesTheStatusTheFailureBitsAndTheText() throws Exception {
        // bits 2 (badRequest) and 9 (badPOP): OpenSSL numbers them from the least significant bit
        try (CmpMockServer server = mock("-pkistatus", "2", "-failurebits", Integer.toString((1 << 2) | (1 << 9)),
                "-statusstring", "not today"); CmpIssuer issuer = issuer(server.url(), SECRET, List.of(),
                Duration.ofSeconds(30))) {
            String m = fails(issuer).getMessage();
            assertTrue(m.startsWith("The CA rejected the request: rejection (badRequest, badPOP): 'not today'"
                    + " (transaction "), m);
        }
    }

    /** A clock that moves only when polling pauses it forward, recording each pause. */
    private static final class PausedClock extends Clock {
        private Instant now = Instant.now();
        final List<Duration> pauses = new java.util.ArrayList<>();

        synchronized void pause(Duration d) {
            pauses.add(d);
            now = now.plus(d);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static CmpIssuer pausedIssuer(String url, Duration pollTimeout, PausedClock clock) throws Exception {
        CmpSettings s = new CmpSettings(CmpSettings.parseServer(url), "mock-srv", SubjectName.parse("CN=mock"),
                List.of(), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), pollTimeout,
                CmpSettings.DEFAULT_MAX_RESPONSE_BYTES);
        return new CmpIssuer(s, Pin.wrap(SECRET.toCharArray()), clock, clock::pause);
    }

    @Test
    void waitingIsPolledUntilTheCertificateComes() throws Exception {
        PausedClock clock = new PausedClock();
        try (CmpMockServer server = mock("-poll_count", "2", "-check_after", "1"); CmpIssuer issuer =
                pausedIssuer(server.url(), Duration.ofSeconds(30), clock)) {
            Issuance.Issued issued = (Issuance.Issued) issuer.issue(new CertificateRequest(csr, signer));
            issued.acknowledgement().accept();
            // the first pollReq at once, the second after the CA's checkAfter of 1 s: the issuer's clock, no sleep
            assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1)), clock.pauses, "checkAfter was honoured");
            assertEquals(4, server.requests(), "ir (waiting), pollReq (pollRep), pollReq (ip), certConf: "
                    + server.output());
        }
    }

    @Test
    void pollingStopsAtTheTimeoutOnTheIssuersClock() throws Exception {
        PausedClock clock = new PausedClock();
        try (CmpMockServer server = mock("-poll_count", "100", "-check_after", "3"); CmpIssuer issuer =
                pausedIssuer(server.url(), Duration.ofSeconds(7), clock)) {
            IssuanceException e = fails(issuer);
            // 0 s, then 3 s, 3 s: a fourth wait would pass the 7 s deadline
            assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(3)), clock.pauses);
            assertTrue(e.getMessage().startsWith("The CA has not issued the certificate within 7 s"), e.getMessage());
        }
    }

    @Test
    void pollingStopsAtTheTimeout() throws Exception {
        try (CmpMockServer server = mock("-poll_count", "100", "-check_after", "3"); CmpIssuer issuer =
                issuer(server.url(), SECRET, List.of(), Duration.ofSeconds(2))) {
            IssuanceException e = fails(issuer);
            assertEquals(Optional.of(Remedy.CMP_POLL_TIMEOUT), e.remedy());
            String m = e.getMessage();
            assertTrue(m.startsWith("The CA has not issued the certificate within 2 s (the poll timeout); it asks"
                    + " to check again in 3 s (transaction "), m);
        }
    }

    @Test
    void signedAnswersAreAcceptedOnlyFromTrustedSigners() throws Exception {
        // a server key and certificate issued by the test CA; the server signs instead of using the secret
        KeyPair srvKey = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        ContentSigner srvSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.BC)
                .build(srvKey.getPrivate());
        X509CertificateHolder srvCert = certify(CsrBuilder.build(SubjectName.parse("CN=mock RA"), null,
                SubjectPublicKeyInfo.getInstance(srvKey.getPublic().getEncoded()), srvSigner));
        Path srvPem = Files.write(dir.resolve("srv.pem"), Pem.encodeBytes(srvCert));
        Path srvKeyPem = Files.write(dir.resolve("srv.key"), Pem.encodeBytes(
                new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(srvKey.getPrivate(), null)));
        DemoCa stranger = DemoCa.create(SubjectName.parse("CN=Stranger CA"), KeySpec.EC_P256, 30, Clock.systemUTC());
        try (CmpMockServer server = CmpMockServer.start(dir, "-srv_cert", srvPem.toString(), "-srv_key",
                srvKeyPem.toString(), "-accept_unprotected", "-rsp_cert", eePem.toString())) {
            // the server's CA as trust anchor: the path server cert -> CA is built and validated
            try (CmpIssuer issuer = issuer(server.url(), SECRET, List.of(ca.certificate()), Duration.ofSeconds(30))) {
                Issuance.Issued issued = (Issuance.Issued) issuer.issue(new CertificateRequest(csr, signer));
                issued.acknowledgement().accept();
            }
            // the server's own certificate, pinned
            try (CmpIssuer issuer = issuer(server.url(), SECRET, List.of(srvCert), Duration.ofSeconds(30))) {
                ((Issuance.Issued) issuer.issue(new CertificateRequest(csr, signer))).acknowledgement().accept();
            }
            try (CmpIssuer issuer = issuer(server.url(), SECRET, List.of(stranger.certificate()),
                    Duration.ofSeconds(30))) {
                IssuanceException e = fails(issuer);
                String m = e.getMessage();
                assertTrue(m.contains("is refused: its signer 'CN=mock RA' is not trusted by the trust anchors for"
                        + " signed answers"), m);
                assertEquals(Optional.of(Remedy.CMP_TRUST_ANCHORS), e.remedy());
            }
            try (CmpIssuer issuer = issuer(server.url(), SECRET, List.of(), Duration.ofSeconds(30))) {
                String m = fails(issuer).getMessage();
                assertTrue(m.contains("is signed by the server; give its certificate or CA as a trust anchor for signed answers"), m);
            }
        }
    }

    @Test
    void aCertificateForAnotherKeyIsRejectedInTheCertConf() throws Exception {
        try (CmpMockServer server = CmpMockServer.start(dir, "-srv_ref", "mock-srv", "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", otherPem.toString()); CmpIssuer issuer = issuer(server.url(), SECRET, List.of(),
                Duration.ofSeconds(30))) {
            Issuance.Issued issued = (Issuance.Issued) issuer.issue(new CertificateRequest(csr, signer));
            CertificateMismatchException mismatch = new CertificateMismatchException("CN=someone else", "01",
                    "for another key");
            issued.acknowledgement().reject(mismatch);
            assertEquals(0, mismatch.getSuppressed().length, "the rejecting certConf was answered with pkiconf");
            assertEquals(2, server.requests(), server.output());
        }
    }

    /** RFC 4210's x509v3PKCert: BouncyCastle refuses a v1 certificate while reading the ip, and so do we. */
    @Test
    void aVersion1CertificateIsAMalformedAnswer() throws Exception {
        Instant now = Instant.now();
        X509CertificateHolder v1 = new X509v1CertificateBuilder(ca.certificate().getSubject(), BigInteger.TWO,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), csr.getSubject(),
                csr.getSubjectPublicKeyInfo()).build(new JcaContentSignerBuilder("SHA256withECDSA")
                .setProvider(CryptoProvider.BC).build(ca.key()));
        Path v1Pem = Files.write(dir.resolve("v1.pem"), Pem.encodeBytes(v1));
        try (CmpMockServer server = CmpMockServer.start(dir, "-srv_ref", "mock-srv", "-srv_secret", "pass:" + SECRET,
                "-rsp_cert", v1Pem.toString()); CmpIssuer issuer = issuer(server.url(), SECRET, List.of(),
                Duration.ofSeconds(30))) {
            String m = fails(issuer).getMessage();
            assertTrue(m.startsWith("The CMP server's answer is malformed: only version 3 certificates allowed"
                    + " (transaction "), m);
        }
    }

    @Test
    void nothingListening() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/pkix/";
        try (CmpIssuer issuer = issuer(url, SECRET, List.of(), Duration.ofSeconds(30))) {
            assertEquals("Cannot reach the CMP server " + url + ": Connection refused (is it running, and is the port"
                    + " right?)", assertThrows(IssuanceException.class, issuer::preflight).getMessage());
            // and if it goes away between the check and the request
            String m = assertThrows(IssuanceException.class, () -> issuer.issue(new CertificateRequest(csr, signer)))
                    .getMessage();
            assertTrue(m.startsWith("Cannot reach the CMP server " + url + ": Connection refused"), m);
        }
    }

    private String httpFailure(String path) throws Exception {
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + path;
        try (CmpIssuer issuer = issuer(url, SECRET, List.of(), Duration.ofSeconds(30))) {
            return fails(issuer).getMessage();
        }
    }

    @Test
    void serversThatAreNotCmpServers() throws Exception {
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        assertEquals("The server at " + base + "/html answered with content type 'text/html', not"
                + " application/pkixcmp: it is not a CMP server, or not at this path", httpFailure("/html"));
        assertEquals("close application/pkixcmp", headers.get(headers.size() - 1),
                "one request per connection, as RFC 6712 content");
        assertEquals("The CMP server " + base + "/missing answered HTTP 404 Not Found; is this the CA's CMP URL (with"
                + " its path)?", httpFailure("/missing"));
        assertEquals("The answer of the CMP server " + base + "/huge is larger than 1024 KiB; refused (not a CMP"
                + " answer)", httpFailure("/huge"));
        assertEquals("The answer of the CMP server " + base + "/chunked-huge is larger than 1024 KiB; refused (not a"
                + " CMP answer)", httpFailure("/chunked-huge"));
        String garbage = httpFailure("/garbage");
        assertTrue(garbage.startsWith("The CMP server's answer to ir is not a CMP message ("), garbage);
    }

    /** HTTPS with --cmp-tls-trusted: the handshake succeeds with the given anchor and fails without it. */
    @Test
    void httpsUsesTheGivenTrustAnchors() throws Exception {
        // a TLS server certificate for 127.0.0.1 from the test CA (the local CA issues clientAuth only)
        KeyPair tlsKey = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(ca.certificate().getSubject(), BigInteger.TEN,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), SubjectName.parse("CN=127.0.0.1"),
                SubjectPublicKeyInfo.getInstance(tlsKey.getPublic().getEncoded()));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509CertificateHolder tlsCert = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .setProvider(CryptoProvider.BC).build(ca.key()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        ks.setKeyEntry("tls", tlsKey.getPrivate(), new char[0], new java.security.cert.Certificate[] {
            converter.getCertificate(tlsCert), converter.getCertificate(ca.certificate())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ctx));
        https.createContext("/html", x -> respond(x, 200, "text/html", new byte[] {'<'}));
        https.start();
        try {
            String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/html";
            CmpSettings trusting = new CmpSettings(CmpSettings.parseServer(url), "mock-srv", null, List.of(),
                    List.of(ca.certificate()), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    CmpSettings.DEFAULT_MAX_RESPONSE_BYTES);
            try (CmpIssuer issuer = new CmpIssuer(trusting, Pin.wrap(SECRET.toCharArray()), Clock.systemUTC())) {
                String m = fails(issuer).getMessage();
                assertTrue(m.contains("answered with content type 'text/html'"),
                        "the TLS handshake worked; the server is just not a CMP server: " + m);
            }
            // the JVM's default trust store does not know the test CA
            try (CmpIssuer issuer = issuer(url, SECRET, List.of(), Duration.ofSeconds(10))) {
                IssuanceException e = fails(issuer);
                String m = e.getMessage();
                assertTrue(m.startsWith("TLS with the CMP server " + url + " failed: "), m);
                assertTrue(m.endsWith("(if its CA is not in the JVM's trust store, give its CA as a TLS trust"
                        + " anchor)"), m);
                assertEquals(Optional.of(Remedy.CMP_TLS_TRUST_ANCHORS), e.remedy());
                assertTrue(!m.contains("Exception"), "no Java class names in the message: " + m);
            }
        } finally {
            https.stop(0);
        }
    }

    @Test
    void serverUrlsAreCheckedBeforeAnythingHappens() throws Exception {
        assertEquals(URI.create("https://ca.example.com/ejbca/publicweb/cmp/bank"),
                CmpSettings.parseServer("https://ca.example.com/ejbca/publicweb/cmp/bank"));
        assertEquals(URI.create("http://127.0.0.1:8080/"), CmpSettings.parseServer("http://127.0.0.1:8080"));
        for (String bad : new String[] {"ftp://ca.example.com/cmp", "ca.example.com/cmp", "http:///cmp",
            "http://ca.example.com:99999/cmp", "http://ca example.com/", "http://ca.example.com/cmp#x", ""}) {
            String m = assertThrows(org.tokenctl.core.InvalidInputException.class,
                    () -> CmpSettings.parseServer(bad), bad).getMessage();
            assertTrue(m.startsWith("Invalid CMP server URL '" + bad + "'"), m);
        }
        assertTrue(assertThrows(org.tokenctl.core.InvalidInputException.class,
                () -> CmpSettings.parseServer("https://user:pw@ca.example.com/cmp")).getMessage()
                .contains("must not carry a user name or password"));
    }
}
