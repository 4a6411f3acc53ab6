package org.tokenctl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The JSON Schemas in {@code docs/schema/} (one per command with {@code --json}),
 * loaded from the files themselves and checked with networknt's validator (draft
 * 2020-12). {@link Cli#run} validates every {@code --json} output a test produces.
 */
final class JsonSchemas {

    /** Command paths with {@code --json}, as {@code tokenctl} spells them (a longer path before its prefix). */
    static final List<String> COMMANDS = List.of("list", "init", "change-pin", "unblock", "guard status",
            "guard reset", "profiles", "enroll", "import-cert", "export-cert", "delete", "expiry", "mechanisms",
            "batch-enroll", "renew", "revoke", "station report", "station", "ca init", "ca revoke", "ca crl");

    /** Schemas of formats that are not a command's output: the station's journal. */
    static final List<String> FORMATS = List.of("station-journal");

    /** Reads the schema files themselves (and nothing else: no remote fetching). */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas(JsonSchemas::read));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    static Path directory() {
        return SoftHsmFixture.repositoryRoot().resolve("docs/schema");
    }

    private static String read(String iri) {
        Path dir = directory().toAbsolutePath().normalize();
        if (!iri.startsWith("file:")) {
            return null;
        }
        Path p = Path.of(URI.create(iri)).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
            return null;
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param command a command path, e.g. {@code guard status}
     * @return its schema file
     */
    static Path file(String command) {
        return directory().resolve(command.replace(' ', '-') + ".schema.json");
    }

    /**
     * @param args a tokenctl command line
     * @return the command path it runs (one of {@link #COMMANDS}), or null
     */
    static String command(String... args) {
        for (int i = 0; i < args.length; i++) {
            for (String c : COMMANDS) {
                String[] words = c.split(" ");
                if (args[i].equals(words[0])
                        && (words.length == 1 || i + 1 < args.length && args[i + 1].equals(words[1]))) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * @param command a command path
     * @param json one JSON document (for batch-enroll, one line)
     * @return what does not conform, one line each; empty when it conforms
     */
    static List<String> problems(String command, String json) {
        Schema schema = LOADED.computeIfAbsent(command,
                c -> REGISTRY.getSchema(SchemaLocation.of(file(c).toAbsolutePath().normalize().toUri().toString())));
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(json, InputFormat.JSON)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /** The schema of the object any command prints on failure with --json. */
    static final String FAILURE = "error";

    /**
     * Validates a command's stdout: its documents (one, or for batch-enroll one per
     * line), each against the command's schema, or the failure schema for a failure
     * object; and a failure's object is there, last, with the exit code.
     *
     * @param command a command path
     * @param stdout what it printed
     * @param exitCode what it exited with
     * @throws AssertionError naming every violation
     */
    static void assertConforms(String command, String stdout, int exitCode) {
        if (!Files.isRegularFile(file(command))) {
            throw new AssertionError("no schema for '" + command + "' in docs/schema");
        }
        List<com.fasterxml.jackson.databind.JsonNode> docs = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<com.fasterxml.jackson.databind.JsonNode> it =
                     org.tokenctl.cli.output.Json.mapper().readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                             .readValues(stdout)) {
            it.forEachRemaining(docs::add);
        } catch (IOException e) {
            throw new AssertionError("tokenctl " + command + " --json printed what is not JSON: " + e.getMessage()
                    + "\n" + stdout);
        }
        boolean batch = command.equals("batch-enroll") || command.equals("renew") && docs.stream()
                .anyMatch(d -> "summary".equals(d.path("type").asText(null)));
        if (!batch && docs.stream().filter(d -> !isFailure(d)).count() > 1) {
            throw new AssertionError("tokenctl " + command + " --json printed more than one object:\n" + stdout);
        }
        for (com.fasterxml.jackson.databind.JsonNode doc : docs) {
            String schema = isFailure(doc) ? FAILURE : command;
            List<String> p = problems(schema, doc.toString());
            if (!p.isEmpty()) {
                throw new AssertionError("tokenctl " + command + " --json does not conform to "
                        + file(schema).getFileName() + ": " + p + "\n" + doc);
            }
        }
        // a failure is reported on stdout too; a batch's own outcomes (20, 21) are its summary, and
        // expiry's (12: a token unread, 22, 23) its report, whose summary carries the exit code
        com.fasterxml.jackson.databind.JsonNode last = docs.isEmpty() ? null : docs.get(docs.size() - 1);
        boolean report = command.equals("expiry") && last != null && !isFailure(last)
                && last.path("summary").path("exitCode").asInt(-1) == exitCode;
        boolean failed = exitCode != 0 && !(batch && (exitCode == 20 || exitCode == 21)) && !report;
        if (failed && (last == null || !isFailure(last) || last.get("exitCode").asInt() != exitCode)) {
            throw new AssertionError("tokenctl " + command + " --json exited " + exitCode + " without its failure"
                    + " object last on stdout:\n" + stdout);
        }
        if (!failed && docs.stream().anyMatch(JsonSchemas::isFailure)) {
            throw new AssertionError("tokenctl " + command + " --json printed a failure object but exited "
                    + exitCode + ":\n" + stdout);
        }
    }

    private static boolean isFailure(com.fasterxml.jackson.databind.JsonNode doc) {
        return "error".equals(doc.path("type").asText(null));
    }
}
