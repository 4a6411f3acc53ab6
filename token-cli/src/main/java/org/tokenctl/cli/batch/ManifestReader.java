package org.tokenctl.cli.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.tokenctl.cli.CliException;
import org.tokenctl.cli.ExitCode;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.io.InputFiles;

/**
 * Reads a batch-enrollment manifest: CSV with a header row, or JSON (an array of
 * objects), chosen by the file's extension ({@code .csv}, {@code .json}) or else by
 * its first character. Columns (CSV) and fields (JSON) are the same: {@value #COLUMNS}.
 *
 * <p>Strict, because a manifest drives changes to many tokens: an unknown column,
 * a row without its token, a token named twice or a malformed file is refused
 * whole, before any token is touched, with one line naming the file and line.
 * Errors never quote the file (a PIN file given as {@code --manifest} would have its
 * PIN printed): they name the line, the column and what is allowed.
 * A manifest never holds a PIN: a {@code pin} column (or any other PIN-like name)
 * is refused, pointing at {@code pinFile} and {@code pinEnv}.
 */
public final class ManifestReader {

    /** The columns a manifest may have. */
    public static final String COLUMNS = "serial, tokenLabel, subject, keySpec, label, san, pinFile, pinEnv";

    private static final Set<String> KNOWN = Set.of("serial", "tokenLabel", "subject", "keySpec", "label", "san",
            "pinFile", "pinEnv");
    /** A manifest is a list of tokens, not a data dump: anything this large is a mistake. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private final Path file;

    private ManifestReader(Path file) {
        this.file = file;
    }

    /**
     * @param file the manifest
     * @return its rows, in order
     * @throws CliException (INVALID_INPUT) naming the file, the line and the problem
     */
    public static List<ManifestEntry> read(Path file) throws CliException {
        return new ManifestReader(file).read();
    }

