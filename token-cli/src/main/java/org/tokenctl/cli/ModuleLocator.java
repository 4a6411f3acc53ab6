package org.tokenctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tokenctl.core.module.ModuleLoadException;
import org.tokenctl.core.profile.ModuleCandidates;
import org.tokenctl.core.profile.VendorProfile;

/**
 * Decides which PKCS#11 module the CLI loads: {@code --module PATH}, else
 * {@code TOKENCTL_MODULE}, else SoftHSM2 at its standard install path (the
 * embedded default, so that tokenctl works out of the box for development and
 * demos). When the module was not named, a note on stderr says which one is used.
 */
final class ModuleLocator {

    /** The environment variable that names a module for every command. */
    static final String MODULE_ENV = "TOKENCTL_MODULE";

    private ModuleLocator() {
    }

    /**
     * @param option the {@code --module} value, or null
     * @param ctx the environment and stderr
     * @param softhsm the softhsm profile, whose module candidates are the embedded default
     * @return the module to load
     * @throws CliException if no module was named and SoftHSM2 is not installed
     */
    static Path locate(Path option, CliContext ctx, VendorProfile softhsm) throws CliException {
        if (option != null) {
            return option;
        }
        String env = ctx.getenv(MODULE_ENV);
        if (env != null) {
            return Path.of(env);
        }
        Path module;
        try {
            module = ModuleCandidates.locate(softhsm);
        } catch (ModuleLoadException e) {
            throw new CliException(ExitCode.MODULE, "No PKCS#11 module given (use --module PATH, --profile NAME or "
                    + MODULE_ENV + ") and SoftHSM2 is not installed", e);
        }
        ctx.err().println("tokenctl: using SoftHSM2 " + module + " (" + softhsmConfig(ctx)
                + "); name a module with --module or " + MODULE_ENV);
        return module;
    }

    /**
     * Describes SoftHSM's configuration, creating tokenctl's per-user token
     * directory on first use. The launcher points SOFTHSM2_CONF at that per-user
     * file when the user has not set it (a JVM cannot set its own environment).
     */
    private static String softhsmConfig(CliContext ctx) throws CliException {
        String conf = ctx.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            return "SOFTHSM2_CONF is not set: SoftHSM uses its system configuration";
        }
        Path confFile = Path.of(conf);
        Path perUser = ctx.dataDir().resolve("softhsm2");
        if (!Files.exists(confFile) && confFile.toAbsolutePath().startsWith(perUser.toAbsolutePath())) {
            createPerUserConfig(confFile, perUser.resolve("tokens"));
            return "created per-user token directory " + perUser.resolve("tokens");
        }
        return "SOFTHSM2_CONF=" + conf;
    }

    private static void createPerUserConfig(Path confFile, Path tokens) throws CliException {
        try {
            Files.createDirectories(tokens);
            Files.writeString(confFile, "# tokenctl's per-user SoftHSM2 configuration\n"
                    + "directories.tokendir = " + tokens.toAbsolutePath() + "\n"
                    + "objectstore.backend = file\n"
                    + "log.level = ERROR\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCode.MODULE, "cannot create the per-user SoftHSM2 token directory "
                    + tokens + ": " + e.getMessage(), e);
        }
    }
}
