package org.tokenctl.core.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.module.Sm2Mechanisms;
import org.tokenctl.core.io.PropertiesText;
import org.tokenctl.core.pin.PinCharacters;
import org.tokenctl.core.pin.PinPolicy;

/**
 * Reads a profile file: Java properties, UTF-8, every key required (an empty
 * value where there is nothing to say), lists comma-separated. Unknown keys are
 * errors, so a typo cannot silently drop a rule. Errors name the key or the line
 * and never quote the file (it may be a PIN file put in the wrong place; a profile
 * holds {@code pin.initial}).
 */
final class ProfileParser {

    /** Every key a profile file has. */
    static final Set<String> KEYS = Set.of("id", "name", "manufacturer", "manufacturer.patterns", "model",
            "module.linux", "module.macos", "module.windows", "pin.min", "pin.max", "pin.characters", "pin.initial",
            "pin.retries", "so_pin.retries", "key.specs", "init_token", "label.max", "quirks", "verified");

    /** Keys a profile may leave out: SM2, which only some vendors' tokens do (all of them, or none). */
    static final Set<String> SM2_KEYS = Set.of("sm2.key_type", "sm2.keygen", "sm2.sign", "sm2.sign.input",
            "sm2.signature", "sm2.private_ec_point");

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private ProfileParser() {
    }

    /**
     * @param content the file's bytes
     * @param source the file, as messages name it
     * @return the profile
     * @throws InvalidInputException naming the file, the line and what is allowed; never quoting a value
     */
    static VendorProfile parse(byte[] content, String source) throws InvalidInputException {
        // A PIN file dropped into the profile directory has its PIN as its one "key":
        // errors name the line and list what is allowed, and quote nothing from the file.
        Map<String, Integer> lines = new HashMap<>();
        Properties p = new Properties();
        for (PropertiesText.Entry e : PropertiesText.parse(content, "profile", "Profile " + source)) {
            if (!KEYS.contains(e.key()) && !SM2_KEYS.contains(e.key())) {
                Set<String> allowed = new TreeSet<>(KEYS);
                allowed.addAll(SM2_KEYS);
                throw error(source, "has an unknown key on line " + e.line() + " (allowed: "
                        + String.join(", ", allowed) + ")", null);
            }
            lines.putIfAbsent(e.key(), e.line());
            p.setProperty(e.key(), e.value());
        }
        Set<String> missing = new TreeSet<>(KEYS);
        missing.removeAll(p.stringPropertyNames());
        if (!missing.isEmpty()) {
            throw error(source, "lacks keys " + missing, null);
        }
        String id = value(p, "id");
        if (!ID.matcher(id).matches()) {
            throw error(source, "id (line " + lines.get("id") + ") must be 1 to 32 lower case letters, digits, '-'"
                    + " or '_', starting with a letter", null);
        }
        Map<OperatingSystem, List<String>> modules = new EnumMap<>(OperatingSystem.class);
        for (OperatingSystem os : OperatingSystem.values()) {
            modules.put(os, list(p, "module." + os.key()));
        }
        int min = number(p, lines, "pin.min", source, 1);
        int max = number(p, lines, "pin.max", source, min);
        String initial = value(p, "pin.initial");
        PinCharacters chars;
        try {
            chars = PinCharacters.valueOf(value(p, "pin.characters").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw error(source, "pin.characters (line " + lines.get("pin.characters") + ") must be one of "
                    + Arrays.toString(PinCharacters.values()), e);
        }
        String init = value(p, "init_token");
        if (!init.equals("allow") && !init.equals("refuse")) {
            throw error(source, "init_token (line " + lines.get("init_token") + ") must be allow or refuse", null);
        }
        int labelMax = number(p, lines, "label.max", source, 1);
        if (labelMax > 32) {
            throw error(source, "label.max (line " + lines.get("label.max") + ") must be at most 32 (CK_TOKEN_INFO.label is 32 bytes)", null);
        }
        String verified = value(p, "verified");
        if (!verified.equals("true") && !verified.equals("false")) {
            throw error(source, "verified (line " + lines.get("verified") + ") must be true or false", null);
        }
        List<String> specs = list(p, "key.specs");
        Sm2Mechanisms sm2 = sm2(p, lines, source);
        if (specs.contains("sm2") != (sm2 != null)) {
            throw error(source, sm2 == null ? "lists sm2 in key.specs but gives no sm2.* constants"
                    : "gives sm2.* constants but key.specs does not list sm2", null);
        }
        return new VendorProfile(id, value(p, "name"), value(p, "manufacturer"), patterns(p, lines, source),
                value(p, "model"), modules,
                new PinPolicy(min, max, chars, initial.isEmpty() ? null : initial.toCharArray()),
                number(p, lines, "pin.retries", source, 0), number(p, lines, "so_pin.retries", source, 0),
                specs, init.equals("allow"), labelMax, list(p, "quirks"), verified.equals("true"), source, sm2);
    }

    /** The sm2.* keys: all six, or none (then null). */
    private static Sm2Mechanisms sm2(Properties p, Map<String, Integer> lines, String source)
            throws InvalidInputException {
        Set<String> given = new TreeSet<>(SM2_KEYS);
        given.retainAll(p.stringPropertyNames());
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() != SM2_KEYS.size()) {
            Set<String> missing = new TreeSet<>(SM2_KEYS);
            missing.removeAll(given);
            throw error(source, "gives some sm2.* keys but lacks " + missing + " (all six, or none)", null);
        }
        String input = value(p, "sm2.sign.input");
        String encoding = value(p, "sm2.signature");
        String point = value(p, "sm2.private_ec_point");
        if (!input.equals("message") && !input.equals("digest")) {
            throw error(source, "sm2.sign.input (line " + lines.get("sm2.sign.input") + ") must be message or digest",
                    null);
        }
        if (!encoding.equals("raw") && !encoding.equals("der")) {
            throw error(source, "sm2.signature (line " + lines.get("sm2.signature") + ") must be raw or der", null);
        }
        if (!point.equals("true") && !point.equals("false")) {
            throw error(source, "sm2.private_ec_point (line " + lines.get("sm2.private_ec_point")
                    + ") must be true or false", null);
        }
        return new Sm2Mechanisms(constant(p, lines, "sm2.key_type", source), constant(p, lines, "sm2.keygen", source),
                constant(p, lines, "sm2.sign", source),
                input.equals("message") ? Sm2Mechanisms.SignInput.MESSAGE : Sm2Mechanisms.SignInput.DIGEST,
                encoding.equals("der") ? Sm2Mechanisms.Encoding.DER : Sm2Mechanisms.Encoding.RAW, point.equals("true"));
    }

