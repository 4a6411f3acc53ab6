package org.tokenctl.cli;

import java.io.File;
import java.io.IOException;

import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc sources of the man pages, tokenctl(1) and one per subcommand
 * (tokenctl-enroll(1), ...), from the very command model that prints {@code --help},
 * so that the two cannot drift. Run by the build's {@code dist} profile, which turns
 * them into troff with Asciidoctor; not a test.
 */
public final class ManPages {

    private ManPages() {
    }

    /**
     * @param args the output directory
     * @throws IOException if a page cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
        }
        CommandLine cl = Main.commandLine(new TokenctlCommand(null));
        int status = ManPageGenerator.generateManPage(new File(args[0]), null, new boolean[0], true,
                cl.getCommandSpec());
        if (status != 0) {
            throw new IOException("the man page generator failed with status " + status);
        }
    }
}
