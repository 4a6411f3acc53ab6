package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the user PIN comes from: --pin-file, --pin-env, --pin-stdin, or a prompt. */
public final class UserPinOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--pin-file", paramLabel = "FILE",
            description = "The token holder's PIN: read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--pin-env", paramLabel = "VAR",
            description = "The token holder's PIN: read from environment variable VAR.")
    private String env;

    @Option(names = "--pin-stdin", description = "The token holder's PIN: read one line from standard input.")
    private boolean stdin;

    @Option(names = "--pin", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--pin", "pin");
    }

    /** @return where the user PIN comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "user PIN", "pin", file, env, stdin);
    }
}
