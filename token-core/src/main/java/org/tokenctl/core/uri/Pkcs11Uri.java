package org.tokenctl.core.uri;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;

/**
 * A {@code pkcs11:} URI (RFC 7512): the names the rest of the PKCS#11 world
 * (OpenSSL's engine and provider, p11-kit, GnuTLS's p11tool, curl) gives a token
 * and the objects on it.
 *
 * <p>Parsing follows the RFC's grammar (section 2.3) strictly: path attributes
 * separated by {@code ;}, then an optional query of attributes separated by
 * {@code &}; each value percent-encoded where it holds anything outside the
 * characters the grammar allows; no attribute twice. Of the path attributes,
 * those that name a token ({@code token}, {@code manufacturer}, {@code model},
 * {@code serial}), a slot ({@code slot-id}, {@code slot-description},
 * {@code slot-manufacturer}) or an object ({@code id}, {@code object},
 * {@code type}) are understood. A URI that says more than tokenctl can honour is
 * refused rather than half-read, because matching fewer attributes than the URI
 * gives could pick another object: the library attributes (tokenctl loads the one
 * module {@code --module} names), vendor {@code x-} attributes, and the whole
 * query. {@code pin-value} gets its own refusal: a PIN in a URI on the command
 * line is visible to every user of the machine.
 *
 * <p>Error messages say where the URI is wrong, never what it holds. Immutable.
 */
public final class Pkcs11Uri {

    /** The scheme, with its colon. */
    public static final String SCHEME = "pkcs11:";

    private static final String FIELD = "uri";
    private static final List<String> TOKEN_ATTRIBUTES = List.of("token", "manufacturer", "serial", "model");
    private static final List<String> SLOT_ATTRIBUTES = List.of("slot-id", "slot-description", "slot-manufacturer");
    private static final List<String> OBJECT_ATTRIBUTES = List.of("id", "object", "type");
    /** The order in which {@link #toString()} writes attributes: p11tool's, so that output lines up. */
    private static final List<String> ORDER = List.of("model", "manufacturer", "serial", "token", "slot-description",
            "slot-manufacturer", "slot-id", "id", "object", "type");
    private static final Map<String, ObjectClass> TYPES = Map.of("private", ObjectClass.PRIVATE_KEY,
            "public", ObjectClass.PUBLIC_KEY, "cert", ObjectClass.CERTIFICATE, "secret-key", ObjectClass.SECRET_KEY,
            "data", ObjectClass.DATA);
    /** RFC 7512 pk11-res-avail: what a path value may hold unencoded besides RFC 3986's unreserved characters. */
    private static final String PATH_ALLOWED = ":[]@!$'()*+,=&";

    private final Map<String, byte[]> attributes;

