package org.tokenctl.core.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * Turns a bare {@code C_Initialize} failure into something a person can act on.
 *
 * <p>SoftHSM2 returns {@code CKR_GENERAL_ERROR} when its configuration file or
 * token directory is missing, and says why only in syslog.
 */
final class InitHints {

    private static final String DEFAULT_SOFTHSM_CONF = "/etc/softhsm/softhsm2.conf";

    private InitHints() {
    }

    static String hint(Path module, long ckr) {
        if (ckr != PKCS11Constants.CKR_GENERAL_ERROR
                || !module.getFileName().toString().toLowerCase(Locale.ROOT).contains("softhsm")) {
            return null;
        }
        String env = System.getenv("SOFTHSM2_CONF");
        Path conf = Path.of(env == null || env.isBlank() ? DEFAULT_SOFTHSM_CONF : env);
        String named = env == null || env.isBlank() ? "SOFTHSM2_CONF is not set and the default " + conf
                : "SOFTHSM2_CONF=" + conf;
        if (!Files.isRegularFile(conf)) {
            return named + " does not exist";
        }
        if (!Files.isReadable(conf)) {
            return named + " is not readable";
        }
        Path tokenDir = tokenDir(conf);
        if (tokenDir == null) {
            return named + " has no directories.tokendir";
        }
        if (!Files.isDirectory(tokenDir)) {
            return "SoftHSM token directory " + tokenDir + " (from " + conf + ") does not exist";
        }
        if (!Files.isWritable(tokenDir)) {
            return "SoftHSM token directory " + tokenDir + " (from " + conf + ") is not writable";
        }
        return "check SoftHSM's configuration " + conf;
    }

    private static Path tokenDir(Path conf) {
        try {
            for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.startsWith("directories.tokendir")) {
                    int eq = t.indexOf('=');
                    return eq < 0 ? null : Path.of(t.substring(eq + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
