package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;
import picocli.CommandLine;

/** Help, version, completion, and the exit-code table that scripts rely on. */
@ExtendWith(SoftHsmExtension.class)
class HelpAndVersionTest {

    @Test
    void everyCommandsHelpHasTheExitCodeTableAndExamples(SoftHsmFixture f) {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new TokenctlCommand(null)), new ArrayList<>(), paths);
        assertTrue(paths.size() > 8, paths.toString());
        for (List<String> path : paths) {
            if (path.contains("generate-completion")) {
                continue;
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliResult r = new Cli(f).run(args.toArray(new String[0])).assertOk();
            assertEquals("", r.err(), path + ": help renders without warnings");
            r.assertOutContains("Exit codes:");
            for (ExitCode e : ExitCode.values()) {
                r.assertOutContains(String.format("%3d", e.code()) + "   " + e.description());
            }
            r.assertOutContains("Examples:");
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
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

    /** README's settings example, copied as it stands (only the state file moved), is a valid configuration. */
    @Test
    void readmeSettingsExampleIsAValidConfiguration(SoftHsmFixture f) throws Exception {
        String readme = Files.readString(SoftHsmFixture.repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a properties example");
        String example = m.group(1);
        assertTrue(example.contains("guard.consecutive-limit"), example);
        Path state = f.root().resolve("state");
        String config = example.replaceAll("(?m)^guard\\.state-file = .*$", "guard.state-file = " + state);
        Path file = Files.writeString(f.root().resolve("config.properties"), config);
        new Cli(f).env("TOKENCTL_CONFIG", file.toString()).run("guard", "status", "--json").assertOk();
    }
}
