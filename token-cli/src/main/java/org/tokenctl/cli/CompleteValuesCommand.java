package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tokenctl.cli.options.ModuleOptions;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.Slot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code tokenctl complete-values WHAT}: the values the shell completion offers for
 * an option whose values depend on this machine, one per line: the labels and serials
 * of the initialised tokens present, the ids of the slots holding a token, or the profile ids. Hidden: the
 * completion script calls it (with the --module and --profile already on the line).
 * It never logs in, never prompts and never touches the attempt guard; a failure
 * prints nothing on stdout, so the shell simply offers nothing.
 */
@Command(name = "complete-values", hidden = true, mixinStandardHelpOptions = true,
        description = "For the shell completion: the values of --token-label, --serial, --slot or --profile, one"
                + " per line (labels and serials of the initialised tokens present, slots holding a token, profile"
                + " ids). Never logs in.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl complete-values token-label", "  tokenctl complete-values serial --profile gd"})
final class CompleteValuesCommand implements Callable<Integer> {

    @ParentCommand
    private TokenctlCommand top;

    @Mixin
    private ModuleOptions module;

    @Parameters(index = "0", paramLabel = "WHAT", description = "token-label, serial, slot or profile.")
    private String what;

    @Override
    public Integer call() throws Exception {
        List<String> values = new ArrayList<>();
        switch (what) {
            case "profile" -> {
                for (VendorProfile p : top.profiles().all()) {
                    values.add(p.id());
                }
            }
            case "token-label", "serial", "slot" -> {
                try (Pkcs11Module m = top.openModule(module)) {
                    for (Slot s : m.slots()) {
                        if (what.equals("slot")) {
                            if (s.tokenPresent()) {
                                values.add(Long.toString(s.id()));
                            }
                        } else if (s.token() != null && s.token().initialized()) {
                            values.add(what.equals("serial") ? s.token().serial() : s.token().label());
                        }
                    }
                }
            }
            default -> throw new CliException(ExitCode.USAGE, "complete-values takes token-label, serial, slot or"
                    + " profile");
        }
        for (String v : values) {
            // a value the shell could not offer as one word on one line is left out
            if (!v.isEmpty() && v.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                top.ctx().out().println(v);
            }
        }
        return ExitCode.OK.code();
    }
}
