package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Characters that never reach C_Login: what no PIN pad can type. */
class UntypableCharactersTest {

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"0000", "0009", "000A", "000D", "001B", "007F", "0085", "009F", // C0, DEL, C1
        "FEFF", // byte-order mark
        "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", "200E", "200F", "061C", // bidi
        "200B", "200C", "200D", "2060", "00AD", // zero-width, soft hyphen
        "2028", "2029", // line and paragraph separators
        "00A0", "2007", "202F", "3000", // spaces other than U+0020
        "E000", "F8FF", // private use
        "FFFD", "FFFE", "FFFF", "0378"}) // replacement, non-characters, unassigned
    void isRefused(String hex) {
        int cp = Integer.parseInt(hex, 16);
        assertTrue(UntypableCharacters.untypable(cp), hex);
        char[] pin = ("2468" + new String(Character.toChars(cp)) + "1357").toCharArray();
        assertEquals(4, UntypableCharacters.first(pin));
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"0020", "0021", "0030", "0041", "007A", "007E", "00E4", "20AC", "4E2D", "1F600"})
    void isTypable(String hex) {
        int cp = Integer.parseInt(hex, 16);
        assertFalse(UntypableCharacters.untypable(cp), hex);
        assertEquals(-1, UntypableCharacters.first(("24" + new String(Character.toChars(cp))).toCharArray()));
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndAPairIsOneCharacter() {
        assertEquals(1, UntypableCharacters.first(new char[] {'a', '\uD83D', 'b'}));
        assertEquals(0, UntypableCharacters.first(new char[] {'\uDE00'}));
        assertEquals(-1, UntypableCharacters.first(new char[] {'\uD83D', '\uDE00', 'x'}));
        assertEquals(3, UntypableCharacters.first(new char[] {'\uD83D', '\uDE00', 'x', '\u202E'}));
    }

    @Test
    void anEmptyPinHasNone() {
        assertEquals(-1, UntypableCharacters.first(new char[0]));
    }
}
