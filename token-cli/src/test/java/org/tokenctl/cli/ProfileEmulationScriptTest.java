package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * {@code softhsm-env.sh --emulate PROFILE} gives a person at a shell the emulated
 * vendor token the tests use: the same token facts as
 * {@link SoftHsmFixture#emulateProfile}, and pkcs11-tool sees them.
 */
@ExtendWith(SoftHsmExtension.class)
class ProfileEmulationScriptTest {

    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)=(.*)$", Pattern.MULTILINE);
    private static SoftHsmFixture f;

    @BeforeAll
    static void fixture(SoftHsmFixture fixture) {
        f = fixture;
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gd", "mingwah", "huada", "watchdata"})
    void theScriptWritesTheProfilesTokenFacts(String profile) throws Exception {
        Path dir = f.root().resolve("script-" + profile);
        Path script = SoftHsmFixture.repositoryRoot().resolve("softhsm-config/softhsm-env.sh");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("XDG_CONFIG_HOME", f.root().resolve("no-user-profiles").toString());
        ProcessResult out = Processes.run(env, new byte[0], List.of("bash", script.toString(), "--emulate", profile,
                dir.toString())).assertOk();
        Map<String, String> exported = new HashMap<>();
        Matcher m = EXPORT.matcher(out.stdout());
        while (m.find()) {
            exported.put(m.group(1), m.group(2));
        }
        assertEquals(dir.resolve("emulator.conf").toString(), exported.get("TOKENCTL_EMULATOR_CONF"), out.stdout());
        assertEquals(f.emulatorModule().toString(), exported.get("TOKENCTL_MODULE"), out.stdout());

        f.emulateProfile(profile, Map.of());
        Properties fromTests = load(f.emulatorConf());
        Properties fromScript = load(dir.resolve("emulator.conf"));
        for (String key : SoftHsmFixture.PROFILE_KEYS) {
            assertEquals(fromTests.getProperty(key), fromScript.getProperty(key), key + " for " + profile);
        }

        env.put("SOFTHSM2_CONF", exported.get("SOFTHSM2_CONF"));
        env.put("TOKENCTL_EMULATOR_CONF", exported.get("TOKENCTL_EMULATOR_CONF"));
        Processes.run(env, new byte[0], List.of("softhsm2-util", "--init-token", "--free", "--label", "shell",
                "--so-pin", "87654321", "--pin", "12345678")).assertOk();
        String shown = Processes.run(env, new byte[0], List.of("pkcs11-tool", "--module",
                exported.get("TOKENCTL_MODULE"), "-T")).assertOk().stdout();
        assertTrue(shown.contains("token manufacturer : " + fromTests.getProperty("manufacturer")), shown);
        assertTrue(shown.contains("pin min/max        : " + fromTests.getProperty("pin.min") + "/"
                + fromTests.getProperty("pin.max")), shown);
    }
}
