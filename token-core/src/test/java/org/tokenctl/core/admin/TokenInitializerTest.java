package org.tokenctl.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinIncorrectException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Initialises a real SoftHSM token through token-core and checks it with pkcs11-tool. */
@ExtendWith(SoftHsmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenInitializerTest {

    private static final LoginOptions OPTIONS = LoginOptions.defaults(AttemptGuard.disabled());
    private static SoftHsmFixture fixture;
    private static Pkcs11Module module;

    @BeforeAll
    static void open(SoftHsmFixture f) throws Exception {
        fixture = f;
        module = Pkcs11Module.open(f.softhsmModule());
    }

    @AfterAll
    static void close() {
        module.close();
    }

    private static Pin pin(String s) {
        return Pin.wrap(s.toCharArray());
    }

    private static Slot freeSlot() throws Exception {
        return module.slots().stream().filter(s -> s.token() != null && !s.token().initialized())
                .findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void initialisesAFreeTokenWithLabelSoPinAndUserPin() throws Exception {
        Token token = module.token(freeSlot());
        TokenInfo info;
        try (Pin so = pin("so-secret-1"); Pin user = pin("12345678")) {
            info = TokenInitializer.initialize(token, so, "alice", user, OPTIONS).after();
        }
        assertEquals("alice", info.label());
        assertFalse(info.serial().isEmpty());
        assertTrue(info.has(TokenFlag.TOKEN_INITIALIZED));
        assertTrue(info.has(TokenFlag.USER_PIN_INITIALIZED));
        // an independent tool sees the same token
        String out = fixture.pkcs11Tool("--list-token-slots").assertOk().stdout();
        assertTrue(out.contains("token label        : alice"), out);
        assertTrue(out.contains("serial num         : " + info.serial()), out);
        assertTrue(out.contains("PIN initialized"), out);
    }

    @Test
    @Order(2)
    void labelTooLongIsRefusedBeforeTheTokenIsTouched() throws Exception {
        Token token = module.token(TokenSelector.label("alice"));
        String serial = token.info().serial();
        try (Pin so = pin("so-secret-1"); Pin user = pin("12345678")) {
            assertThrows(InvalidInputException.class,
                    () -> TokenInitializer.initialize(token, so, "x".repeat(33), user, OPTIONS));
        }
        assertEquals("alice", token.info().label());
        assertEquals(serial, token.info().serial());
    }

    @Test
    @Order(3)
    void wrongSoPinOnAnInitialisedTokenLeavesItAsItWas() throws Exception {
        Path data = Files.writeString(fixture.root().resolve("data.bin"), "keep me");
        fixture.pkcs11Tool("--token-label", "alice", "--login", "--pin", "12345678", "--write-object",
                data.toString(), "--type", "data", "--label", "keep").assertOk();
        Token token = module.token(TokenSelector.label("alice"));
        try (Pin so = pin("wrong-so-pin"); Pin user = pin("12345678")) {
            PinIncorrectException e = assertThrows(PinIncorrectException.class,
                    () -> TokenInitializer.initialize(token, so, "mallory", user, OPTIONS));
            assertEquals(UserType.SO, e.userType());
        }
        assertEquals("alice", token.info().label());
        String objects = fixture.pkcs11Tool("--token-label", "alice", "--login", "--pin", "12345678",
                "--list-objects").assertOk().stdout();
        assertTrue(objects.contains("keep"), objects);
    }

    @Test
    @Order(4)
    void listsPublicObjectsWithoutLoginAndPrivateOnesAfter() throws Exception {
        fixture.pkcs11Tool("--token-label", "alice", "--login", "--pin", "12345678", "--keypairgen",
                "--key-type", "EC:prime256v1", "--id", "a1b2", "--label", "k1").assertOk();
        Token token = module.token(TokenSelector.label("alice"));
        try (TokenSession s = token.openSession(false)) {
            List<ObjectClass> publicOnly = ObjectLister.list(s).stream().map(TokenObject::objectClass)
                    .collect(Collectors.toList());
            assertTrue(publicOnly.contains(ObjectClass.PUBLIC_KEY), publicOnly.toString());
            assertFalse(publicOnly.contains(ObjectClass.PRIVATE_KEY), publicOnly.toString());
        }
        try (TokenSession s = token.openSession(false); Pin user = pin("12345678")) {
            // the bank's initial PIN is refused for a user login by default...
            assertThrows(InitialPinException.class, () -> s.login(UserType.USER, user, OPTIONS));
            // ...and allowed when the caller says so
            s.login(UserType.USER, user, OPTIONS.withInitialPin(null));
            TokenObject key = ObjectLister.list(s).stream().filter(o -> o.objectClass() == ObjectClass.PRIVATE_KEY)
                    .findFirst().orElseThrow();
            assertEquals("k1", key.label());
            assertEquals("a1b2", key.id().hex());
            assertEquals("EC", key.key().type());
            assertEquals(256, key.key().bits());
            assertEquals("prime256v1", key.key().curve());
            assertNotNull(key.privateKey());
            assertTrue(key.privateKey().sensitive());
            assertNull(key.certificate());
        }
    }
}
