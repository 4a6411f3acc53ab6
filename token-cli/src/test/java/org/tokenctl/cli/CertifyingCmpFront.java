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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.softhsm.CmpMockServer;

/**
 * A loopback HTTP front for OpenSSL's CMP mock server that lets a key generated
 * during the enrollment be enrolled. OpenSSL 3.0's mock answers every request with
 * the one certificate it was started with, which cannot certify a key that does not
 * exist yet; so for each request for a certificate (ir, cr, kur) the front has the
 * test CA certify the public key in the request's certTemplate, starts a mock
 * answering with that certificate, and passes the request and the rest of the
 * transaction (pollReq, certConf) to it unchanged. Every CMP answer (protection,
 * status, caPubs, pkiConf) is still OpenSSL's.
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

    /**
     * @param certify makes the certificate (PEM) a request's public key gets
     * @param start starts a mock server answering with a certificate
     */
    CertifyingCmpFront(Function<SubjectPublicKeyInfo, Path> certify, Function<Path, CmpMockServer> start) {
        this.certify = certify;
        this.start = start;
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
                    SubjectPublicKeyInfo key = CertReqMessages.getInstance(body.getContent()).toCertReqMsgArray()[0]
                            .getCertReq().getCertTemplate().getPublicKey();
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

    @Override
    public synchronized void close() {
        http.stop(0);
        byTransaction.values().forEach(CmpMockServer::close);
        byTransaction.clear();
    }
}
