package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tokenctl.softhsm.emulator.EmulatorToken.USER_PIN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keygen.ignore}: the emulator behaves like a token that ignores part of the
 * private-key template of C_GenerateKeyPair, so that the caller's read-back check (and
 * its deletion of the pair) can be driven for real.
 */
class KeygenIgnoreTest {

  /** What a careless token makes of each attribute tokenctl asks for. */
  private static final Map<String, String> CARELESS = Map.of("CKA_SENSITIVE", "false",
      "CKA_EXTRACTABLE", "true", "CKA_DECRYPT", "true", "CKA_UNWRAP", "true", "CKA_DERIVE", "true");
  /** What the probe's template asks for. */
  private static final Map<String, String> ASKED = Map.of("CKA_SENSITIVE", "true",
      "CKA_EXTRACTABLE", "false", "CKA_DECRYPT", "false", "CKA_UNWRAP", "false", "CKA_DERIVE", "false");

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void pkcs11ToolsKeyComesOutTheCarelessWay() throws Exception {
    token.configure("# honours the template");
    String honoured = privateKeyOf(token.pkcs11Tool(keygen("01", "honoured")));
    // the check below can fail: without the key SoftHSM makes the key as asked
    assertTrue(honoured.contains("Access:     sensitive, always sensitive, never extractable, local"), honoured);
    assertTrue(honoured.contains("Usage:      decrypt, sign, unwrap\n"), honoured);

    // pkcs11-tool asks CKA_SENSITIVE=true and leaves CKA_EXTRACTABLE out: the one is
    // replaced in the copy of the template, the other appended.
    token.configure("keygen.ignore = CKA_SENSITIVE, CKA_EXTRACTABLE,CKA_DERIVE", "trace.file = trace.log");
    String careless = privateKeyOf(token.pkcs11Tool(keygen("02", "careless")));

    assertTrue(careless.contains("Access:     extractable, local"), careless);
    assertTrue(careless.contains("Usage:      decrypt, sign, unwrap, derive"), careless);
    List<String> trace = Files.readAllLines(dir.resolve("trace.log"));
    assertTrue(trace.contains("C_GenerateKeyPair CKR_OK"), trace::toString);
  }

  @Test
  void eachListedAttributeComesBackCarelessAndTheOthersAsAsked() throws Exception {
    List<Path> configs = new ArrayList<>();
    configs.add(Files.writeString(dir.resolve("none"), "# honours the template\n"));
    for (String attribute : CARELESS.keySet()) {
      configs.add(Files.writeString(dir.resolve(attribute), "keygen.ignore = " + attribute + "\n"));
    }

    Map<String, String> out = runProbe(configs);

    for (String attribute : ASKED.keySet()) {
      assertEquals(ASKED.get(attribute), out.get("none." + attribute), "without the key: " + out);
    }
    for (String ignored : CARELESS.keySet()) {
      for (String attribute : ASKED.keySet()) {
        String expected = attribute.equals(ignored) ? CARELESS.get(attribute) : ASKED.get(attribute);
        assertEquals(expected, out.get(ignored + "." + attribute),
            "keygen.ignore = " + ignored + ", " + attribute + ": " + out);
      }
      assertEquals("true", out.get(ignored + ".CKA_SIGN"), "the template's other values are kept: " + out);
    }
  }

  @Test
  void aListThatIsNotOneOfTheNamesIsRefused() throws Exception {
    assertRefused("keygen.ignore = CKA_SIGN", "keygen.ignore = CKA_SIGN: each entry must be one of "
        + "CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE, CKA_SIGN_RECOVER");
    assertRefused("keygen.ignore = CKA_DECRYPT,", "keygen.ignore = CKA_DECRYPT,: an empty entry");
    assertRefused("keygen.ignore = CKA_DERIVE, CKA_DERIVE",
        "keygen.ignore = CKA_DERIVE, CKA_DERIVE: an attribute is listed twice");
  }

  private void assertRefused(String line, String message) throws Exception {
    token.configure("manufacturer = Huada", line);

    ToolResult result = token.pkcs11Tool("--list-slots");

    assertEquals(1, result.exitCode(), result::describe);
    assertTrue(result.output().contains("C_Initialize failed: rv = CKR_GENERAL_ERROR"), result::describe);
    List<String> lines = Arrays.stream(result.stderr().split("\n"))
        .filter(l -> l.startsWith("tokenctl-emu:")).toList();
    assertEquals(1, lines.size(), result::describe);
    assertTrue(lines.get(0).contains("line 2: " + message), lines::toString);
  }

  private static String[] keygen(String id, String label) {
    return new String[] {"--login", "--pin", USER_PIN, "--keypairgen", "--key-type", "EC:prime256v1",
        "--usage-sign", "--id", id, "--label", label};
  }

  /** The private key block pkcs11-tool prints after generating a pair. */
  private static String privateKeyOf(ToolResult keygen) {
    assertEquals(0, keygen.exitCode(), keygen::describe);
    String out = keygen.stdout();
    int start = out.indexOf("Private Key Object");
    int end = out.indexOf("Public Key Object", start);
    if (start < 0 || end < 0) {
      fail("no key pair printed:\n" + keygen.describe());
    }
    return out.substring(start, end);
  }

  private Map<String, String> runProbe(List<Path> configs) throws Exception {
    List<String> args = new ArrayList<>(List.of(EmulatorToken.module().toString(), token.emulatorConf().toString(),
        USER_PIN));
    configs.forEach(c -> args.add(c.toString()));
    return ProbeJvm.run(token, dir, KeygenProbe.class, args);
  }
}
