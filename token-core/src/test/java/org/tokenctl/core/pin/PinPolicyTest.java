package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.token.Memory;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;

class PinPolicyTest {

    private static TokenInfo token(long min, long max) {
        return new TokenInfo("t", "m", "model", "s", Set.of(TokenFlag.TOKEN_INITIALIZED), min, max,
                new Memory(null, null, null, null), "1.0", "1.0");
    }

    private static PinPolicyException refused(PinPolicy policy, String newPin, String current, TokenInfo t) {
        try (Pin n = Pin.wrap(newPin.toCharArray()); Pin c = current == null ? null : Pin.wrap(current.toCharArray())) {
            return assertThrows(PinPolicyException.class, () -> policy.check(n, c, t));
        }
    }

    @Test
    void lengthSixToTen() {
        PinPolicyException e = refused(PinPolicy.BANK, "12345", null, null);
        assertEquals(PinPolicyException.Rule.LENGTH, e.rule());
        assertEquals("PIN must be 6 to 10 characters; got 5", e.getMessage());
        assertEquals("PIN must be 6 to 10 characters; got 11", refused(PinPolicy.BANK, "12345678901", null, null)
                .getMessage());
        try (Pin six = Pin.wrap("a1b2c3".toCharArray()); Pin ten = Pin.wrap("a1b2c3d4e5".toCharArray())) {
            assertDoesNotThrow(() -> PinPolicy.BANK.check(six, null, null));
            assertDoesNotThrow(() -> PinPolicy.BANK.check(ten, null, null));
        }
    }

    @Test
    void tokenRangeNarrowsThePolicy() {
        assertEquals("PIN must be 6 to 8 characters; got 9",
                refused(PinPolicy.BANK, "123456789", null, token(4, 8)).getMessage());
        assertEquals("PIN must be 7 to 10 characters; got 6",
                refused(PinPolicy.BANK, "654321", null, token(7, 255)).getMessage());
        assertEquals(PinPolicyException.Rule.UNSATISFIABLE,
                refused(PinPolicy.BANK, "654321", null, token(12, 16)).rule());
    }

    @Test
    void printableAsciiOnlyAndTheMessageNeverEchoesThePin() {
        PinPolicyException e = refused(PinPolicy.BANK, "pässwörd", null, null);
        assertEquals(PinPolicyException.Rule.CHARACTERS, e.rule());
        assertEquals("PIN must contain only printable ASCII characters; it has a non-ASCII character", e.getMessage());
        assertFalse(e.getMessage().contains("ä"));
        assertEquals("PIN must contain only printable ASCII characters; it has a control character",
                refused(PinPolicy.BANK, "12345\t78", null, null).getMessage());
    }

    @Test
    void initialAndCurrentPinAreRefused() {
        assertEquals(PinPolicyException.Rule.INITIAL_PIN, refused(PinPolicy.BANK, "12345678", null, null).rule());
        assertEquals(PinPolicyException.Rule.SAME_AS_CURRENT, refused(PinPolicy.BANK, "862491", "862491", null).rule());
    }

    @Test
    void aProfileCanTightenThePolicyAsData() {
        PinPolicy digits = new PinPolicy(6, 8, PinCharacters.DIGITS, "000000".toCharArray());
        assertEquals("PIN must contain only digits; it has a letter", refused(digits, "12345a", null, null).getMessage());
        assertEquals(PinPolicyException.Rule.INITIAL_PIN, refused(digits, "000000", null, null).rule());
        try (Pin ok = Pin.wrap("12345678".toCharArray())) {
            assertDoesNotThrow(() -> digits.check(ok, null, null), "12345678 is only special to the bank policy");
        }
    }
}
