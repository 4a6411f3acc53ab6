package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.OpenSsl;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code tokenctl expiry} over real certificates on SoftHSM tokens: one that expired
 * ten days ago (issued by {@code openssl ca} with past dates and written to the
 * token by pkcs11-tool, as a token in the field comes to hold one: tokenctl itself
 * installs no expired certificate), one for 10 days (expiring), one for 400 days
 * (valid), and a token with none. Each reported serial and notAfter is checked
 * against OpenSSL's reading of the certificate exported from the token, and the
 * number of certificates against pkcs11-tool's.
 */
@ExtendWith(SoftHsmExtension.class)
class ExpiryCommandTest {

    private static final String PIN = "86420135";
    private static final List<String> TOKENS = List.of("exp-a", "exp-b", "exp-c");
    private static final DateTimeFormatter OPENSSL_DATE = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy zzz",
            Locale.ROOT);

    private static SoftHsmFixture fixture;
    private static Path pin;
    private static String expiredId;
    private static String expiringId;
    private static String validId;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initTokens(TOKENS, "so-pin-exp", PIN);
        pin = Files.writeString(f.root().resolve("user.pin"), PIN + "\n");
        Path ca = f.root().resolve("ca.pem");
        Path caKey = f.root().resolve("ca.key");
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-100));
        new Cli(f).clock(past).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString(),
                "--days", "3650").assertOk();
        expiredId = expiredCertificate("exp-a", "old", ca, caKey);
        validId = enroll(new Cli(f), "exp-a", "new", "400", ca, caKey);
        expiringId = enroll(new Cli(f), "exp-b", "soon", "10", ca, caKey);
    }

    private static String enroll(Cli cli, String token, String label, String days, Path ca, Path caKey) {
        return cli.run("enroll", "--token-label", token, "--pin-file", pin.toString(), "--label", label,
                "--subject", "CN=" + label + ",O=Example Bank", "--key-spec", "ec:p256", "--ca-cert", ca.toString(),
                "--ca-key", caKey.toString(), "--days", days, "--json").assertOk().json().get("key").get("id")
                .asText();
    }

    /**
     * A key made on the token with its request written out, certified by {@code openssl ca} for
     * 90 days that ended 10 days ago, and the certificate written beside the key by pkcs11-tool.
     */
    private static String expiredCertificate(String token, String label, Path ca, Path caKey) throws Exception {
        Path csr = fixture.root().resolve(label + ".csr");
        String id = new Cli(fixture).run("enroll", "--token-label", token, "--pin-file", pin.toString(), "--label",
                label, "--subject", "CN=" + label + ",O=Example Bank", "--key-spec", "ec:p256", "--csr-out",
                csr.toString(), "--json").assertOk().json().get("key").get("id").asText();
        Path dir = Files.createDirectories(fixture.root().resolve("openssl-ca"));
        Files.createDirectories(dir.resolve("new"));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1001\n");
        Path conf = Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + dir
                + "/index.txt\nnew_certs_dir = " + dir + "/new\nserial = " + dir + "/serial\ndefault_md = sha256\n"
                + "policy = p\nunique_subject = no\n[p]\ncommonName = supplied\norganizationName = optional\n");
        DateTimeFormatter asn1 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        Instant now = Instant.now();
        Path der = fixture.root().resolve(label + ".der");
        OpenSsl.run(fixture, "ca", "-batch", "-config", conf.toString(), "-cert", ca.toString(), "-keyfile",
                caKey.toString(), "-in", csr.toString(), "-startdate", asn1.format(now.minus(Duration.ofDays(100))),
                "-enddate", asn1.format(now.minus(Duration.ofDays(10))), "-out", dir.resolve(label + ".pem")
                        .toString(), "-notext").assertOk();
        OpenSsl.run(fixture, "x509", "-in", dir.resolve(label + ".pem").toString(), "-outform", "DER", "-out",
                der.toString()).assertOk();
        fixture.pkcs11Tool("--token-label", token, "--login", "--pin", PIN, "--write-object", der.toString(),
                "--type", "cert", "--id", id, "--label", label).assertOk();
        return id;
    }

    /** notAfter and serial as OpenSSL reads them from the certificate exported from the token. */
    private static String[] opensslView(String token, String id) throws Exception {
        Path pem = Files.writeString(fixture.root().resolve(token + "-" + id + ".pem"),
                new Cli(fixture).run("export-cert", "--token-label", token, "--id", id).assertOk().out());
        String out = OpenSsl.run(fixture, "x509", "-in", pem.toString(), "-noout", "-enddate", "-serial")
                .assertOk().stdout();
        String end = out.lines().filter(l -> l.startsWith("notAfter=")).findFirst().orElseThrow().substring(9);
        String serial = out.lines().filter(l -> l.startsWith("serial=")).findFirst().orElseThrow().substring(7);
        Instant notAfter = ZonedDateTime.parse(end, OPENSSL_DATE).toInstant();
        return new String[] {notAfter.toString(), serial};
    }

    @Test
    void everyPresentTokenSoonestFirstWithTheWorstAsExitCode() throws Exception {
        CliResult r = new Cli(fixture).run("expiry", "--json");
        assertEquals(ExitCode.EXPIRED.code(), r.exitCode(), r.both());
        JsonNode j = r.json();
        assertEquals(30, j.get("withinDays").asInt());
        Instant checkedAt = Instant.parse(j.get("checkedAt").asText());
        JsonNode certs = j.get("certificates");
        // pkcs11-tool counts the same certificates on the three tokens
        int listed = 0;
        for (String t : TOKENS) {
            listed += (int) fixture.pkcs11Tool("--token-label", t, "--list-objects", "--type", "cert").assertOk()
                    .stdout().lines().filter(l -> l.startsWith("Certificate Object")).count();
        }
        assertEquals(listed, certs.size(), j.toString());
        assertEquals(3, listed);
        String[][] expected = {{"exp-a", expiredId, "expired"}, {"exp-b", expiringId, "expiring"},
            {"exp-a", validId, "valid"}};
        for (int i = 0; i < expected.length; i++) {
            JsonNode c = certs.get(i);
            assertEquals(expected[i][0], c.get("token").get("label").asText(), "soonest first: " + j);
            assertEquals(expected[i][1], c.get("id").asText());
            assertEquals(expected[i][2], c.get("status").asText());
            String[] ossl = opensslView(expected[i][0], expected[i][1]);
            assertEquals(ossl[0], c.get("notAfter").asText(), "notAfter as OpenSSL reads it");
            assertEquals(new java.math.BigInteger(ossl[1], 16), new java.math.BigInteger(c.get("serial").asText(), 16),
                    "serial as OpenSSL reads it");
            long seconds = Duration.between(checkedAt, Instant.parse(ossl[0])).getSeconds();
            assertEquals(Math.floorDiv(seconds, 86_400L), c.get("daysLeft").asLong());
            assertTrue(c.get("uri").asText().contains("type=cert"), c.toString());
        }
        assertTrue(certs.get(0).get("daysLeft").asLong() < 0, "expired: negative days");
        JsonNode s = j.get("summary");
        assertEquals(3, s.get("tokens").asInt(), "exp-c has no certificate but was looked at");
        assertEquals(List.of(1, 1, 0, 1), List.of(s.get("expired").asInt(), s.get("expiring").asInt(),
                s.get("notYetValid").asInt(), s.get("valid").asInt()));
        assertEquals("EXPIRED", s.get("exitName").asText());
        assertEquals(0, j.get("unreadTokens").size());
    }

    @Test
    void theWindowDecidesWhatIsExpiring() {
        CliResult soon = new Cli(fixture).run("expiry", "--token-label", "exp-b");
        assertEquals(ExitCode.EXPIRING.code(), soon.exitCode(), soon.both());
        assertTrue(soon.out().startsWith("STATUS"), soon.both());
        soon.assertOutContains("expiring").assertOutContains(expiringId).assertOutContains("CN=soon,O=Example Bank")
                .assertOutContains("1 certificate on 1 token: 0 expired, 1 expiring within 30 days");
        soon.assertErrContains("expires within the window");
        // under each row: the issuer and the certificate's pkcs11: URI (it finds the certificate: p11tool's syntax)
        soon.assertOutContains("    issuer: CN=tokenctl demo CA").assertOutContains("    uri:    pkcs11:");
        assertTrue(soon.out().lines().anyMatch(l -> l.startsWith("    uri:    pkcs11:") && l.contains("type=cert")
                && l.contains("token=exp-b")), soon.out());
        CliResult narrow = new Cli(fixture).run("expiry", "--token-label", "exp-b", "--within", "5");
        assertEquals(ExitCode.OK.code(), narrow.exitCode(), narrow.both());
        narrow.assertOutContains("valid").assertOutContains("0 expiring within 5 days");
        assertEquals("", narrow.err());
        CliResult wide = new Cli(fixture).run("expiry", "--token-label", "exp-a", "--within", "500", "--json");
        assertEquals(ExitCode.EXPIRED.code(), wide.exitCode(), wide.both());
        assertEquals(1, wide.json().get("summary").get("expiring").asInt(), "the 400-day one is within 500 days");
        CliResult none = new Cli(fixture).run("expiry", "--token-label", "exp-c");
        assertEquals(ExitCode.OK.code(), none.exitCode(), none.both());
        none.assertOutContains("0 certificates on 1 token");
    }

    @Test
    void privateCertificatesNeedALoginOnOneToken() {
        CliResult r = new Cli(fixture).run("expiry", "--token-label", "exp-b", "--pin-file", pin.toString(),
                "--within", "5", "--json");
        assertEquals(ExitCode.OK.code(), r.exitCode(), r.both());
        assertEquals(1, r.json().get("certificates").size());
        CliResult all = new Cli(fixture).run("expiry", "--login", "--pin-file", pin.toString());
        assertEquals(ExitCode.USAGE.code(), all.exitCode(), all.both());
        all.assertOneLineError().assertErrContains("needs one token selected");
    }

    @Test
    void aBadWindowIsRefused() {
        for (String bad : new String[] {"-1", "36501"}) {
            CliResult r = new Cli(fixture).run("expiry", "--within", bad);
            assertEquals(ExitCode.INVALID_INPUT.code(), r.exitCode(), r.both());
            r.assertOneLineError().assertErrContains("--within must be 0 to 36500 days");
        }
        CliResult r = new Cli(fixture).run("expiry", "--within", "soon");
        assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.both());
    }

    /**
     * A token that cannot be read (its session refused, as a pulled token's would be)
     * is reported with the others, and the exit code says so unless a certificate
     * the run did read has expired.
     */
    @Test
    void aTokenThatCannotBeReadIsReportedAndTheOthersStill() {
        Path module = fixture.emulateProfile("softhsm", Map.of("fault.function", "C_OpenSession", "fault.call", "2",
                "fault.rv", "CKR_DEVICE_REMOVED"));
        CliResult r = new Cli(fixture).module(module).run("expiry", "--json");
        JsonNode j = r.json();
        assertEquals(1, j.get("unreadTokens").size(), r.both());
        JsonNode unread = j.get("unreadTokens").get(0);
        assertEquals("TOKEN_ERROR", unread.get("exitName").asText());
        assertTrue(unread.get("message").asText().contains("CKR_DEVICE_REMOVED"), unread.toString());
        String lost = unread.get("token").get("label").asText();
        List<String> seen = new ArrayList<>();
        j.get("certificates").forEach(c -> seen.add(c.get("token").get("label").asText()));
        assertFalse(seen.contains(lost), "no certificate of the unread token: " + j);
        assertEquals(3, j.get("summary").get("tokens").asInt());
        ExitCode expected = lost.equals("exp-a") ? ExitCode.TOKEN_ERROR : ExitCode.EXPIRED;
        assertEquals(expected.code(), r.exitCode(), r.both());

        CliResult text = new Cli(fixture).module(fixture.emulateProfile("softhsm", Map.of("fault.function",
                "C_OpenSession", "fault.call", "2", "fault.rv", "CKR_DEVICE_REMOVED"))).run("expiry");
        text.assertErrContains("token '" + lost + "'").assertErrContains("could not be read");
    }

    /**
     * Every PKCS#11 call of a report over the three tokens failed in turn: the report never
     * passes over a certificate in silence. Either it lists every certificate the fault-free
     * run listed, or it names the token it could not read (and does not exit 0), or the
     * command fails as a whole with a documented code and one line. Nothing is written.
     */
    @Test
    void aFaultAnywhereNeverHidesACertificate() throws Exception {
        Path trace = fixture.root().resolve("expiry-trace");
        Files.deleteIfExists(trace);
        CliResult clean = new Cli(fixture).module(fixture.emulateProfile("softhsm", Map.of("trace.file",
                trace.toString()))).run("expiry", "--json");
        assertEquals(ExitCode.EXPIRED.code(), clean.exitCode(), clean.both());
        List<String> calls = Files.readAllLines(trace).stream().map(l -> l.split(" ")[0]).toList();
        int certificates = clean.json().get("certificates").size();
        String before = String.join("\n", TOKENS.stream().map(t -> org.tokenctl.softhsm.ObjectSnapshot.of(fixture,
                t, PIN).toString()).toList());
        String[] faults = FaultSweep.FAULTS.toArray(new String[0]);
        for (int k = 1; k < calls.size(); k++) {
            String fault = faults[k % faults.length];
            String where = "fault " + fault + " at call " + k + " (" + calls.get(k) + "): ";
            CliResult r = new Cli(fixture).module(fixture.emulateProfile("softhsm", Map.of("fault.function", "any",
                    "fault.call", Integer.toString(k), "fault.rv", fault))).run("expiry", "--json");
            // one object: the report, or the failure object (Cli#run has checked which by the exit code)
            JsonNode last = r.out().isBlank() ? null : r.json();
            if (last != null && last.has("summary")) {
                int unread = last.get("unreadTokens").size();
                assertTrue(last.get("certificates").size() == certificates || unread > 0,
                        where + "a certificate left out with no token named unread:\n" + r.both());
                if (unread > 0) {
                    assertTrue(r.exitCode() == ExitCode.TOKEN_ERROR.code() || r.exitCode() == ExitCode.EXPIRED.code(),
                            where + r.both());
                } else {
                    assertEquals(ExitCode.EXPIRED.code(), r.exitCode(), where + r.both());
                }
            } else {
                assertTrue(FaultSweep.FAULT_EXITS.stream().anyMatch(e -> e.code() == r.exitCode())
                        && r.exitCode() != 0, where + "undocumented: " + r.both());
                r.assertOneLineError();
            }
        }
        assertEquals(before, String.join("\n", TOKENS.stream().map(t -> org.tokenctl.softhsm.ObjectSnapshot.of(
                fixture, t, PIN).toString()).toList()), "a report writes nothing");
    }
}
