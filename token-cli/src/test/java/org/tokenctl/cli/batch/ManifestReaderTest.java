package org.tokenctl.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.cli.CliException;
import org.tokenctl.cli.ExitCode;

/** Manifests read without a token: what a row becomes, and every way a file is refused whole. */
class ManifestReaderTest {

    @TempDir
    Path dir;

    private List<ManifestEntry> read(String name, String content) throws Exception {
        return ManifestReader.read(Files.writeString(dir.resolve(name), content));
    }

    /** The message of a refusal, after checking it is exit 11 and never echoes the secret-looking text. */
    private String refused(String name, String content) throws Exception {
        Path m = Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
        CliException e = assertThrows(CliException.class, () -> ManifestReader.read(m));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertFalse(e.getMessage().replace(dir.toString(), "").contains("13572468"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Manifest " + m), e.getMessage());
        return e.getMessage().substring(("Manifest " + m).length());
    }

    @Test
    void aCsvRowBecomesAnEntryWithItsLine() throws Exception {
        List<ManifestEntry> rows = read("m.csv", "serial, tokenLabel ,subject,keySpec,label,san,pinFile\n"
                + "A1,,CN=a,ec:p256,sig,email:a@example.com dns:a.example,pins/a.pin\n"
                + "\n"
                + ",bob,\" CN=b, O=Bank \",,,,\n");
        assertEquals(2, rows.size());
        ManifestEntry a = rows.get(0);
        assertEquals(2, a.line());
        assertEquals("A1", a.serial());
        assertNull(a.tokenLabel(), "an empty cell is absent");
        assertEquals("CN=a", a.subject());
        assertEquals("ec:p256", a.keySpec());
        assertEquals("sig", a.label());
        assertEquals(List.of("email:a@example.com", "dns:a.example"), a.sans());
        assertEquals(dir.resolve("pins/a.pin"), a.pinFile(), "relative to the manifest, not the working directory");
        assertNull(a.pinEnv());
        assertEquals("serial A1", a.tokenName());
        ManifestEntry b = rows.get(1);
        assertEquals(4, b.line(), "the blank line is skipped but counted");
        assertEquals("bob", b.tokenLabel());
        assertEquals("CN=b, O=Bank", b.subject());
        assertNull(b.sans());
        assertNull(b.pinFile());
        assertEquals("token label 'bob'", b.tokenName());
    }

    @Test
    void aJsonObjectBecomesAnEntryWithItsLine() throws Exception {
        List<ManifestEntry> rows = read("m.json", "[\n"
                + "  {\"serial\": \"A1\", \"san\": [\"email:a@example.com\", \"ip:10.0.0.1\"], \"pinEnv\": \"PIN_A\"},\n"
                + "  {\"tokenLabel\": \"bob\", \"subject\": null, \"san\": \"dns:b.example\",\n"
                + "   \"pinFile\": \"/abs/b.pin\"}\n"
                + "]\n");
        assertEquals(2, rows.size());
        assertEquals(2, rows.get(0).line());
        assertEquals(List.of("email:a@example.com", "ip:10.0.0.1"), rows.get(0).sans());
        assertEquals("PIN_A", rows.get(0).pinEnv());
        assertEquals(3, rows.get(1).line());
        assertNull(rows.get(1).subject());
        assertEquals(List.of("dns:b.example"), rows.get(1).sans());
        assertEquals(Path.of("/abs/b.pin"), rows.get(1).pinFile());
    }

    @Test
    void theFormatFollowsTheExtensionElseTheFirstCharacter() throws Exception {
        assertEquals("A1", read("rows", "  \n[{\"serial\": \"A1\"}]").get(0).serial());
        assertEquals("A2", read("rows2", "{\"serial\": \"A2\"}".replace("{", "[{").replace("}", "}]")).get(0).serial());
        assertEquals("A3", read("rows3", "serial\nA3\n").get(0).serial());
        assertEquals("A4", read("rows.JSON", "[{\"serial\": \"A4\"}]").get(0).serial());
        // a .csv is read as CSV even when it starts like JSON
        assertEquals(" line 1: unknown column 1 in the header (allowed: " + ManifestReader.COLUMNS + ")",
                refused("x.csv", "[serial]\nA5\n"));
        // a .json is JSON even when it looks like CSV
        assertEquals(" line 1, column 1: Unrecognized token", refused("x.json", "serial\nA6\n"));
        assertEquals("A7", read("rows4", "{\"serial\": \"A7\"}".replace("{", "[{").replace("}", "}]")).get(0).serial());
        assertEquals(": lists no tokens", refused("empty", ""));
        assertEquals(": lists no tokens", refused("blank.csv", " \n\t\n"));
        assertEquals(": lists no tokens", refused("blank.json", "\n"));
        assertEquals(": lists no tokens", refused("none.json", "[]"));
        assertTrue(refused("object", "{\"serial\": \"A1\"}")
                .endsWith("line 1: a JSON manifest is an array of objects, one per token"));
    }

    @Test
    void aPinColumnOrFieldIsRefusedWithoutItsValue() throws Exception {
        assertEquals(" line 1: column 3 of the header would hold a PIN or secret, and a manifest must never hold a"
                + " PIN; name where each token's PIN comes from with pinFile or pinEnv, or give one shared source"
                + " with --pin-file/--pin-env/--pin-stdin", refused("p.csv", "serial,subject,pin\nA1,CN=a,13572468\n"));
        for (String name : new String[] {"userPin", "PASSWORD", "sharedSecret", "newpin"}) {
            String m = refused("p.json", "[{\"serial\": \"A1\",\n \"" + name + "\": \"13572468\"}]");
            assertTrue(m.startsWith(" line 2: the field at column 2 would hold a PIN or secret"), name + m);
        }
    }

    @Test
    void unknownColumnsAndFieldsAreNamedByPlace() throws Exception {
        assertEquals(" line 1: unknown column 2 in the header (allowed: " + ManifestReader.COLUMNS + ")",
                refused("t.csv", "serial,subjet\nA1,CN=a\n"));
        assertEquals(" line 1: unknown field at column 19 (allowed: " + ManifestReader.COLUMNS + ")",
                refused("t.json", "[{\"serial\": \"A1\", \"subjet\": \"CN=a\"}]"));
        assertEquals(" line 1: column 3 of the header repeats column 1",
                refused("r.csv", "serial,subject,serial\nA1,CN=a,A2\n"));
    }

    @Test
    void everyRowMustNameItsTokenAndItsPinOneWay() throws Exception {
        assertEquals(" line 3: the row names no token: give serial or tokenLabel",
                refused("n.csv", "serial,subject\nA1,CN=a\n,CN=b\n"));
        assertEquals(" line 2: give the token's PIN one way only: pinFile or pinEnv",
                refused("w.csv", "serial,pinFile,pinEnv\nA1,a.pin,PIN_A\n"));
        assertEquals(" line 1: the row names no token: give serial or tokenLabel",
                refused("n.json", "[{\"serial\": \"  \"}]"));
    }

    @Test
    void aTokenListedTwiceIsRefusedByLineOnly() throws Exception {
        assertEquals(" line 3: the token is listed twice (first on line 2, same serial)",
                refused("d.csv", "serial\nab12\nAB12\n"));
        assertEquals(" line 4: the token is listed twice (first on line 2, same tokenLabel)",
                refused("d2.csv", "serial,tokenLabel\n,alice\nB1,alice\n,alice\n"));
        assertEquals(2, read("ok.csv", "serial,tokenLabel\nA1,alice\nA2,alice\n").size(),
                "a label beside a serial does not name the token");
        assertEquals(2, read("ok2.csv", "tokenLabel\nalice\nAlice\n").size(), "labels are case-sensitive");
    }

    @Test
    void valuesMustBeStringsOrForSansAnArrayOfStrings() throws Exception {
        assertEquals(" line 1: 'serial' must be a string", refused("v.json", "[{\"serial\": 42}]"));
        assertEquals(" line 1: 'subject' must be a string", refused("v2.json", "[{\"serial\": \"A\", \"subject\": [\"x\"]}]"));
        assertEquals(" line 1: 'san' must be a string or an array of strings",
                refused("v3.json", "[{\"serial\": \"A\", \"san\": [\"dns:a\", 7]}]"));
        assertEquals(" line 1: every element of the array must be an object", refused("v4.json", "[\"A1\"]"));
        assertEquals(" line 1: unexpected content after the array", refused("v5.json", "[{\"serial\": \"A\"}] []"));
    }

    @Test
    void parserErrorsGiveThePlaceNeverTheText() throws Exception {
        String m = refused("bad.json", "[{\"serial\": \"A1\",\n 13572468}]");
        assertTrue(m.startsWith(" line 2, column "), m);
        m = refused("dup.json", "[{\"serial\": \"A1\", \"serial\": \"13572468\"}]");
        assertTrue(m.startsWith(" line 1, column "), m);
        assertTrue(m.endsWith(": Duplicate field"), m);
        m = refused("trunc.json", "[{\"serial\": \"A1\"");
        assertTrue(m.startsWith(" line 1, column "), m);
        m = refused("quote.csv", "serial,subject\nA1,\"CN=13572468\n");
        assertEquals(" line 3, column 1: Missing closing quote for value", m);
        assertEquals(" line 2: not valid UTF-8", refusedBytes("latin.csv",
                new byte[] {'s', 'e', 'r', 'i', 'a', 'l', '\n', 'A', (byte) 0xFF, '\n'}));
    }

    private String refusedBytes(String name, byte[] content) throws Exception {
        Path m = Files.write(dir.resolve(name), content);
        CliException e = assertThrows(CliException.class, () -> ManifestReader.read(m));
        return e.getMessage().substring(("Manifest " + m).length());
    }

    @Test
    void aFileThatIsNotAManifestIsRefusedBeforeItIsRead() throws Exception {
        CliException e = assertThrows(CliException.class, () -> ManifestReader.read(dir));
        assertEquals("Manifest " + dir + " is a directory, not a regular file", e.getMessage());
        CliException big = assertThrows(CliException.class, () -> ManifestReader.read(Path.of("/dev/zero")));
        assertEquals(ExitCode.INVALID_INPUT, big.exitCode());
        assertTrue(big.getMessage().endsWith("is a character device, not a regular file"), big.getMessage());
        Path large = Files.write(dir.resolve("large.csv"), new byte[(int) ManifestReader.MAX_BYTES + 1]);
        assertEquals("Manifest " + large + " is larger than 16 MiB; it is not a manifest",
                assertThrows(CliException.class, () -> ManifestReader.read(large)).getMessage());
    }
}
