package org.tokenctl.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.objects.PrivateKeyAttributes;

/** The read-back rules for a non-exportable private key. */
class KeyProtectionTest {

    private static PrivateKeyAttributes good() {
        return new PrivateKeyAttributes(true, true, false, true, true, true, false, false, false, false);
    }

    @Test
    void aProperKeyMeetsEveryRequirement() {
        assertEquals(List.of(), KeyProtection.violations(good()));
    }

    @Test
    void eachDeviationIsNamedWithTheAttribute() {
        assertEquals(List.of(KeyProtection.EXTRACTABLE), KeyProtection.violations(
                new PrivateKeyAttributes(true, true, true, true, true, true, false, false, false, false)));
        assertEquals(List.of(KeyProtection.LOCAL, KeyProtection.DECRYPT), KeyProtection.violations(
                new PrivateKeyAttributes(true, true, false, true, false, true, false, true, false, false)));
        // an attribute the token does not report is not taken on trust
        assertEquals(List.of(KeyProtection.ALWAYS_SENSITIVE), KeyProtection.violations(
                new PrivateKeyAttributes(true, null, false, true, true, true, false, false, false, false)));
        assertEquals(List.of(KeyProtection.UNWRAP, KeyProtection.DERIVE), KeyProtection.violations(
                new PrivateKeyAttributes(true, true, false, true, true, true, false, false, true, true)));
        PrivateKeyAttributes recovers = new PrivateKeyAttributes(true, true, false, true, true, true, true, false,
                false, false);
        assertEquals(List.of(KeyProtection.SIGN_RECOVER), KeyProtection.violations(recovers));
        assertEquals(List.of(), KeyProtection.violations(recovers, true));
        assertEquals(List.of(KeyProtection.SIGN_RECOVER), KeyProtection.violations(
                new PrivateKeyAttributes(true, true, false, true, true, true, null, false, false, false)));
    }

    @Test
    void theExceptionNamesTheAttributeAndWhatTheTokenSaid() {
        UnprotectedKeyException e = new UnprotectedKeyException(KeyProtection.NEVER_EXTRACTABLE, false, true);
        assertEquals("CKA_NEVER_EXTRACTABLE", e.capability());
        assertEquals("The token did not honour CKA_NEVER_EXTRACTABLE=true for the new private key (it reports false);"
                + " the key pair was deleted", e.getMessage());
        assertEquals("The token did not honour CKA_SENSITIVE=true for the new private key (it reports nothing)",
                new UnprotectedKeyException(KeyProtection.SENSITIVE, null, false).getMessage());
    }
}
