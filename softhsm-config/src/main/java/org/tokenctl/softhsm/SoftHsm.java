package org.tokenctl.softhsm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where SoftHSM2 and the other fixture tools live on this machine.
 *
 * <p>Tests never skip when SoftHSM2 is missing: every lookup here fails with a
 * message naming the Debian package to install.
 */
public final class SoftHsm {

    /** Standard install paths of the SoftHSM2 module, Debian's first. */
    public static final List<Path> MODULE_CANDIDATES = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));

    private SoftHsm() {
    }

    /**
     * The installed SoftHSM2 module.
     *
     * @return its absolute path
     * @throws IllegalStateException if softhsm2 is not installed
     */
    public static Path module() {
        return MODULE_CANDIDATES.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "SoftHSM2 is not installed (looked for " + MODULE_CANDIDATES
                                + "); install the Debian package 'softhsm2' (.ci/run does)"));
    }

    /**
     * An executable found on PATH.
     *
     * @param name the command, e.g. {@code pkcs11-tool}
     * @param debianPackage the package that provides it, named in the error
     * @return its path
     * @throws IllegalStateException if it is not installed
     */
    public static Path tool(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(name + " is not installed; install the Debian package '"
                + debianPackage + "' (.ci/run does)");
    }
}
