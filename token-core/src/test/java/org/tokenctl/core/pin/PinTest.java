package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PinTest {

    @Test
    void closeWipesTheCallersArray() {
        char[] raw = "654321".toCharArray();
        Pin pin = Pin.wrap(raw);
        assertEquals(6, pin.length());
        pin.close();
        assertArrayEquals(new char[6], raw, "the wrapped array must be zeroed");
        assertTrue(pin.isWiped());
        assertThrows(IllegalStateException.class, pin::chars);
    }

    @Test
    void toStringNeverShowsTheValue() {
        try (Pin pin = Pin.wrap("s3cret-pin".toCharArray())) {
            assertFalse(pin.toString().contains("s3cret"));
        }
    }

    @Test
    void fromUtf8DecodesAndWipesTheBytes() throws Exception {
        byte[] bytes = "pïn1234".getBytes(StandardCharsets.UTF_8);
        try (Pin pin = Pin.fromUtf8(bytes)) {
            assertArrayEquals("pïn1234".toCharArray(), pin.chars());
            assertEquals(8, pin.utf8Length());
        }
        assertArrayEquals(new byte[bytes.length], bytes);
    }

    @Test
    void fromUtf8RefusesMalformedBytesInsteadOfReplacingThem() {
        byte[] bad = {'1', '2', (byte) 0xC3, '4'};
        assertThrows(CharacterCodingException.class, () -> Pin.fromUtf8(bad));
        assertArrayEquals(new byte[4], bad, "even a refused PIN is wiped");
    }

    @Test
    void sameAsComparesWholeValues() {
        try (Pin a = Pin.wrap("123456".toCharArray()); Pin b = Pin.wrap("123456".toCharArray());
             Pin c = Pin.wrap("1234567".toCharArray()); Pin d = Pin.wrap("123457".toCharArray())) {
            assertTrue(a.sameAs(b));
            assertFalse(a.sameAs(c));
            assertFalse(c.sameAs(a));
            assertFalse(a.sameAs(d));
        }
    }

    @Test
    void utf8LengthCountsWhatPkcs11Counts() {
        // one to four UTF-8 bytes per code point; each boundary on both sides
        assertEquals(1, Pin.wrap(new char[] {0x7F}).utf8Length());
        assertEquals(2, Pin.wrap(new char[] {0x80}).utf8Length());
        assertEquals(2, Pin.wrap(new char[] {0x7FF}).utf8Length());
        assertEquals(3, Pin.wrap(new char[] {0x800}).utf8Length());
        assertEquals(3, Pin.wrap("€".toCharArray()).utf8Length());
        assertEquals(4, Pin.wrap("😀".toCharArray()).utf8Length(), "a surrogate pair is one 4-byte code point");
        assertEquals(6, Pin.wrap("a😀b".toCharArray()).utf8Length());
        // unpaired surrogates count as the 3 bytes a lenient encoder would write, wherever they stand
        assertEquals(3, Pin.wrap(new char[] {0xD83D}).utf8Length(), "a high surrogate at the end");
        assertEquals(4, Pin.wrap(new char[] {0xD83D, 'a'}).utf8Length(), "a high surrogate before a non-surrogate");
        assertEquals(3, Pin.wrap(new char[] {0xDE00}).utf8Length(), "a lone low surrogate");
        for (String s : new String[] {"pïn1234", "日本語のPIN", "a😀b€"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Pin.wrap(s.toCharArray()).utf8Length(), s);
        }
    }

    @Test
    void toUtf8EncodesWithoutAStringAndRefusesUnpairedSurrogates() {
        try (Pin pin = Pin.wrap("pï€😀".toCharArray())) {
            assertArrayEquals("pï€😀".getBytes(StandardCharsets.UTF_8), pin.toUtf8());
        }
        try (Pin lone = Pin.wrap(new char[] {'1', 0xD83D})) {
            IllegalStateException e = assertThrows(IllegalStateException.class, lone::toUtf8);
            assertEquals("the PIN holds an unpaired UTF-16 surrogate", e.getMessage());
        }
        Pin closed = Pin.wrap("123456".toCharArray());
        closed.close();
        assertThrows(IllegalStateException.class, closed::toUtf8);
    }

    @Test
    void copyOfLeavesTheCallersArrayAlone() {
        char[] mine = "246810".toCharArray();
        try (Pin pin = Pin.copyOf(mine)) {
            assertArrayEquals(mine, pin.chars());
            mine[0] = 'x';
            assertEquals('2', pin.chars()[0], "the copy does not follow the caller's array");
        }
        assertEquals('x', mine[0], "closing the copy does not wipe the caller's array");
    }

    @Test
    void emptinessAndWipedStateAreReported() {
        try (Pin none = Pin.wrap(null); Pin one = Pin.wrap(new char[] {'1'})) {
            assertTrue(none.isEmpty());
            assertEquals(0, none.length());
            assertFalse(one.isEmpty());
            assertFalse(one.isWiped(), "a PIN is not wiped before close()");
            assertEquals("Pin[***]", one.toString());
        }
    }
}
