package org.tokenctl.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.tokenctl.core.module.Calls;

/**
 * Bounds how long a tokenctl process waits for a token. A PKCS#11 call is a
 * native call that Java cannot interrupt, so when the bound passes the process
 * says which call did not return and exits; the operation's outcome on the token
 * is then unknown, and the message says so. Only the real process arms it: an
 * in-process caller (tests, embedders) keeps its own JVM.
 */
final class Watchdog {

    /** Environment variable overriding the default bound, in seconds (--timeout overrides it). */
    static final String TIMEOUT_ENV = "TOKENCTL_TIMEOUT";

    /** Long enough for RSA-4096 generation on a slow smart card. */
    static final Duration DEFAULT = Duration.ofSeconds(300);

    private Watchdog() {
    }

    /**
     * @param ctx stderr, and stdout for the failure object
     * @param bound how long the whole command may take
     * @param json --json was given: the timeout is also a failure object on stdout
     * @return the daemon thread, started; it exits the process with {@link ExitCode#TIMEOUT} when the bound passes
     */
    static Thread arm(CliContext ctx, Duration bound, boolean json) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                PrintWriter err = ctx.err();
                String line = message(bound, Calls.inFlight());
                err.println(line);
                err.flush();
                if (json) {
                    ErrorReporter.printJson(ctx.out(), new ErrorReporter.Report(ExitCode.TIMEOUT,
                            line.substring("tokenctl: ".length())));
                }
            } finally {
                // whatever went wrong while reporting, the bound holds
                Runtime.getRuntime().halt(ExitCode.TIMEOUT.code());
            }
        }, "tokenctl-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Says what the timeout means for the token. Only a PKCS#11 call that did not
     * return leaves the token's state unknown; when none was running (the command was
     * waiting for an input, a CA or a lock), the token was not being changed, and
     * sending a script to inspect it would be wrong.
     *
     * @param bound the bound that passed
     * @param inFlight the PKCS#11 calls under way, by thread
     * @return the one line to print
     */
    static String message(Duration bound, Map<Thread, String> inFlight) {
        String prefix = "tokenctl: timed out after " + bound.toSeconds() + " s: ";
        if (inFlight.isEmpty()) {
            return prefix + "no PKCS#11 call was running (tokenctl was waiting for an input, the CA or"
                    + " another process), so no token operation was cut short";
        }
        return prefix + inFlight.values().stream().distinct().collect(Collectors.joining(", "))
                + " did not return; what the operation left on the token is unknown: check it with"
                + " `tokenctl list --objects`";
    }

    /**
     * @param option the --timeout value in seconds, or null
     * @param ctx the environment, and stderr for a warning about a bad variable
     * @return the bound: the option, else {@link #TIMEOUT_ENV}, else {@link #DEFAULT}
     */
    static Duration bound(Integer option, CliContext ctx) {
        if (option != null) {
            return Duration.ofSeconds(option);
        }
        String v = ctx.getenv(TIMEOUT_ENV);
        if (v != null) {
            try {
                long s = Long.parseLong(v.trim());
                if (s > 0) {
                    return Duration.ofSeconds(s);
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            ctx.err().println("tokenctl: warning: ignoring " + TIMEOUT_ENV + "='" + v + "' (not a positive number of "
                    + "seconds); using " + DEFAULT.toSeconds());
        }
        return DEFAULT;
    }
}
