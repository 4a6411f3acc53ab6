package org.tokenctl.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.tokenctl.cli.output.TerminalSafeWriter;

/**
 * Everything a command takes from its surroundings, so that tests can run the
 * whole CLI in-process with their own environment, input, terminal and clock.
 *
 * @param env environment variables (TOKENCTL_MODULE, PIN env sources, XDG dirs, ...)
 * @param stdin standard input (for --pin-stdin and friends)
 * @param out standard output: data only (tables, JSON, PEM)
 * @param err standard error: prompts' companions, progress, warnings, errors
 * @param terminal where to prompt
 * @param clock the time source (the attempt guard counts per calendar day)
 */
public record CliContext(Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err,
                         Terminal terminal, Clock clock) {

    /** Everything printed goes through {@link TerminalSafeWriter}, whatever context is made. */
    public CliContext {
        out = terminalSafe(out);
        err = terminalSafe(err);
    }

    private static PrintWriter terminalSafe(PrintWriter w) {
        return w instanceof SafePrintWriter ? w : new SafePrintWriter(w);
    }

    /** Marks a writer already made safe, so that copies of a context do not wrap twice. */
    private static final class SafePrintWriter extends PrintWriter {
        SafePrintWriter(PrintWriter w) {
            super(new TerminalSafeWriter(w), true);
        }
    }

    /** @return the real process's context */
    public static CliContext system() {
        return new CliContext(System.getenv(), System.in,
                new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                new SystemTerminal(), Clock.systemDefaultZone());
    }

    /**
     * @param name an environment variable
     * @return its value, or null when unset or empty
     */
    public String getenv(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** @return $XDG_DATA_HOME or ~/.local/share, plus "tokenctl" */
    public Path dataDir() {
        String xdg = getenv("XDG_DATA_HOME");
        return (xdg != null ? Path.of(xdg) : home().resolve(".local/share")).resolve("tokenctl");
    }

    /** @return $XDG_CONFIG_HOME or ~/.config, plus "tokenctl" */
    public Path configDir() {
        String xdg = getenv("XDG_CONFIG_HOME");
        return (xdg != null ? Path.of(xdg) : home().resolve(".config")).resolve("tokenctl");
    }

    private Path home() {
        String home = getenv("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }
}
