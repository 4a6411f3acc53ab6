package org.tokenctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tokenctl.core.io.SafeFiles;
import org.tokenctl.core.module.ModuleLoadException;
import org.tokenctl.core.profile.ModuleCandidates;
import org.tokenctl.core.profile.VendorProfile;

/**
 * Decides which PKCS#11 module the CLI loads: {@code --module PATH}, else
 * {@code TOKENCTL_MODULE}, else SoftHSM2 at its standard install path (the
 * embedded default, so that tokenctl works out of the box for development and
 * demos). When the module was not named, a note on stderr says which one is used:
 * the first time (and again whenever the default or its configuration changes), and
 * with {@code --verbose}; not on every command, where it would drown what matters.
 */
final class ModuleLocator {

    /** The environment variable that names a module for every command. */
    static final String MODULE_ENV = "TOKENCTL_MODULE";

    /** In the data directory: the last default-module note shown, so that it is shown once. */
    static final String NOTE_FILE = "default-module-note";

    private ModuleLocator() {
    }

    /**
     * @param option the {@code --module} value, or null
     * @param ctx the environment and stderr
     * @param softhsm the softhsm profile, whose module candidates are the embedded default
     * @param verbose --verbose: the note is shown every time
     * @return the module to load
     * @throws CliException if no module was named and SoftHSM2 is not installed
     */
    static Path locate(Path option, CliContext ctx, VendorProfile softhsm, boolean verbose) throws CliException {
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
        // the real path, as list's header shows it (Debian's path is a symbolic link)
        Path real = realPath(module);
        // what the note is about: a change of either shows it again (the wording may differ, e.g. "created")
        String about = real + " SOFTHSM2_CONF=" + ctx.getenv("SOFTHSM2_CONF");
        boolean changed = !about.equals(lastNote(ctx));
        SoftHsmConfig config = softhsmConfig(ctx);
        if (verbose || changed || config.created()) {
            ctx.err().println("tokenctl: using SoftHSM2 " + real + " (" + config.description() + "); name a module"
                    + " with --module or " + MODULE_ENV);
            remember(ctx, about);
        }
        return real;
    }

    private static Path realPath(Path module) {
        try {
            return module.toRealPath();
        } catch (IOException e) {
            return module; // loading it will say what is wrong
        }
    }

    /** @return what the last note shown was about (module and configuration), or null */
    private static String lastNote(CliContext ctx) {
        try {
            return Files.readString(ctx.dataDir().resolve(NOTE_FILE), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return null; // never shown, or unreadable: show it
        }
    }

    /** Best effort: a data directory that cannot be written only means the note is shown again. */
    private static void remember(CliContext ctx, String note) {
        try {
            SafeFiles.replaceState(ctx.dataDir().resolve(NOTE_FILE), (note + "\n").getBytes(StandardCharsets.UTF_8),
                    false);
        } catch (IOException | RuntimeException e) {
            // shown again next time
        }
    }

    /**
     * Describes SoftHSM's configuration, creating tokenctl's per-user token
     * directory on first use. The launcher points SOFTHSM2_CONF at that per-user
     * file when the user has not set it (a JVM cannot set its own environment).
     */
    private static SoftHsmConfig softhsmConfig(CliContext ctx) throws CliException {
        String conf = ctx.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            return new SoftHsmConfig("SOFTHSM2_CONF is not set: SoftHSM uses its system configuration", false);
        }
        Path confFile = Path.of(conf);
        Path perUser = ctx.dataDir().resolve("softhsm2");
        if (!Files.exists(confFile) && confFile.toAbsolutePath().startsWith(perUser.toAbsolutePath())) {
            createPerUserConfig(confFile, perUser.resolve("tokens"));
            return new SoftHsmConfig("created per-user token directory " + perUser.resolve("tokens"), true);
        }
        return new SoftHsmConfig("SOFTHSM2_CONF=" + conf, false);
    }

    /** What the note says about SoftHSM's configuration, and whether this run just created it (always told). */
    private record SoftHsmConfig(String description, boolean created) {
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
