package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;

class LabelTest {

    @Test
    void thirtyTwoBytesIsTheLimit() {
        assertDoesNotThrow(() -> Token.checkLabel("a".repeat(32)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Token.checkLabel("a".repeat(33)));
        assertEquals("Token label must be at most 32 bytes in UTF-8; got 33", e.getMessage());
        // 11 characters, 33 bytes: the limit is in bytes, not characters
        assertThrows(InvalidInputException.class, () -> Token.checkLabel("€".repeat(11)));
    }

    @Test
    void paddedToExactly32Utf8Bytes() throws Exception {
        char[] padded = Token.paddedLabel("démo");
        assertEquals(32, new String(padded).getBytes(StandardCharsets.UTF_8).length);
        assertTrue(new String(padded).startsWith("démo "));
    }

    @Test
    void refusesEmptyControlAndTrailingBlank() {
        assertThrows(InvalidInputException.class, () -> Token.checkLabel(""));
        assertThrows(InvalidInputException.class, () -> Token.checkLabel("a\nb"));
        assertThrows(InvalidInputException.class, () -> Token.checkLabel("bad\uFFFD"));
        assertThrows(InvalidInputException.class, () -> Token.checkLabel("trailing "));
    }
}
