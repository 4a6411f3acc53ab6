package org.tokenctl.core.issue.cmp;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.InvalidInputException;

/**
 * Where a CMP server is and how to talk to it (RFC 4210, RFC 9483 profile, HTTP
 * transfer per RFC 6712). Immutable; the shared secret is not part of it.
 *
 * @param server the server's URL with its path, e.g. {@code https://ca.example.com/ejbca/publicweb/cmp/alias}
 * @param reference the reference value the CA gave with the shared secret: sent as senderKID
 *                  (RFC 9483 section 3.1), identifying the secret to the CA
 * @param recipient the CA's name for the header's recipient; NULL-DN (empty) when not known (RFC 9483 section 3.1)
 * @param trusted trust anchors (or the server's own certificate) for responses protected by a signature; empty
 *                when the server protects its responses with the shared secret
 * @param tlsTrusted trust anchors for an https server's TLS certificate, or empty for the JVM's default trust store
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long each answer may take, whole (headers and body): a deadline, not a per-read limit
 * @param pollTimeout how long to keep polling while the CA answers "waiting"
 * @param maxResponseBytes the largest answer read; a larger one is an error, not a memory exhaustion
 */
public record CmpSettings(URI server, String reference, X500Name recipient, List<X509CertificateHolder> trusted,
                          List<X509CertificateHolder> tlsTrusted, Duration connectTimeout, Duration readTimeout,
                          Duration pollTimeout, int maxResponseBytes) {

    /** Connect timeout unless told otherwise, in seconds. */
    public static final int DEFAULT_CONNECT_SECONDS = 10;
    /** Read timeout unless told otherwise, in seconds. */
    public static final int DEFAULT_READ_SECONDS = 30;
    /** Polling time unless told otherwise, in seconds. */
    public static final int DEFAULT_POLL_SECONDS = 60;
    /** The largest answer read: CMP answers carry a few certificates, a few KiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    /**
     * Checks the parts and copies the lists.
     *
     * @param server the server's URL with its path, e.g. {@code https://ca.example.com/ejbca/publicweb/cmp/alias}
     * @param reference the reference value the CA gave with the shared secret: sent as senderKID (RFC 9483 section
     *                  3.1), identifying the secret to the CA
     * @param recipient the CA's name for the header's recipient; NULL-DN (empty) when not known (RFC 9483 section 3.1)
     * @param trusted trust anchors (or the server's own certificate) for responses protected by a signature; empty
     *                when the server protects its responses with the shared secret
     * @param tlsTrusted trust anchors for an https server's TLS certificate, or empty for the JVM's default trust store
     * @param connectTimeout how long to wait for a connection
     * @param readTimeout how long each answer may take, whole (headers and body): a deadline, not a per-read limit
     * @param pollTimeout how long to keep polling while the CA answers "waiting"
     * @param maxResponseBytes the largest answer read; a larger one is an error, not a memory exhaustion
     */
    public CmpSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reference, "reference");
        recipient = recipient == null ? new X500Name(new RDN[0]) : recipient;
        trusted = List.copyOf(trusted);
        tlsTrusted = List.copyOf(tlsTrusted);
        for (Duration d : List.of(connectTimeout, readTimeout, pollTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
    }

    /**
     * @param url an http or https URL with a host and, usually, a path (the CA's CMP alias)
     * @return the URL, its path "/" when it has none
     * @throws InvalidInputException if it is not such a URL, or carries a user name or password (which would
     *                               end up in messages and logs)
     */
    public static URI parseServer(String url) throws InvalidInputException {
        String hint = "; expected http(s)://HOST[:PORT]/PATH, e.g. https://ca.example.com/ejbca/publicweb/cmp/ALIAS";
        URI u;
        try {
            u = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "': " + e.getReason()
                    + hint, e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "': not http or https"
                    + hint);
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "': no host" + hint);
        }
        if (u.getPort() > 65535) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "': port " + u.getPort()
                    + " is out of range" + hint);
        }
        if (u.getRawUserInfo() != null) {
            throw new InvalidInputException("cmp-server", "The CMP server URL must not carry a user name or password"
                    + " (authentication is the shared secret)");
        }
        if (u.getRawFragment() != null) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "': it has a fragment (#)"
                    + hint);
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        try {
            return new URI(scheme + "://" + u.getRawAuthority() + path
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new InvalidInputException("cmp-server", "Invalid CMP server URL '" + url + "'" + hint, e);
        }
    }
}
