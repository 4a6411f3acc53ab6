package org.tokenctl.core.issue.cmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.issue.IssuanceException;

/**
 * CMP over HTTP (RFC 6712): each message is one POST of {@code application/pkixcmp}
 * on a connection of its own ({@code Connection: close}). One request per connection
 * is deliberate: OpenSSL's CMP server answers HTTP/1.0 with keep-alive, and
 * {@code java.net.http.HttpClient} was seen to hang on the second message of a
 * transaction over such a connection; {@link HttpURLConnection} with
 * {@code Connection: close} does not reuse it.
 *
 * <p>Every failure is an {@link IssuanceException} with a one-line message naming the
 * URL: connection refused, timeouts, a status other than 200, a content type other
 * than {@code application/pkixcmp}, an answer larger than the limit (read no further,
 * so a huge answer cannot exhaust memory), an answer not complete within the read
 * timeout (a deadline for the whole answer, see {@link AnswerDeadline}). Thread-safe.
 */
final class HttpTransport {

    /** RFC 6712 section 3.4. */
    static final String CONTENT_TYPE = "application/pkixcmp";

    private final CmpSettings settings;
    private final String name;
    private final SSLSocketFactory tls;

    /**
     * @param settings the server, timeouts, size limit and TLS trust
     * @param name the issuer's name for exceptions
     * @throws InvalidInputException if the TLS trust anchors cannot be used
     */
    HttpTransport(CmpSettings settings, String name) throws InvalidInputException {
        this.settings = settings;
        this.name = name;
        this.tls = settings.tlsTrusted().isEmpty() ? null : socketFactory(settings.tlsTrusted());
    }

    /** TLS with exactly these trust anchors (host names are still verified). */
    private static SSLSocketFactory socketFactory(List<X509CertificateHolder> anchors) throws InvalidInputException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("anchor-" + i, converter.getCertificate(anchors.get(i)));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            // the certificates were parsed already; what fails here is the JDK's TLS set-up
            throw new InvalidInputException("cmp-tls-trusted", "Cannot use the TLS trust anchors ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private String url() {
        return settings.server().toString();
    }

    /**
     * Checks that the server accepts connections, before anything is created: a TCP
     * connection, closed at once. Skipped when a proxy is configured for the URL (the
     * proxy, not the server, would answer).
     *
     * @throws IssuanceException if nothing listens there, or the host is unknown
     */
    void probe() throws IssuanceException {
        URI u = settings.server();
        ProxySelector selector = ProxySelector.getDefault();
        List<Proxy> proxies = selector == null ? List.of(Proxy.NO_PROXY) : selector.select(u);
        if (proxies.stream().anyMatch(p -> p.type() != Proxy.Type.DIRECT)) {
            return;
        }
        int port = u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        InetSocketAddress address = new InetSocketAddress(u.getHost(), port);
        if (address.isUnresolved()) {
            throw new IssuanceException(name, "Cannot reach the CMP server " + url() + ": unknown host '"
                    + u.getHost() + "'");
        }
        try (Socket s = new Socket()) {
            s.connect(address, timeoutMillis(settings.connectTimeout()));
        } catch (IOException e) {
            throw failure(e, true);
        }
    }

