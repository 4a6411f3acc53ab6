package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenctl.softhsm.emulator.EmulatorToken.SO_PIN;
import static org.tokenctl.softhsm.emulator.EmulatorToken.USER_PIN;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bank token takes PINs of 6 to 10 characters; SoftHSM takes 4 to 255. */
class PinLengthTest {

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void changePinOutsideTheRangeIsRefusedBeforeReachingTheToken() throws Exception {
    token.configure("pin.min = 6", "pin.max = 10");

    for (String tooShortOrLong : new String[] {"12345", "12345678901"}) {
      ToolResult change = changePin(USER_PIN, tooShortOrLong);
      assertEquals(1, change.exitCode(), change::describe);
      assertTrue(change.output().contains("C_SetPIN failed: rv = CKR_PIN_LEN_RANGE"), change::describe);
    }
    assertLogsIn(USER_PIN);

    // Both ends of the range are allowed.
    ToolResult toMin = changePin(USER_PIN, "123456");
    assertEquals(0, toMin.exitCode(), toMin::describe);
    assertLogsIn("123456");
    ToolResult toMax = changePin("123456", "1234567890");
    assertEquals(0, toMax.exitCode(), toMax::describe);
    assertLogsIn("1234567890");
  }

  @Test
  void initPinAndInitTokenOutsideTheRangeAreRefused() throws Exception {
    token.configure("pin.min = 6", "pin.max = 10");

    ToolResult initPin = token.pkcs11Tool("--init-pin", "--login", "--login-type", "so",
        "--so-pin", SO_PIN, "--new-pin", "12345");
    assertTrue(initPin.output().contains("C_InitPIN failed: rv = CKR_PIN_LEN_RANGE"), initPin::describe);
    assertLogsIn(USER_PIN);

    ToolResult initToken = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", "12345678901");
    assertTrue(initToken.output().contains("C_InitToken failed: rv = CKR_PIN_LEN_RANGE"),
        initToken::describe);
    assertEquals(EmulatorToken.LABEL, token.label());
  }

  @Test
  void withoutARangeSoftHsmsOwnLimitsApply() throws Exception {
    token.configure("# no pin.min / pin.max");

    ToolResult change = changePin(USER_PIN, "12345");

    assertEquals(0, change.exitCode(), change::describe);
    assertLogsIn("12345");
  }

  private ToolResult changePin(String oldPin, String newPin) throws Exception {
    return token.pkcs11Tool("--login", "--pin", oldPin, "--change-pin", "--new-pin", newPin);
  }

  private void assertLogsIn(String pin) throws Exception {
    ToolResult login = token.pkcs11Tool("--login", "--pin", pin, "--list-objects");
    assertEquals(0, login.exitCode(), login::describe);
  }
}
