package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xipki JNI wrapper that token-core uses looks up C_GetFunctionList, then
 * C_GetInterfaceList (PKCS#11 3.0), and keeps the v2.40 list when the module has none.
 * The emulator exports only C_GetFunctionList: this proves that fallback works, that the
 * module is safe with CKF_OS_LOCKING_OK from many threads, and that a C_Finalize /
 * C_Initialize cycle in one process reads the config afresh.
 */
class XipkiWrapperTest {

  private static final int THREADS = 4;
  private static final int WRONG_EACH = 5;

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void wrapperLoadsTheEmulatorCountsEveryThreadsTryAndRereadsConfig() throws Exception {
    token.configure("manufacturer = Huada", "pin.retries = 50");
    Path second = dir.resolve("second.conf");
    Files.writeString(second, "manufacturer = WatchData\npin.retries = 50\n");

    Map<String, String> out = runProbe(second);

    assertEquals("Huada", out.get("manufacturer"));
    assertEquals("[]", out.get("unexpected"));
    assertEquals(String.valueOf(THREADS * WRONG_EACH), out.get("incorrect"));
    assertEquals("true", out.get("countLow"));
    assertEquals("false", out.get("locked"));
    assertEquals(THREADS * WRONG_EACH, token.storedCount("user"), "no count lost between threads");
    assertEquals("WatchData", out.get("manufacturerAfterReinit"));
  }

  private Map<String, String> runProbe(Path secondConf) throws Exception {
    Map<String, String> values = ProbeJvm.run(token, dir, XipkiProbe.class, List.of(EmulatorToken.module().toString(),
        token.emulatorConf().toString(), secondConf.toString(), String.valueOf(THREADS), String.valueOf(WRONG_EACH)));
    assertTrue(values.containsKey("manufacturerAfterReinit"), () -> values.get(""));
    return values;
  }
}
