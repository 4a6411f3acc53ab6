package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Walks docs/bad-inputs.md: every row, one line on stderr, its exit code, no stack trace, token unchanged. */
@ExtendWith(SoftHsmExtension.class)
class BadInputCatalogueTest {

    private static final String USER_PIN = "24681357";
    private static final String SO_PIN = "catalogue-so";
    private static final Pattern ROW = Pattern.compile(
            "^\\| ([a-z0-9-]+) \\| ([^|]+) \\|\\s*([^|]*?)\\s*\\| `([^`]+)` \\| ([A-Z_]+) \\| ([^|]+) \\|$",
            Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::([a-z0-9-]+))?\\}");

    private static SoftHsmFixture fixture;
    private static int walked;

    /** The fixture files rows refer to as {file:NAME}. */
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put("empty", "\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("huge", new byte[2 * 1024 * 1024]);
        FILES.put("two-lines", (USER_PIN + "\n\n").getBytes(StandardCharsets.UTF_8));
        FILES.put("cr-cr-lf", (USER_PIN + "\r\r\n").getBytes(StandardCharsets.UTF_8));
        FILES.put("control", "2468\u00071357".getBytes(StandardCharsets.UTF_8));
        FILES.put("bad-utf8", new byte[] {'2', '4', (byte) 0xC3, '(', '1', '3'});
        FILES.put("five", "97531".getBytes(StandardCharsets.UTF_8));
        FILES.put("eleven", "97531864201".getBytes(StandardCharsets.UTF_8));
        FILES.put("non-ascii", "pässwört".getBytes(StandardCharsets.UTF_8));
        FILES.put("initial", "12345678".getBytes(StandardCharsets.UTF_8));
        FILES.put("bad-config", "guard.daily-limit = often\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("misspelt-config", "guard.dayly-limit = 3\n".getBytes(StandardCharsets.UTF_8));
        // batch-enroll manifests: no extension, so the reader tells CSV from JSON by the first character
        FILES.put("manifest-bad-csv", "serial,subject\nabc,\"CN=x\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-bad-json", "[{\"tokenLabel\": \"victim\", \"subject\": \"CN=x\""
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-duplicate", "tokenLabel,subject\nvictim,CN=a\nvictim,CN=b\n"
                .getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-pin", "tokenLabel,subject,pin\nvictim,CN=a,24681357\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("manifest-unknown-token", "serial,subject\n0000000000000000,CN=a\n"
                .getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("victim", SO_PIN, USER_PIN);
        f.pkcs11Tool("--token-label", "victim", "--login", "--pin", USER_PIN, "--keypairgen", "--key-type",
                "EC:prime256v1", "--label", "keep-me", "--id", "0a0b").assertOk();
        Path files = Files.createDirectories(f.root().resolve("catalogue"));
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            Files.write(files.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(files.resolve("pin"), USER_PIN + "\n");
        Files.writeString(files.resolve("so"), SO_PIN + "\n");
        Files.createDirectories(files.resolve("dir"));
        // a user profile directory with a malformed profile in it
        Path profiles = Files.createDirectories(files.resolve("bad-profile/tokenctl/profiles"));
        try (var in = org.tokenctl.core.profile.ProfileRegistry.class.getResourceAsStream("gd.properties")) {
            Files.writeString(profiles.resolve("gd.properties"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("pin.max = 10", "pin.max = ten"));
        }
        byte[] elf32 = new byte[52];
        elf32[0] = 0x7F;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        elf32[5] = 1;
        elf32[6] = 1;
        elf32[16] = 3;
        elf32[18] = 3;
        Files.write(files.resolve("elf32.so"), elf32);
    }

    @AfterAll
    static void report() {
        System.out.println("bad-input catalogue: " + walked + " rows walked, each one line on stderr, documented exit,"
                + " no stack trace, token unchanged");
    }

    private static String resolve(String text) {
        Path files = fixture.root().resolve("catalogue");
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            String value;
            switch (kind) {
                case "token": value = "victim"; break;
                case "pin": value = files.resolve("pin").toString(); break;
                case "so": value = files.resolve("so").toString(); break;
                case "file": value = files.resolve(require(name)).toString(); break;
                case "dir": value = name == null ? files.resolve("dir").toString() : files.resolve(name).toString(); break;
                case "missing": value = files.resolve("does-not-exist").toString(); break;
                case "module": value = module(name); break;
                default: throw new AssertionError("unknown placeholder {" + kind + "}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        return m.appendTail(sb).toString();
    }

    private static String require(String name) {
        if (!FILES.containsKey(name)) {
            throw new AssertionError("no fixture file '" + name + "' (known: " + FILES.keySet() + ")");
        }
        return name;
    }

    private static String module(String name) {
        if (name.equals("elf32")) {
            return fixture.root().resolve("catalogue/elf32.so").toString();
        }
        return Stream.of("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1",
                "/lib/aarch64-linux-gnu/libz.so.1").filter(p -> Files.exists(Path.of(p))).findFirst()
                .orElseThrow(() -> new AssertionError("zlib not found"));
    }

    /** The token's label, its objects and which PINs work, read with pkcs11-tool from SoftHSM directly. */
    private static String tokenState() {
        return fixture.pkcs11Tool("-L").stdout().lines().filter(l -> l.contains("token label"))
                .sorted().reduce("", (a, b) -> a + b + "\n")
                + fixture.pkcs11Tool("--token-label", "victim", "--login", "--pin", USER_PIN, "--list-objects").both()
                + fixture.pkcs11Tool("--token-label", "victim", "--session-rw", "--login", "--login-type", "so",
                        "--so-pin", SO_PIN, "--list-objects").exitCode();
    }

    @TestFactory
    List<DynamicTest> everyRow() throws Exception {
        String doc = Files.readString(SoftHsmFixture.repositoryRoot().resolve("docs/bad-inputs.md"),
                StandardCharsets.UTF_8);
        long tableRows = doc.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| id ")).count();
        Matcher m = ROW.matcher(doc);
        List<DynamicTest> tests = new ArrayList<>();
        while (m.find()) {
            String id = m.group(1);
            String env = m.group(3).trim();
            String command = m.group(4);
            ExitCode exit = ExitCode.valueOf(m.group(5));
            String message = m.group(6).trim();
            tests.add(DynamicTest.dynamicTest(id, () -> {
                String before = tokenState();
                Cli cli = new Cli(fixture);
                if (!env.isEmpty()) {
                    for (String assignment : env.replace("`", "").split("\\s+")) {
                        String[] kv = assignment.split("=", 2);
                        cli.env(kv[0], resolve(kv[1]));
                    }
                }
                String[] args = resolve(command).split(" ");
                CliResult r = cli.run(args);
                r.assertExit(exit).assertErrContains(message);
                assertFalse(r.err().contains("\tat "), id + ": stack trace");
                assertEquals(before, tokenState(), id + ": the token changed");
                walked++;
            }));
        }
        assertEquals(tableRows, tests.size(), "every table row must parse (check the columns of each row)");
        assertTrue(tests.size() >= 40, "the catalogue holds at least 40 bad inputs: " + tests.size());
        return tests;
    }
}
