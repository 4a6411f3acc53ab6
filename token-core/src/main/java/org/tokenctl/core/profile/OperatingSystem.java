package org.tokenctl.core.profile;

import java.util.Locale;

/** The operating systems a profile lists module files for. */
public enum OperatingSystem {
    /** Linux */
    LINUX,
    /** macOS */
    MACOS,
    /** Windows */
    WINDOWS;

    /** @return the one this JVM runs on (Linux for anything unrecognised) */
    public static OperatingSystem current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return WINDOWS;
        }
        return os.contains("mac") || os.contains("darwin") ? MACOS : LINUX;
    }

    /** @return the key suffix in profile files: linux, macos, windows */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
