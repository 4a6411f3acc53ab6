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
                List<String> words = words(line);
                int at = words.indexOf("tokenctl");
                if (at < 0) {
                    continue;
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
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    failures.put(root.relativize(page) + ": " + line, e.getMessage());
                }
            }
        }
        assertEquals(Map.of(), failures, "documented command lines that do not parse");
        assertTrue(parsed >= 10, "found the documented command lines (" + parsed + ")");
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
