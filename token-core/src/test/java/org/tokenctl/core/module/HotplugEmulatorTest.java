package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The vendor emulator's hot-plug (hotplug.present): reader slots whose tokens are
 * plugged and pulled by writing a file, slot events through C_WaitForSlotEvent, and
 * the answers a real module gives on a pulled token's sessions. What the library
 * reads is compared with pkcs11-tool's {@code --list-slots} between the events.
 */
@ExtendWith(SoftHsmExtension.class)
class HotplugEmulatorTest {

    private static final String PIN = "13572468";

    private static void plug(Path present, String... labels) throws Exception {
        // written whole and renamed, as a test driver should: the emulator never reads half a file
        Path tmp = present.resolveSibling(present.getFileName() + ".tmp");
        Files.writeString(tmp, String.join("\n", labels) + (labels.length > 0 ? "\n" : ""));
        Files.move(tmp, present, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String listSlots(SoftHsmFixture f, Path module) {
        return f.pkcs11Tool(module, "--list-slots").assertOk().stdout();
    }

    private static String presentLabels(Pkcs11Module m) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Slot s : m.slots()) {
            sb.append(s.id()).append('=').append(s.token() == null ? "-" : s.token().label()).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void tokensArePluggedAndPulledThroughTheFile(SoftHsmFixture f) throws Exception {
        f.initTokens(List.of("hp-aa", "hp-bb", "hp-cc"), "so-pin-hp", PIN);
        Path present = f.root().resolve("present.txt");
        Path module = f.emulateProfile("softhsm", Map.of("hotplug.present", present.toString(), "hotplug.ports",
                "3"));
        assertTrue(listSlots(f, module).contains("(empty)"));
        try (Pkcs11Module m = Pkcs11Module.open(module)) {
            assertEquals("1=- 2=- 3=-", presentLabels(m), "no file: nothing plugged in");
            List<Slot> slots = m.slots();
            assertTrue(slots.stream().allMatch(s -> s.removable() && s.hardware() && !s.tokenPresent()), slots.toString());
            assertEquals(OptionalLong.empty(), m.waitForSlotEvent(true), "nothing happened yet");

            // plugged: a blocking wait sees it (a label without such a token is ignored)
            CompletableFuture<OptionalLong> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return m.waitForSlotEvent(false);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Thread.sleep(100);
            assertFalse(waiting.isDone(), "it waits");
            plug(present, "hp-bb", "no-such-token");
            assertEquals(OptionalLong.of(1), waiting.get(5, TimeUnit.SECONDS));
            assertEquals(OptionalLong.empty(), m.waitForSlotEvent(true), "each event once");
            assertEquals("1=hp-bb 2=- 3=-", presentLabels(m));
            String listed = listSlots(f, module);
            assertTrue(listed.contains("token label        : hp-bb") && !listed.contains("hp-aa"), listed);

            // a session on it, logged in; another token joins in the next port
            Token bb = m.token(m.slot(1));
            TokenSession s = bb.openSession(false);
            try (Pin pin = Pin.wrap(PIN.toCharArray())) {
                s.login(UserType.USER, pin, LoginOptions.defaults(AttemptGuard.disabled()));
            }
            String bbSerial = m.slot(1).token().serial();
            assertEquals(bbSerial, s.tokenSerial(), "the serial the login read");
            s.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY));
            plug(present, "hp-bb", "hp-cc");
            assertEquals(OptionalLong.of(2), m.waitForSlotEvent(false));
            assertEquals("1=hp-bb 2=hp-cc 3=-", presentLabels(m));

            // pulled: its session answers CKR_DEVICE_REMOVED, its slot is empty, the other stays where it is
            plug(present, "hp-cc");
            assertEquals(OptionalLong.of(1), m.waitForSlotEvent(false));
            Pkcs11CallException removed = assertThrows(Pkcs11CallException.class,
                    () -> s.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY)));
            assertEquals(Pkcs11.CKR_DEVICE_REMOVED, removed.ckr());
            assertEquals("1=- 2=hp-cc 3=-", presentLabels(m));
            assertEquals(Pkcs11.CKR_TOKEN_NOT_PRESENT, assertThrows(Pkcs11CallException.class,
                    () -> bb.openSession(false)).ckr());
            assertTrue(listSlots(f, module).contains("(empty)"));

            // back in the first free port: the old session is gone for good, a new one works
            plug(present, "hp-cc", "hp-bb");
            assertEquals(OptionalLong.of(1), m.waitForSlotEvent(false));
            assertEquals(Pkcs11.CKR_SESSION_HANDLE_INVALID, assertThrows(Pkcs11CallException.class,
                    () -> s.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY))).ckr());
            try (TokenSession again = m.token(m.slot(1)).openSession(false)) {
                assertEquals("hp-bb", m.slot(1).token().label());
                assertEquals(bbSerial, again.tokenSerial(), "read for a session that did not log in");
                try (TokenSession cc = m.token(m.slot(2)).openSession(false)) {
                    assertEquals(m.slot(2).token().serial(), cc.tokenSerial());
                    assertFalse(bbSerial.equals(cc.tokenSerial()), "each token its own");
                }
                again.find(Attributes.ofClass(Pkcs11.CKO_CERTIFICATE));
            }
            // a file that goes away: everything is pulled
            Files.delete(present);
            assertEquals(OptionalLong.of(1), m.waitForSlotEvent(false));
            assertEquals(OptionalLong.of(2), m.waitForSlotEvent(false));
            assertEquals("1=- 2=- 3=-", presentLabels(m));
        }
    }

    @Test
    void closingTheModuleEndsAWaitAndSoftHsmHasNoSlotEvents(SoftHsmFixture f) throws Exception {
        f.initToken("hp-dd", "so-pin-hp", PIN);
        Path present = Files.writeString(f.root().resolve("present.txt"), "hp-dd\n");
        Path module = f.emulateProfile("softhsm", Map.of("hotplug.present", present.toString()));
        Pkcs11Module m = Pkcs11Module.open(module);
        assertEquals("1=hp-dd 2=- 3=- 4=-", presentLabels(m), "four ports by default; present at start: no event");
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return m.waitForSlotEvent(false);
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(100);
        m.close();
        Object ended = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(ended instanceof Pkcs11CallException p && p.ckr() == org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CRYPTOKI_NOT_INITIALIZED,
                String.valueOf(ended));

        try (Pkcs11Module soft = Pkcs11Module.open(f.softhsmModule())) {
            // SoftHSM 2.6 answers a non-blocking call CKR_NO_EVENT, and a blocking one not supported
            assertEquals(OptionalLong.empty(), soft.waitForSlotEvent(true));
            assertThrows(UnsupportedByTokenException.class, () -> soft.waitForSlotEvent(false));
        }
    }
}