    /**
     * Sends one message and reads the answer.
     *
     * @param request the DER-encoded PKIMessage
     * @return the answer's body (a PKIMessage, unchecked)
     * @throws IssuanceException if the exchange fails or the answer is not a CMP answer
     */
    byte[] post(byte[] request) throws IssuanceException {
        HttpURLConnection c = null;
        boolean connected = false;
        AnswerDeadline deadline = null;
        try {
            c = (HttpURLConnection) settings.server().toURL().openConnection();
            if (tls != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            c.setConnectTimeout(timeoutMillis(settings.connectTimeout()));
            c.setReadTimeout(timeoutMillis(settings.readTimeout()));
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", CONTENT_TYPE);
            c.setRequestProperty("Accept", CONTENT_TYPE);
            // the one restricted header HttpURLConnection lets through; it also stops the JDK's connection reuse
            c.setRequestProperty("Connection", "close");
            c.setFixedLengthStreamingMode(request.length);
            c.connect();
            connected = true;
            deadline = new AnswerDeadline(c, settings.readTimeout());
            try (OutputStream out = c.getOutputStream()) {
                out.write(request);
            }
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                String reason = c.getResponseMessage();
                throw new IssuanceException(name, "The CMP server " + url() + " answered HTTP " + status
                        + (reason == null || reason.isBlank() ? "" : " " + printable(reason))
                        + "; is this the CA's CMP URL (with its path)?");
            }
            String type = c.getContentType();
            if (type == null || !mediaType(type).equals(CONTENT_TYPE)) {
                throw new IssuanceException(name, "The server at " + url() + " answered with content type '"
                        + (type == null ? "none" : printable(type)) + "', not " + CONTENT_TYPE
                        + ": it is not a CMP server, or not at this path");
            }
            long declared = c.getContentLengthLong();
            if (declared > settings.maxResponseBytes()) {
                throw tooLarge();
            }
            try (InputStream in = c.getInputStream()) {
                return readLimited(in, deadline);
            }
        } catch (IOException e) {
            if (deadline != null && deadline.expired()) {
                throw readTimeout(e);
            }
            throw failure(e, !connected);
        } finally {
            if (deadline != null) {
                deadline.close();
            }
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private byte[] readLimited(InputStream in, AnswerDeadline deadline) throws IOException, IssuanceException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if (buf.size() + n > settings.maxResponseBytes()) {
                throw tooLarge();
            }
            // the timer closes the connection; this also stops a read that slipped in a byte just before
            if (deadline.expired()) {
                throw readTimeout(null);
            }
            buf.write(chunk, 0, n);
        }
        if (buf.size() == 0) {
            throw new IssuanceException(name, "The CMP server " + url() + " answered with an empty body");
        }
        return buf.toByteArray();
    }

    private IssuanceException tooLarge() {
        return new IssuanceException(name, "The answer of the CMP server " + url() + " is larger than "
                + settings.maxResponseBytes() / 1024 + " KiB; refused (not a CMP answer)");
    }

    private IssuanceException failure(IOException e, boolean connecting) {
        String prefix = "Cannot reach the CMP server " + url() + ": ";
        if (e instanceof UnknownHostException) {
            return new IssuanceException(name, prefix + "unknown host '" + settings.server().getHost() + "'", e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new IssuanceException(name, prefix + printable(String.valueOf(e.getMessage()))
                    + " (is it running, and is the port right?)", e);
        }
        if (e instanceof SocketTimeoutException) {
            return connecting
                    ? new IssuanceException(name, prefix + "no connection within "
                            + settings.connectTimeout().toSeconds() + " s", e)
                    : readTimeout(e);
        }
        if (e instanceof SSLException) {
            Throwable root = e;
            boolean certificate = false;
            while (root.getCause() != null) {
                root = root.getCause();
                certificate |= root instanceof CertificateException || root instanceof CertPathBuilderException
                        || root instanceof CertPathValidatorException;
            }
            return new IssuanceException(name, "TLS with the CMP server " + url() + " failed: "
                    + printable(String.valueOf(root.getMessage())) + (certificate ? " (if its CA is not in the JVM's"
                    + " trust store, give its CA as a TLS trust anchor)" : ""),
                    certificate ? Remedy.CMP_TLS_TRUST_ANCHORS : null, e);
        }
        return new IssuanceException(name, "Talking to the CMP server " + url() + " failed: "
                + e.getClass().getSimpleName().replace("Exception", "") + " " + printable(String.valueOf(
                        e.getMessage())), e);
    }

    /** The answer (headers and body) did not arrive whole within the read timeout. */
    private IssuanceException readTimeout(IOException cause) {
        return new IssuanceException(name, "The CMP server " + url() + " did not answer within "
                + settings.readTimeout().toSeconds() + " s (the read timeout, for the whole answer)", cause);
    }

    private static int timeoutMillis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** "application/pkixcmp; charset=x" is still application/pkixcmp (media type names are case-insensitive). */
    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** What a server sends is shown, but only as one short printable line. */
    static String printable(String text) {
        String s = text.replaceAll("\\p{Cntrl}", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