    private List<ManifestEntry> read() throws CliException {
        try {
            byte[] content = InputFiles.read(file, "manifest", "Manifest", MAX_BYTES);
            int notUtf8 = InputFiles.firstNonUtf8Line(content);
            if (notUtf8 > 0) {
                throw invalid(notUtf8, "not valid UTF-8");
            }
            // an empty file has no header for the CSV parser to complain about: say what is wrong with it
            List<ManifestEntry> rows = firstNonBlank(content) < 0 ? List.of()
                    : isJson(content) ? readJson(content) : readCsv(content);
            if (rows.isEmpty()) {
                throw invalid(0, "lists no tokens");
            }
            checkDuplicates(rows);
            return rows;
        } catch (InvalidInputException e) {
            throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw invalid(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), parserMessage(e));
        } catch (IOException e) {
            // a parser's own message may quote the file: say only what it is not
            throw invalid(0, "cannot be read as a CSV or JSON manifest");
        }
    }

    private boolean isJson(byte[] content) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return true;
        }
        if (name.endsWith(".csv")) {
            return false;
        }
        int first = firstNonBlank(content);
        return first >= 0 && (content[first] == '[' || content[first] == '{');
    }

    private static int firstNonBlank(byte[] content) {
        for (int i = 0; i < content.length; i++) {
            if (!Character.isWhitespace(content[i])) {
                return i;
            }
        }
        return -1;
    }

    private List<ManifestEntry> readJson(byte[] content) throws IOException, CliException {
        List<ManifestEntry> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .createParser(content)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw invalid(p.currentLocation().getLineNr(), "a JSON manifest is an array of objects, one per token");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int line = p.currentLocation().getLineNr();
                rows.add(entry(line, jsonFields(line, p)));
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
                throw invalid(p.currentLocation().getLineNr(), "every element of the array must be an object");
            }
            if (p.nextToken() != null) {
                throw invalid(p.currentLocation().getLineNr(), "unexpected content after the array");
            }
        }
        return rows;
    }

    /**
     * Reads one object's fields as a stream: each name is checked before its value is
     * read, so that the value of a refused {@code pin} field never becomes a String.
     */
    private Map<String, Object> jsonFields(int line, JsonParser p) throws IOException, CliException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonLocation at = p.currentTokenLocation();
            checkName(at.getLineNr(), at.getColumnNr(), "field", name);
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                fields.put(name, null);
            } else if (value == JsonToken.VALUE_STRING) {
                fields.put(name, p.getText());
            } else if (value == JsonToken.START_ARRAY && name.equals("san")) {
                List<String> sans = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    sans.add(p.getText());
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw invalid(line, "'san' must be a string or an array of strings");
                }
                fields.put(name, sans);
            } else {
                throw invalid(line, "'" + name + "' must be a string");
            }
        }
        return fields;
    }

    private List<ManifestEntry> readCsv(byte[] content) throws IOException, CliException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS)
                .enable(CsvParser.Feature.TRIM_SPACES);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withStrictHeaders(false);
        List<ManifestEntry> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema)
                .readValues(content)) {
            CsvSchema header = (CsvSchema) it.getParser().getSchema();
            Map<String, Integer> seen = new HashMap<>();
            for (CsvSchema.Column c : header) {
                int column = c.getIndex() + 1;
                checkName(1, column, "column", c.getName());
                Integer first = seen.putIfAbsent(c.getName(), column);
                if (first != null) {
                    throw invalid(1, "column " + column + " of the header repeats column " + first);
                }
            }
            int line = 1;
            while (it.hasNextValue()) {
                Map<String, String> row = it.nextValue();
                line = it.getParser().currentLocation().getLineNr() - 1;
                if (row.values().stream().allMatch(v -> v == null || v.isEmpty())) {
                    continue; // a blank line
                }
                rows.add(entry(Math.max(line, 2), new LinkedHashMap<>(row)));
            }
        }
        return rows;
    }

    /**
     * Refuses unknown names and, above all, anything that would carry a PIN. The name is
     * never quoted, only its place: a PIN file given as the manifest has its PIN as the
     * one column name.
     *
     * @param kind "column" (CSV: {@code at} is the column's number) or "field" (JSON: the text column)
     */
    private void checkName(int line, int at, String kind, String name) throws CliException {
        if (KNOWN.contains(name)) {
            return;
        }
        String place = kind.equals("column") ? "column " + at + " of the header" : "the field at column " + at;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("pin") || lower.contains("password") || lower.contains("secret")) {
            throw invalid(line, place + " would hold a PIN or secret, and a manifest must never hold a PIN; name where"
                    + " each token's PIN comes from with pinFile or pinEnv, or give one shared source with"
                    + " --pin-file/--pin-env/--pin-stdin");
        }
        throw invalid(line, (kind.equals("column") ? "unknown column " + at + " in the header"
                : "unknown field at column " + at) + " (allowed: " + COLUMNS + ")");
    }

    @SuppressWarnings("unchecked")
    private ManifestEntry entry(int line, Map<String, Object> fields) throws CliException {
        // every name was checked as it was read (the CSV header, each JSON field)
        String serial = text(fields.get("serial"));
        String tokenLabel = text(fields.get("tokenLabel"));
        if (serial == null && tokenLabel == null) {
            throw invalid(line, "the row names no token: give serial or tokenLabel");
        }
        String pinFile = text(fields.get("pinFile"));
        String pinEnv = text(fields.get("pinEnv"));
        if (pinFile != null && pinEnv != null) {
            throw invalid(line, "give the token's PIN one way only: pinFile or pinEnv");
        }
        Object san = fields.get("san");
        List<String> sans = san instanceof List ? (List<String>) san
                : text(san) == null ? null : List.of(text(san).trim().split("\\s+"));
        Path dir = file.toAbsolutePath().getParent();
        return new ManifestEntry(line, serial, tokenLabel, text(fields.get("subject")), text(fields.get("keySpec")),
                text(fields.get("label")), sans, pinFile == null ? null : dir.resolve(pinFile), pinEnv);
    }

    private static String text(Object value) {
        if (!(value instanceof String)) {
            return null;
        }
        String s = ((String) value).trim();
        return s.isEmpty() ? null : s;
    }

    private void checkDuplicates(List<ManifestEntry> rows) throws CliException {
        Map<String, Integer> serials = new LinkedHashMap<>();
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (ManifestEntry r : rows) {
            Integer first = r.serial() == null ? null : serials.putIfAbsent(r.serial().toLowerCase(Locale.ROOT), r.line());
            if (first == null && r.tokenLabel() != null && r.serial() == null) {
                first = labels.putIfAbsent(r.tokenLabel(), r.line());
            }
            if (first != null) {
                // the serial or label is not quoted: the line numbers are enough to find it
                throw invalid(r.line(), "the token is listed twice (first on line " + first + ", same "
                        + (r.serial() != null ? "serial" : "tokenLabel") + ")");
            }
        }
    }

    /**
     * Jackson's message up to the first quote or parenthesis: what follows quotes the
     * file ("Unrecognized token 'S0pinZq7'", "Too many entries ... \"value\"", "Unexpected
     * character ('x' (code 120))") and the file may be a PIN file. The line and column
     * are said already.
     */
    private static String parserMessage(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        int cut = m.length();
        for (char c : new char[] {'\'', '"', '(', '[', '`'}) {
            int i = m.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        String kept = m.substring(0, cut).replaceAll("[\\s:;,]+$", "");
        return kept.isEmpty() ? "malformed" : kept;
    }

    private CliException invalid(int line, String problem) {
        return invalid(line, 0, problem);
    }

    private CliException invalid(int line, int column, String problem) {
        return new CliException(ExitCode.INVALID_INPUT, "Manifest " + file + (line > 0 ? " line " + line : "")
                + (line > 0 && column > 0 ? ", column " + column : "") + ": " + problem);
    }
}
