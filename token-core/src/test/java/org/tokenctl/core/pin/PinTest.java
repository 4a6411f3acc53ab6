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
}
