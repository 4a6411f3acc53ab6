package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the CMP shared secret comes from: --cmp-secret-file, -env, -stdin, or a prompt.
 * It is a credential like a PIN (whoever has it can enroll in the holder's name), so it
 * follows the PIN rules: never from argv, read into a wiped char array.
 */
public final class CmpSecretOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--cmp-secret-file", paramLabel = "FILE",
            description = "CMP: the shared secret the CA gave with --cmp-ref, read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--cmp-secret-env", paramLabel = "VAR",
            description = "CMP: the shared secret, read from environment variable VAR.")
    private String env;

    @Option(names = "--cmp-secret-stdin", description = "CMP: the shared secret, read one line from standard input.")
    private boolean stdin;

    @Option(names = "--cmp-secret", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--cmp-secret", "cmp-secret", "shared secrets");
    }

    /** @return where the shared secret comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "CMP shared secret", "cmp-secret", file, env, stdin);
    }
}
