package org.tokenctl.softhsm.emulator;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The "token flags" line of {@code pkcs11-tool -T}, as names.
 *
 * <p>OpenSC 0.23 prints known flags by name ("user PIN count low", "final user PIN try",
 * "user PIN locked", and the SO equivalents) and the rest as "other flags=0x...".
 */
record TokenFlags(Set<String> names, String line) {

  static final String USER_COUNT_LOW = "user PIN count low";
  static final String USER_FINAL_TRY = "final user PIN try";
  static final String USER_LOCKED = "user PIN locked";
  static final String SO_COUNT_LOW = "SO PIN count low";
  static final String SO_FINAL_TRY = "final SO PIN try";
  static final String SO_LOCKED = "SO PIN locked";

  private static final Pattern FLAGS_LINE = Pattern.compile("(?m)^\\s*token flags\\s*:\\s*(.*)$");

  /** Parses the first token's flags from {@code pkcs11-tool -T} output. */
  static TokenFlags parse(String listTokenSlotsOutput) {
    Matcher m = FLAGS_LINE.matcher(listTokenSlotsOutput);
    if (!m.find()) {
      throw new AssertionError("no 'token flags' line in:\n" + listTokenSlotsOutput);
    }
    Set<String> names = Arrays.stream(m.group(1).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    return new TokenFlags(names, m.group(0).trim());
  }

  boolean has(String name) {
    return names.contains(name);
  }

  @Override
  public String toString() {
    return line;
  }
}
