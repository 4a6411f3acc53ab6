package org.tokenctl.cli;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.io.InputFiles;
import org.tokenctl.core.io.PropertiesText;
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
 * (a {@code #} starts a comment only at the start of a line). A relative
 * {@code guard.state-file} is taken against the configuration file's directory; an
 * empty one is refused (leave the line out for the default). Errors name the line
 * and never quote the file: it may be a PIN file given by mistake. At most
 * {@value #MAX_BYTES} bytes are read.
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
    /** Four settings fit in far less; anything larger (a device such as /dev/zero) is not this file. */
    static final long MAX_BYTES = 64 * 1024;

    static CliConfig load(CliContext ctx) throws CliException {
        String env = ctx.getenv(CONFIG_ENV);
        Path file = env != null ? Path.of(env) : ctx.configDir().resolve("config.properties");
        Map<String, PropertiesText.Entry> settings = new HashMap<>();
        byte[] content = read(file, env != null);
        if (content != null) {
            List<PropertiesText.Entry> entries;
            try {
                entries = PropertiesText.parse(content, "config", "Configuration file " + file);
            } catch (InvalidInputException e) {
                throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
            }
            for (PropertiesText.Entry e : entries) {
                // the file may be a PIN file given by mistake, whose "key" is the PIN: name the line, not the key
                if (!KEYS.contains(e.key())) {
                    throw new CliException(ExitCode.INVALID_INPUT, "Unknown setting on line " + e.line() + " of "
                            + file + " (allowed: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
                }
                settings.put(e.key(), e);
            }
        }
        PropertiesText.Entry enabled = settings.get("guard.enabled");
        if (enabled != null && !enabled.value().equals("true") && !enabled.value().equals("false")) {
            throw new CliException(ExitCode.INVALID_INPUT, "guard.enabled on line " + enabled.line() + " of " + file
                    + " must be true or false");
        }
        GuardLimits limits = new GuardLimits(
                positive(settings.get("guard.daily-limit"), GuardLimits.BANK.dailyLimit(), file),
                positive(settings.get("guard.consecutive-limit"), GuardLimits.BANK.consecutiveLimit(), file));
        Path defaultState = ctx.dataDir().resolve("attempt-guard.state");
        PropertiesText.Entry state = settings.get("guard.state-file");
        Path stateFile = defaultState;
        if (state != null) {
            if (state.value().isEmpty()) {
                throw new CliException(ExitCode.INVALID_INPUT, "guard.state-file on line " + state.line() + " of "
                        + file + " is empty: give the state file's path, or remove the line for the default ("
                        + defaultState + ")");
            }
            // relative to the configuration file, not to wherever tokenctl happens to be run from:
            // the guard's counts must not depend on the working directory
            stateFile = file.toAbsolutePath().getParent().resolve(state.value());
        }
        return new CliConfig(file, enabled == null || enabled.value().equals("true"), limits, stateFile);
    }

    /** @return the file's content; null when it does not exist and was not named explicitly */
    private static byte[] read(Path file, boolean named) throws CliException {
        try {
            return InputFiles.read(file, "config", "Configuration file", MAX_BYTES);
        } catch (InvalidInputException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                if (!named) {
                    return null;
                }
                throw new CliException(ExitCode.INVALID_INPUT, "Configuration file " + file + " (from " + CONFIG_ENV
                        + ") does not exist", e);
            }
            throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
        }
    }

    private static int positive(PropertiesText.Entry setting, int dflt, Path file) throws CliException {
        if (setting == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(setting.value());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        // the value is not quoted: the file may be a PIN file given by mistake
        throw new CliException(ExitCode.INVALID_INPUT, setting.key() + " on line " + setting.line() + " of " + file
                + " must be a positive whole number");
    }
}
