package org.tokenctl.core.io;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.tokenctl.core.InvalidInputException;

/**
 * Parses a Java properties file (UTF-8) and remembers the line each key is on, so
 * that an error can name the line instead of quoting the text. A file given in the
 * wrong place may be a PIN file, and its one "key" is then the PIN: errors about a
 * file's content name the file, the line and what is allowed, never the content.
 *
 * <p>Each logical line (a physical line and its backslash continuations) is handed to
 * {@link Properties#load(java.io.Reader)} on its own, so keys and values are exactly
 * what {@code Properties} makes of them.
 */
public final class PropertiesText {

    /**
     * One key and its value.
     *
     * @param key the key
     * @param value the value, trimmed
     * @param line the (first) line it is on, from 1
     */
    public record Entry(String key, String value, int line) {
    }

    private PropertiesText() {
    }

    /**
     * @param content the file's bytes
     * @param field what the file is, for the exception (e.g. "config")
     * @param named the file as messages name it (e.g. "Configuration file /etc/x")
     * @return its entries in file order, each key once
     * @throws InvalidInputException if it is not UTF-8, has a malformed {@code \}{@code uxxxx} escape or sets
     *                               a key twice (which one would win is not something to leave to chance),
     *                               naming the lines and never the content
     */
    public static List<Entry> parse(byte[] content, String field, String named) throws InvalidInputException {
        String text = decode(content, field, named);
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            String line = lines[i];
            String start = line.stripLeading();
            if (start.isEmpty() || start.startsWith("#") || start.startsWith("!")) {
                continue;
            }
            StringBuilder logical = new StringBuilder(line);
            while (continues(lines[i]) && i + 1 < lines.length) {
                i++;
                logical.append('\n').append(lines[i]);
            }
            Properties p = new Properties();
            try {
                p.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                // IllegalArgumentException: "Malformed \\uxxxx encoding."; its text quotes nothing
                throw new InvalidInputException(field, named + " line " + (first + 1)
                        + ": malformed \\uxxxx escape", e);
            }
            for (String key : p.stringPropertyNames()) {
                Integer earlier = seen.putIfAbsent(key, first + 1);
                if (earlier != null) {
                    // the key is not named: in a PIN file given by mistake, it is the PIN
                    throw new InvalidInputException(field, named + " line " + (first + 1) + " sets the same key"
                            + " as line " + earlier + "; give each setting once");
                }
                entries.add(new Entry(key, p.getProperty(key).trim(), first + 1));
            }
        }
        return entries;
    }

    /** A line continues when it ends with an odd number of backslashes (as {@link Properties} reads it). */
    private static boolean continues(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String decode(byte[] content, String field, String named) throws InvalidInputException {
        int bad = InputFiles.firstNonUtf8Line(content);
        if (bad > 0) {
            throw new InvalidInputException(field, named + " is not valid UTF-8 (line " + bad + ")");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        // a UTF-8 byte-order mark, as some Windows editors write, is not part of the first key
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
