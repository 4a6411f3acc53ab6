package org.tokenctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.ProofOfPossession;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.tokenctl.softhsm.CmpMockServer;

/**
 * A loopback HTTP front for OpenSSL's CMP mock server that lets a key generated
 * during the enrollment be enrolled. OpenSSL 3.0's mock answers every request with
 * the one certificate it was started with, which cannot certify a key that does not
 * exist yet; so for each request for a certificate (ir, cr, kur) the front has the
 * test CA certify the public key in the request's certTemplate, starts a mock
 * answering with that certificate, and passes the request and the rest of the
 * transaction (pollReq, certConf) to it unchanged. Every CMP answer (protection,
 * status, caPubs, pkiConf) is still OpenSSL's. A signed proof of possession is
 * also checked with BouncyCastle on the way (OpenSSL 3.0 checks SM2 ones without
 * the default user ID).
 *
 * <p>Transactions may interleave (a batch enrolls tokens in parallel): each
 * request for a certificate gets its own mock, and every later message of its
 * transaction (pollReq, certConf) is passed to that mock by its transactionID.
 */
final class CertifyingCmpFront implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/pkixcmp";

    private final HttpServer http;
    private final Function<SubjectPublicKeyInfo, Path> certify;
    private final Function<Path, CmpMockServer> start;
    private final List<String> problems = new ArrayList<>();
    private final java.util.Map<String, CmpMockServer> byTransaction = new java.util.HashMap<>();
    private int transactions;
    private int proved;
    private final String raSecret;

    /**
     * @param certify makes the certificate (PEM) a request's public key gets
     * @param start starts a mock server answering with a certificate
     */
    CertifyingCmpFront(Function<SubjectPublicKeyInfo, Path> certify, Function<Path, CmpMockServer> start) {
        this(certify, start, null);
    }

    /**
     * A front that also acts as a registration authority (RFC 4210 5.2.8.4): it checks
     * each signed proof of possession itself and passes the request on with
     * {@code raVerified} instead, protected again with the shared secret, to a mock
     * started with {@code -accept_raverified}. OpenSSL 3.0 checks an SM2 proof with an
     * empty user ID, so it cannot check a GM/T 0009 one (default user ID); this RA can.
     *
     * @param certify makes the certificate (PEM) a request's public key gets
     * @param start starts a mock server answering with a certificate
     * @param raSecret the shared secret to protect the passed-on request with, or null to pass it unchanged
     */
    CertifyingCmpFront(Function<SubjectPublicKeyInfo, Path> certify, Function<Path, CmpMockServer> start,
                       String raSecret) {
        this.certify = certify;
        this.start = start;
        this.raSecret = raSecret;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        http.createContext("/", this::handle);
        // handlers on their own threads (one at a time: handle is synchronized), so that the
        // dispatcher keeps accepting the connections of parallel transactions while a mock starts
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cmp-front");
            t.setDaemon(true);
            return t;
        }));
        http.start();
    }

    /** @return its CMP URL */
    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/pkix/";
    }

    /** @return how many requests for a certificate it has passed on */
    synchronized int transactions() {
        return transactions;
    }

    /** @return what went wrong in the front itself (not in tokenctl or the mock), for failure messages */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] answer;
            int status;
            try {
                PKIMessage message = PKIMessage.getInstance(request);
                PKIBody body = message.getBody();
                int type = body.getType();
                String tx = message.getHeader().getTransactionID() == null ? ""
                        : java.util.HexFormat.of().formatHex(message.getHeader().getTransactionID().getOctets());
                if (type == PKIBody.TYPE_INIT_REQ || type == PKIBody.TYPE_CERT_REQ
                        || type == PKIBody.TYPE_KEY_UPDATE_REQ) {
                    CertReqMsg msg = CertReqMessages.getInstance(body.getContent()).toCertReqMsgArray()[0];
                    SubjectPublicKeyInfo key = msg.getCertReq().getCertTemplate().getPublicKey();
                    checkPossession(msg, key);
                    if (raSecret != null) {
                        request = raVerified(message, msg);
                    }
                    CmpMockServer earlier = byTransaction.put(tx, start.apply(certify.apply(key)));
                    if (earlier != null) {
                        earlier.close();
                    }
                    transactions++;
                }
                CmpMockServer current = byTransaction.get(tx);
                if (current == null) {
                    throw new IllegalStateException("a message of type " + type + " in no known transaction");
                }
                HttpURLConnection c = (HttpURLConnection) new URL(current.url()).openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", CONTENT_TYPE);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(request);
                }
                status = c.getResponseCode();
                try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    answer = in == null ? new byte[0] : in.readAllBytes();
                }
            } catch (RuntimeException | IOException | AssertionError e) {
                problems.add(e.toString());
                status = 500;
                answer = new byte[0];
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    /** @return how many signed proofs of possession it has checked (and found valid) */
    synchronized int provedPossession() {
        return proved;
    }

    /**
     * Checks a request's signature proof of possession with BouncyCastle, independently of
     * tokenctl's code and before OpenSSL's mock sees it; a bad one is a problem.
     */
    private void checkPossession(CertReqMsg msg, SubjectPublicKeyInfo key) throws IOException {
        if (msg.getPopo() == null || msg.getPopo().getType() != ProofOfPossession.TYPE_SIGNING_KEY) {
            return;
        }
        try {
            // the provider instance converts the key: BouncyCastleProvider.getPublicKey (static) knows EC keys only
            // once something in the JVM has loaded the provider's EC classes, which tokenctl's code need not do
            boolean valid = new CertificateRequestMessage(msg).isValidSigningKeyPOP(
                    new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider()).build(key));
            if (!valid) {
                throw new IllegalStateException("the proof of possession does not verify");
            }
            proved++;
        } catch (org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.crmf.CRMFException e) {
            throw new IllegalStateException("cannot check the proof of possession: " + e, e);
        }
    }

    /** @return the request with its proof of possession replaced by raVerified, MAC-protected again */
    private byte[] raVerified(PKIMessage message, CertReqMsg msg) throws IOException {
        CertReqMsg verified = new CertReqMsg(msg.getCertReq(), new ProofOfPossession(), null);
        PKIBody body = new PKIBody(message.getBody().getType(), new CertReqMessages(verified));
        try {
            org.bouncycastle.operator.MacCalculator mac = new org.bouncycastle.cert.crmf.PKMACBuilder(
                    new org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator())
                    .get(message.getHeader().getProtectionAlg(), raSecret.toCharArray());
            try (OutputStream out = mac.getOutputStream()) {
                out.write(new org.bouncycastle.asn1.cmp.ProtectedPart(message.getHeader(), body)
                        .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
            }
            return new PKIMessage(message.getHeader(), body, new org.bouncycastle.asn1.DERBitString(mac.getMac()),
                    message.getExtraCerts()).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot protect the passed-on request: " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        http.stop(0);
        byTransaction.values().forEach(CmpMockServer::close);
        byTransaction.clear();
    }
}
