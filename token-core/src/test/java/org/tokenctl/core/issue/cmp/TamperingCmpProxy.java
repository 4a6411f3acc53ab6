package org.tokenctl.core.issue.cmp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cmp.PKIMessage;

/**
 * A man in the middle for CMP over HTTP (RFC 6712), on loopback: every request the
 * client POSTs is forwarded unchanged to the real server (OpenSSL's mock), and the
 * server's answer passes through a {@link Tamper} before the client gets it. It keeps
 * every request and every genuine answer, so that a tamper can replay an earlier one.
 * Close it to stop it.
 */
final class TamperingCmpProxy implements AutoCloseable {

    /** What the client gets instead of the server's answer. */
    @FunctionalInterface
    interface Tamper {
        /**
         * @param request the client's request, as sent
         * @param answer the server's genuine answer to it
         * @param earlier the server's genuine answers before this one, oldest first
         * @return what the client gets
         * @throws Exception if the answer cannot be altered (the client then sees HTTP 500)
         */
        PKIMessage answer(PKIMessage request, PKIMessage answer, List<PKIMessage> earlier) throws Exception;

        /** @return a tamper that changes nothing */
        static Tamper none() {
            return (request, answer, earlier) -> answer;
        }
    }

    private final HttpServer server;
    private final URI upstream;
    private final List<PKIMessage> requests = new CopyOnWriteArrayList<>();
    private final List<PKIMessage> answers = new CopyOnWriteArrayList<>();
    private volatile Tamper tamper;

    private TamperingCmpProxy(URI upstream, Tamper tamper) throws IOException {
        this.upstream = upstream;
        this.tamper = tamper;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param upstream the real CMP server's URL
     * @param tamper what to do to its answers
     * @return the running proxy
     * @throws IOException if it cannot listen
     */
    static TamperingCmpProxy start(String upstream, Tamper tamper) throws IOException {
        return new TamperingCmpProxy(URI.create(upstream), tamper);
    }

    /** @param tamper what to do to the answers from now on */
    void tamper(Tamper tamper) {
        this.tamper = tamper;
    }

    /** @return the URL the client should use */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pkix/";
    }

    /** @return the client's requests so far, oldest first */
    List<PKIMessage> requests() {
        return List.copyOf(requests);
    }

    /** @return the server's genuine answers so far, oldest first */
    List<PKIMessage> answers() {
        return List.copyOf(answers);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body = x.getRequestBody().readAllBytes();
            byte[] reply;
            try {
                PKIMessage request = PKIMessage.getInstance(body);
                PKIMessage answer = PKIMessage.getInstance(forward(body));
                List<PKIMessage> earlier = new ArrayList<>(answers);
                requests.add(request);
                answers.add(answer);
                reply = tamper.answer(request, answer, earlier).getEncoded(ASN1Encoding.DER);
            } catch (Exception e) {
                x.sendResponseHeaders(500, -1);
                throw new IOException("the proxy failed: " + e, e);
            }
            x.getResponseHeaders().add("Content-Type", HttpTransport.CONTENT_TYPE);
            x.sendResponseHeaders(200, reply.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private byte[] forward(byte[] request) throws IOException {
        HttpURLConnection c = (HttpURLConnection) upstream.toURL().openConnection();
        try {
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(5000);
            c.setReadTimeout(10_000);
            c.setRequestProperty("Content-Type", HttpTransport.CONTENT_TYPE);
            c.setRequestProperty("Connection", "close");
            try (OutputStream out = c.getOutputStream()) {
                out.write(request);
            }
            if (c.getResponseCode() != 200) {
                throw new IOException("the CMP server answered HTTP " + c.getResponseCode());
            }
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        } finally {
            c.disconnect();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
