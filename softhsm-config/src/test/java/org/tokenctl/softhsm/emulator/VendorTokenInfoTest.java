package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator reports the vendor's token info in place of SoftHSM's. */
class VendorTokenInfoTest {

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void gdConfigShowsVendorManufacturerModelAndPinRange() throws Exception {
    token.configure(
        "# G&D StarSign as a bank hands it out",
        "manufacturer = Giesecke+Devrient",
        "model = StarSign",
        "pin.min = 6",
        "pin.max = 10",
        "pin.retries = 6");

    String info = token.tokenInfo();

    assertLine(info, "token manufacturer\\s*:\\s*Giesecke\\+Devrient");
    assertLine(info, "token model\\s*:\\s*StarSign");
    assertLine(info, "pin min/max\\s*:\\s*6/10");
  }

  @Test
  void withoutVendorKeysSoftHsmValuesPassThrough() throws Exception {
    token.configure("# nothing: pure pass-through");

    String info = token.tokenInfo();

    assertLine(info, "token manufacturer\\s*:\\s*SoftHSM project");
    assertLine(info, "token model\\s*:\\s*SoftHSM v2");
    assertLine(info, "pin min/max\\s*:\\s*4/255");
  }

  @Test
  void longManufacturerIsCutToTheFieldsThirtyTwoBytes() throws Exception {
    token.configure(
        "manufacturer = Shenzhen Mingwah Aohan High Technology Co",
        "model = a model name longer than sixteen");

    String info = token.tokenInfo();

    assertLine(info, "token manufacturer\\s*:\\s*Shenzhen Mingwah Aohan High Tech");
    assertLine(info, "token model\\s*:\\s*a model name lon");
  }

  private static void assertLine(String output, String regex) {
    assertTrue(Pattern.compile("(?m)^\\s*" + regex + "\\s*$").matcher(output).find(),
        () -> "no line matching " + regex + " in:\n" + output);
  }
}