    /** A PKCS#11 constant: 0x-hex (as vendors' headers write them) or decimal, not 0. */
    private static long constant(Properties p, Map<String, Integer> lines, String key, String source)
            throws InvalidInputException {
        String v = value(p, key);
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16)
                    : Long.parseLong(v);
            if (n > 0 && n <= 0xFFFFFFFFL) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(source, key + " (line " + lines.get(key) + ") must be a PKCS#11 constant, 0x-hex or decimal,"
                + " from 1 to 0xffffffff", null);
    }

    private static String value(Properties p, String key) {
        return p.getProperty(key, "").trim();
    }

    private static List<String> list(Properties p, String key) {
        String v = value(p, key);
        if (v.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    private static List<Pattern> patterns(Properties p, Map<String, Integer> lines, String source)
            throws InvalidInputException {
        List<Pattern> out = new ArrayList<>();
        List<String> regexes = list(p, "manufacturer.patterns");
        for (int i = 0; i < regexes.size(); i++) {
            try {
                out.add(Pattern.compile(regexes.get(i)));
            } catch (PatternSyntaxException e) {
                // the description and index, not getMessage(), which quotes the pattern
                throw error(source, "manufacturer.patterns (line " + lines.get("manufacturer.patterns")
                        + ") pattern " + (i + 1) + " is not a Java regular expression (" + e.getDescription()
                        + " at index " + e.getIndex() + ")", e);
            }
        }
        return out;
    }

    private static int number(Properties p, Map<String, Integer> lines, String key, String source, int min)
            throws InvalidInputException {
        String v = value(p, key);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(source, key + " (line " + lines.get(key) + ") must be a whole number of at least " + min, null);
    }

    private static InvalidInputException error(String source, String what, Throwable cause) {
        return new InvalidInputException("profile", "Profile " + source + " " + what, cause);
    }
}
