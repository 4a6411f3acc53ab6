package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.CmpMockServer;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Walks docs/bad-inputs.md: every row, one line on stderr, its exit code, no stack trace, token unchanged,
 * and none of the fixture's PINs or secrets printed (rows give PIN files where other files belong).
 */
@ExtendWith(SoftHsmExtension.class)
class BadInputCatalogueTest {

    private static final String USER_PIN = "24681357";
    private static final String SO_PIN = "catalogue-so";
    private static final Pattern ROW = Pattern.compile(
            "^\\| ([a-z0-9-]+) \\| ([^|]+) \\|\\s*([^|]*?)\\s*\\| `([^`]+)` \\| ([A-Z_]+) \\| ([^|]+) \\|$",
            Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::([a-zA-Z0-9-]+))?\\}");

    private static final String CMP_SECRET = "catalogue-cmp";
    private static SoftHsmFixture fixture;
    private static int walked;
    /** Answers {url:html} and {url:huge}: HTTP servers that are not CMP servers. */
    private static HttpServer http;
    /** Answers {url:cmp}: OpenSSL's CMP mock server, holding CMP_SECRET. */
    private static CmpMockServer cmp;
    /** {url:down}: a loopback port nothing listens on. */
    private static int downPort;

    /** The fixture files rows refer to as {file:NAME}. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put("empty", "\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("huge", new byte[2 * 1024 * 1024]);
        FILES.put("two-lines", (USER_PIN + "\n\n").getBytes(StandardCharsets.UTF_8));
        FILES.put("cr-cr-lf", (USER_PIN + "\r\r\n").getBytes(StandardCharsets.UTF_8));
        FILES.put("control", "2468\u00071357".getBytes(StandardCharsets.UTF_8));
        FILES.put("bad-utf8", new byte[] {'2', '4', (byte) 0xC3, '(', '1', '3'});
        FILES.put("bom", "\uFEFF24681357\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("bidi", "2468\u202E1357\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("zero-width", "2468\u200B1357\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("nbsp", "24681357\u00A0\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("zwj-password", "password\u200Dword\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("three", "975".getBytes(StandardCharsets.UTF_8));
        FILES.put("five", "97531".getBytes(StandardCharsets.UTF_8));
        FILES.put("eleven", "97531864201".getBytes(StandardCharsets.UTF_8));
        FILES.put("non-ascii", "pässwört".getBytes(StandardCharsets.UTF_8));
        FILES.put("initial", "12345678".getBytes(StandardCharsets.UTF_8));
        FILES.put("bad-config", "guard.daily-limit = often\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("config-duplicate", "guard.daily-limit = 3\nguard.daily-limit = 9\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("misspelt-config", "guard.dayly-limit = 3\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("config-state-empty", "guard.state-file =\n".getBytes(StandardCharsets.UTF_8));
        // relative: taken against the configuration file's directory, where setUp links zero.state to /dev/zero
        FILES.put("config-state-zero", "guard.state-file = zero.state\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("config-state-fifo", "guard.state-file = fifo\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-pinfile-fifo", "tokenLabel,subject,pinFile\nvictim,CN=a,fifo\n"
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("config-state-bad-utf8", "guard.state-file = bad-utf8.state\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("bad-utf8.state", new byte[] {'#', '\n', 'S', (byte) 0xFF, '\n'});
        FILES.put("cmp-secret", (CMP_SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        FILES.put("cmp-wrong-secret", "not-the-secret\n".getBytes(StandardCharsets.UTF_8));
        // batch-enroll manifests: no extension, so the reader tells CSV from JSON by the first character
        FILES.put("manifest-bad-utf8", new byte[] {'t', 'o', 'k', 'e', 'n', 'L', 'a', 'b', 'e', 'l', ',', 's', 'u', 'b',
            'j', 'e', 'c', 't', '\n', 'b', 'a', 'd', (byte) 0xFF, ',', 'C', 'N', '=', 'a', '\n'});
        FILES.put("manifest-bad-csv", "serial,subject\nabc,\"CN=x\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-bad-json", "[{\"tokenLabel\": \"victim\", \"subject\": \"CN=x\""
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-pinfile-dir", "tokenLabel,subject,pinFile\nvictim,CN=a,.\n"
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-pinenv-unset", "tokenLabel,subject,pinEnv\nvictim,CN=a,NO_SUCH_PIN_VARIABLE\n"
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-duplicate", "tokenLabel,subject\nvictim,CN=a\nvictim,CN=b\n"
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-pin", "tokenLabel,subject,pin\nvictim,CN=a,24681357\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-bad-dn", "tokenLabel,subject\nvictim,\"CN=x,C=Germany\"\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-unknown-token", "serial,subject\n0000000000000000,CN=a\n"
                .getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("victim", SO_PIN, USER_PIN);
        f.pkcs11Tool("--token-label", "victim", "--login", "--pin", USER_PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--label", "keep-me", "--id", "0a0b").assertOk();
        f.pkcs11Tool("--token-label", "victim", "--login", "--pin", USER_PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--label", "exportable", "--id", "0e0e", "--extractable").assertOk();
        Path files = Files.createDirectories(f.root().resolve("catalogue"));
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            Files.write(files.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(files.resolve("pin"), USER_PIN + "\n");
        Files.writeString(files.resolve("so"), SO_PIN + "\n");
        Files.createDirectories(files.resolve("dir"));
        // {fifo}: a named pipe stands in for a device node (never a real one under /dev)
        Process mkfifo = new ProcessBuilder("mkfifo", files.resolve("fifo").toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        // a user profile directory with a malformed profile in it
        Path profiles = Files.createDirectories(files.resolve("bad-profile/tokenctl/profiles"));
        try (var in = org.tokenctl.core.profile.ProfileRegistry.class.getResourceAsStream("gd.properties")) {
            Files.writeString(profiles.resolve("gd.properties"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("pin.max = 10", "pin.max = ten"));
        }
        Path duplicate = Files.createDirectories(files.resolve("duplicate-profile/tokenctl/profiles"));
        try (var in = org.tokenctl.core.profile.ProfileRegistry.class.getResourceAsStream("gd.properties")) {
            Files.writeString(duplicate.resolve("gd.properties"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\npin.max = 12\n");
        }
        String huada;
        try (var in = org.tokenctl.core.profile.ProfileRegistry.class.getResourceAsStream("huada.properties")) {
            huada = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(Files.createDirectories(files.resolve("sm2-partial-profile/tokenctl/profiles"))
                .resolve("huada.properties"), huada.replaceAll("(?m)^sm2\\.signature = .*$", ""));
        Files.writeString(Files.createDirectories(files.resolve("sm2-constant-profile/tokenctl/profiles"))
                .resolve("huada.properties"), huada.replace("sm2.sign = 0x80008100", "sm2.sign = 0xSM2SIGN"));
        Files.createSymbolicLink(files.resolve("zero.state"), Path.of("/dev/zero"));
        Files.createSymbolicLink(Files.createDirectories(files.resolve("zero-profile/tokenctl/profiles"))
                .resolve("zz.properties"), Path.of("/dev/zero"));
        Files.createSymbolicLink(Files.createDirectories(files.resolve("fifo-profile/tokenctl/profiles"))
                .resolve("zz.properties"), files.resolve("fifo"));
        Files.writeString(Files.createDirectories(files.resolve("pin-profile/tokenctl/profiles"))
                .resolve("user.properties"), USER_PIN + "\n");
        byte[] elf32 = new byte[52];
        elf32[0] = 0x7F;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        elf32[5] = 1;
        elf32[6] = 1;
        elf32[16] = 3;
        elf32[18] = 3;
        Files.write(files.resolve("elf32.so"), elf32);
        certificates(f, files);
        new Cli(f).run("ca", "init", "--out-cert", files.resolve("ca.pem").toString(), "--out-key",
                files.resolve("ca.key").toString()).assertOk();
        startServers(files);
    }

    /**
     * Certificates for import-cert rows, around a key really on the token (made by an
     * offline enrollment, so its public key is known from the request).
     */
    private static void certificates(SoftHsmFixture f, Path files) throws Exception {
        Path csrFile = files.resolve("victim.csr");
        new Cli(f).run("enroll", "--token-label", "victim", "--pin-file", files.resolve("pin").toString(), "--label",
                "awaiting", "--subject", "CN=Victim", "--key-spec", "ec:p256", "--csr-out", csrFile.toString())
                .assertOk();
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki;
        try (var parser = new org.bouncycastle.openssl.PEMParser(Files.newBufferedReader(csrFile))) {
            spki = ((org.bouncycastle.pkcs.PKCS10CertificationRequest) parser.readObject()).getSubjectPublicKeyInfo();
        }
        org.tokenctl.core.issue.DemoCa ca = org.tokenctl.core.issue.DemoCa.create(
                org.tokenctl.core.csr.SubjectName.parse("CN=Catalogue CA"), org.tokenctl.core.key.KeySpec.EC_P256, 30,
                java.time.Clock.systemUTC());
        java.time.Instant now = java.time.Instant.now();
        var day = java.time.Duration.ofDays(1);
        var valid = issue(ca, spki, now.minus(day), now.plus(day.multipliedBy(30)));
        pem(files.resolve("cert-expired.pem"), issue(ca, spki, now.minus(day.multipliedBy(10)), now.minus(day)));
        pem(files.resolve("cert-future.pem"), issue(ca, spki, now.plus(day.multipliedBy(10)), now.plus(day.multipliedBy(40))));
        java.security.KeyPair other = org.tokenctl.core.key.SoftwareKeyGenerator.generate(
                org.tokenctl.core.key.KeySpec.EC_P256);
        pem(files.resolve("cert-other-key.pem"), issue(ca, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                other.getPublic().getEncoded()), now.minus(day), now.plus(day)));
        pem(files.resolve("cert-ca.pem"), ca.certificate());
        Files.writeString(files.resolve("cert-wrong-order.pem"), org.tokenctl.core.io.Pem.encode(ca.certificate())
                + org.tokenctl.core.io.Pem.encode(valid));
        String good = org.tokenctl.core.io.Pem.encode(valid);
        Files.writeString(files.resolve("cert-truncated.pem"), good.substring(0, good.length() / 2));
        pem(files.resolve("cert-serial-zero.pem"), issue(ca, spki, now.minus(day), now.plus(day),
                java.math.BigInteger.ZERO));
        pem(files.resolve("cert-serial-negative.pem"), issue(ca, spki, now.minus(day), now.plus(day),
                java.math.BigInteger.valueOf(-5)));
        // a version 1 CA certificate (no extensions, so no basicConstraints), with its key
        var v1 = new org.bouncycastle.cert.X509v1CertificateBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=Version One CA"), java.math.BigInteger.valueOf(7),
                java.util.Date.from(now.minus(day)), java.util.Date.from(now.plus(day.multipliedBy(30))),
                new org.bouncycastle.asn1.x500.X500Name("CN=Version One CA"),
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(other.getPublic().getEncoded()));
        pem(files.resolve("cert-ca-v1.pem"), v1.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                "SHA256withECDSA").build(other.getPrivate())));
        pem(files.resolve("ca-v1.key"), new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(other.getPrivate(), null));
        Files.writeString(files.resolve("cert-with-v1-chain.pem"), org.tokenctl.core.io.Pem.encode(valid)
                + Files.readString(files.resolve("cert-ca-v1.pem")));
        // an RSA CA certificate, and its key file with one CRT parameter changed (a damaged file)
        var rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        java.security.KeyPair rsaCa = rsa.generateKeyPair();
        var rsaCaName = new org.bouncycastle.asn1.x500.X500Name("CN=RSA CA");
        var rsaCaCert = new org.bouncycastle.cert.X509v3CertificateBuilder(rsaCaName, java.math.BigInteger.valueOf(8),
                java.util.Date.from(now.minus(day)), java.util.Date.from(now.plus(day.multipliedBy(30))), rsaCaName,
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(rsaCa.getPublic().getEncoded()))
                .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                        new org.bouncycastle.asn1.x509.BasicConstraints(true));
        pem(files.resolve("cert-ca-rsa.pem"), rsaCaCert.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                "SHA256withRSA").build(rsaCa.getPrivate())));
        var k = (java.security.interfaces.RSAPrivateCrtKey) rsaCa.getPrivate();
        java.security.PrivateKey damaged = java.security.KeyFactory.getInstance("RSA").generatePrivate(
                new java.security.spec.RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
                        k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(),
                        k.getPrimeExponentP().add(java.math.BigInteger.TWO), k.getPrimeExponentQ(),
                        k.getCrtCoefficient()));
        pem(files.resolve("ca-rsa-damaged.key"), new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(damaged, null));
        // a P-256 key file whose private value is the group order, which no key can have
        var order = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("P-256").getN();
        Files.writeString(files.resolve("ca-ec-out-of-range.key"), org.tokenctl.core.io.Pem.encode(
                new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey,
                                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1),
                        new org.bouncycastle.asn1.sec.ECPrivateKey(256, order)).getEncoded())));
        byte[] random = new byte[700];
        new java.security.SecureRandom().nextBytes(random);
        Files.write(files.resolve("cert-random.bin"), random);
    }

    private static org.bouncycastle.cert.X509CertificateHolder issue(org.tokenctl.core.issue.DemoCa ca,
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki, java.time.Instant from, java.time.Instant to)
            throws Exception {
        return issue(ca, spki, from, to, java.math.BigInteger.valueOf(System.nanoTime()));
    }

    private static org.bouncycastle.cert.X509CertificateHolder issue(org.tokenctl.core.issue.DemoCa ca,
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki, java.time.Instant from, java.time.Instant to,
            java.math.BigInteger serial) throws Exception {
        var b = new org.bouncycastle.cert.X509v3CertificateBuilder(ca.certificate().getSubject(), serial, java.util.Date.from(from), java.util.Date.from(to),
                new org.bouncycastle.asn1.x500.X500Name("CN=Victim"), spki);
        return b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                .build(ca.key()));
    }

    private static void pem(Path file, Object object) throws Exception {
        Files.writeString(file, org.tokenctl.core.io.Pem.encode(object));
    }

    private static void startServers(Path files) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/html", x -> answer(x, "text/html", "<html>Welcome</html>".getBytes(StandardCharsets.UTF_8)));
        http.createContext("/huge", x -> answer(x, "application/pkixcmp", new byte[3 * 1024 * 1024]));
        http.start();
        Path cert = files.resolve("cmp-answer.pem");
        OpenSsl.run(fixture, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
                "-keyout", files.resolve("cmp-answer.key").toString(), "-out", cert.toString(), "-days", "30",
                "-subj", "/CN=catalogue").assertOk();
        cmp = CmpMockServer.start(files, "-srv_ref", "catalogue", "-srv_secret", "pass:" + CMP_SECRET, "-rsp_cert",
                cert.toString());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            downPort = s.getLocalPort();
        }
    }

    private static void answer(HttpExchange x, String type, byte[] body) throws java.io.IOException {
        x.getRequestBody().readAllBytes();
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(200, body.length);
        try (var out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stopServers() {
        if (http != null) {
            http.stop(0);
        }
        if (cmp != null) {
            cmp.close();
        }
    }

    @AfterAll
    static void report() {
        System.out.println("bad-input catalogue: " + walked + " rows walked, each one line on stderr, documented exit,"
                + " no stack trace, token unchanged, no PIN printed");
    }

    private static String resolve(String text) {
        Path files = fixture.root().resolve("catalogue");
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            String value;
            switch (kind) {
                case "token": value = "victim"; break;
                case "pin": value = files.resolve("pin").toString(); break;
                case "so": value = files.resolve("so").toString(); break;
                case "file": value = files.resolve(require(name)).toString(); break;
                case "ca": value = files.resolve("ca." + (name.equals("key") ? "key" : "pem")).toString(); break;
                case "cert": value = files.resolve(name.equals("random") ? "cert-random.bin"
                        : name.equals("ca-v1-key") ? "ca-v1.key"
                        : name.equals("ca-rsa-damaged-key") ? "ca-rsa-damaged.key"
                        : name.equals("ca-ec-out-of-range-key") ? "ca-ec-out-of-range.key" : "cert-" + name + ".pem")
                        .toString(); break;
                case "dir": value = name == null ? files.resolve("dir").toString() : files.resolve(name).toString(); break;
                case "missing": value = files.resolve("does-not-exist").toString(); break;
                case "fifo": value = files.resolve("fifo").toString(); break;
                case "nl": value = "\n"; break;
                case "u": value = new String(Character.toChars(Integer.parseInt(name, 16))); break;
                case "long": value = "a".repeat(Integer.parseInt(name)); break;
                case "module": value = module(name); break;
                case "url": value = url(name); break;
                default: throw new AssertionError("unknown placeholder {" + kind + "}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        return m.appendTail(sb).toString();
    }

    private static String url(String name) {
        String loopback = "http://127.0.0.1:";
        switch (name) {
            case "html": return loopback + http.getAddress().getPort() + "/html";
            case "huge": return loopback + http.getAddress().getPort() + "/huge";
            case "cmp": return cmp.url();
            case "down": return loopback + downPort + "/pkix/";
            default: throw new AssertionError("no fixture URL '" + name + "' (known: html, huge, cmp, down)");
        }
    }

    private static String require(String name) {
        if (!FILES.containsKey(name)) {
            throw new AssertionError("no fixture file '" + name + "' (known: " + FILES.keySet() + ")");
        }
        return name;
    }

    private static String module(String name) {
        if (name.equals("elf32")) {
            return fixture.root().resolve("catalogue/elf32.so").toString();
        }
        return Stream.of("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1",
                "/lib/aarch64-linux-gnu/libz.so.1").filter(p -> Files.exists(Path.of(p))).findFirst()
                .orElseThrow(() -> new AssertionError("zlib not found"));
    }

    /** The token's label, its objects and which PINs work, read with pkcs11-tool from SoftHSM directly. */
    private static String tokenState() {
        return fixture.pkcs11Tool("-L").stdout().lines().filter(l -> l.contains("token label"))
                .sorted().reduce("", (a, b) -> a + b + "\n")
                + fixture.pkcs11Tool("--token-label", "victim", "--login", "--pin", USER_PIN, "--list-objects").both()
                + fixture.pkcs11Tool("--token-label", "victim", "--session-rw", "--login", "--login-type", "so",
                        "--so-pin", SO_PIN, "--list-objects").exitCode();
    }

    @TestFactory
    List<DynamicTest> everyRow() throws Exception {
        String doc = Files.readString(SoftHsmFixture.repositoryRoot().resolve("docs/bad-inputs.md"),
                StandardCharsets.UTF_8);
        long tableRows = doc.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| id ")).count();
        Matcher m = ROW.matcher(doc);
        List<DynamicTest> tests = new ArrayList<>();
        while (m.find()) {
            String id = m.group(1);
            String env = m.group(3).trim();
            String command = m.group(4);
            ExitCode exit = ExitCode.valueOf(m.group(5));
            String message = resolve(m.group(6).trim());
            tests.add(DynamicTest.dynamicTest(id, () -> {
                String before = tokenState();
                Cli cli = new Cli(fixture);
                if (!env.isEmpty()) {
                    for (String assignment : env.replace("`", "").split("\\s+")) {
                        String[] kv = assignment.split("=", 2);
                        cli.env(kv[0], resolve(kv[1]));
                    }
                }
                String[] args = resolve(command).split(" ");
                // a row whose input blocks (a FIFO with no writer) fails here rather than hanging the build
                CliResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(120), () -> cli.run(args), id + ": did not finish");
                r.assertExit(exit).assertErrContains(message).assertOnlyOneLine();
                // whatever file a PIN file is given as, the PIN is never printed
                for (String secret : new String[] {USER_PIN, SO_PIN, CMP_SECRET}) {
                    assertFalse(r.err().contains(secret) || r.out().contains(secret), id + ": printed a secret: "
                            + r.both());
                }
                assertEquals(before, tokenState(), id + ": the token changed");
                walked++;
            }));
        }
        assertEquals(tableRows, tests.size(), "every table row must parse (check the columns of each row)");
        assertTrue(tests.size() >= 40, "the catalogue holds at least 40 bad inputs: " + tests.size());
        return tests;
    }
}
