package org.tokenctl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * What a CMP enrollment test needs around the token: a CA made by openssl, keys on
 * the token certified by it, and OpenSSL CMP mock servers that answer with those
 * certificates (the mock answers with a certificate fixed at its start, so the key
 * must exist first and is then enrolled with {@code --key-id}). Closing it stops
 * every server it started.
 */
final class CmpFixture implements AutoCloseable {

    /** The reference value (senderKID) the mock servers expect. */
    static final String REF = "mock-srv";
    /** The shared secret the mock servers hold. */
    static final String SECRET = "cmp-Secret-42";

    /**
     * A key pair on the token and the CA's certificate for it.
     *
     * @param id its CKA_ID, hex
     * @param cert the certificate (PEM)
     */
    record Holder(String id, Path cert) {
    }

    private static final AtomicInteger COUNT = new AtomicInteger();
    private final SoftHsmFixture fixture;
    private final Path dir;
    private final Path caPem;
    private final Path caKey;
    private final Path secretFile;
    private final Path extensions;
    private final List<CmpMockServer> servers = new ArrayList<>();

    CmpFixture(SoftHsmFixture fixture) throws Exception {
        this.fixture = fixture;
        this.dir = Files.createDirectories(fixture.root().resolve("cmp"));
        this.caPem = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                caKey.toString(), "-out", caPem.toString(), "-days", "30", "-subj", "/O=Mock Bank/CN=Mock Issuing CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        this.secretFile = Files.writeString(dir.resolve("cmp.secret"), SECRET + "\n");
        // a CMP certificate must be X.509 v3 (RFC 4210 x509v3PKCert): give it extensions
        this.extensions = Files.writeString(dir.resolve("ee.ext"),
                "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n");
    }

    private String openssl(String... args) {
        return OpenSsl.run(fixture, args).assertOk().stdout();
    }

    /** @return the CA certificate (PEM) */
    Path caPem() {
        return caPem;
    }

    /** @return a file holding the shared secret */
    Path secretFile() {
        return secretFile;
    }

    /** @return a working directory for the test's own files */
    Path dir() {
        return dir;
    }

    /**
     * Makes a key pair on the token the way an operator would (tokenctl enroll --csr-out)
     * and has the CA certify it.
     *
     * @param token the token label
     * @param pinFile its user PIN
     * @param label the key's label
     * @param keySpec e.g. ec:p256
     * @return the key's id and certificate
     */
    Holder holder(String token, Path pinFile, String label, String keySpec) {
        Path csr = dir.resolve(label + ".csr");
        String id = new Cli(fixture).run("enroll", "--token-label", token, "--pin-file", pinFile.toString(), "--label",
                label, "--subject", "CN=" + label + ",O=Mock Bank", "--key-spec", keySpec, "--csr-out",
                csr.toString(), "--json").assertOk().json().get("key").get("id").asText();
        return new Holder(id, certify(csr, label));
    }

    /** @return a certificate from the same CA for a key that is not on any token */
    Path certificateForAnotherKey() {
        String name = "other-" + COUNT.incrementAndGet();
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        return certify(csr, name);
    }

    /**
     * @param csr a request
     * @param name a file name stem
     * @return the CA's certificate for it (v3, one day)
     */
    Path certify(Path csr, String name) {
        return certify(csr, name, null);
    }

