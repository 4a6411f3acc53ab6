package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenctl.softhsm.emulator.EmulatorToken.SO_PIN;
import static org.tokenctl.softhsm.emulator.EmulatorToken.USER_PIN;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Some vendors' modules refuse C_InitToken; the emulator can too. */
class InitTokenRefusalTest {

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void refusedInitTokenFailsWithoutTouchingTheToken() throws Exception {
    token.configure("init_token = refuse", "trace.file = trace.log");

    ToolResult init = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", SO_PIN);

    assertEquals(1, init.exitCode(), init::describe);
    assertTrue(init.output().contains("C_InitToken failed: rv = CKR_FUNCTION_NOT_SUPPORTED"),
        init::describe);
    assertTrue(Files.readAllLines(dir.resolve("trace.log"))
        .contains("C_InitToken CKR_FUNCTION_NOT_SUPPORTED"));
    assertEquals(EmulatorToken.LABEL, token.label());
    // SoftHSM's C_InitToken would have removed the user PIN.
    ToolResult login = token.pkcs11Tool("--login", "--pin", USER_PIN, "--list-objects");
    assertEquals(0, login.exitCode(), login::describe);
  }

  @Test
  void allowedInitTokenReachesSoftHsm() throws Exception {
    token.configure("init_token = allow");

    ToolResult init = token.pkcs11Tool("--init-token", "--label", "NEW", "--so-pin", SO_PIN);

    assertEquals(0, init.exitCode(), init::describe);
    assertEquals("NEW", token.label());
  }
}
