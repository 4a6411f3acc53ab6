package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.tokenctl.cli.output.Json;
import picocli.CommandLine;

/**
 * The JSON Schemas in docs/schema: one per command with {@code --json}, each a valid
 * draft 2020-12 schema, strict enough to notice a field nobody documented, and the
 * examples in docs/json-output.md conform to them. (Every {@code --json} output the
 * other tests produce is validated by {@link Cli#run}.)
 */
class JsonSchemaTest {

    @Test
    void everyCommandWithJsonHasASchemaAndNoSchemaIsLeftOver() throws Exception {
        Set<String> withJson = new TreeSet<>();
        collect(Main.commandLine(new TokenctlCommand(null)), "", withJson);
        assertEquals(new TreeSet<>(JsonSchemas.COMMANDS), withJson, "commands with --json");
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(JsonSchemas.directory())) {
            s.map(p -> p.getFileName().toString()).forEach(files::add);
        }
        Set<String> expected = new TreeSet<>(Set.of("common.schema.json", "error.schema.json"));
        JsonSchemas.FORMATS.forEach(name -> expected.add(name + ".schema.json"));
        withJson.forEach(c -> expected.add(JsonSchemas.file(c).getFileName().toString()));
        assertEquals(expected, files, "docs/schema holds one schema per command, and the shared definitions");
    }

    private static void collect(CommandLine cl, String prefix, Set<String> out) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            String path = prefix + sub.getCommandName();
            if (sub.getCommandSpec().findOption("--json") != null) {
                out.add(path);
            }
            collect(sub, path + " ", out);
        }
    }

    @Test
    void everySchemaIsAValidDraft202012Schema() throws Exception {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        var meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        int checked = 0;
        try (Stream<Path> s = Files.list(JsonSchemas.directory())) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                assertEquals(List.of(), meta.validate(text, InputFormat.JSON).stream().map(Object::toString).toList(),
                        p.getFileName() + " against the draft 2020-12 meta-schema");
                JsonNode node = Json.mapper().readTree(text);
                assertTrue(node.path("title").isTextual(), p.getFileName() + " has a title");
                assertTrue(node.path("$schema").asText().equals("https://json-schema.org/draft/2020-12/schema"),
                        p.getFileName() + " declares draft 2020-12");
                checked++;
            }
        }
        assertEquals(JsonSchemas.COMMANDS.size() + JsonSchemas.FORMATS.size() + 2, checked);
    }

    /** The failure object names the exit codes exactly as the exit-code table does; the example conforms. */
    @Test
    void theFailureObjectKnowsEveryExitCodeAndItsExampleConforms() throws Exception {
        JsonNode names = Json.mapper().readTree(JsonSchemas.file(JsonSchemas.FAILURE).toFile())
                .get("properties").get("exitName").get("enum");
        List<String> listed = new ArrayList<>();
        names.forEach(n -> listed.add(n.asText()));
        List<String> failures = new ArrayList<>();
        for (ExitCode c : ExitCode.values()) {
            if (c != ExitCode.OK) {
                failures.add(c.name());
            }
        }
        assertEquals(failures, listed);
        String page = Files.readString(JsonSchemas.directory().resolveSibling("json-output.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Failure object\\s+\\(`error.schema.json`\\):\\s*```json\n(.*?)```",
                Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "json-output.md shows the failure object");
        JsonNode example = Json.mapper().readTree(m.group(1));
        assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.FAILURE, example.toString()));
        ObjectNode noRemedy = (ObjectNode) example.deepCopy();
        noRemedy.remove("remedy");
        assertFalse(JsonSchemas.problems(JsonSchemas.FAILURE, noRemedy.toString()).isEmpty(), "remedy is always there");
        ObjectNode ok = (ObjectNode) example.deepCopy();
        ok.put("exitName", "OK");
        assertFalse(JsonSchemas.problems(JsonSchemas.FAILURE, ok.toString()).isEmpty(), "success is no failure");
    }

    @Test
    void theDocumentedExamplesConform() throws Exception {
        String page = Files.readString(JsonSchemas.directory().resolveSibling("json-output.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("`tokenctl ([a-z -]+?) --json`[^`]*?```json\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String command = m.group(1);
            try (MappingIterator<JsonNode> docs = Json.mapper().readerFor(JsonNode.class).readValues(m.group(2))) {
                while (docs.hasNext()) {
                    String doc = Json.mapper().writeValueAsString(docs.next());
                    assertEquals(List.of(), JsonSchemas.problems(command, doc), "the example of " + command);
                    seen.add(command);
                }
            }
        }
        assertEquals(List.of("list", "enroll", "batch-enroll", "batch-enroll"), seen, "the examples found");
    }

    @Test
    void theSchemasAreStrict() throws Exception {
        String page = Files.readString(JsonSchemas.directory().resolveSibling("json-output.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("`tokenctl enroll --json`:\\s*```json\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertTrue(m.find());
        ObjectNode example = (ObjectNode) Json.mapper().readTree(m.group(1));
        assertEquals(List.of(), JsonSchemas.problems("enroll", example.toString()));

        ObjectNode extra = example.deepCopy();
        ((ObjectNode) extra.get("key")).put("privateValue", "00");
        assertFalse(JsonSchemas.problems("enroll", extra.toString()).isEmpty(), "an undocumented field");
        ObjectNode missing = example.deepCopy();
        missing.remove("schemaVersion");
        assertFalse(JsonSchemas.problems("enroll", missing.toString()).isEmpty(), "a missing field");
        ObjectNode badSerial = example.deepCopy();
        ((ObjectNode) badSerial.get("certificate")).put("serial", "2EDA");
        assertFalse(JsonSchemas.problems("enroll", badSerial.toString()).isEmpty(), "upper-case hex");
        ObjectNode badTime = example.deepCopy();
        ((ObjectNode) badTime.get("certificate")).put("notAfter", "next year");
        assertFalse(JsonSchemas.problems("enroll", badTime.toString()).isEmpty(), "not an instant");
        ObjectNode version = example.deepCopy();
        version.put("schemaVersion", 2);
        assertFalse(JsonSchemas.problems("enroll", version.toString()).isEmpty(), "another schema version");
    }
}
