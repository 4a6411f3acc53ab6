package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.tokenctl.cli.output.Json;

/**
 * What one tokenctl run produced.
 *
 * @param exitCode the exit code
 * @param out stdout
 * @param err stderr
 */
record CliResult(int exitCode, String out, String err) {

    String both() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }

    CliResult assertExit(ExitCode expected) {
        assertEquals(expected.code(), exitCode, both());
        if (expected != ExitCode.OK) {
            assertOneLineError();
        }
        return this;
    }

    CliResult assertOk() {
        return assertExit(ExitCode.OK);
    }

    /**
     * A failure is one "tokenctl: ..." line (a usage error names its --help on that line), no
     * stack trace; prompts and a batch's per-token lines may stand beside it.
     */
    CliResult assertOneLineError() {
        assertFalse(err.contains("\tat "), "no stack trace without --verbose: " + both());
        assertFalse(err.contains("Exception"), "no exception class names in user errors: " + both());
        long errorLines = err.lines().filter(l -> l.startsWith("tokenctl: ") && !l.startsWith("tokenctl: using ")
                && !l.startsWith("tokenctl: warning")).count();
        assertEquals(1, errorLines, "exactly one error line: " + both());
        return this;
    }

    /** As {@link #assertOneLineError}, for a run with no prompt and no progress: nothing else on stderr but notes. */
    CliResult assertOnlyOneLine() {
        assertOneLineError();
        java.util.List<String> lines = err.lines().filter(l -> !l.isBlank() && !l.startsWith("tokenctl: using ")
                && !l.startsWith("tokenctl: warning")).collect(java.util.stream.Collectors.toList());
        assertEquals(1, lines.size(), "exactly one line besides notes and warnings: " + both());
        return this;
    }

    CliResult assertErrContains(String text) {
        assertTrue(err.contains(text), "stderr should contain '" + text + "': " + both());
        return this;
    }

    CliResult assertOutContains(String text) {
        assertTrue(out.contains(text), "stdout should contain '" + text + "': " + both());
        return this;
    }

    JsonNode json() {
        try {
            return Json.mapper().readTree(out);
        } catch (Exception e) {
            throw new AssertionError("stdout is not JSON: " + both(), e);
        }
    }
}
