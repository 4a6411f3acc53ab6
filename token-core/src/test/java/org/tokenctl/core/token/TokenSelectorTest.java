package org.tokenctl.core.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;

class TokenSelectorTest {

    private static Slot slot(long id, String label, String serial) {
        TokenInfo t = label == null ? null : new TokenInfo(label, "m", "model", serial,
                Set.of(TokenFlag.TOKEN_INITIALIZED), 4, 255, new Memory(null, null, null, null), "1.0", "1.0");
        return new Slot(id, "slot " + id, "m", t != null, false, false, t);
    }

    /** A token present but not initialised, as SoftHSM shows its free slot: empty label and serial. */
    private static Slot blank(long id) {
        TokenInfo t = new TokenInfo("", "m", "model", "", Set.of(), 4, 255, new Memory(null, null, null, null),
                "1.0", "1.0");
        return new Slot(id, "slot " + id, "m", true, false, false, t);
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

    /** Issue 2: SoftHSM's free slot beside the one initialised token. */
    @Test
    void onlyInitialisedTokenLooksPastUninitialisedOnes() throws Exception {
        List<Slot> softhsm = List.of(slot(7, "alice", "AAA1"), blank(8));
        assertEquals(7, TokenSelector.onlyInitializedToken().select(softhsm).id());
        assertEquals(7, TokenSelector.onlyInitializedToken().select(List.of(blank(0), slot(7, "alice", "AAA1"),
                blank(9))).id());
        assertEquals(7, TokenSelector.onlyInitializedToken().select(List.of(slot(7, "alice", "AAA1"))).id());
        // the only token present, as init's default, still counts the free slot
        assertEquals(TokenSelectionException.Reason.AMBIGUOUS, assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyToken().select(softhsm)).reason());
        assertEquals(8, TokenSelector.onlyToken().select(List.of(blank(8))).id());
    }

