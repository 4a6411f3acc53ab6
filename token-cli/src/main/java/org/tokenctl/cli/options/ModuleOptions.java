package org.tokenctl.cli.options;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Which PKCS#11 module to load. */
public final class ModuleOptions {

    @Option(names = "--module", paramLabel = "PATH",
            description = "PKCS#11 module (shared library) to use. Default: $TOKENCTL_MODULE, else SoftHSM2 "
                    + "at its standard path.")
    private Path module;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Vendor profile (gd, mingwah, huada, watchdata, softhsm, generic, or your own): finds the "
                    + "module among the profile's candidates unless --module or $TOKENCTL_MODULE names it, and "
                    + "applies the profile's PIN rules. Default: $TOKENCTL_PROFILE, else recognised from the token's manufacturer id.")
    private String profile;

    /** @return the profile named on the command line, or null */
    public String profile() {
        return profile;
    }

    /** @return the module named on the command line, or null */
    public Path module() {
        return module;
    }
}
