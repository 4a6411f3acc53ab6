package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Known PIN values go through every command, on success and failure paths, in
 * text and JSON, quiet and --verbose (which logs every PKCS#11 call and prints
 * stack traces); none may appear in stdout, stderr or any file tokenctl writes.
 */
@ExtendWith(SoftHsmExtension.class)
class PinHygieneTest {

    private static final String USER = "Qx7!pin1";
    private static final String NEW_USER = "Rw3$pin2";
    private static final String SO = "Sy5%soA1";
    private static final String NEW_SO = "Tz6&soB2";
    private static final String WRONG = "Uv9*bad0";
    private static final String P12_PASSWORD = "Vw1^p12pass";
    private static final List<String> SECRETS = List.of(USER, NEW_USER, SO, NEW_SO, WRONG, P12_PASSWORD);

    private static SoftHsmFixture fixture;
    private static Path noGuard;
    private static final List<String> runs = new ArrayList<>();
    private static int successes;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        // the success paths at every verbosity are the point here; the guard gets its own runs below
        noGuard = Files.writeString(f.root().resolve("no-guard.properties"), "guard.enabled = false\n");
    }

    private static Path pinFile(String name, String pin) throws Exception {
        return Files.writeString(fixture.root().resolve(name), pin + "\n");
    }

    private static void clean(CliResult r, String what) {
        runs.add(what);
        if (r.exitCode() == 0) {
            successes++;
        }
        for (String secret : SECRETS) {
            assertFalse(r.out().contains(secret), what + ": a PIN reached stdout: " + r.both());
            assertFalse(r.err().contains(secret), what + ": a PIN reached stderr: " + r.both());
        }
    }

    private static void everyWay(String what, String... args) {
        for (boolean verbose : new boolean[] {false, true}) {
            for (boolean json : new boolean[] {false, true}) {
                List<String> a = new ArrayList<>();
                if (verbose) {
                    a.add("--verbose");
                }
                a.addAll(List.of(args));
                if (json) {
                    a.add("--json");
                }
                clean(new Cli(fixture).env("TOKENCTL_CONFIG", noGuard.toString())
                        .env("HYGIENE_PIN", USER).env("HYGIENE_WRONG", WRONG)
                        .answers(USER, NEW_USER, NEW_USER, SO, SO).stdin(USER + "\n" + NEW_USER + "\n")
                        .run(a.toArray(new String[0])), what + (verbose ? " --verbose" : "") + (json ? " --json" : ""));
            }
        }
    }

    /** For commands whose outputs must not exist beforehand: one run per variant, default verbosity and JSON. */
    private static void everyWayOnce(String what, String... args) {
        List<String> a = new ArrayList<>(List.of("--verbose"));
        a.addAll(List.of(args));
        a.add("--json");
        clean(new Cli(fixture).run(a.toArray(new String[0])), what);
    }

    @Test
    void noCommandPrintsOrLogsAPin() throws Exception {
        Path so = pinFile("so.pin", SO);
        Path user = pinFile("user.pin", USER);
        Path newUser = pinFile("new-user.pin", NEW_USER);
        Path newSo = pinFile("new-so.pin", NEW_SO);
        Path wrong = pinFile("wrong.pin", WRONG);

        everyWay("init", "init", "--label", "hyg", "--force", "--so-pin-file", so.toString(), "--user-pin-file",
                user.toString());
        everyWay("init wrong SO PIN", "init", "--token-label", "hyg", "--label", "hyg", "--force",
                "--so-pin-file", wrong.toString());
        everyWay("list login", "list", "--token-label", "hyg", "--objects", "--pin-env", "HYGIENE_PIN");
        everyWay("list wrong PIN", "list", "--token-label", "hyg", "--objects", "--pin-env", "HYGIENE_WRONG");
        everyWay("change-pin policy", "change-pin", "--token-label", "hyg", "--pin-file", user.toString(),
                "--new-pin-file", user.toString());
        everyWay("change-pin wrong old", "change-pin", "--token-label", "hyg", "--pin-file", wrong.toString(),
                "--new-pin-file", newUser.toString());
        everyWay("change-pin prompted mismatch", "change-pin", "--token-label", "hyg");
        everyWay("change-pin stdin", "change-pin", "--token-label", "hyg", "--pin-stdin", "--new-pin-stdin");
        everyWay("change-pin back", "change-pin", "--token-label", "hyg", "--pin-file", newUser.toString(),
                "--new-pin-file", user.toString());
        everyWay("change SO PIN", "change-pin", "--so", "--token-label", "hyg", "--so-pin-file", so.toString(),
                "--new-pin-file", newSo.toString());
        everyWay("change SO PIN back", "change-pin", "--so", "--token-label", "hyg", "--so-pin-file",
                newSo.toString(), "--new-pin-file", so.toString());
        everyWay("unblock", "unblock", "--token-label", "hyg", "--so-pin-file", so.toString(), "--new-pin-file",
                newUser.toString());
        everyWay("unblock wrong SO", "unblock", "--token-label", "hyg", "--so-pin-file", wrong.toString(),
                "--new-pin-file", user.toString());
        Path ca = fixture.root().resolve("ca.pem");
        Path caKey = fixture.root().resolve("ca.key");
        clean(new Cli(fixture).run("ca", "init", "--out-cert", ca.toString(), "--out-key", caKey.toString()), "ca init");
        everyWay("enroll", "enroll", "--token-label", "hyg", "--pin-file", newUser.toString(), "--label", "h",
                "--subject", "CN=Hygiene", "--key-spec", "ec:p256", "--ca-cert", ca.toString(), "--ca-key",
                caKey.toString());
        Path p12pw = pinFile("p12.pw", P12_PASSWORD);
        for (String variant : List.of("a", "b", "c", "d")) {
            everyWayOnce("enroll p12 " + variant, "enroll", "--medium", "p12", "--out",
                    fixture.root().resolve(variant + ".p12").toString(), "--password-file", p12pw.toString(),
                    "--label", "p", "--subject", "CN=P12", "--ca-cert", ca.toString(), "--ca-key", caKey.toString());
        }
        Path csr = fixture.root().resolve("req.csr");
        CliResult offline = new Cli(fixture).run("enroll", "--token-label", "hyg", "--pin-file", newUser.toString(),
                "--label", "off", "--subject", "CN=Offline", "--csr-out", csr.toString());
        clean(offline, "enroll --csr-out");
        offline.assertOk();
        Path cert = fixture.root().resolve("off.pem");
        fixture.run(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", cert.toString())).assertOk();
        everyWay("import-cert", "import-cert", "--token-label", "hyg", "--pin-file", newUser.toString(), "--cert",
                cert.toString());
        everyWay("enroll wrong PIN", "enroll", "--token-label", "hyg", "--pin-file", wrong.toString(), "--label", "h",
                "--subject", "CN=Hygiene", "--ca-cert", ca.toString(), "--ca-key", caKey.toString());
        everyWay("batch-enroll", "batch-enroll", "--force", "--pin-file", newUser.toString(), "--subject",
                "CN=Batch {serial}", "--key-spec", "ec:p256", "--ca-cert", ca.toString(), "--ca-key", caKey.toString());
        everyWay("batch-enroll wrong PIN", "batch-enroll", "--force", "--pin-env", "HYGIENE_WRONG", "--subject",
                "CN=Batch {serial}", "--ca-cert", ca.toString(), "--ca-key", caKey.toString());
        everyWay("guard status", "guard", "status");
        everyWay("guard reset", "guard", "reset", "--token-label", "hyg", "--so-pin-file", so.toString());
        everyWay("PIN on argv", "list", "--pin", USER);
        for (int i = 0; i < 6; i++) {
            clean(new Cli(fixture).env("HYGIENE_WRONG", WRONG).run("--verbose", "list", "--token-label", "hyg",
                    "--login", "--pin-env", "HYGIENE_WRONG"), "guarded wrong PIN " + i);
        }
        CliResult refused = new Cli(fixture).env("HYGIENE_PIN", USER).run("--verbose", "list", "--token-label", "hyg",
                "--login", "--pin-env", "HYGIENE_PIN");
        clean(refused, "guard refusal");
        assertEquals(ExitCode.ATTEMPT_GUARD.code(), refused.exitCode(), refused.both());

        assertTrue(runs.size() >= 60, "ran " + runs.size() + " command variants");
        assertTrue(successes >= 30, "the success paths ran too: " + successes + " of " + runs.size());
        // nor in any file tokenctl wrote (guard state, SoftHSM config it created)
        try (Stream<Path> files = Files.walk(fixture.root().resolve("xdg-data"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : SECRETS) {
                    assertFalse(content.contains(secret), f + " holds a PIN");
                }
            }
        }
    }

    /**
     * A PIN file given where another file belongs (the audit's cases): errors about a
     * file's content name the file and the line, never the content.
     */
    @Test
    void aPinFileInTheWrongPlaceIsNeverQuoted() throws Exception {
        // one PIN that looks like a PIN column to the manifest reader, one that does not
        String pinLike = "S0pinZq7";
        String plain = "Us3rPq9x";
        for (String pin : List.of(pinLike, plain, "[" + plain, "{\"" + plain + "\": 1}")) {
            Path file = pinFile("wrong-place.pin", pin);
            List<CliResult> results = new ArrayList<>();
            results.add(new Cli(fixture).run("batch-enroll", "--manifest", file.toString(), "--pin-file",
                    file.toString(), "--subject", "CN=x", "--ca-cert", file.toString(), "--ca-key", file.toString()));
            results.add(new Cli(fixture).env("TOKENCTL_CONFIG", file.toString()).run("list", "--login",
                    "--pin-file", file.toString()));
            Path config = Files.writeString(fixture.root().resolve("wrong-place.properties"),
                    "guard.daily-limit = " + pin + "\n");
            results.add(new Cli(fixture).env("TOKENCTL_CONFIG", config.toString()).run("list", "--login",
                    "--pin-file", file.toString()));
            Path xdg = fixture.root().resolve("wrong-place-xdg");
            Path profiles = Files.createDirectories(xdg.resolve("tokenctl/profiles"));
            Files.copy(file, profiles.resolve("pin.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            results.add(new Cli(fixture).env("XDG_CONFIG_HOME", xdg.toString()).run("profiles"));
            Path guardConfig = Files.writeString(fixture.root().resolve("wrong-state.properties"),
                    "guard.state-file = " + file + "\n");
            results.add(new Cli(fixture).env("TOKENCTL_CONFIG", guardConfig.toString()).run("guard", "status"));
            for (CliResult r : results) {
                assertTrue(r.exitCode() != 0, "a PIN file is no manifest, configuration, profile or state: "
                        + r.both());
                r.assertOneLineError();
                assertFalse(r.out().contains(plain) || r.err().contains(plain) || r.err().contains(pinLike),
                        "the PIN was printed: " + r.both());
            }
        }
    }
}
