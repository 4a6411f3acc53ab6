package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Help, version, completion, and the exit-code table that scripts rely on. */
@ExtendWith(SoftHsmExtension.class)
class HelpAndVersionTest {

    @Test
    void everyCommandsHelpHasTheExitCodeTableAndExamples(SoftHsmFixture f) {
        for (String cmd : Main.commandLine(new TokenctlCommand(null)).getSubcommands().keySet()) {
            if (cmd.equals("generate-completion")) {
                continue;
            }
            CliResult r = new Cli(f).run(cmd, "--help").assertOk();
            r.assertOutContains("Exit codes:");
            for (ExitCode e : ExitCode.values()) {
                r.assertOutContains(String.format("%3d", e.code()) + "   " + e.description());
            }
            r.assertOutContains("Examples:");
        }
    }

    @Test
    void versionComesFromTheBuild(SoftHsmFixture f) {
        new Cli(f).run("--version").assertOk().assertOutContains("tokenctl ");
    }

    @Test
    void completionScriptIsGenerated(SoftHsmFixture f) {
        new Cli(f).run("generate-completion").assertOk().assertOutContains("complete -F");
    }

    @Test
    void unknownOptionIsAUsageError(SoftHsmFixture f) {
        new Cli(f).run("list", "--bogus").assertExit(ExitCode.USAGE).assertErrContains("Unknown option");
        new Cli(f).run().assertExit(ExitCode.USAGE);
    }

    /** README's exit-code table must say exactly what the code does. */
    @Test
    void readmeExitCodeTableMatchesTheEnum() throws Exception {
        String readme = Files.readString(SoftHsmFixture.repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("^\\| (\\d+) \\| `(\\w+)` \\| (.+?) \\|$", Pattern.MULTILINE).matcher(readme);
        int rows = 0;
        while (m.find()) {
            ExitCode e = ExitCode.valueOf(m.group(2));
            assertEquals(e.code(), Integer.parseInt(m.group(1)), m.group());
            assertEquals(e.description(), m.group(3), m.group());
            rows++;
        }
        assertEquals(ExitCode.values().length, rows, "README lists every exit code once");
    }
}
