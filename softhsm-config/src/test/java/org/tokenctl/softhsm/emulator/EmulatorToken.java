package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fresh SoftHSM2 token directory with one initialised token, seen through the vendor
 * emulator, driven by the independent tool {@code pkcs11-tool}.
 *
 * <p>Every tool runs as a child process whose environment names this directory's
 * {@code softhsm2.conf} (SOFTHSM2_CONF) and emulator config (TOKENCTL_EMULATOR_CONF), so
 * nothing is shared with other tests or with the machine's own SoftHSM tokens.
 */
final class EmulatorToken {

  static final String LABEL = "X";
  static final String SO_PIN = "87654321";
  static final String USER_PIN = "12345678";
  static final String WRONG_PIN = "00000000";

  private static final String SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  private static final long TOOL_TIMEOUT_SECONDS = 120;
  private static final Pattern SERIAL = Pattern.compile("(?m)^\\s*serial num\\s*:\\s*(\\S+)\\s*$");
  private static final Pattern LABEL_LINE = Pattern.compile("(?m)^\\s*token label\\s*:\\s*(.*?)\\s*$");

  private final Path dir;
  private final Path softhsmConf;
  private final Path emulatorConf;

  private EmulatorToken(Path dir) {
    this.dir = dir;
    this.softhsmConf = dir.resolve("softhsm2.conf");
    this.emulatorConf = dir.resolve("emulator.conf");
  }

  /**
   * Makes a token directory under {@code dir}, initialises one token (label {@link #LABEL},
   * SO PIN {@link #SO_PIN}, user PIN {@link #USER_PIN}) and writes an empty emulator config.
   * Fails (never skips) when SoftHSM2 or OpenSC is not installed.
   */
  static EmulatorToken create(Path dir) throws IOException, InterruptedException {
    requireInstalled();
    EmulatorToken token = new EmulatorToken(dir);
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Files.writeString(token.softhsmConf, "directories.tokendir = " + tokens + "\n"
        + "objectstore.backend = file\n"
        + "log.level = ERROR\n");
    token.configure();
    ToolResult init = token.run(List.of("softhsm2-util", "--init-token", "--free", "--label", LABEL,
        "--so-pin", SO_PIN, "--pin", USER_PIN), Map.of());
    assertEquals(0, init.exitCode(), () -> "softhsm2-util could not make the test token:\n"
        + init.describe());
    return token;
  }

  /** The built emulator; fails with the build command when it is missing. */
  static Path module() {
    Path so = Path.of(System.getProperty("tokenctl.emulator.module",
        "target/emulator/libtokenctl-emu.so")).toAbsolutePath();
    if (!Files.isRegularFile(so)) {
      fail("vendor emulator not built at " + so + ": run make -C softhsm-config/emulator"
          + " (mvn test does it in generate-resources)");
    }
    return so;
  }

  private static void requireInstalled() {
    requireOnPath("softhsm2-util", "softhsm2");
    requireOnPath("pkcs11-tool", "opensc");
    if (!Files.isRegularFile(Path.of(SOFTHSM_MODULE))) {
      fail(SOFTHSM_MODULE + " not found: install the Debian package softhsm2");
    }
  }

  private static void requireOnPath(String tool, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, tool))) {
        return;
      }
    }
    fail(tool + " not found on PATH: install the Debian package " + debianPackage);
  }

  /** Writes the emulator config, one {@code key = value} per argument. */
  void configure(String... lines) throws IOException {
    Files.writeString(emulatorConf, String.join("\n", lines) + "\n");
  }

  Path dir() {
    return dir;
  }

  Path softhsmConf() {
    return softhsmConf;
  }

  Path emulatorConf() {
    return emulatorConf;
  }

  /** Where the emulator keeps its retry counters by default. */
  Path stateFile() {
    return dir.resolve("emulator-state");
  }

  /** Runs {@code pkcs11-tool --module <emulator> args...}. */
  ToolResult pkcs11Tool(String... args) throws IOException, InterruptedException {
    return pkcs11ToolWithEnv(Map.of(), args);
  }

  /**
   * Runs pkcs11-tool with extra environment entries; an entry whose value is {@code null}
   * removes the variable.
   */
  ToolResult pkcs11ToolWithEnv(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", module().toString()));
    command.addAll(List.of(args));
    return run(command, env);
  }

  /** {@code pkcs11-tool -T}: the token list with flags, PIN lengths and serial. */
  String tokenInfo() throws IOException, InterruptedException {
    ToolResult result = pkcs11Tool("--list-token-slots");
    assertEquals(0, result.exitCode(), result::describe);
    return result.stdout();
  }

  TokenFlags flags() throws IOException, InterruptedException {
    return TokenFlags.parse(tokenInfo());
  }

  /** The token's serial number as pkcs11-tool prints it. */
  String serial() throws IOException, InterruptedException {
    return firstMatch(SERIAL, "serial");
  }

  /** The token's label as pkcs11-tool prints it. */
  String label() throws IOException, InterruptedException {
    return firstMatch(LABEL_LINE, "label");
  }

  private String firstMatch(Pattern pattern, String what) throws IOException, InterruptedException {
    String info = tokenInfo();
    Matcher m = pattern.matcher(info);
    if (!m.find()) {
      fail("no " + what + " in:\n" + info);
    }
    return m.group(1);
  }

  /** One wrong user login; asserts the token answered CKR_PIN_INCORRECT. */
  ToolResult wrongUserLogin() throws IOException, InterruptedException {
    ToolResult result = pkcs11Tool("--login", "--pin", WRONG_PIN, "--list-objects");
    assertEquals(1, result.exitCode(), result::describe);
    if (!result.output().contains("CKR_PIN_INCORRECT")) {
      fail("expected CKR_PIN_INCORRECT:\n" + result.describe());
    }
    return result;
  }

  /**
   * The count the emulator stored for this token and PIN kind ("user" or "so"), read from
   * the state file; 0 when there is no line for it.
   */
  long storedCount(String kind) throws IOException, InterruptedException {
    Path state = stateFile();
    if (!Files.exists(state)) {
      return 0;
    }
    String serial = serial();
    long count = 0;
    for (String line : Files.readAllLines(state)) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[0].equals(serial) && f[1].equals(kind)) {
        count = Long.parseLong(f[2]);
      }
    }
    return count;
  }

  private ToolResult run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("SOFTHSM2_CONF", softhsmConf.toString());
    pb.environment().put("TOKENCTL_EMULATOR_CONF", emulatorConf.toString());
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    // Files, not pipes: a chatty tool can never block on a full pipe.
    Path out = Files.createTempFile(dir, "tool", ".out");
    Path err = Files.createTempFile(dir, "tool", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long start = System.nanoTime();
    Process process = pb.start();
    if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    ToolResult result = new ToolResult(String.join(" ", command), process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
        millis);
    Files.delete(out);
    Files.delete(err);
    return result;
  }
}
