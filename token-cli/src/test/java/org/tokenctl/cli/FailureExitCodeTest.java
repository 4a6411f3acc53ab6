package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.Failure;
import org.tokenctl.core.TokenctlException;

/** Every kind of failure has its documented exit code; none falls to "unexpected error". */
class FailureExitCodeTest {

    private static final Map<Failure, ExitCode> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(Failure.INITIAL_PIN, ExitCode.INITIAL_PIN),
            Map.entry(Failure.PIN_INCORRECT, ExitCode.PIN_INCORRECT),
            Map.entry(Failure.PIN_NOT_SET, ExitCode.PIN_LOCKED),
            Map.entry(Failure.PIN_LOCKED, ExitCode.PIN_LOCKED),
            Map.entry(Failure.PIN_FINAL_TRY, ExitCode.PIN_FINAL_TRY),
            Map.entry(Failure.PIN_POLICY, ExitCode.PIN_POLICY),
            Map.entry(Failure.ATTEMPT_GUARD, ExitCode.ATTEMPT_GUARD),
            Map.entry(Failure.MODULE, ExitCode.MODULE),
            Map.entry(Failure.TOKEN_SELECTION, ExitCode.TOKEN_NOT_FOUND),
            Map.entry(Failure.INVALID_INPUT, ExitCode.INVALID_INPUT),
            Map.entry(Failure.NOT_SUPPORTED, ExitCode.NOT_SUPPORTED),
            Map.entry(Failure.ISSUANCE, ExitCode.ISSUANCE),
            Map.entry(Failure.CERT_MISMATCH, ExitCode.CERT_MISMATCH),
            Map.entry(Failure.CANCELLED, ExitCode.INTERRUPTED),
            Map.entry(Failure.INCOMPLETE, ExitCode.INCOMPLETE),
            Map.entry(Failure.TOKEN_ERROR, ExitCode.TOKEN_ERROR)));

    /** A failure of a given kind and nothing else, as a future exception type would be. */
    private static final class AnyFailure extends TokenctlException {
        private static final long serialVersionUID = 1L;
        private final Failure kind;

        AnyFailure(Failure kind) {
            super("what went wrong");
            this.kind = kind;
        }

        @Override
        public Failure failure() {
            return kind;
        }
    }

    @Test
    void eachKindHasItsExitCode() {
        assertEquals(Failure.values().length, EXPECTED.size(), "a new kind needs its row here and in docs/exit-codes.md");
        for (Failure f : Failure.values()) {
            ErrorReporter.Report r = ErrorReporter.report(new AnyFailure(f));
            assertEquals(EXPECTED.get(f), r.code(), f.name());
            assertTrue(r.text().startsWith("what went wrong") || f == Failure.PIN_NOT_SET, r.text());
        }
    }

    @Test
    void onlyAThrowableOutsideTheModelIsUnexpected() {
        assertEquals(ExitCode.ERROR, ErrorReporter.report(new IllegalStateException("bug")).code());
        assertEquals(ExitCode.ABORTED, ErrorReporter.report(new CliException(ExitCode.ABORTED, "no")).code());
    }
}
