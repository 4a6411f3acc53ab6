package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the CA key file's password comes from: --ca-password-file, -env, -stdin, or a prompt (asked only when needed). */
public final class CaPasswordOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--ca-password-file", paramLabel = "FILE",
            description = "Password of an encrypted --ca-key (PEM or PKCS#12): read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--ca-password-env", paramLabel = "VAR",
            description = "Password of an encrypted --ca-key: read from environment variable VAR.")
    private String env;

    @Option(names = "--ca-password-stdin",
            description = "Password of an encrypted --ca-key: read one line from standard input.")
    private boolean stdin;

    @Option(names = "--ca-password", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--ca-password", "ca-password");
    }

    /** @return where the CA key password comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "CA key password", "ca-password", file, env, stdin);
    }
}
