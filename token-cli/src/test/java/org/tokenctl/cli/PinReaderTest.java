package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.pin.Pin;

/** Every PIN source, read without a token: what becomes the PIN, and what never reaches one. */
class PinReaderTest {

    @TempDir
    Path dir;

    private final List<String> prompts = new ArrayList<>();

    private PinReader reader(Map<String, String> env, byte[] stdin, boolean interactive, String... answers) {
        Terminal t = new ScriptedTerminal(interactive, new java.util.ArrayDeque<>(List.of(answers)), prompts::add);
        return new PinReader(new CliContext(env, new ByteArrayInputStream(stdin),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), t, Clock.systemUTC()));
    }

    private PinReader reader(byte[] stdin) {
        return reader(Map.of(), stdin, false);
    }

    private static PinSource file(String role, Path f) {
        return new PinSource(role, PinSource.Kind.FILE, f, null, "--pin-file, --pin-env or --pin-stdin");
    }

    private static PinSource stdin(String role) {
        return new PinSource(role, PinSource.Kind.STDIN, null, null, "--pin-file, --pin-env or --pin-stdin");
    }

    private static PinSource prompt(String role) {
        return new PinSource(role, PinSource.Kind.PROMPT, null, null, "--pin-file, --pin-env or --pin-stdin");
    }

    private static String text(Pin p) {
        try (p) {
            return new String(p.chars());
        }
    }

    private String refused(PinReader r, PinSource s, ExitCode code) {
        CliException e = assertThrows(CliException.class, () -> r.read(s).close());
        assertEquals(code, e.exitCode());
        assertFalse(e.getMessage().replace(dir.toString(), "").contains("2468"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFileLosesExactlyOneLineEnding() throws Exception {
        PinReader r = reader(new byte[0]);
        assertEquals("24681357", text(r.read(file("user PIN", Files.writeString(dir.resolve("a"), "24681357\n")))));
        assertEquals("24681357", text(r.read(file("user PIN", Files.writeString(dir.resolve("b"), "24681357\r\n")))));
        assertEquals("24681357", text(r.read(file("user PIN", Files.writeString(dir.resolve("c"), "24681357")))));
        assertEquals("p\u00efn-2468", text(r.read(file("user PIN", Files.writeString(dir.resolve("d"), "p\u00efn-2468")))));
        Path two = Files.writeString(dir.resolve("e"), "24681357\n\n");
        assertTrue(refused(r, file("user PIN", two), ExitCode.INVALID_INPUT).contains("contains a control or invisible"
                + " character that no PIN pad can type"));
        Path cr = Files.writeString(dir.resolve("f"), "24681357\r");
        assertTrue(refused(r, file("user PIN", cr), ExitCode.INVALID_INPUT).startsWith("The user PIN from PIN file "
                + cr + " contains a control"));
        assertEquals("The user PIN from PIN file " + dir.resolve("g") + " is empty",
                refused(r, file("user PIN", Files.writeString(dir.resolve("g"), "\n")), ExitCode.INVALID_INPUT));
        assertEquals("The user PIN from PIN file " + dir.resolve("h") + " is empty",
                refused(r, file("user PIN", Files.writeString(dir.resolve("h"), "\r\n")), ExitCode.INVALID_INPUT));
        assertEquals("The user PIN from PIN file " + dir.resolve("i") + " is empty",
                refused(r, file("user PIN", Files.writeString(dir.resolve("i"), "")), ExitCode.INVALID_INPUT));
    }

    @Test
    void aFileIsNamedByWhatItHolds() throws Exception {
        PinReader r = reader(new byte[0]);
        Path missing = dir.resolve("missing");
        assertEquals("PIN file " + missing + " does not exist", refused(r, file("SO PIN", missing), ExitCode.INVALID_INPUT));
        assertEquals("Password file " + missing + " does not exist",
                refused(r, file("CA key password", missing), ExitCode.INVALID_INPUT));
        assertEquals("Secret file " + missing + " does not exist",
                refused(r, file("CMP shared secret", missing), ExitCode.INVALID_INPUT));
        Path big = Files.write(dir.resolve("big"), new byte[PinReader.MAX_PIN_FILE_BYTES + 1]);
        assertEquals("PIN file " + big + " is larger than 1 KiB; it is not a PIN file",
                refused(r, file("user PIN", big), ExitCode.INVALID_INPUT));
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'2', '4', (byte) 0xE9, '8'});
        assertEquals("The user PIN in PIN file " + latin1 + " is not valid UTF-8",
                refused(r, file("user PIN", latin1), ExitCode.INVALID_INPUT));
        Path exact = Files.write(dir.resolve("exact"), "7".repeat(PinReader.MAX_PIN_FILE_BYTES)
                .getBytes(StandardCharsets.US_ASCII));
        try (Pin p = r.read(file("user PIN", exact))) {
            assertEquals(PinReader.MAX_PIN_FILE_BYTES, p.length());
        }
    }

    @Test
    void anEnvironmentVariableIsTakenAsItIs() throws Exception {
        PinSource env = new PinSource("new user PIN", PinSource.Kind.ENV, null, "NEW_PIN", "--new-pin-env");
        assertEquals("24681357 ", text(reader(Map.of("NEW_PIN", "24681357 "), new byte[0], false).read(env)));
        assertEquals("Environment variable NEW_PIN (for the new user PIN) is not set or empty",
                refused(reader(Map.of(), new byte[0], false), env, ExitCode.INVALID_INPUT));
        assertEquals("Environment variable NEW_PIN (for the new user PIN) is not set or empty",
                refused(reader(Map.of("NEW_PIN", ""), new byte[0], false), env, ExitCode.INVALID_INPUT));
        assertEquals("The new user PIN from environment variable NEW_PIN contains a control or invisible character"
                + " that no PIN pad can type (a second line, a stray carriage return, a byte-order mark, a zero-width"
                + " or bidirectional character?); nothing was sent to the token",
                refused(reader(Map.of("NEW_PIN", "\uFEFF24681357"), new byte[0], false), env, ExitCode.INVALID_INPUT));
    }

    @Test
    void standardInputGivesOneLine() throws Exception {
        assertEquals("24681357", text(reader("24681357\nrest\n".getBytes(StandardCharsets.UTF_8)).read(stdin("user PIN"))));
        assertEquals("24681357", text(reader("24681357\r\n".getBytes(StandardCharsets.UTF_8)).read(stdin("user PIN"))));
        assertEquals("24681357", text(reader("24681357".getBytes(StandardCharsets.UTF_8)).read(stdin("user PIN"))));
        assertEquals("No user PIN on standard input", refused(reader(new byte[0]), stdin("user PIN"),
                ExitCode.INVALID_INPUT));
        assertEquals("The user PIN from standard input is empty", refused(reader("\n".getBytes(StandardCharsets.UTF_8)),
                stdin("user PIN"), ExitCode.INVALID_INPUT));
        byte[] exact = new byte[PinReader.MAX_PIN_FILE_BYTES];
        java.util.Arrays.fill(exact, (byte) '7');
        try (Pin p = reader(exact).read(stdin("user PIN"))) {
            assertEquals(PinReader.MAX_PIN_FILE_BYTES, p.length());
        }
        byte[] longer = java.util.Arrays.copyOf(exact, exact.length + 1);
        longer[exact.length] = '7';
        assertEquals("The user PIN line on standard input is longer than 1024 bytes",
                refused(reader(longer), stdin("user PIN"), ExitCode.INVALID_INPUT));
        assertEquals("The user PIN from standard input contains a control or invisible character that no PIN pad can"
                + " type (a second line, a stray carriage return, a byte-order mark, a zero-width or bidirectional"
                + " character?); nothing was sent to the token",
                refused(reader("2468\u202E1357\n".getBytes(StandardCharsets.UTF_8)), stdin("user PIN"),
                        ExitCode.INVALID_INPUT));
    }

    @Test
    void aPromptAsksOnceForAPinAndTwiceForANewOne() throws Exception {
        assertEquals("24681357", text(reader(Map.of(), new byte[0], true, "24681357").read(prompt("user PIN"))));
        assertEquals(List.of("User PIN: "), prompts);
        prompts.clear();
        assertEquals("86421357", text(reader(Map.of(), new byte[0], true, "86421357", "86421357")
                .readNew(prompt("new user PIN"))));
        assertEquals(List.of("New user PIN: ", "Repeat the new user PIN: "), prompts);
        assertEquals("The two entries of the new user PIN do not match; nothing was changed",
                assertThrows(CliException.class, () -> reader(Map.of(), new byte[0], true, "86421357", "86421358")
                        .readNew(prompt("new user PIN"))).getMessage());
        assertEquals(ExitCode.PIN_POLICY, assertThrows(CliException.class, () -> reader(Map.of(), new byte[0], true,
                "86421357", "8642135").readNew(prompt("new user PIN"))).exitCode());
        assertEquals("No user PIN entered", refused(reader(Map.of(), new byte[0], true, ""), prompt("user PIN"),
                ExitCode.INVALID_INPUT));
        assertEquals("No user PIN entered", refused(reader(Map.of(), new byte[0], true), prompt("user PIN"),
                ExitCode.INVALID_INPUT), "end of input at the prompt");
        assertTrue(refused(reader(Map.of(), new byte[0], true, "2468\t1357"), prompt("user PIN"),
                ExitCode.INVALID_INPUT).startsWith("The user PIN from the prompt contains a control"));
        assertTrue(assertThrows(CliException.class, () -> reader(Map.of(), new byte[0], true, "2468\t1357",
                "2468\t1357").readNew(prompt("new user PIN"))).getMessage().startsWith("The new user PIN from the"
                + " prompt contains a control"));
    }

    @Test
    void withoutATerminalThePromptNamesTheOptions() {
        CliException e = assertThrows(CliException.class,
                () -> reader(Map.of(), new byte[0], false).read(prompt("SO PIN")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("No SO PIN given and no terminal to ask on; use --pin-file, --pin-env or --pin-stdin",
                e.getMessage());
        assertEquals(List.of(), prompts, "nothing is asked");
    }

    @Test
    void sourcesSayWhatTheyAre() {
        assertEquals("PIN file", file("new SO PIN", dir).fileKind());
        assertEquals("password file", file("PKCS#12 password", dir).fileKind());
        assertEquals("secret file", file("CMP shared secret", dir).fileKind());
        assertEquals("file", file("passphrase", dir).fileKind());
        assertTrue(file("user PIN", dir).explicit());
        assertTrue(stdin("user PIN").explicit());
        assertFalse(prompt("user PIN").explicit());
        assertTrue(PinSource.severalFromStdin(stdin("user PIN"), prompt("x"), stdin("SO PIN")));
        assertFalse(PinSource.severalFromStdin(stdin("user PIN"), prompt("x"), file("SO PIN", dir)));
        assertFalse(PinSource.severalFromStdin());
    }

    @Test
    void theBytesOfAPinFileBecomeTheCharactersExactly() throws Exception {
        byte[] utf8 = "\u65e5\u672c-2468".getBytes(StandardCharsets.UTF_8);
        try (Pin p = reader(new byte[0]).read(file("user PIN", Files.write(dir.resolve("u"), utf8)))) {
            assertArrayEquals("\u65e5\u672c-2468".toCharArray(), p.chars());
        }
    }
}
