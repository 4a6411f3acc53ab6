package org.tokenctl.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.ObjectSnapshot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * When undoing an enrollment fails too (the vendor emulator fails the first
 * C_DestroyObject), the report keeps the original error and says what is left.
 */
@ExtendWith(SoftHsmExtension.class)
class RollbackFailureTest {

    @Test
    void aFailedDeleteIsNamedAfterTheOriginalError(SoftHsmFixture f) throws Exception {
        f.initToken("rb", "so-pin-3", "975310");
        ObjectSnapshot before = ObjectSnapshot.of(f, "rb", "975310");
        f.writeEmulatorConfig(Map.of("fault.function", "C_DestroyObject", "fault.call", "1",
                "fault.rv", "CKR_DEVICE_ERROR"));
        IssuanceException down = new IssuanceException("test CA", "the CA is down");
        IncompleteOperationException e;
        try (Pkcs11Module m = Pkcs11Module.open(f.emulatorModule());
             TokenSession s = TestTokens.userSession(m, "rb", "975310")) {
            EnrollmentRequest req = new EnrollmentRequest(KeySpec.EC_P256, KeySpec.EC_P256.signatureAlgorithm(null),
                    null, "rb-key", SubjectName.parse("CN=rb"), null, false);
            e = assertThrows(IncompleteOperationException.class, () -> Enrollment.run(new TokenMedium(s), req,
                    r -> {
                        throw down;
                    }));
        }
        assertSame(down, e.getCause());
        assertTrue(e.getMessage().startsWith("the CA is down; undoing it failed, still on the token: public key id="),
                e.getMessage());
        assertTrue(e.getMessage().contains("(C_DestroyObject: CKR_DEVICE_ERROR)"), e.getMessage());
        assertEquals(1, e.getSuppressed().length);

        // the public key (destroyed first, and failed) is left; the private key is gone
        ObjectSnapshot after = ObjectSnapshot.of(f, "rb", "975310");
        assertEquals(before.size() + 1, after.size(), after.toString());
        assertEquals(1, after.ofKind("Public Key Object").size(), after.toString());
        assertEquals(List.of(), after.ofKind("Private Key Object"));
    }
}
