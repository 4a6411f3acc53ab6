package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
            return assertThrows(PinPolicyException.class, () -> policy.check(n, c, t, UserType.USER));
        }
    }

    @Test
    void lengthSixToTen() {
        PinPolicyException e = refused(PinPolicy.BANK, "12345", null, null);
        assertEquals(PinPolicyException.Rule.LENGTH, e.rule());
        assertEquals("The new user PIN must be 6 to 10 characters; got 5", e.getMessage());
        assertEquals("The new user PIN must be 6 to 10 characters; got 11", refused(PinPolicy.BANK, "12345678901", null, null)
                .getMessage());
        try (Pin six = Pin.wrap("a1b2c3".toCharArray()); Pin ten = Pin.wrap("a1b2c3d4e5".toCharArray())) {
            assertDoesNotThrow(() -> PinPolicy.BANK.check(six, null, null, UserType.USER));
            assertDoesNotThrow(() -> PinPolicy.BANK.check(ten, null, null, UserType.USER));
        }
    }

    @Test
    void theMessageNamesWhosePinItIs() {
        try (Pin n = Pin.wrap("12345".toCharArray())) {
            PinPolicyException e = assertThrows(PinPolicyException.class,
                    () -> PinPolicy.tokenRangeOnly().check(n, null, token(6, 12), UserType.SO));
            assertEquals("The new SO PIN must be 6 to 12 characters; got 5", e.getMessage());
            assertEquals(UserType.SO, e.userType());
        }
        assertEquals(UserType.USER, refused(PinPolicy.BANK, "12345", null, null).userType());
        assertEquals("The new user PIN must differ from the current one",
                refused(PinPolicy.BANK, "862491", "862491", null).getMessage());
        assertEquals("No user PIN can satisfy both the policy (6 to 10 characters) and the token (12 to 16)",
                refused(PinPolicy.BANK, "654321", null, token(12, 16)).getMessage());
    }

    @Test
    void tokenRangeNarrowsThePolicy() {
        assertEquals("The new user PIN must be 6 to 8 characters; got 9",
                refused(PinPolicy.BANK, "123456789", null, token(4, 8)).getMessage());
        assertEquals("The new user PIN must be 7 to 10 characters; got 6",
                refused(PinPolicy.BANK, "654321", null, token(7, 255)).getMessage());
        assertEquals(PinPolicyException.Rule.UNSATISFIABLE,
                refused(PinPolicy.BANK, "654321", null, token(12, 16)).rule());
    }

    @Test
    void printableAsciiOnlyAndTheMessageNeverEchoesThePin() {
        PinPolicyException e = refused(PinPolicy.BANK, "pässwörd", null, null);
        assertEquals(PinPolicyException.Rule.CHARACTERS, e.rule());
        assertEquals("The new user PIN must contain only printable ASCII characters; it has a non-ASCII character", e.getMessage());
        assertFalse(e.getMessage().contains("ä"));
        assertEquals("The new user PIN must contain only printable ASCII characters; it has a control character",
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
        assertEquals("The new user PIN must contain only digits; it has a letter", refused(digits, "12345a", null, null).getMessage());
        assertEquals(PinPolicyException.Rule.INITIAL_PIN, refused(digits, "000000", null, null).rule());
        try (Pin ok = Pin.wrap("12345678".toCharArray())) {
            assertDoesNotThrow(() -> digits.check(ok, null, null, UserType.USER), "12345678 is only special to the bank policy");
        }
    }

    private static void accepted(PinPolicy policy, String newPin, TokenInfo t) {
        try (Pin n = Pin.wrap(newPin.toCharArray())) {
            assertDoesNotThrow(() -> policy.check(n, null, t, UserType.USER));
        }
    }

    @Test
    void theRangeMustHoldAtLeastOneLength() {
        assertThrows(IllegalArgumentException.class, () -> new PinPolicy(0, 8, PinCharacters.DIGITS, null));
        assertThrows(IllegalArgumentException.class, () -> new PinPolicy(6, 5, PinCharacters.DIGITS, null));
        PinPolicy exactlySix = new PinPolicy(6, 6, PinCharacters.DIGITS, null);
        accepted(exactlySix, "123456", null);
        assertEquals("The new user PIN must be 6 to 6 characters; got 7", refused(exactlySix, "1234567", null, null).getMessage());
        assertEquals("The new user PIN must be 6 to 6 characters; got 5", refused(exactlySix, "12345", null, null).getMessage());
        accepted(new PinPolicy(1, 1, PinCharacters.DIGITS, null), "7", null);
    }

    @Test
    void aTokenMaximumOfZeroMeansNoLimit() {
        accepted(PinPolicy.BANK, "a1b2c3d4e5", token(0, 0));
        accepted(PinPolicy.BANK, "a1b2c3d4e5", token(6, 10));
        assertEquals("The new user PIN must be 6 to 9 characters; got 10",
                refused(PinPolicy.BANK, "a1b2c3d4e5", null, token(0, 9)).getMessage());
    }

    @Test
    void policyAndTokenRangesMeetingAtOneLengthAllowThatLength() {
        accepted(PinPolicy.BANK, "a1b2c3d4e5", token(10, 16));
        assertEquals("The new user PIN must be 10 to 10 characters; got 9",
                refused(PinPolicy.BANK, "a1b2c3d4e", null, token(10, 16)).getMessage());
        accepted(PinPolicy.BANK, "a1b2c3", token(1, 6));
        PinPolicyException e = refused(PinPolicy.BANK, "a1b2c3", null, token(11, 16));
        assertEquals("No user PIN can satisfy both the policy (6 to 10 characters) and the token (11 to 16)",
                e.getMessage());
    }

    @Test
    void theTokenOnlyRangeHasNoUpperBound() {
        PinPolicy so = PinPolicy.tokenRangeOnly();
        accepted(so, "1", null);
        accepted(so, "x".repeat(300), null);
        assertEquals("The new user PIN must be at least 4 characters; got 3", refused(so, "abc", null, token(4, 0)).getMessage());
        assertEquals(null, so.initialPin());
        accepted(so, "12345678", null);
        assertEquals("PinPolicy[at least 1 printable ASCII characters]", so.toString());
    }

    @Test
    void aRefusedCharacterIsNamedByItsClassOnly() {
        PinPolicy digits = new PinPolicy(6, 8, PinCharacters.DIGITS, null);
        assertEquals("The new user PIN must contain only digits; it has a symbol or space",
                refused(digits, "12345~", null, null).getMessage());
        assertEquals("The new user PIN must contain only digits; it has a symbol or space",
                refused(digits, "12345 ", null, null).getMessage());
        assertEquals("The new user PIN must contain only digits; it has a non-ASCII character",
                refused(digits, "12345\u00a0", null, null).getMessage());
        assertEquals("The new user PIN must contain only digits; it has a control character",
                refused(digits, "12345\u007f", null, null).getMessage());
        PinPolicy letters = new PinPolicy(6, 8, PinCharacters.ALPHANUMERIC, null);
        assertEquals("The new user PIN must contain only ASCII letters and digits; it has a symbol or space",
                refused(letters, "abc12_", null, null).getMessage());
        PinPolicy none = new PinPolicy(1, 8, PinCharacters.DIGITS, null);
        assertEquals("The new user PIN must contain only digits; it has a letter", refused(none, "Z", null, null).getMessage());
    }

    @Test
    void theInitialPinIsCopiedInAndOut() {
        char[] initial = "000000".toCharArray();
        PinPolicy p = PinPolicy.BANK.withInitialPin(initial);
        initial[0] = '9';
        assertArrayEquals("000000".toCharArray(), p.initialPin());
        p.initialPin()[0] = '9';
        assertArrayEquals("000000".toCharArray(), p.initialPin());
        assertEquals(PinPolicyException.Rule.INITIAL_PIN, refused(p, "000000", null, null).rule());
        accepted(p, "12345678", null);
        assertEquals(null, PinPolicy.BANK.withInitialPin(null).initialPin());
        assertEquals("PinPolicy[6 to 10 printable ASCII characters, not the initial PIN]", p.toString());
    }

    @Test
    void equalityIsByValueIncludingTheInitialPin() {
        PinPolicy a = new PinPolicy(6, 10, PinCharacters.PRINTABLE_ASCII, "12345678".toCharArray());
        assertEquals(PinPolicy.BANK, a);
        assertEquals(PinPolicy.BANK.hashCode(), a.hashCode());
        assertNotEquals(PinPolicy.BANK, PinPolicy.BANK.withInitialPin(null));
        assertNotEquals(PinPolicy.BANK.hashCode(), PinPolicy.BANK.withInitialPin("0".toCharArray()).hashCode());
        assertNotEquals(PinPolicy.BANK, new PinPolicy(5, 10, PinCharacters.PRINTABLE_ASCII, "12345678".toCharArray()));
        assertNotEquals(PinPolicy.BANK, new PinPolicy(6, 9, PinCharacters.PRINTABLE_ASCII, "12345678".toCharArray()));
        assertNotEquals(PinPolicy.BANK, new PinPolicy(6, 10, PinCharacters.DIGITS, "12345678".toCharArray()));
        assertNotEquals(PinPolicy.BANK, "PinPolicy");
    }
}
