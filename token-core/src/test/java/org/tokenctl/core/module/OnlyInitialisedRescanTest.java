package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The default selection of commands that need an initialised token is looked for
 * again, like a label, when SoftHSM listed no initialised token at C_Initialize
 * (its own class: it needs a token store that starts with the free slot only).
 */
@ExtendWith(SoftHsmExtension.class)
class OnlyInitialisedRescanTest {

    @Test
    void aTokenInitialisedByAnotherProcessIsTheOnlyInitialisedOne(SoftHsmFixture f) throws Exception {
        try (Pkcs11Module m = Pkcs11Module.open(f.softhsmModule())) {
            TokenSelectionException none = assertThrows(TokenSelectionException.class,
                    () -> TokenSelector.onlyInitializedToken().select(m.slots()));
            assertEquals(TokenSelectionException.Reason.NOT_FOUND, none.reason(), none.getMessage());

            String serial = f.initToken("late", "so-secret-1", "31415926");
            assertThrows(TokenSelectionException.class, () -> TokenSelector.onlyInitializedToken().select(m.slots()),
                    "the premise: SoftHSM listed its store at C_Initialize only");
            Token late = m.token(TokenSelector.onlyInitializedToken());
            assertEquals(serial, late.info().serial());
        }
    }
}
