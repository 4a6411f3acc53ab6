package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the new PKCS#12 file's password comes from: --password-file, -env, -stdin, or a prompt (asked twice). */
public final class FilePasswordOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Password for the new PKCS#12 file (--medium p12): read from FILE, which holds it alone on one line.")
    private Path file;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Password for the new PKCS#12 file: read from environment variable VAR.")
    private String env;

    @Option(names = "--password-stdin", description = "Password for the new PKCS#12 file: read one line from standard input.")
    private boolean stdin;

    @Option(names = "--password", hidden = true, arity = "0..1", paramLabel = "IGNORED")
    private void refuse(String ignored) {
        PinOptionSupport.refuseArgv(spec, "--password", "password");
    }

    /** @return where the PKCS#12 password comes from (the prompt when nothing was given) */
    public PinSource source() {
        return PinOptionSupport.source(spec, "PKCS#12 file password", "password", file, env, stdin);
    }
}
