package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** Shared rules for the PIN source mixins. */
final class PinOptionSupport {

    private PinOptionSupport() {
    }

    static PinSource source(CommandSpec spec, String role, String prefix, Path file, String env, boolean stdin) {
        int given = (file != null ? 1 : 0) + (env != null ? 1 : 0) + (stdin ? 1 : 0);
        String options = "--" + prefix + "-file, --" + prefix + "-env or --" + prefix + "-stdin";
        if (given > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Give the " + role + " one way only: " + options);
        }
        if (file != null) {
            return new PinSource(role, PinSource.Kind.FILE, file, null, options);
        }
        if (env != null) {
            return new PinSource(role, PinSource.Kind.ENV, null, env, options);
        }
        return new PinSource(role, stdin ? PinSource.Kind.STDIN : PinSource.Kind.PROMPT, null, null, options);
    }

    /** PINs on argv show in ps(1) and shell history: refuse them, pointing at the safe sources. */
    static void refuseArgv(CommandSpec spec, String option, String prefix) {
        refuseArgv(spec, option, prefix, "PINs");
    }

    /** The same for another kind of secret, e.g. "shared secrets". */
    static void refuseArgv(CommandSpec spec, String option, String prefix, String secrets) {
        throw new CommandLine.ParameterException(spec.commandLine(), option
                + " is not accepted: " + secrets + " are never taken from the command line; use --" + prefix
                + "-file, --" + prefix + "-env, --" + prefix + "-stdin or the prompt");
    }
}
