package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three character classes a profile may demand, at each of their edges. */
class PinCharactersTest {

    @Test
    void digitsAreZeroToNineOnly() {
        for (char c = '0'; c <= '9'; c++) {
            assertTrue(PinCharacters.DIGITS.allows(c), String.valueOf(c));
        }
        for (char c : new char[] {'/', ':', 'a', 'A', ' ', '\u0660'}) {
            assertFalse(PinCharacters.DIGITS.allows(c), String.valueOf(c));
        }
        assertEquals("digits", PinCharacters.DIGITS.description());
    }

    @Test
    void alphanumericIsAsciiLettersAndDigits() {
        for (char c : new char[] {'0', '9', 'a', 'z', 'A', 'Z', 'm', 'M'}) {
            assertTrue(PinCharacters.ALPHANUMERIC.allows(c), String.valueOf(c));
        }
        // the neighbours of each range, and letters outside ASCII
        for (char c : new char[] {'/', ':', '@', '[', '`', '{', ' ', '-', '\u00e4', '\u00c4'}) {
            assertFalse(PinCharacters.ALPHANUMERIC.allows(c), String.valueOf(c));
        }
        assertEquals("ASCII letters and digits", PinCharacters.ALPHANUMERIC.description());
    }

    @Test
    void printableAsciiIsSpaceToTilde() {
        for (char c : new char[] {' ', '!', '0', 'a', '~'}) {
            assertTrue(PinCharacters.PRINTABLE_ASCII.allows(c), String.valueOf(c));
        }
        for (char c : new char[] {'\u001f', '\u007f', '\u00a0', '\u00e4', '\t'}) {
            assertFalse(PinCharacters.PRINTABLE_ASCII.allows(c), String.valueOf(c));
        }
        assertEquals("printable ASCII characters", PinCharacters.PRINTABLE_ASCII.description());
    }
}
