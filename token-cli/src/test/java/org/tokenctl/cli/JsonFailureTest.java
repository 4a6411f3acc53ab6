package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * With {@code --json} a failure is one object on stdout as well as the line on stderr:
 * the same exit code, the same message, and the remedy apart. ({@link Cli#run} checks
 * every such object against docs/schema/error.schema.json, and that a failing
 * {@code --json} run prints one.)
 */
@ExtendWith(SoftHsmExtension.class)
class JsonFailureTest {

    private static SoftHsmFixture fixture;
    private static Path initialPin;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("json-fail", "so-pin-jf", "12345678");
        initialPin = Files.writeString(f.root().resolve("initial.pin"), "12345678\n");
    }

    private static JsonNode failure(CliResult r, ExitCode code) {
        r.assertExit(code);
        JsonNode j = r.json();
        assertEquals("error", j.get("type").asText(), r.both());
        assertEquals(code.code(), j.get("exitCode").asInt());
        assertEquals(code.name(), j.get("exitName").asText());
        assertEquals(r.err().strip(), "tokenctl: " + j.get("message").asText(), "the message is stderr's line");
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        return j;
    }

    @Test
    void aFailureWithoutRemedy() {
        JsonNode j = failure(new Cli(fixture).run("list", "--objects", "--token-label", "no-such-token", "--json"),
                ExitCode.TOKEN_NOT_FOUND);
        assertTrue(j.get("message").asText().startsWith("No token labelled"), j.toString());
        assertTrue(j.get("remedy").isNull(), j.toString());
    }

    @Test
    void aFailureWithARemedyGivesItApart() {
        JsonNode j = failure(new Cli(fixture).run("list", "--objects", "--login", "--token-label", "json-fail",
                "--pin-file", initialPin.toString(), "--json"), ExitCode.INITIAL_PIN);
        assertEquals("run `tokenctl change-pin`", j.get("remedy").asText());
        assertTrue(j.get("message").asText().endsWith(": run `tokenctl change-pin`"), j.toString());
    }

    @Test
    void aUsageErrorToo() {
        JsonNode j = failure(new Cli(fixture).run("list", "--json", "--tokne-label", "x"), ExitCode.USAGE);
        assertEquals("see 'tokenctl list --help'", j.get("remedy").asText());
        // what follows -- is an argument, not an option: no JSON was asked for
        CliResult r = new Cli(fixture).run("list", "--", "--json").assertExit(ExitCode.USAGE);
        assertEquals("", r.out(), r.both());
    }

    @Test
    void withoutJsonStdoutStaysEmpty() {
        CliResult r = new Cli(fixture).run("list", "--objects", "--token-label", "no-such-token").assertExit(ExitCode.TOKEN_NOT_FOUND);
        assertEquals("", r.out(), r.both());
    }
}