    /**
     * @param csr a request
     * @param name a file name stem
     * @param serial the serial number to give it, or null for the CA's next
     * @return the CA's certificate for it (v3, one day)
     */
    Path certify(Path csr, String name, String serial) {
        Path crt = dir.resolve(name + ".pem");
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", csr.toString(), "-CA", caPem.toString(),
                "-CAkey", caKey.toString(), "-days", "1", "-extfile", extensions.toString(), "-out", crt.toString()));
        args.addAll(serial == null ? List.of("-CAcreateserial") : List.of("-set_serial", serial));
        openssl(args.toArray(new String[0]));
        return crt;
    }

    /**
     * Certifies a public key that has no request of its own (the key in a CMP
     * certTemplate), with the test CA, as {@link #certify(Path, String, String)} does.
     *
     * @param key the public key
     * @param subject OpenSSL's form, e.g. {@code /O=Mock Bank/CN=x}
     * @param serial the serial number to give it, or null for the CA's next
     * @return the certificate (PEM)
     */
    Path certifyKey(SubjectPublicKeyInfo key, String subject, String serial) {
        String name = "key-" + COUNT.incrementAndGet();
        Path der = dir.resolve(name + ".pub.der");
        Path crt = dir.resolve(name + ".pem");
        try {
            Files.write(der, key.getEncoded());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("x509", "-new", "-subj", subject, "-force_pubkey",
                der.toString(), "-keyform", "DER", "-CA", caPem.toString(), "-CAkey", caKey.toString(), "-days", "1",
                "-extfile", extensions.toString(), "-out", crt.toString()));
        args.addAll(serial == null ? List.of("-CAcreateserial") : List.of("-set_serial", serial));
        openssl(args.toArray(new String[0]));
        return crt;
    }

    /**
     * @param name a file name stem
     * @return a server signing certificate and key (PEM) certified by the mock CA, so that trusting the CA
     *         trusts the server's answers
     */
    Path[] serverSigner(String name) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/O=Mock Bank/CN=Mock RA " + name);
        return new Path[] {certify(csr, name), key};
    }

    /** @return the file a holder's request was written to */
    Path requestOf(String label) {
        return dir.resolve(label + ".csr");
    }

    /**
     * @param cert what the server answers every enrollment with
     * @param more further server options (-poll_count, -pkistatus...)
     * @return a mock server protecting its answers with the shared secret, stopped by {@link #close}
     */
    CmpMockServer server(Path cert, String... more) {
        List<String> opts = new ArrayList<>(List.of("-srv_ref", REF, "-srv_secret", "pass:" + SECRET, "-rsp_cert",
                cert.toString(), "-rsp_capubs", caPem.toString()));
        opts.addAll(List.of(more));
        return started(opts);
    }

    /**
     * @param cert what the server answers with
     * @param srvCert the server's signing certificate
     * @param srvKey its key
     * @return a mock server that signs its answers (and accepts our MAC-protected requests unverified)
     */
    CmpMockServer signingServer(Path cert, Path srvCert, Path srvKey) {
        return started(List.of("-srv_cert", srvCert.toString(), "-srv_key", srvKey.toString(), "-accept_unprotected",
                "-rsp_cert", cert.toString()));
    }

    /**
     * @param cert what the server answers with
     * @param srvCert the server's signing certificate
     * @param srvKey its key
     * @param clientTrusted whom the server trusts to sign requests (a key update is signed with the holder's key)
     * @return a mock server that accepts only signed requests and signs its answers
     */
    CmpMockServer keyUpdateServer(Path cert, Path srvCert, Path srvKey, Path clientTrusted) {
        return started(List.of("-srv_cert", srvCert.toString(), "-srv_key", srvKey.toString(), "-srv_trusted",
                clientTrusted.toString(), "-rsp_cert", cert.toString()));
    }

    /**
     * @param subject the subject every certificate gets (OpenSSL's form, {@code /O=Mock Bank/CN=x})
     * @return a front that certifies each request's own key and lets a mock like {@link #server} answer
     *         (MAC-protected with the shared secret); close it before this fixture
     */
    CertifyingCmpFront certifyingServer(String subject) {
        return new CertifyingCmpFront(key -> certifyKey(key, subject, null), this::server);
    }

    /**
     * @param subject the subject every certificate gets
     * @return a front that checks each signed proof of possession itself (BouncyCastle) and passes the request
     *         on as raVerified, re-protected with the shared secret, to a mock that accepts that
     */
    CertifyingCmpFront certifyingRa(String subject) {
        return new CertifyingCmpFront(key -> certifyKey(key, subject, null), cert -> server(cert,
                "-accept_raverified"), SECRET);
    }

    /**
     * @param subject the subject every certificate gets
     * @param serial the serial each new certificate gets: that of the certificate being updated, as OpenSSL
     *               3.0's mock accepts a kur only when oldCertID names the certificate it answers with
     * @param srvCert the server's signing certificate
     * @param srvKey its key
     * @param clientTrusted whom the server trusts to sign requests
     * @return a front that certifies each request's own key and lets a mock like {@link #keyUpdateServer} answer
     */
    CertifyingCmpFront certifyingKeyUpdateServer(String subject, String serial, Path srvCert, Path srvKey,
                                                 Path clientTrusted) {
        return new CertifyingCmpFront(key -> certifyKey(key, subject, serial),
                cert -> keyUpdateServer(cert, srvCert, srvKey, clientTrusted));
    }

    private CmpMockServer started(List<String> opts) {
        CmpMockServer s = CmpMockServer.start(dir, opts.toArray(new String[0]));
        servers.add(s);
        return s;
    }

    /**
     * @param url the server
     * @return the CMP options for it: --cmp-server, --cmp-ref and the secret file
     */
    List<String> options(String url) {
        return List.of("--cmp-server", url, "--cmp-ref", REF, "--cmp-secret-file", secretFile.toString());
    }

    @Override
    public void close() {
        servers.forEach(CmpMockServer::close);
    }
}
