package org.tokenctl.cli;

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
    private static final List<String> SECRETS = List.of(USER, NEW_USER, SO, NEW_SO, WRONG);

    private static SoftHsmFixture fixture;
    private static final List<String> runs = new ArrayList<>();

    @BeforeAll
    static void setUp(SoftHsmFixture f) {
        fixture = f;
    }

    private static Path pinFile(String name, String pin) throws Exception {
        return Files.writeString(fixture.root().resolve(name), pin + "\n");
    }

    private static void clean(CliResult r, String what) {
        runs.add(what);
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
                clean(new Cli(fixture).env("HYGIENE_PIN", USER).env("HYGIENE_WRONG", WRONG)
                        .answers(USER, NEW_USER, NEW_USER, SO, SO).stdin(USER + "\n" + NEW_USER + "\n")
                        .run(a.toArray(new String[0])), what + (verbose ? " --verbose" : "") + (json ? " --json" : ""));
            }
        }
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
        everyWay("guard status", "guard", "status");
        everyWay("guard reset", "guard", "reset", "--token-label", "hyg", "--so-pin-file", so.toString());
        everyWay("PIN on argv", "list", "--pin", USER);

        assertTrue(runs.size() >= 60, "ran " + runs.size() + " command variants");
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
}
