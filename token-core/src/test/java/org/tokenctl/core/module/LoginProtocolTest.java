package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.pin.FileAttemptGuard;
import org.tokenctl.core.pin.GuardLimits;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinIncorrectException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The login protocol's order on a real token: what is refused before the guard
 * and the token see anything, and what the guard counts.
 */
@ExtendWith(SoftHsmExtension.class)
class LoginProtocolTest {

    private static SoftHsmFixture fixture;

    @BeforeAll
    static void setUp(SoftHsmFixture f) throws Exception {
        fixture = f;
        f.initToken("login", "so-pin-login", "24681357");
    }

    private FileAttemptGuard guard(String name) throws Exception {
        return new FileAttemptGuard(Files.createDirectories(fixture.root().resolve("guards")).resolve(name),
                GuardLimits.BANK, Clock.systemDefaultZone());
    }

    @Test
    void anInvisibleCharacterNeverReachesTheGuardOrTheToken() throws Exception {
        FileAttemptGuard g = guard("invisible");
        try (Pkcs11Module m = Pkcs11Module.open(fixture.softhsmModule())) {
            Token t = m.token(TokenSelector.label("login"));
            for (String bad : new String[] {"\uFEFF24681357", "2468\u202E1357", "2468\u200B1357", "24681357\u00A0"}) {
                try (TokenSession s = t.openSession(false); Pin p = Pin.wrap(bad.toCharArray())) {
                    InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> s.login(UserType.USER, p, LoginOptions.defaults(g)));
                    assertTrue(e.getMessage().contains("no PIN pad can type"), e.getMessage());
                    assertEquals(null, s.loggedInAs());
                }
            }
            // nothing was counted: the guard was never asked
            assertEquals(0, g.records(null).size());
            // and the right PIN still logs in: no try was spent
            try (TokenSession s = t.openSession(false); Pin p = Pin.wrap("24681357".toCharArray())) {
                s.login(UserType.USER, p, LoginOptions.defaults(g));
                assertEquals(UserType.USER, s.loggedInAs());
            }
        }
    }

    @Test
    void aWrongPinIsCountedAndARightOneSettlesTheCount() throws Exception {
        FileAttemptGuard g = guard("counted");
        try (Pkcs11Module m = Pkcs11Module.open(fixture.softhsmModule())) {
            Token t = m.token(TokenSelector.label("login"));
            String serial = t.info().serial();
            try (TokenSession s = t.openSession(false); Pin p = Pin.wrap("13572468".toCharArray())) {
                assertThrows(PinIncorrectException.class, () -> s.login(UserType.USER, p, LoginOptions.defaults(g)));
            }
            assertEquals(1, g.records(serial).get(0).consecutive());
            assertEquals(1, g.records(serial).get(0).daily());
            try (TokenSession s = t.openSession(false); Pin p = Pin.wrap("24681357".toCharArray())) {
                s.login(UserType.USER, p, LoginOptions.defaults(g));
            }
            assertEquals(0, g.records(serial).get(0).consecutive());
            assertEquals(1, g.records(serial).get(0).daily());
        }
    }

    @Test
    void theInitialPinIsRefusedEvenWhenAnotherSessionHoldsTheLogin() throws Exception {
        FileAttemptGuard g = guard("initial");
        try (Pkcs11Module m = Pkcs11Module.open(fixture.softhsmModule())) {
            Token t = m.token(TokenSelector.label("login"));
            try (TokenSession first = t.openSession(false); Pin right = Pin.wrap("24681357".toCharArray());
                 TokenSession second = t.openSession(false); Pin initial = Pin.wrap("12345678".toCharArray())) {
                first.login(UserType.USER, right, LoginOptions.defaults(g));
                assertThrows(InitialPinException.class,
                        () -> second.login(UserType.USER, initial, LoginOptions.defaults(g)));
                assertEquals(null, second.loggedInAs());
            }
        }
    }
}
