package org.tokenctl.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.tokenctl.cli.ExitCode;

/** Progress on stderr: the library's bar on a terminal, plain lines otherwise. Pure logic, no token. */
class BatchProgressTest {

    private static BatchResult result(int i, Outcome o) {
        return new BatchResult("serial" + i, "token" + i, o, null, null, null,
                o.ok() ? ExitCode.OK : ExitCode.PIN_INCORRECT, 5);
    }

    @Test
    void aTerminalGetsAProgressBar() {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try (BatchProgress p = BatchProgress.of(new PrintStream(tty, true, StandardCharsets.UTF_8),
                new PrintWriter(err), 2)) {
            p.done(result(0, Outcome.ENROLLED));
            p.done(result(1, Outcome.FAILED));
        }
        String drawn = tty.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("Enrolling") && drawn.contains("100%") && drawn.contains("2/2")
                && drawn.contains("1 failed"), drawn);
        assertTrue(drawn.contains("\r"), "redrawn in place: " + drawn);
        assertEquals("", err.toString(), "no plain lines beside the bar");
    }

    @Test
    void otherwiseOneLinePerToken() {
        StringWriter err = new StringWriter();
        try (BatchProgress p = BatchProgress.of(null, new PrintWriter(err), 2)) {
            p.done(result(0, Outcome.ALREADY_ENROLLED));
            p.done(result(1, Outcome.SKIPPED));
        }
        assertEquals("[1/2] serial0 'token0': already-enrolled\n[2/2] serial1 'token1': skipped (exit 5)\n",
                err.toString().replace(System.lineSeparator(), "\n"));
    }
}
