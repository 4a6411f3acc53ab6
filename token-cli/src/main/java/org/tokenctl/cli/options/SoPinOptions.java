package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the SO PIN comes from: --so-pin-file, --so-pin-env, --so-pin-stdin, or a prompt. */
public final class SoPinOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--so-pin-file", paramLabel = "FILE",
            description = "The security officer's PIN: read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--so-pin-env", paramLabel = "VAR",
            description = "The security officer's PIN: read from environment variable VAR.")
    private String env;

    @Option(names = "--so-pin-stdin", description = "The security officer's PIN: read one line from standard input.")
    private boolean stdin;

    @Option(names = "--so-pin", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--so-pin", "so-pin");
    }

    /** @return where the SO PIN comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "SO PIN", "so-pin", file, env, stdin);
    }
}
