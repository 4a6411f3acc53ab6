package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;

/** Properties files read line by line: each key once, a byte-order mark ignored, errors that quote nothing. */
class PropertiesTextTest {

    private static List<PropertiesText.Entry> parse(String text) throws InvalidInputException {
        return PropertiesText.parse(text.getBytes(StandardCharsets.UTF_8), "config", "Configuration file f");
    }

    @Test
    void entriesKeepTheirLines() throws Exception {
        List<PropertiesText.Entry> e = parse("# comment\na = 1\n\n! other\nb = two \\\n  lines\nc=3");
        assertEquals(List.of(new PropertiesText.Entry("a", "1", 2), new PropertiesText.Entry("b", "two lines", 5),
                new PropertiesText.Entry("c", "3", 7)), e);
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingBothLinesNotTheKey() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> parse("24681357 = x\nb = 2\n24681357 = y\n"));
        assertEquals("Configuration file f line 3 sets the same key as line 1; give each setting once",
                e.getMessage());
        assertEquals("config", e.field());
        assertFalse(e.getMessage().contains("2468"));
    }

    @Test
    void aByteOrderMarkAtTheStartIsNotPartOfTheFirstKey() throws Exception {
        assertEquals("guard.enabled", parse("\uFEFFguard.enabled = false\n").get(0).key());
        // only at the start: elsewhere it stays what it is
        assertEquals("b\uFEFF", parse("a = 1\nb\uFEFF = 2\n").get(1).key());
    }

    @Test
    void notUtf8AndBadEscapesNameTheLine() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PropertiesText.parse(
                new byte[] {'a', '=', '1', '\n', 'b', '=', (byte) 0xFF}, "config", "Configuration file f"));
        assertEquals("Configuration file f is not valid UTF-8 (line 2)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> parse("a = 1\nb = \\uZZZZ\n"));
        assertEquals("Configuration file f line 2: malformed \\uxxxx escape", e.getMessage());
    }

    @Test
    void aBackslashAtTheEndOfTheLastLineEndsTheFile() throws Exception {
        List<PropertiesText.Entry> e = parse("a = 1\nb = 2\\");
        assertEquals(2, e.size());
        assertEquals("2", e.get(1).value());
        assertEquals(2, e.get(1).line());
    }

    @Test
    void aLineOfOneBackslashJoinsTheNext() throws Exception {
        List<PropertiesText.Entry> e = parse("a = 1\n\\\nb = 2\nc = 3");
        assertEquals(List.of("a", "b", "c"), e.stream().map(PropertiesText.Entry::key).toList());
        assertEquals(2, e.get(1).line(), "the logical line starts where its first physical line does");
        assertEquals(4, e.get(2).line());
    }
}
