package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.pin.GuardLimits;

/** The operator's configuration file, read without a token. */
class CliConfigTest {

    @TempDir
    Path dir;

    private CliConfig load(Map<String, String> env) throws CliException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
        all.putIfAbsent("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
        return CliConfig.load(new CliContext(all, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), null, Clock.systemUTC()));
    }

    private CliConfig loadText(String text) throws Exception {
        return load(Map.of(CliConfig.CONFIG_ENV, Files.writeString(dir.resolve("config.properties"), text).toString()));
    }

    private String refused(String text) throws Exception {
        Path f = Files.writeString(dir.resolve("config.properties"), text);
        CliException e = assertThrows(CliException.class, () -> load(Map.of(CliConfig.CONFIG_ENV, f.toString())));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertFalse(e.getMessage().replace(dir.toString(), "").contains("2468"), e.getMessage());
        return e.getMessage().replace(f.toString(), "FILE");
    }

    @Test
    void noFileMeansTheBankDefaults() throws Exception {
        CliConfig c = load(Map.of());
        assertEquals(dir.resolve("xdg-config/tokenctl/config.properties"), c.file());
        assertTrue(c.guardEnabled());
        assertEquals(GuardLimits.BANK, c.guardLimits());
        assertEquals(dir.resolve("xdg-data/tokenctl/attempt-guard.state"), c.guardStateFile());
    }

    @Test
    void theFileInTheConfigDirectoryIsRead() throws Exception {
        Path f = dir.resolve("xdg-config/tokenctl/config.properties");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "guard.enabled = false\n");
        assertFalse(load(Map.of()).guardEnabled());
    }

    @Test
    void everySettingIsApplied() throws Exception {
        CliConfig c = loadText("# desk 4\nguard.enabled = true\nguard.daily-limit = 1\nguard.consecutive-limit = 12\n"
                + "guard.state-file = state/guard\n");
        assertTrue(c.guardEnabled());
        assertEquals(new GuardLimits(1, 12), c.guardLimits());
        assertEquals(dir.resolve("state/guard"), c.guardStateFile(), "relative to the file, not the working directory");
        assertEquals(Path.of("/var/lib/g"), loadText("guard.state-file = /var/lib/g\n").guardStateFile());
        assertFalse(loadText("guard.enabled=false").guardEnabled());
    }

    @Test
    void aNamedFileMustExist() {
        Path missing = dir.resolve("nope.properties");
        CliException e = assertThrows(CliException.class, () -> load(Map.of(CliConfig.CONFIG_ENV, missing.toString())));
        assertEquals("Configuration file " + missing + " (from TOKENCTL_CONFIG) does not exist", e.getMessage());
        CliException d = assertThrows(CliException.class, () -> load(Map.of(CliConfig.CONFIG_ENV, dir.toString())));
        assertEquals("Configuration file " + dir + " is a directory, not a regular file", d.getMessage());
    }

    @Test
    void badSettingsNameTheLineNotTheValue() throws Exception {
        assertEquals("Unknown setting on line 2 of FILE (allowed: guard.consecutive-limit, guard.daily-limit,"
                + " guard.enabled, guard.state-file)", refused("guard.enabled = true\n24681357\n"));
        assertEquals("guard.enabled on line 1 of FILE must be true or false", refused("guard.enabled = 2468yes\n"));
        assertEquals("guard.enabled on line 1 of FILE must be true or false", refused("guard.enabled = TRUE\n"));
        assertEquals("guard.daily-limit on line 1 of FILE must be a positive whole number",
                refused("guard.daily-limit = 0\n"));
        assertEquals("guard.consecutive-limit on line 2 of FILE must be a positive whole number",
                refused("\nguard.consecutive-limit = 2468x\n"));
        assertEquals("guard.daily-limit on line 1 of FILE must be a positive whole number",
                refused("guard.daily-limit = -3\n"));
        assertEquals("guard.state-file on line 1 of FILE is empty: give the state file's path, or remove the line for"
                + " the default (" + dir.resolve("xdg-data/tokenctl/attempt-guard.state") + ")",
                refused("guard.state-file =\n"));
        assertEquals("Configuration file FILE line 2 sets the same key as line 1; give each setting once",
                refused("guard.enabled = true\nguard.enabled = false\n"));
    }
}
