package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tokenctl.softhsm.SoftHsmFixture;
import picocli.CommandLine;

/**
 * Every {@code tokenctl} command line in the shell examples of README.md and docs/
 * parses with the real command model: its subcommand and options exist, take the
 * values shown and go together. (What the commands do is tested by each command's
 * own test; the main job, {@code demo.sh}, runs as written.) Optional parts written
 * {@code [--days 365]} are parsed with their brackets removed.
 */
class DocExamplesTest {

    private static final Pattern SH_BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyDocumentedCommandLineParses() throws IOException {
        Path root = SoftHsmFixture.repositoryRoot();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        Map<String, String> failures = new TreeMap<>();
        int parsed = 0;
        for (Path page : pages) {
            for (String line : commandLines(Files.readString(page, StandardCharsets.UTF_8))) {
                String failure = parseFailure(line);
                if (failure != null) {
                    failures.put(root.relativize(page) + ": " + line, failure);
                }
                parsed += failure == null && words(line).contains("tokenctl") ? 1 : 0;
            }
        }
        assertEquals(Map.of(), failures, "documented command lines that do not parse");
        assertTrue(parsed >= 10, "found the documented command lines (" + parsed + ")");
    }

    /**
     * Every example in every command's help (its footer) is shown as written: no line is
     * wider than the help, so picocli never breaks one in the middle of an argument; and
     * each parses, as the documented ones do.
     */
    @Test
    void everyHelpExampleFitsTheHelpAndParses() {
        Map<String, String> failures = new TreeMap<>();
        int examples = 0;
        List<CommandLine> commands = new ArrayList<>(List.of(Main.commandLine(new TokenctlCommand(null))));
        for (int i = 0; i < commands.size(); i++) {
            CommandLine c = commands.get(i);
            commands.addAll(c.getSubcommands().values());
            List<String> shown = c.getUsageMessage().lines().toList();
            String name = c.getCommandSpec().qualifiedName();
            StringBuilder example = new StringBuilder();
            if (!String.valueOf(c.getCommandSpec().usageMessage().footerHeading()).contains("Examples")) {
                continue; // tokenctl's own footer is prose about modules and PINs
            }
            for (String declared : c.getCommandSpec().usageMessage().footer()) {
                String line = String.format(declared);
                // an example starts with a command; prose (a manifest's columns) may wrap
                boolean partOfExample = example.length() > 0 || line.strip().matches("(tokenctl|printf) .*");
                if (!partOfExample) {
                    continue;
                }
                if (!shown.contains(line)) {
                    failures.put(name + ": " + line, "broken across lines in --help (" + line.length() + " columns)");
                }
                example.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
                if (line.endsWith("\\")) {
                    continue;
                }
                String joined = stripComment(example.toString()).strip();
                example.setLength(0);
                // "tokenctl enroll ... --ca-cert ca.pem" shows a part of a command: it cannot parse alone
                String failure = joined.contains(" ... ") ? null : parseFailure(joined);
                if (failure != null) {
                    failures.put(name + ": " + joined, failure);
                }
                examples++;
            }
        }
        assertEquals(Map.of(), failures, "help examples that are broken or do not parse");
        assertTrue(examples >= 20, "found the help examples (" + examples + ")");
    }

    /**
     * @param line a shell command line (continuations joined, comment removed)
     * @return why its tokenctl command does not parse; null when it does, or holds no tokenctl command
     */
    private static String parseFailure(String line) {
        List<String> words = words(line);
        int at = words.indexOf("tokenctl");
        if (at < 0) {
            return null;
        }
        List<String> args = new ArrayList<>();
        for (String w : words.subList(at + 1, words.size())) {
            String bare = w.replaceAll("^\\[+|]+$", "");
            if (!bare.isEmpty() && !bare.equals("...")) {
                args.add(bare);
            }
        }
        try {
            Main.commandLine(new TokenctlCommand(null)).parseArgs(args.toArray(new String[0]));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    /** The shell blocks' lines, with continuations joined and comments removed. */
    static List<String> commandLines(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(markdown);
        while (m.find()) {
            String joined = m.group(1).replace("\\\n", " ");
            for (String line : joined.split("\n")) {
                out.add(stripComment(line).strip());
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Splits a line into words as a POSIX shell would, for quotes (no expansions). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
