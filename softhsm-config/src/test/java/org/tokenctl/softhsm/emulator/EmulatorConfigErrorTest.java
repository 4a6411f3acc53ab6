package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a usable config C_Initialize fails, and says why in one stderr line. */
class EmulatorConfigErrorTest {

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void unsetEnvironmentVariableFailsInitialize() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TOKENCTL_EMULATOR_CONF", null);

    ToolResult result = token.pkcs11ToolWithEnv(env, "--list-slots");

    assertInitializeFailed(result);
    assertEquals(List.of("tokenctl-emu: TOKENCTL_EMULATOR_CONF is not set; set it to the emulator "
        + "config file (C_Initialize returns CKR_GENERAL_ERROR)"), emulatorLines(result));
  }

  @Test
  void missingFileIsNamed() throws Exception {
    Path missing = dir.resolve("no-such.conf");

    ToolResult result = token.pkcs11ToolWithEnv(Map.of("TOKENCTL_EMULATOR_CONF", missing.toString()),
        "--list-slots");

    assertInitializeFailed(result);
    List<String> lines = emulatorLines(result);
    assertEquals(1, lines.size(), result::describe);
    assertTrue(lines.get(0).contains("TOKENCTL_EMULATOR_CONF file " + missing), lines::toString);
  }

  @Test
  void unknownKeyIsNamedWithItsLine() throws Exception {
    token.configure("manufacturer = Huada", "pin.retry = 3");

    ToolResult result = token.pkcs11Tool("--list-slots");

    assertInitializeFailed(result);
    List<String> lines = emulatorLines(result);
    assertEquals(1, lines.size(), result::describe);
    assertTrue(lines.get(0).contains("line 2: pin.retry = 3: unknown key (known: "), lines::toString);
  }

  @Test
  void unparsableValueIsRefused() throws Exception {
    token.configure("pin.retries = six");

    ToolResult result = token.pkcs11Tool("--list-slots");

    assertInitializeFailed(result);
    assertTrue(String.join("\n", emulatorLines(result)).contains("pin.retries = six"), result::describe);
  }

  @Test
  void aValidConfigInitializes() throws Exception {
    token.configure("manufacturer = WatchData");

    ToolResult result = token.pkcs11Tool("--list-slots");

    assertEquals(0, result.exitCode(), result::describe);
    assertEquals(List.of(), emulatorLines(result));
  }

  private static void assertInitializeFailed(ToolResult result) {
    assertEquals(1, result.exitCode(), result::describe);
    assertTrue(result.output().contains("C_Initialize failed: rv = CKR_GENERAL_ERROR"), result::describe);
  }

  private static List<String> emulatorLines(ToolResult result) {
    return Arrays.stream(result.stderr().split("\n"))
        .filter(line -> line.startsWith("tokenctl-emu:"))
        .toList();
  }
}
