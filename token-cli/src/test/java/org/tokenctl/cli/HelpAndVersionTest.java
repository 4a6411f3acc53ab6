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
    void versionComesFromTheBuild(SoftHsmFixture f) throws Exception {
        List<String> lines = new Cli(f).run("--version").assertOk().out().lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("tokenctl "), lines.get(0));
        assertEquals("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.home") + ")", lines.get(2));
        // the commit the build was made from, as git itself names it
        Process git = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        org.junit.jupiter.api.Assumptions.assumeTrue(git.waitFor() == 0, "not a git checkout: " + head);
        Matcher m = Pattern.compile("commit (\\p{XDigit}{10})( \\(with uncommitted changes\\))?, built"
                + " (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)").matcher(lines.get(1));
        assertTrue(m.matches(), lines.get(1));
        assertEquals(head, m.group(1));
    }

    @Test
    void aBuildWithoutGitSaysSo() {
        java.util.Properties none = new java.util.Properties();
        assertEquals("commit unknown (not built from a git checkout)", VersionProvider.built(none));
        none.setProperty("git.build.time", "2026-12-07T04:33:04Z");
        assertEquals("commit unknown (not built from a git checkout), built 2026-12-07T04:33:04Z", VersionProvider.built(none));
        none.setProperty("git.commit.id.abbrev", "c719679d39");
        none.setProperty("git.dirty", "false");
        assertEquals("commit c719679d39, built 2026-12-07T04:33:04Z", VersionProvider.built(none));
    }

    @Test
    void completionScriptIsGenerated(SoftHsmFixture f) {
        new Cli(f).run("generate-completion").assertOk().assertOutContains("complete -F");
    }

    /** A typo is a usage error with a suggestion, also when --help follows it, and a secret is never echoed. */
    @Test
    void mistypedCommandsAndOptionsGetSuggestionsAndExit2(SoftHsmFixture f) {
        CliResult r = new Cli(f).run("enrol", "--help").assertExit(ExitCode.USAGE);
        assertEquals("tokenctl: Unknown command 'enrol'; did you mean: enroll? (see 'tokenctl --help')\n", r.err());
        assertEquals("", r.out(), "no help printed for a command that does not exist");
        new Cli(f).run("--timeout", "30", "lsit").assertExit(ExitCode.USAGE).assertErrContains("did you mean: list?");
        new Cli(f).run("guard", "stauts").assertExit(ExitCode.USAGE)
                .assertErrContains("Unknown command 'stauts'; did you mean: status? (see 'tokenctl guard --help')");
        // the typo is reported, not the required option it left missing
        new Cli(f).run("enroll", "--subjetc", "CN=x").assertExit(ExitCode.USAGE)
                .assertErrContains("Unknown option '--subjetc'; did you mean: --subject?");
        new Cli(f).run("list", "--tokne-label=Secret-Label").assertExit(ExitCode.USAGE)
                .assertErrContains("Unknown option '--tokne-label'; did you mean: --token-label?");
        for (String[] args : List.of(new String[] {"list", "Own-PIN1"}, new String[] {"Own-PIN1"},
                new String[] {"list", "--tokne-label=Own-PIN1"})) {
            CliResult secret = new Cli(f).run(args).assertExit(ExitCode.USAGE);
            assertTrue(!secret.err().contains("Own-PIN1"), "a stray word is not echoed: " + secret.err());
            assertEquals(1, secret.err().lines().count(), secret.err());
            assertEquals(1, secret.err().split("--help", -1).length - 1, "the help hint once: " + secret.err());
        }
        new Cli(f).run("list", "Own-PIN1").assertErrContains("Unexpected argument (argument 2)");
    }

    /** Finding the subcommand before the model is built skips the values of top-level options. */
    @Test
    void subcommandDetectionSkipsTopLevelOptionValues() {
        assertEquals("enroll", Main.subcommandNamed(new String[] {"--timeout", "30", "enroll", "--label", "x"}));
        assertEquals("enroll", Main.subcommandNamed(new String[] {"--timeout=30", "-v", "enroll"}));
        assertEquals(null, Main.subcommandNamed(new String[] {"--timeout", "30"}));
        java.util.Set<String> withValue = new java.util.TreeSet<>();
        for (CommandLine.Model.OptionSpec o : Main.commandLine(new TokenctlCommand(null)).getCommandSpec().options()) {
            if (o.arity().max() > 0) {
                withValue.addAll(List.of(o.names()));
            }
        }
        assertEquals(withValue, new java.util.TreeSet<>(Main.TOP_OPTIONS_WITH_VALUE));
        assertTrue(Main.needsCrypto(new String[] {"--timeout", "30", "enroll", "--label", "x"}),
                "enroll after --timeout still warms up the crypto");
    }

    /**
     * --timeout bounds PKCS#11 calls: offered by every command that loads a module, and by
     * no other (profiles, ca init, generate-completion would accept it and do nothing).
     */
    @Test
    void timeoutIsOfferedWhereATokenIsCalledOnly(SoftHsmFixture f) {
        CommandLine top = Main.commandLine(new TokenctlCommand(null));
        java.util.Map<String, Boolean> offered = new java.util.TreeMap<>();
        java.util.Map<String, Boolean> expected = new java.util.TreeMap<>();
        for (Subcommand s : Subcommand.values()) {
            List<CommandLine> all = new java.util.ArrayList<>(List.of(top.getSubcommands().get(s.commandName())));
            for (int i = 0; i < all.size(); i++) {
                CommandLine c = all.get(i);
                all.addAll(c.getSubcommands().values());
                if (c.getSubcommands().isEmpty()) {
                    offered.put(c.getCommandSpec().qualifiedName(), c.getCommandSpec().findOption("--timeout") != null);
                    expected.put(c.getCommandSpec().qualifiedName(), s.token());
                }
            }
        }
        assertEquals(expected, offered);
        assertEquals(Boolean.FALSE, offered.get("tokenctl ca init"));
        assertEquals(Boolean.TRUE, offered.get("tokenctl enroll"));
        new Cli(f).run("profiles", "--timeout", "3").assertExit(ExitCode.USAGE)
                .assertErrContains("Unknown option '--timeout'");
        new Cli(f).run("--timeout", "3", "profiles").assertOk();
    }

    @Test
    void unknownOptionIsAUsageError(SoftHsmFixture f) {
        new Cli(f).run("list", "--bogus").assertExit(ExitCode.USAGE).assertErrContains("Unknown option");
        new Cli(f).run().assertExit(ExitCode.USAGE);
    }

    /** docs/exit-codes.md must say exactly what the code does. */
    @Test
    void documentedExitCodeTableMatchesTheEnum() throws Exception {
        String readme = Files.readString(SoftHsmFixture.repositoryRoot().resolve("docs/exit-codes.md"),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("^\\| (\\d+) \\| `(\\w+)` \\| (.+?) \\|$", Pattern.MULTILINE).matcher(readme);
        int rows = 0;
        while (m.find()) {
            ExitCode e = ExitCode.valueOf(m.group(2));
            assertEquals(e.code(), Integer.parseInt(m.group(1)), m.group());
            assertEquals(e.description(), m.group(3), m.group());
            rows++;
        }
        assertEquals(ExitCode.values().length, rows, "docs/exit-codes.md lists every exit code once");
    }

    /** The operator's guide's settings example, as it stands (only the state file moved), is a valid configuration. */
    @Test
    void documentedSettingsExampleIsAValidConfiguration(SoftHsmFixture f) throws Exception {
        String readme = Files.readString(SoftHsmFixture.repositoryRoot().resolve("docs/operator-guide.md"),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "the operator's guide has a properties example");
        String example = m.group(1);
        assertTrue(example.contains("guard.consecutive-limit"), example);
        Path state = f.root().resolve("state");
        String config = example.replaceAll("(?m)^guard\\.state-file = .*$", "guard.state-file = " + state);
        Path file = Files.writeString(f.root().resolve("config.properties"), config);
        new Cli(f).env("TOKENCTL_CONFIG", file.toString()).run("guard", "status", "--json").assertOk();
    }
}
