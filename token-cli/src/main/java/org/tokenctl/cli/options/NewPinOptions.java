package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the new PIN comes from: --new-pin-file, --new-pin-env, --new-pin-stdin, or a prompt. */
public final class NewPinOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--new-pin-file", paramLabel = "FILE",
            description = "The new PIN: read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--new-pin-env", paramLabel = "VAR",
            description = "The new PIN: read from environment variable VAR.")
    private String env;

    @Option(names = "--new-pin-stdin", description = "The new PIN: read one line from standard input.")
    private boolean stdin;

    @Option(names = "--new-pin", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--new-pin", "new-pin");
    }

    /** @return where the new PIN comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "new PIN", "new-pin", file, env, stdin);
    }
}
