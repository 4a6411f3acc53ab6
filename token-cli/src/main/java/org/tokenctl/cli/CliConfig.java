package org.tokenctl.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

import org.tokenctl.core.pin.GuardLimits;

/**
 * Operator settings from {@code $TOKENCTL_CONFIG}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/tokenctl/config.properties}. A missing file
 * means defaults; a malformed one is an error (settings that silently do not
 * apply are worse than none).
 *
 * <pre>
 * # the attempt guard (default on)
 * guard.enabled = true
 * # wrong PINs per token and day
 * guard.daily-limit = 5
 * # wrong PINs in a row, until the count is reset
 * guard.consecutive-limit = 8
 * # default ${XDG_DATA_HOME:-~/.local/share}/tokenctl/attempt-guard.state
 * guard.state-file = /path
 * </pre>
 * (a {@code #} starts a comment only at the start of a line)
 *
 * @param file the file read (it may not exist)
 * @param guardEnabled whether the attempt guard is on
 * @param guardLimits its thresholds
 * @param guardStateFile where it keeps counts
 */
record CliConfig(Path file, boolean guardEnabled, GuardLimits guardLimits, Path guardStateFile) {

    static final String CONFIG_ENV = "TOKENCTL_CONFIG";
    private static final Set<String> KEYS = Set.of("guard.enabled", "guard.daily-limit", "guard.consecutive-limit",
            "guard.state-file");

    static CliConfig load(CliContext ctx) throws CliException {
        String env = ctx.getenv(CONFIG_ENV);
        Path file = env != null ? Path.of(env) : ctx.configDir().resolve("config.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            if (env != null) {
                throw new CliException(ExitCode.INVALID_INPUT, "Configuration file " + file + " (from " + CONFIG_ENV
                        + ") does not exist", e);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "Cannot read configuration file " + file + ": "
                    + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new CliException(ExitCode.INVALID_INPUT, "Unknown setting '" + key + "' in " + file
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        String enabled = p.getProperty("guard.enabled", "true").trim();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new CliException(ExitCode.INVALID_INPUT, "guard.enabled in " + file + " must be true or false");
        }
        GuardLimits limits = new GuardLimits(positive(p, "guard.daily-limit", GuardLimits.BANK.dailyLimit(), file),
                positive(p, "guard.consecutive-limit", GuardLimits.BANK.consecutiveLimit(), file));
        String state = p.getProperty("guard.state-file");
        Path stateFile = state != null ? Path.of(state.trim()) : ctx.dataDir().resolve("attempt-guard.state");
        return new CliConfig(file, enabled.equals("true"), limits, stateFile);
    }

    private static int positive(Properties p, String key, int dflt, Path file) throws CliException {
        String v = p.getProperty(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(ExitCode.INVALID_INPUT, key + " in " + file + " must be a positive whole number; got '"
                + v.trim() + "'");
    }
}
