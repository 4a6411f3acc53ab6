package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Which PKCS#11 module to load. */
public final class ModuleOptions {

    @Option(names = "--module", paramLabel = "PATH",
            description = "PKCS#11 module (shared library) to use. Default: $TOKENCTL_MODULE, else SoftHSM2 "
                    + "at its standard path.")
    private Path module;

    /** @return the module named on the command line, or null */
    public Path module() {
        return module;
    }
}
