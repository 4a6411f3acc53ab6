package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenctl.softhsm.emulator.EmulatorToken.SO_PIN;
import static org.tokenctl.softhsm.emulator.EmulatorToken.USER_PIN;
import static org.tokenctl.softhsm.emulator.EmulatorToken.WRONG_PIN;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry counter SoftHSM lacks: wrong PINs count per token serial, across processes
 * (every pkcs11-tool run is a new process), and lock the PIN as a bank token does.
 */
class PinRetryCounterTest {

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void sixWrongLoginsLockTheUserPinUntilTheSoSetsANewOne() throws Exception {
    token.configure("pin.retries = 6");
    assertFalse(token.flags().has(TokenFlags.USER_COUNT_LOW), "fresh token");

    for (int attempt = 1; attempt <= 6; attempt++) {
      token.wrongUserLogin();
      TokenFlags flags = token.flags();
      assertEquals(attempt, token.storedCount("user"), "stored count after attempt " + attempt);
      if (attempt < 6) {
        assertTrue(flags.has(TokenFlags.USER_COUNT_LOW), "attempt " + attempt + ": " + flags);
        assertEquals(attempt == 5, flags.has(TokenFlags.USER_FINAL_TRY), "attempt " + attempt + ": " + flags);
        assertFalse(flags.has(TokenFlags.USER_LOCKED), "attempt " + attempt + ": " + flags);
      } else {
        assertTrue(flags.has(TokenFlags.USER_LOCKED), flags.toString());
        assertFalse(flags.has(TokenFlags.USER_COUNT_LOW), "LOCKED clears COUNT_LOW: " + flags);
        assertFalse(flags.has(TokenFlags.USER_FINAL_TRY), "LOCKED clears FINAL_TRY: " + flags);
      }
    }

    ToolResult correct = token.pkcs11Tool("--login", "--pin", USER_PIN, "--list-objects");
    assertEquals(1, correct.exitCode(), correct::describe);
    assertTrue(correct.output().contains("CKR_PIN_LOCKED"), correct::describe);

    ToolResult unblock = token.pkcs11Tool("--init-pin", "--login", "--login-type", "so",
        "--so-pin", SO_PIN, "--new-pin", "246810");
    assertEquals(0, unblock.exitCode(), unblock::describe);

    TokenFlags after = token.flags();
    assertFalse(after.has(TokenFlags.USER_LOCKED), after.toString());
    assertFalse(after.has(TokenFlags.USER_COUNT_LOW), after.toString());
    ToolResult login = token.pkcs11Tool("--login", "--pin", "246810", "--list-objects");
    assertEquals(0, login.exitCode(), login::describe);
  }

  @Test
  void aCorrectLoginResetsTheCount() throws Exception {
    token.configure("pin.retries = 6");
    token.wrongUserLogin();
    token.wrongUserLogin();
    assertEquals(2, token.storedCount("user"));

    ToolResult login = token.pkcs11Tool("--login", "--pin", USER_PIN, "--list-objects");
    assertEquals(0, login.exitCode(), login::describe);
    assertEquals(0, token.storedCount("user"));
    assertFalse(token.flags().has(TokenFlags.USER_COUNT_LOW));

    // Had the two earlier tries still counted, the fifth would lock the PIN.
    for (int attempt = 1; attempt <= 5; attempt++) {
      token.wrongUserLogin();
    }
    TokenFlags flags = token.flags();
    assertTrue(flags.has(TokenFlags.USER_FINAL_TRY), flags.toString());
    assertFalse(flags.has(TokenFlags.USER_LOCKED), flags.toString());
  }

  @Test
  void wrongOldPinOnChangePinCountsAndALockedPinCannotBeChanged() throws Exception {
    token.configure("pin.retries = 2");

    // Without --login, pkcs11-tool calls C_SetPIN in a public R/W session: the user PIN.
    // It takes the old PIN from --so-pin when given.
    ToolResult wrongOld = token.pkcs11Tool("--change-pin", "--so-pin", WRONG_PIN, "--new-pin", "135790");
    assertEquals(1, wrongOld.exitCode(), wrongOld::describe);
    assertTrue(wrongOld.output().contains("C_SetPIN failed: rv = CKR_PIN_INCORRECT"), wrongOld::describe);
    assertEquals(1, token.storedCount("user"));

    token.wrongUserLogin();
    assertTrue(token.flags().has(TokenFlags.USER_LOCKED));

    ToolResult locked = token.pkcs11Tool("--change-pin", "--so-pin", USER_PIN, "--new-pin", "135790");
    assertEquals(1, locked.exitCode(), locked::describe);
    assertTrue(locked.output().contains("C_SetPIN failed: rv = CKR_PIN_LOCKED"), locked::describe);
  }

  @Test
  void soPinLocksAndThenInitTokenIsRefused() throws Exception {
    token.configure("so_pin.retries = 3");

    for (int attempt = 1; attempt <= 3; attempt++) {
      // An SO login needs a R/W session; --init-pin asks pkcs11-tool for one.
      ToolResult wrong = token.pkcs11Tool("--init-pin", "--login", "--login-type", "so",
          "--so-pin", WRONG_PIN, "--new-pin", "135790");
      assertTrue(wrong.output().contains("C_Login failed: rv = CKR_PIN_INCORRECT"), wrong::describe);
    }
    TokenFlags flags = token.flags();
    assertTrue(flags.has(TokenFlags.SO_LOCKED), flags.toString());
    assertFalse(flags.has(TokenFlags.USER_LOCKED), "the user PIN has its own counter: " + flags);

    ToolResult initToken = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", SO_PIN);
    assertEquals(1, initToken.exitCode(), initToken::describe);
    assertTrue(initToken.output().contains("C_InitToken failed: rv = CKR_PIN_LOCKED"), initToken::describe);
    assertEquals(EmulatorToken.LABEL, token.label(), "token must be unchanged");
  }

  @Test
  void wrongSoPinOnInitTokenCountsAndASuccessfulInitResetsBothCounters() throws Exception {
    token.configure("pin.retries = 6", "so_pin.retries = 3");
    token.wrongUserLogin();

    ToolResult wrong = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", WRONG_PIN);
    assertTrue(wrong.output().contains("C_InitToken failed: rv = CKR_PIN_INCORRECT"), wrong::describe);
    TokenFlags flags = token.flags();
    assertTrue(flags.has(TokenFlags.SO_COUNT_LOW), flags.toString());
    assertTrue(flags.has(TokenFlags.USER_COUNT_LOW), flags.toString());

    ToolResult init = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", SO_PIN);
    assertEquals(0, init.exitCode(), init::describe);

    flags = token.flags();
    assertFalse(flags.has(TokenFlags.SO_COUNT_LOW), flags.toString());
    assertFalse(flags.has(TokenFlags.USER_COUNT_LOW), flags.toString());
    assertEquals(0, token.storedCount("so"));
    assertEquals(0, token.storedCount("user"));
  }

  @Test
  void withoutRetriesConfiguredTheEmulatorNeverLocks() throws Exception {
    token.configure("# pin.retries unset: pure pass-through");
    for (int attempt = 1; attempt <= 8; attempt++) {
      token.wrongUserLogin();
    }
    ToolResult login = token.pkcs11Tool("--login", "--pin", USER_PIN, "--list-objects");
    assertEquals(0, login.exitCode(), login::describe);
    assertFalse(Files.exists(token.stateFile()), "no counter, no state");
  }
}
