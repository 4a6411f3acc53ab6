package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * SoftHSM reads its token store once, at C_Initialize. A token another process
 * initialised afterwards (or was rewriting at that moment) is still found by
 * label or serial, because selection re-initialises the module once nothing
 * else depends on the initialisation, and only then.
 */
@ExtendWith(SoftHsmExtension.class)
class RescanTest {

    private static List<String> labels(Pkcs11Module m) throws Exception {
        return m.slots().stream().filter(s -> s.token() != null && s.token().initialized())
                .map(s -> s.token().label()).collect(Collectors.toList());
    }

    @Test
    void aTokenInitialisedByAnotherProcessIsFoundByLabelAndBySerial(SoftHsmFixture f) throws Exception {
        f.initToken("early", "so-secret-1", "31415926");
        try (Pkcs11Module m = Pkcs11Module.open(f.softhsmModule())) {
            assertTrue(labels(m).contains("early"), labels(m).toString());
            String serial = f.initToken("late", "so-secret-2", "27182818");
            assertFalse(labels(m).contains("late"), "the premise: SoftHSM listed its store at C_Initialize only");

            Token late = m.token(TokenSelector.label("late"));
            assertEquals(serial, late.info().serial());
            assertTrue(labels(m).containsAll(List.of("early", "late")), labels(m).toString());
        }
        try (Pkcs11Module m = Pkcs11Module.open(f.softhsmModule())) {
            String serial = f.initToken("later", "so-secret-3", "16180339");
            assertEquals("later", m.token(TokenSelector.serial(serial)).info().label());
        }
    }

    @Test
    void noReinitialisationOnceATokenHandleIsOut(SoftHsmFixture f) throws Exception {
        f.initToken("held", "so-secret-4", "31415926");
        try (Pkcs11Module m = Pkcs11Module.open(f.softhsmModule())) {
            Token held = m.token(TokenSelector.label("held"));
            try (TokenSession session = held.openSession(false)) {
                f.initToken("unseen", "so-secret-5", "27182818");
                TokenSelectionException e = assertThrows(TokenSelectionException.class,
                        () -> m.token(TokenSelector.label("unseen")));
                assertEquals(TokenSelectionException.Reason.NOT_FOUND, e.reason());
                assertEquals("held", held.info().label(), "the session's module was left alone");
                assertEquals(0, session.find(new Attributes()).length,
                        "the open session still answers");
            }
        }
    }

    @Test
    void noReinitialisationWhileAnotherHandleSharesTheModule(SoftHsmFixture f) throws Exception {
        try (Pkcs11Module first = Pkcs11Module.open(f.softhsmModule());
                Pkcs11Module second = Pkcs11Module.open(f.softhsmModule())) {
            f.initToken("elsewhere", "so-secret-6", "31415926");
            assertThrows(TokenSelectionException.class, () -> second.token(TokenSelector.label("elsewhere")));
            List<Slot> slots = first.slots();
            assertFalse(slots.isEmpty());
        }
    }
}
