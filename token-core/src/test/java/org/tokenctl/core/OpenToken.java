package org.tokenctl.core;

import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A fresh SoftHSM token (made by softhsm2-util) with a read-write session logged
 * in as the user, for a test class's {@code @BeforeAll}; close it in {@code @AfterAll}.
 *
 * @param module the SoftHSM module
 * @param session the logged-in session
 */
public record OpenToken(Pkcs11Module module, TokenSession session) implements AutoCloseable {

    /**
     * @param fixture the test class's fixture
     * @param label the new token's label
     * @param pin its user PIN (the SO PIN is derived from it)
     * @return the open token
     * @throws Exception if anything fails
     */
    public static OpenToken init(SoftHsmFixture fixture, String label, String pin) throws Exception {
        fixture.initToken(label, "so-" + pin, pin);
        return open(fixture, label, pin);
    }

    /**
     * @param fixture the test class's fixture
     * @param label an existing token's label
     * @param pin its user PIN
     * @return the open token
     * @throws Exception if anything fails
     */
    public static OpenToken open(SoftHsmFixture fixture, String label, String pin) throws Exception {
        Pkcs11Module module = Pkcs11Module.open(fixture.softhsmModule());
        return new OpenToken(module, TestTokens.userSession(module, label, pin));
    }

    @Override
    public void close() {
        session.close();
        module.close();
    }
}
