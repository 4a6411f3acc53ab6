package org.tokenctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tokenctl ca}: a throwaway local CA for demos and tests. */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "A throwaway local CA for demos and tests (its key is a plain file: never for production).",
        subcommands = {CaInitCommand.class, CaRevokeCommand.class, CaCrlCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl ca init --out-cert ca.pem --out-key ca.key",
            "  tokenctl enroll ... --ca-cert ca.pem --ca-key ca.key",
            "  tokenctl ca revoke --ca-cert ca.pem --cert alice.pem --reason keyCompromise",
            "  tokenctl ca crl --ca-cert ca.pem --ca-key ca.key --out ca.crl"})
final class CaCommand implements Runnable {

    @ParentCommand
    private TokenctlCommand top;

    @Spec
    private CommandSpec spec;

    /** @return the top command (context, verbosity) */
    TokenctlCommand top() {
        return top;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (try tokenctl ca init)");
    }
}