    @Test
    void severalInitialisedTokensAreListedAndTheFreeSlotIsNot() {
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyInitializedToken().select(List.of(slot(1, "bank-a", "AAA1"), blank(4),
                        slot(2, "bank-b", "BBB2"))));
        assertEquals(TokenSelectionException.Reason.AMBIGUOUS, e.reason());
        assertEquals("2 tokens initialised; name one by slot, label or serial (found: bank-a [AAA1], bank-b [BBB2])",
                e.getMessage());
        assertEquals(List.of("bank-a", "bank-b"), e.foundLabels());
    }

    @Test
    void noInitialisedTokenSaysSoAndListsTheUninitialisedOnes() {
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyInitializedToken().select(List.of(blank(8), slot(3, null, null))));
        assertEquals(TokenSelectionException.Reason.NOT_FOUND, e.reason());
        assertEquals(TokenSelector.Kind.ONLY_INITIALIZED, e.selector().kind());
        assertEquals("No token initialised (found: (uninitialised token in slot 8))", e.getMessage());
        assertEquals(TokenSelectionException.Reason.NO_TOKEN_PRESENT, assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyInitializedToken().select(List.of(slot(3, null, null)))).reason());
    }

    /** An empty label or serial is refused before any slot is looked at: it could only name a free slot. */
    @Test
    void emptyLabelOrSerialIsInvalidInput() {
        for (String empty : new String[] {"", " "}) {
            InvalidInputException l = assertThrows(InvalidInputException.class, () -> TokenSelector.label(empty));
            assertEquals("token-label", l.field());
            assertEquals("A token label to select by must not be empty (a token without one is selected by slot)",
                    l.getMessage());
            assertEquals("serial", assertThrows(InvalidInputException.class, () -> TokenSelector.serial(empty))
                    .field());
        }
    }

    /** A label never names an uninitialised token, whatever the module shows for it; a factory serial does. */
    @Test
    void labelNeverMatchesAnUninitialisedTokenButItsSerialDoes() throws Exception {
        TokenInfo shown = new TokenInfo("card", "m", "model", "C0FFEE", Set.of(), 4, 255,
                new Memory(null, null, null, null), "1.0", "1.0");
        Slot blankCard = new Slot(5, "reader", "m", true, true, false, shown);
        List<Slot> present = List.of(slot(7, "alice", "AAA1"), blankCard);
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.label("card").select(present));
        assertEquals(TokenSelectionException.Reason.NOT_FOUND, e.reason());
        assertEquals("No token labelled 'card' (found: (uninitialised token in slot 5), alice [AAA1])", e.getMessage());
        assertEquals(5, TokenSelector.serial("c0ffee").select(present).id(), "a blank card by its factory serial");
        // by slot it is still reachable, for init
        assertEquals(5, TokenSelector.slot(5).select(present).id());
        assertEquals(7, TokenSelector.label("alice").select(present).id());
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

    private static TokenInfo flagged(TokenFlag... flags) {
        return new TokenInfo("x", "m", "model", "s", Set.of(flags), 6, 10, new Memory(null, null, null, null),
                "1.0", "1.0");
    }

    @Test
    void eachPinStateComesFromItsOwnFlags() {
        assertEquals(PinState.OK, flagged(TokenFlag.TOKEN_INITIALIZED).userPin().state());
        assertEquals(PinState.COUNT_LOW, flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.USER_PIN_COUNT_LOW)
                .userPin().state());
        assertEquals(PinState.LOCKED, flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.USER_PIN_LOCKED,
                TokenFlag.USER_PIN_FINAL_TRY).userPin().state(), "locked outranks final try");
        assertEquals(PinState.FINAL_TRY, flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.SO_PIN_FINAL_TRY,
                TokenFlag.SO_PIN_COUNT_LOW).soPin().state(), "final try outranks count low");
        assertEquals(PinState.COUNT_LOW, flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.SO_PIN_COUNT_LOW)
                .soPin().state());
        assertEquals(PinState.OK, flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.USER_PIN_LOCKED).soPin().state());
        assertTrue(flagged(TokenFlag.TOKEN_INITIALIZED, TokenFlag.SO_PIN_TO_BE_CHANGED).soPin().toBeChanged());
        assertTrue(flagged(TokenFlag.TOKEN_INITIALIZED).soPin().initialized());
        // before C_InitToken there is no SO PIN, whatever SoftHSM's flags say
        PinStatus blank = flagged(TokenFlag.SO_PIN_LOCKED, TokenFlag.SO_PIN_TO_BE_CHANGED).soPin();
        assertEquals(PinState.OK, blank.state());
        assertEquals(false, blank.toBeChanged());
        assertEquals(false, blank.initialized());
    }

    @Test
    void flagMasksAreThePkcs11Bits() {
        assertEquals(0x00000400L, TokenFlag.TOKEN_INITIALIZED.mask());
        assertEquals(0x00010000L, TokenFlag.USER_PIN_COUNT_LOW.mask());
        assertEquals(0x00400000L, TokenFlag.SO_PIN_LOCKED.mask());
        for (TokenFlag f : TokenFlag.values()) {
            assertEquals(Set.of(f), TokenFlag.decode(f.mask()), f.pkcs11Name());
        }
    }

    @Test
    void slotsAndSelectorsDescribeThemselves() throws Exception {
        assertEquals("slot 3 (no token)", slot(3, null, null).describe());
        assertEquals("slot 1 'bank-a' (serial AAA1)", slot(1, "bank-a", "AAA1").describe());
        assertEquals("slot 8 ''", blank(8).describe());
        assertEquals("token in slot 4", TokenSelector.slot(4).toString());
        assertEquals("4", TokenSelector.slot(4).value());
        assertEquals("token labelled 'ci'", TokenSelector.label("ci").toString());
        assertEquals("ci", TokenSelector.label("ci").value());
        assertEquals("token with serial AAA1", TokenSelector.serial("AAA1").toString());
        assertEquals("AAA1", TokenSelector.serial("AAA1").value());
        assertEquals("token initialised", TokenSelector.onlyInitializedToken().toString());
        assertEquals("token present", TokenSelector.onlyToken().toString());
        assertEquals(null, TokenSelector.onlyToken().value());
    }

    @Test
    void selectionFailuresNameWhatWasAskedAndFound() {
        TokenSelectionException bySerial = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.serial("ZZZ9").select(slots));
        assertEquals("No token with serial ZZZ9 (found: bank-a [AAA1], bank-b [BBB2])", bySerial.getMessage());
        assertEquals(2, bySerial.found().size());
        assertEquals(org.tokenctl.core.Failure.TOKEN_SELECTION, bySerial.failure());
        assertEquals("No token in slot 3 (found: bank-a [AAA1], bank-b [BBB2])", assertThrows(
                TokenSelectionException.class, () -> TokenSelector.slot(3).select(slots)).getMessage());
        assertEquals("No token in slot 3", assertThrows(TokenSelectionException.class,
                () -> TokenSelector.slot(3).select(List.of(slot(3, null, null)))).getMessage());
        assertEquals("No token present", assertThrows(TokenSelectionException.class,
                () -> TokenSelector.onlyToken().select(List.of())).getMessage());
        assertEquals("2 tokens present; name one by slot, label or serial (found: bank-a [AAA1], bank-b [BBB2])",
                assertThrows(TokenSelectionException.class, () -> TokenSelector.onlyToken().select(slots))
                        .getMessage());
        TokenSelectionException twice = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.label("same").select(List.of(slot(1, "same", "A"), slot(2, "same", "B"))));
        assertEquals(TokenSelectionException.Reason.AMBIGUOUS, twice.reason());
        assertEquals("2 tokens labelled 'same'; name one by slot, label or serial (found: same [A], same [B])",
                twice.getMessage());
    }

    /** RFC 7512 URIs select as --token-label does: an uninitialised token only by its slot or serial. */
    @Test
    void aUriSelectsTheTokenItNames() throws Exception {
        List<Slot> softhsm = List.of(slot(1, "bank-a", "AAA1"), slot(2, "bank-b", "BBB2"), blank(8));
        TokenSelector byLabel = TokenSelector.uri(org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:token=bank-b;object=k"));
        assertEquals(2, byLabel.select(softhsm).id());
        assertEquals("matching pkcs11:token=bank-b", byLabel.describe(), "the token's part only");
        assertEquals(1, TokenSelector.uri(org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:serial=aaa1"))
                .select(softhsm).id());
        // the model matches all three; the blank one is out (no slot or serial named), so two remain
        TokenSelectionException e = assertThrows(TokenSelectionException.class,
                () -> TokenSelector.uri(org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:model=model")).select(softhsm));
        assertEquals(TokenSelectionException.Reason.AMBIGUOUS, e.reason());
        assertEquals(8, TokenSelector.uri(org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:model=model;slot-id=8"))
                .select(softhsm).id(), "named by its slot, the blank token is the one");
        assertEquals(1, TokenSelector.uri(org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:model=model"))
                .select(List.of(slot(1, "bank-a", "AAA1"), blank(8))).id());
        assertThrows(TokenSelectionException.class, () -> TokenSelector.uri(
                org.tokenctl.core.uri.Pkcs11Uri.parse("pkcs11:token=nobody")).select(softhsm));
        assertThrows(NullPointerException.class, () -> TokenSelector.uri(null));
    }
}
