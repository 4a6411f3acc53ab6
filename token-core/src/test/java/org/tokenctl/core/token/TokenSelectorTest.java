package org.tokenctl.core.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TokenSelectorTest {

    private static Slot slot(long id, String label, String serial) {
        TokenInfo t = label == null ? null : new TokenInfo(label, "m", "model", serial,
                Set.of(TokenFlag.TOKEN_INITIALIZED), 4, 255, new Memory(null, null, null, null), "1.0", "1.0");
        return new Slot(id, "slot " + id, "m", t != null, false, false, t);
    }

    private final List<Slot> slots = List.of(slot(1, "bank-a", "AAA1"), slot(2, "bank-b", "BBB2"), slot(3, null, null));

    @Test
    void selectsByLabelSerialAndSlot() throws Exception {
        assertEquals(2, TokenSelector.label("bank-b").select(slots).id());
        assertEquals(1, TokenSelector.serial("aaa1").select(slots).id());
        assertEquals(1, TokenSelector.slot(1).select(slots).id());
    }

    @Test
    void labelNotFoundListsWhatWasFound() {
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.label("ci").select(slots));
        assertEquals(TokenSelectionException.Reason.NOT_FOUND, e.reason());
        assertEquals("No token labelled 'ci' (found: bank-a [AAA1], bank-b [BBB2])", e.getMessage());
        assertEquals(List.of("bank-a", "bank-b"), e.foundLabels());
    }

    @Test
    void onlyTokenRefusesToGuessAmongSeveral() {
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyToken().select(slots));
        assertEquals(TokenSelectionException.Reason.AMBIGUOUS, e.reason());
        assertTrue(e.getMessage().contains("bank-a") && e.getMessage().contains("bank-b"), e.getMessage());
    }

    @Test
    void emptySlotAndNoTokens() {
        assertEquals(TokenSelectionException.Reason.NO_TOKEN_IN_SLOT,
                assertThrows(TokenSelectionException.class, () -> TokenSelector.slot(3).select(slots)).reason());
        assertEquals(TokenSelectionException.Reason.NO_TOKEN_PRESENT, assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyToken().select(List.of(slot(3, null, null)))).reason());
        assertEquals(TokenSelectionException.Reason.NOT_FOUND,
                assertThrows(TokenSelectionException.class, () -> TokenSelector.slot(99).select(slots)).reason());
    }

    @Test
    void flagsDecodeIntoPinStates() {
        TokenInfo t = new TokenInfo("x", "m", "model", "s", TokenFlag.decode(0x00020000L | 0x00400000L | 0x400L),
                6, 10, new Memory(null, null, null, null), "1.0", "1.0");
        assertEquals(PinState.FINAL_TRY, t.userPin().state());
        assertEquals(PinState.LOCKED, t.soPin().state());
        assertEquals("userPinFinalTry", TokenFlag.USER_PIN_FINAL_TRY.camelName());
        assertEquals("CKF_SO_PIN_LOCKED", TokenFlag.SO_PIN_LOCKED.pkcs11Name());
    }
}