    private Pkcs11Uri(Map<String, byte[]> attributes) {
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /**
     * @param text anything an operator gave
     * @return whether it is meant as a {@code pkcs11:} URI (the scheme, in any case)
     */
    public static boolean looksLikeUri(String text) {
        return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Reads a URI.
     *
     * @param text the URI
     * @return the parsed URI
     * @throws InvalidInputException if it is not a {@code pkcs11:} URI tokenctl can honour (the message says
     *         where, and never repeats the URI's content)
     */
    public static Pkcs11Uri parse(String text) throws InvalidInputException {
        if (!looksLikeUri(text)) {
            throw new InvalidInputException(FIELD, "A PKCS#11 URI starts with pkcs11: (RFC 7512)");
        }
        String rest = text.substring(SCHEME.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            refuseQuery(rest.substring(query + 1));
            rest = rest.substring(0, query);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (rest.isEmpty()) {
            return new Pkcs11Uri(out);
        }
        int n = 0;
        for (String attribute : rest.split(";", -1)) {
            n++;
            int eq = attribute.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(FIELD, "Attribute " + n + " of the PKCS#11 URI is not name=value"
                        + " (attributes are separated by ';')");
            }
            String name = attribute.substring(0, eq);
            if (name.startsWith("library-")) {
                throw new InvalidInputException(FIELD, "Attribute " + n + " of the PKCS#11 URI names a library:"
                        + " tokenctl uses the module --module names; leave library-* out of the URI");
            }
            if (name.startsWith("x-")) {
                throw new InvalidInputException(FIELD, "Attribute " + n + " of the PKCS#11 URI is a vendor"
                        + " attribute (x-...), which tokenctl cannot honour");
            }
            if (!ORDER.contains(name)) {
                throw new InvalidInputException(FIELD, "Attribute " + n + " of the PKCS#11 URI is not one RFC 7512"
                        + " defines for the path (known: " + String.join(", ", ORDER)
                        + ", and the library-* attributes)");
            }
            if (out.containsKey(name)) {
                throw new InvalidInputException(FIELD, "The PKCS#11 URI gives " + name + " twice (RFC 7512"
                        + " allows each attribute once)");
            }
            byte[] value = decode(attribute.substring(eq + 1), name);
            if (!name.equals("id")) {
                checkText(value, name);
            }
            out.put(name, value);
        }
        Pkcs11Uri uri = new Pkcs11Uri(out);
        uri.checkValues();
        return uri;
    }

    private static void refuseQuery(String query) throws InvalidInputException {
        for (String attribute : query.split("&", -1)) {
            String name = attribute.contains("=") ? attribute.substring(0, attribute.indexOf('=')) : attribute;
            if (name.equals("pin-value")) {
                throw new InvalidInputException(FIELD, "A PKCS#11 URI must not carry the PIN (pin-value): a command"
                        + " line is visible to every user of the machine; give the PIN with --pin-file,"
                        + " --pin-env, --pin-stdin or at the prompt");
            }
        }
        throw new InvalidInputException(FIELD, "tokenctl does not take the query part of a PKCS#11 URI (after '?'):"
                + " give the module with --module and the PIN with --pin-file, --pin-env, --pin-stdin or at the"
                + " prompt");
    }

    private static byte[] decode(String value, String name) throws InvalidInputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new InvalidInputException(FIELD, "The " + name + " of the PKCS#11 URI has a '%' that is"
                            + " not followed by two hex digits (percent-encoding, RFC 3986 section 2.1)");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (unreserved(c) || PATH_ALLOWED.indexOf(c) >= 0) {
                out.write(c);
            } else {
                throw new InvalidInputException(FIELD, "The " + name + " of the PKCS#11 URI holds a character that"
                        + " must be percent-encoded (character " + (i + 1) + " of the value)");
            }
        }
        return out.toByteArray();
    }

    private static void checkText(byte[] value, String name) throws InvalidInputException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(FIELD, "The " + name + " of the PKCS#11 URI is not UTF-8 once decoded");
        }
        int bad = NameCharacters.firstForbidden(text);
        if (bad >= 0) {
            throw new InvalidInputException(FIELD, "The " + name + " of the PKCS#11 URI holds "
                    + NameCharacters.describe(text, bad));
        }
    }

    private void checkValues() throws InvalidInputException {
        String slotId = text("slot-id");
        if (slotId != null && !slotId.matches("[0-9]{1,18}")) {
            throw new InvalidInputException(FIELD, "The slot-id of the PKCS#11 URI must be a decimal number");
        }
        String type = text("type");
        if (type != null && !TYPES.containsKey(type)) {
            throw new InvalidInputException(FIELD, "The type of the PKCS#11 URI must be one of cert, private,"
                    + " public, secret-key or data (RFC 7512 section 2.3)");
        }
        byte[] id = attributes.get("id");
        if (id != null && id.length == 0) {
            throw new InvalidInputException(FIELD, "The id of the PKCS#11 URI is empty");
        }
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /**
     * The URI of a token, as p11tool writes it: model, manufacturer, serial and label
     * (the last two when the token has them).
     *
     * @param token the token
     * @return its URI
     */
    public static Pkcs11Uri of(TokenInfo token) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("model", utf8(token.model()));
        m.put("manufacturer", utf8(token.manufacturer()));
        // a blank token has no serial or label yet (SoftHSM's free slot): an empty value would match nothing
        if (!token.serial().isEmpty()) {
            m.put("serial", utf8(token.serial()));
        }
        if (token.initialized()) {
            m.put("token", utf8(token.label()));
        }
        return new Pkcs11Uri(m);
    }

    /**
     * The URI of an object on a token.
     *
     * @param token the token
     * @param type the object's class (a certificate, a private or public key)
     * @param id its CKA_ID, or null when it has none
     * @param label its CKA_LABEL, or null or empty when it has none
     * @return its URI
     */
    public static Pkcs11Uri of(TokenInfo token, ObjectClass type, KeyId id, String label) {
        Map<String, byte[]> m = new LinkedHashMap<>(of(token).attributes);
        if (id != null) {
            m.put("id", id.bytes());
        }
        if (label != null && !label.isEmpty()) {
            m.put("object", utf8(label));
        }
        TYPES.forEach((name, cls) -> {
            if (cls == type) {
                m.put("type", utf8(name));
            }
        });
        return new Pkcs11Uri(m);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(String name) {
        byte[] v = attributes.get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** @return the token label asked for ({@code token}), or null */
    public String token() {
        return text("token");
    }

    /** @return the token manufacturer asked for, or null */
    public String manufacturer() {
        return text("manufacturer");
    }

    /** @return the token model asked for, or null */
    public String model() {
        return text("model");
    }

    /** @return the token serial asked for, or null */
    public String serial() {
        return text("serial");
    }

    /** @return the slot id asked for, or null */
    public Long slotId() {
        String v = text("slot-id");
        return v == null ? null : Long.valueOf(v);
    }

    /** @return the CKA_ID asked for ({@code id}), or null */
    public KeyId id() {
        byte[] v = attributes.get("id");
        return v == null ? null : KeyId.of(v);
    }

    /** @return the CKA_LABEL asked for ({@code object}), or null */
    public String object() {
        return text("object");
    }

    /** @return the object class asked for ({@code type}), or null */
    public ObjectClass type() {
        String v = text("type");
        return v == null ? null : TYPES.get(v);
    }

    /** @return the objects the URI names: its {@code type}, {@code id} and {@code object} */
    public ObjectQuery objectQuery() {
        return new ObjectQuery(type(), id(), object());
    }

    /** @return whether the URI says anything about the token or its slot */
    public boolean namesToken() {
        return TOKEN_ATTRIBUTES.stream().anyMatch(attributes::containsKey)
                || SLOT_ATTRIBUTES.stream().anyMatch(attributes::containsKey);
    }

    /** @return whether the URI says anything about an object ({@code id}, {@code object}, {@code type}) */
    public boolean namesObject() {
        return OBJECT_ATTRIBUTES.stream().anyMatch(attributes::containsKey);
    }

    /** @return the same URI without its object attributes: the token part */
    public Pkcs11Uri tokenPart() {
        Map<String, byte[]> m = new LinkedHashMap<>(attributes);
        OBJECT_ATTRIBUTES.forEach(m::remove);
        return new Pkcs11Uri(m);
    }

    /**
     * Whether the token in a slot has every token and slot attribute this URI gives
     * (the object attributes are not looked at). A URI that names the token by its
     * label matches initialised tokens only, as {@code --token-label} does.
     *
     * @param slot a slot
     * @return whether it holds a token that matches
     */
    public boolean matches(Slot slot) {
        TokenInfo t = slot.token();
        if (t == null) {
            return false;
        }
        return (token() == null || (t.initialized() && token().equals(t.label())))
                && (manufacturer() == null || manufacturer().equals(t.manufacturer()))
                && (model() == null || model().equals(t.model()))
                && (serial() == null || serial().equalsIgnoreCase(t.serial()))
                && (slotId() == null || slotId() == slot.id())
                && (text("slot-description") == null || text("slot-description").equals(slot.description()))
                && (text("slot-manufacturer") == null || text("slot-manufacturer").equals(slot.manufacturer()));
    }

    /** @return the URI, each value percent-encoded where RFC 7512 asks (an id: every byte) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(SCHEME);
        for (String name : ORDER) {
            byte[] v = attributes.get(name);
            if (v == null) {
                continue;
            }
            if (sb.length() > SCHEME.length()) {
                sb.append(';');
            }
            sb.append(name).append('=');
            for (byte b : v) {
                char c = (char) (b & 0xff);
                if (!name.equals("id") && unreserved(c)) {
                    sb.append(c);
                } else {
                    sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
                }
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Pkcs11Uri other) || other.attributes.size() != attributes.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.attributes.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
