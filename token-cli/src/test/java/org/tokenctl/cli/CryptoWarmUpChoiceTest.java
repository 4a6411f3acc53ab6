package org.tokenctl.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which command lines start the crypto warm-up (issue 7): those that will do software crypto. */
class CryptoWarmUpChoiceTest {

    @Test
    void commandsThatSignOrVerifyInSoftwareWarmUp() {
        assertTrue(Main.needsCrypto(new String[] {"enroll", "--label", "k"}));
        assertTrue(Main.needsCrypto(new String[] {"-v", "batch-enroll", "--json"}));
        assertTrue(Main.needsCrypto(new String[] {"import-cert", "--cert", "c.pem"}));
        assertTrue(Main.needsCrypto(new String[] {"ca", "init"}));
    }

    @Test
    void otherCommandsAndHelpDoNot() {
        assertFalse(Main.needsCrypto(new String[] {"list"}));
        assertFalse(Main.needsCrypto(new String[] {"change-pin"}));
        assertFalse(Main.needsCrypto(new String[] {"enroll", "--help"}));
        assertFalse(Main.needsCrypto(new String[] {"--version"}));
        assertFalse(Main.needsCrypto(new String[0]));
    }
}
