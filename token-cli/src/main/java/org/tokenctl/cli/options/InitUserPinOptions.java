package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the initial user PIN comes from: --user-pin-file, --user-pin-env, --user-pin-stdin, or a prompt. */
public final class InitUserPinOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--user-pin-file", paramLabel = "FILE",
            description = "The user PIN to set (default: the bank tokens' initial PIN 12345678): read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--user-pin-env", paramLabel = "VAR",
            description = "The user PIN to set (default: the bank tokens' initial PIN 12345678): read from environment variable VAR.")
    private String env;

    @Option(names = "--user-pin-stdin", description = "The user PIN to set (default: the bank tokens' initial PIN 12345678): read one line from standard input.")
    private boolean stdin;

    @Option(names = "--user-pin", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--user-pin", "user-pin");
    }

    /** @return where the initial user PIN comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "initial user PIN", "user-pin", file, env, stdin);
    }
}
