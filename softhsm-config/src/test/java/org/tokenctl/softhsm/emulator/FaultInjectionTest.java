package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenctl.softhsm.emulator.EmulatorToken.USER_PIN;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected faults and the call trace: a test enumerates the calls an operation makes from
 * the trace, then fails each one in turn.
 */
class FaultInjectionTest {

  private static final String[] KEYGEN = {"--login", "--pin", USER_PIN, "--keypairgen",
      "--key-type", "EC:prime256v1", "--id", "01", "--label", "k1"};
  private static final String[] LIST_OBJECTS = {"--login", "--pin", USER_PIN, "--list-objects"};

  @TempDir
  Path dir;

  private EmulatorToken token;
  private Path trace;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
    trace = dir.resolve("trace.log");
  }

  @Test
  void faultedKeyPairGenerationFailsAndCreatesNothing() throws Exception {
    token.configure("fault.function = C_GenerateKeyPair", "fault.call = 1",
        "fault.rv = CKR_DEVICE_REMOVED", "trace.file = trace.log");

    ToolResult keygen = token.pkcs11Tool(KEYGEN);

    assertEquals(1, keygen.exitCode(), keygen::describe);
    assertTrue(keygen.output().contains("C_GenerateKeyPair failed: rv = CKR_DEVICE_REMOVED"),
        keygen::describe);
    assertEquals("C_GenerateKeyPair CKR_DEVICE_REMOVED", lastCallBefore("C_Finalize"));
    token.configure("# no fault");
    assertFalse(objectList().contains("Private Key Object"), "nothing may be created");

    // The same command without the fault does create the key, so the check above can see one.
    ToolResult clean = token.pkcs11Tool(KEYGEN);
    assertEquals(0, clean.exitCode(), clean::describe);
    assertTrue(objectList().contains("Private Key Object"));
  }

  @Test
  void anyFaultsTheKthCallOfEachRunInTurn() throws Exception {
    token.configure("trace.file = trace.log");
    ToolResult clean = token.pkcs11Tool(LIST_OBJECTS);
    assertEquals(0, clean.exitCode(), clean::describe);
    List<String> calls = traceLines();
    assertEquals("C_Initialize CKR_OK", calls.get(0));
    assertEquals("C_Finalize CKR_OK", calls.get(calls.size() - 1));
    assertTrue(calls.contains("C_Login CKR_OK"), calls::toString);

    // Calls after C_Initialize, numbered from 1 as fault.call counts them.
    List<String> names = calls.stream().skip(1).map(line -> line.split(" ")[0]).toList();
    for (int k = 1; k <= names.size(); k++) {
      Files.deleteIfExists(trace);
      token.configure("fault.function = any", "fault.call = " + k, "fault.rv = CKR_DEVICE_ERROR",
          "trace.file = trace.log");

      ToolResult faulted = token.pkcs11Tool(LIST_OBJECTS);

      List<String> lines = traceLines();
      String expected = names.get(k - 1) + " CKR_DEVICE_ERROR";
      assertTrue(lines.size() > k, () -> "trace too short for call " + expected + ": " + lines);
      assertEquals(expected, lines.get(k), "call " + k + ", trace " + lines);
      assertEquals(calls.subList(0, k), lines.subList(0, k), "calls before the fault are unchanged");
      assertEquals(1, lines.stream().filter(l -> l.endsWith("CKR_DEVICE_ERROR")).count(),
          () -> "fault.repeat = once fails one call: " + lines);
      if (names.get(k - 1).equals("C_Login")) {
        // The caller gets the injected rv, not SoftHSM's.
        assertTrue(faulted.output().contains("C_Login failed: rv = CKR_DEVICE_ERROR"), faulted::describe);
      }
    }
  }

  @Test
  void repeatAlwaysKeepsTheDeviceRemoved() throws Exception {
    // pkcs11-tool -L asks C_GetSlotInfo once per slot: SoftHSM has the token's and a free one.
    token.configure("fault.function = C_GetSlotInfo", "fault.call = 1",
        "fault.rv = CKR_DEVICE_REMOVED", "fault.repeat = always", "trace.file = trace.log");
    token.pkcs11Tool("--list-slots");
    assertEquals(2, countLines("C_GetSlotInfo CKR_DEVICE_REMOVED"), this::traceText);

    Files.delete(trace);
    token.configure("fault.function = C_GetSlotInfo", "fault.call = 1",
        "fault.rv = CKR_DEVICE_REMOVED", "fault.repeat = once", "trace.file = trace.log");
    token.pkcs11Tool("--list-slots");
    assertEquals(1, countLines("C_GetSlotInfo CKR_DEVICE_REMOVED"), this::traceText);
    assertEquals(1, countLines("C_GetSlotInfo CKR_OK"), this::traceText);
  }

  @Test
  void faultedInitializeFailsTheModuleAndNumericRvIsNamed() throws Exception {
    token.configure("fault.function = C_Initialize", "fault.call = 1", "fault.rv = 0x30",
        "trace.file = trace.log");

    ToolResult result = token.pkcs11Tool("--list-slots");

    assertEquals(1, result.exitCode(), result::describe);
    assertTrue(result.output().contains("C_Initialize failed: rv = CKR_DEVICE_ERROR"), result::describe);
    assertEquals(List.of("C_Initialize CKR_DEVICE_ERROR"), traceLines());
  }

  @Test
  void faultedFinalizeReturnsTheRv() throws Exception {
    token.configure("fault.function = C_Finalize", "fault.rv = CKR_FUNCTION_FAILED",
        "trace.file = trace.log");

    token.pkcs11Tool("--list-slots");

    List<String> lines = traceLines();
    assertEquals("C_Finalize CKR_FUNCTION_FAILED", lines.get(lines.size() - 1));
  }

  @Test
  void delayWithoutRvHangsThenForwards() throws Exception {
    token.configure("fault.function = C_GetSlotList", "fault.call = 1", "fault.delay_ms = 1500",
        "trace.file = trace.log");

    ToolResult slow = token.pkcs11Tool("--list-slots");

    assertEquals(0, slow.exitCode(), slow::describe);
    assertTrue(slow.millis() >= 1500, "took " + slow.millis() + " ms");
    assertEquals("C_GetSlotList CKR_OK", traceLines().get(1));
  }

  @Test
  void traceNamesEveryCallAndResultButNoSecret() throws Exception {
    token.configure("trace.file = trace.log");

    token.pkcs11Tool("--login", "--pin", "97531864", "--list-objects");
    token.pkcs11Tool(KEYGEN);

    List<String> lines = traceLines();
    assertTrue(lines.contains("C_Login CKR_PIN_INCORRECT"), lines::toString);
    assertTrue(lines.contains("C_GenerateKeyPair CKR_OK"), lines::toString);
    for (String line : lines) {
      assertTrue(line.matches("C_[A-Za-z]+ (CKR_[A-Z0-9_]+|0x[0-9A-F]{8})"), line);
    }
    String text = traceText();
    assertFalse(text.contains("97531864") || text.contains(USER_PIN), "no PIN in the trace");
  }

  private String objectList() throws IOException, InterruptedException {
    ToolResult list = token.pkcs11Tool(LIST_OBJECTS);
    assertEquals(0, list.exitCode(), list::describe);
    return list.stdout();
  }

  private List<String> traceLines() throws IOException {
    return Files.readAllLines(trace);
  }

  private String traceText() {
    try {
      return Files.readString(trace);
    } catch (IOException e) {
      return "(no trace: " + e + ")";
    }
  }

  private long countLines(String line) throws IOException {
    return traceLines().stream().filter(line::equals).count();
  }

  private String lastCallBefore(String name) throws IOException {
    List<String> lines = traceLines();
    for (int i = lines.size() - 1; i > 0; i--) {
      if (lines.get(i).startsWith(name + " ")) {
        return lines.get(i - 1);
      }
    }
    throw new AssertionError("no " + name + " in " + lines);
  }
}
