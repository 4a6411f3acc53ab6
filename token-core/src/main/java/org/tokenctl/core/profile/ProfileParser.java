package org.tokenctl.core.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
import org.tokenctl.core.pin.PinCharacters;
import org.tokenctl.core.pin.PinPolicy;

/**
 * Reads a profile file: Java properties, UTF-8, every key required (an empty
 * value where there is nothing to say), lists comma-separated. Unknown keys are
 * errors, so a typo cannot silently drop a rule.
 */
final class ProfileParser {

    /** Every key a profile file has. */
    static final Set<String> KEYS = Set.of("id", "name", "manufacturer", "manufacturer.patterns", "model",
            "module.linux", "module.macos", "module.windows", "pin.min", "pin.max", "pin.characters", "pin.initial",
            "pin.retries", "so_pin.retries", "key.specs", "init_token", "label.max", "quirks", "verified");

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private ProfileParser() {
    }

    static VendorProfile parse(InputStream in, String source) throws InvalidInputException {
        Properties p = new Properties();
        try (InputStreamReader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw error(source, "cannot be read: " + e.getMessage(), e);
        }
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw error(source, "has unknown keys " + unknown + " (known: " + new TreeSet<>(KEYS) + ")", null);
        }
        Set<String> missing = new TreeSet<>(KEYS);
        missing.removeAll(p.stringPropertyNames());
        if (!missing.isEmpty()) {
            throw error(source, "lacks keys " + missing, null);
        }
        String id = value(p, "id");
        if (!ID.matcher(id).matches()) {
            throw error(source, "id '" + id + "' must be lower case letters, digits, '-' or '_'", null);
        }
        Map<OperatingSystem, List<String>> modules = new EnumMap<>(OperatingSystem.class);
        for (OperatingSystem os : OperatingSystem.values()) {
            modules.put(os, list(p, "module." + os.key()));
        }
        int min = number(p, "pin.min", source, 1);
        int max = number(p, "pin.max", source, min);
        String initial = value(p, "pin.initial");
        PinCharacters chars;
        try {
            chars = PinCharacters.valueOf(value(p, "pin.characters").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw error(source, "pin.characters must be one of " + Arrays.toString(PinCharacters.values()), e);
        }
        String init = value(p, "init_token");
        if (!init.equals("allow") && !init.equals("refuse")) {
            throw error(source, "init_token must be allow or refuse; got '" + init + "'", null);
        }
        int labelMax = number(p, "label.max", source, 1);
        if (labelMax > 32) {
            throw error(source, "label.max must be at most 32 (CK_TOKEN_INFO.label is 32 bytes)", null);
        }
        String verified = value(p, "verified");
        if (!verified.equals("true") && !verified.equals("false")) {
            throw error(source, "verified must be true or false", null);
        }
        return new VendorProfile(id, value(p, "name"), value(p, "manufacturer"), patterns(p, source),
                value(p, "model"), modules,
                new PinPolicy(min, max, chars, initial.isEmpty() ? null : initial.toCharArray()),
                number(p, "pin.retries", source, 0), number(p, "so_pin.retries", source, 0), list(p, "key.specs"),
                init.equals("allow"), labelMax, list(p, "quirks"), verified.equals("true"), source);
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

    private static List<Pattern> patterns(Properties p, String source) throws InvalidInputException {
        List<Pattern> out = new ArrayList<>();
        for (String regex : list(p, "manufacturer.patterns")) {
            try {
                out.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw error(source, "manufacturer.patterns has an invalid pattern '" + regex + "'", e);
            }
        }
        return out;
    }

    private static int number(Properties p, String key, String source, int min) throws InvalidInputException {
        String v = value(p, key);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(source, key + " must be a whole number of at least " + min + "; got '" + v + "'", null);
    }

    private static InvalidInputException error(String source, String what, Throwable cause) {
        return new InvalidInputException("profile", "Profile " + source + " " + what, cause);
    }
}
