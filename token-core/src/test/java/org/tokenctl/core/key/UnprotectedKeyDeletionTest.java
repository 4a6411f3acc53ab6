package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The library path of {@link TokenKeyGenerator#generate} on a token that ignores
 * CKA_UNWRAP=false in the template (the vendor emulator's {@code keygen.ignore}): the
 * exception carries the requirement and the reported value, and pkcs11-tool finds the
 * token's objects exactly as before.
 */
@ExtendWith(SoftHsmExtension.class)
class UnprotectedKeyDeletionTest {

    @Test
    void aPairTheTokenDidNotProtectIsDeletedBeforeTheExceptionIsThrown(SoftHsmFixture f) throws Exception {
        f.initToken("uk", "so-pin-4", "864213");
        ObjectSnapshot before = ObjectSnapshot.of(f, "uk", "864213");
        f.writeEmulatorConfig(Map.of("softhsm.module", f.softhsmModule().toString(),
                "keygen.ignore", "CKA_UNWRAP"));
        UnprotectedKeyException e;
        try (Pkcs11Module m = Pkcs11Module.open(f.emulatorModule());
             TokenSession s = TestTokens.userSession(m, "uk", "864213")) {
            e = assertThrows(UnprotectedKeyException.class, () -> TokenKeyGenerator.generate(s, KeySpec.EC_P256,
                    KeySpec.EC_P256.signatureAlgorithm(null), null, "uk-key"));
        }
        assertEquals(KeyProtection.UNWRAP, e.violated());
        assertEquals(Boolean.TRUE, e.reported());
        assertTrue(e.getMessage().endsWith("; the key pair was deleted"), e.getMessage());
        assertEquals(before, ObjectSnapshot.of(f, "uk", "864213"));
    }
}
