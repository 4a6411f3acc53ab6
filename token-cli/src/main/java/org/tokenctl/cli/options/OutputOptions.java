package org.tokenctl.cli.options;

import picocli.CommandLine.Option;

/** {@code --json}: one documented JSON object on stdout instead of text. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print one JSON object (documented in docs/json-output.md, with a schemaVersion).")
    private boolean json;

    /** @return whether JSON was asked for */
    public boolean json() {
        return json;
    }
}
