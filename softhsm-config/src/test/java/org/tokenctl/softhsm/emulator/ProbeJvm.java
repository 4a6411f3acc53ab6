package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe (a main class on the test class path) in a JVM of its own, so that
 * it loads the emulator fresh with the token's environment, and reads back the
 * {@code key=value} lines it prints.
 */
final class ProbeJvm {

  private ProbeJvm() {
  }

  /**
   * @param token the emulated token (its SoftHSM and emulator configurations go into the environment)
   * @param dir where the probe's output is kept (probe.log)
   * @param probe the main class
   * @param args its arguments
   * @return the {@code key=value} lines it printed
   */
  static Map<String, String> run(EmulatorToken token, Path dir, Class<?> probe, List<String> args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), probe.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SOFTHSM2_CONF", token.softhsmConf().toString());
    pb.environment().put("TOKENCTL_EMULATOR_CONF", token.emulatorConf().toString());
    Path log = dir.resolve("probe.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = pb.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("probe JVM did not finish:\n" + Files.readString(log));
    }
    List<String> lines = Files.readAllLines(log);
    assertEquals(0, process.exitValue(), () -> "probe JVM failed:\n" + String.join("\n", lines));
    Map<String, String> values = new HashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    values.put("", String.join("\n", lines)); // the whole log, for messages
    return values;
  }
}
