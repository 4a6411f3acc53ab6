package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.cli.output.TerminalSafeWriter;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Text from files and tokens reaches the terminal as text, never as escape sequences. */
@ExtendWith(SoftHsmExtension.class)
class TerminalSafeOutputTest {

    @Test
    void controlAndFormatCharactersAreEscapedAndTextIsNot() {
        assertEquals("a\\x1b[2Jb", TerminalSafeWriter.escape("a\u001b[2Jb"));
        assertEquals("\\x0d\\x07\\x7f\\x9b", TerminalSafeWriter.escape("\r\u0007\u007f\u009b"));
        assertEquals("evil\\u202egro", TerminalSafeWriter.escape("evil\u202egro"));
        assertEquals("zero\\u200bwidth\\ufeff", TerminalSafeWriter.escape("zero\u200bwidth\ufeff"));
        String plain = "line one\n\tstill text: \u00e4\u20ac\u4e2d \ud83d\ude00";
        assertSame(plain, TerminalSafeWriter.escape(plain));
    }

    @Test
    void everyWritePathOfTheWriterEscapes() {
        StringWriter sink = new StringWriter();
        try (PrintWriter w = new PrintWriter(new TerminalSafeWriter(sink))) {
            w.write('\u001b');
            w.write("x\u0007y".toCharArray(), 1, 2);
            w.print("\u202e");
            w.printf("%s%n", "\r");
        }
        assertEquals("\\x1b\\x07y\\u202e\\x0d" + System.lineSeparator(), sink.toString());
    }

    @Test
    void aProfileNameWithEscapeSequencesIsPrintedEscaped(SoftHsmFixture fixture) throws Exception {
        Path dir = Files.createDirectories(fixture.root().resolve("hostile-profile/tokenctl/profiles"));
        String gd;
        try (InputStream in = org.tokenctl.core.profile.ProfileRegistry.class.getResourceAsStream("gd.properties")) {
            gd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // a user profile whose name retitles the window and clears the screen (\\u escapes in a properties file)
        String hostile = gd.replaceAll("(?m)^id = .*$", "id = hostile")
                .replaceAll("(?m)^name = .*$", "name = Bank \\\\u001b]0;owned\\\\u0007\\\\u001b[2J\\\\u202eknaB");
        Files.writeString(dir.resolve("hostile.properties"), hostile);
        CliResult r = new Cli(fixture).env("XDG_CONFIG_HOME", fixture.root().resolve("hostile-profile").toString())
                .run("profiles");
        r.assertExit(ExitCode.OK);
        assertTrue(r.out().contains("Bank \\x1b]0;owned\\x07\\x1b[2J\\u202eknaB"), r.out());
        for (char c : new char[] {'\u001b', '\u0007', '\u202e'}) {
            assertFalse(r.out().indexOf(c) >= 0 || r.err().indexOf(c) >= 0, "raw U+" + (int) c + " printed");
        }
    }
}
