package org.tokenctl.core.module;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/**
 * PKCS#11 attributes of one object, keyed by their {@code CKA_*} type: a template to
 * find, create, change or generate objects with, or what {@link TokenSession#attributes}
 * read back. An attribute can be absent, present with a value, or present without one
 * (the token keeps it secret, {@code CKR_ATTRIBUTE_SENSITIVE}); the readers return null
 * for both of the latter two, {@link #contains} tells them apart.
 *
 * <p>Values are booleans, {@code CK_ULONG}s, byte strings and UTF-8 strings, as the
 * attribute's type in the standard says. Not thread-safe: build one, hand it to one call.
 */
public final class Attributes {

    private final Map<Long, Object> values = new LinkedHashMap<>();

    /** An empty template (matches every object when used with {@link TokenSession#find}). */
    public Attributes() {
        // empty
    }

    /**
     * @param ckoClass a {@code CKO_*} value
     * @return a template holding only {@code CKA_CLASS}
     */
    public static Attributes ofClass(long ckoClass) {
        return new Attributes().number(Pkcs11.CKA_CLASS, ckoClass);
    }

    /** @return a template for X.509 certificate objects ({@code CKO_CERTIFICATE}, {@code CKC_X_509}) */
    public static Attributes x509Certificate() {
        return ofClass(Pkcs11.CKO_CERTIFICATE).number(Pkcs11.CKA_CERTIFICATE_TYPE, Pkcs11.CKC_X_509);
    }

    /** @return whether no attribute is set */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * @param type a boolean attribute
     * @param value its value
     * @return this
     */
    public Attributes bool(long type, boolean value) {
        values.put(type, value);
        return this;
    }

    /**
     * @param type a {@code CK_ULONG} attribute (class, key type, size, category)
     * @param value its value
     * @return this
     */
    public Attributes number(long type, long value) {
        values.put(type, value);
        return this;
    }

    /**
     * @param type a byte-string attribute
     * @param value its value (copied)
     * @return this
     */
    public Attributes bytes(long type, byte[] value) {
        values.put(type, value.clone());
        return this;
    }

    /**
     * @param type a big-integer attribute such as {@code CKA_PUBLIC_EXPONENT}
     * @param value a non-negative value, stored big-endian without a sign byte
     * @return this
     */
    public Attributes integer(long type, BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("PKCS#11 big integers are unsigned");
        }
        byte[] b = value.toByteArray();
        values.put(type, b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b);
        return this;
    }

    /**
     * @param type a UTF-8 string attribute such as {@code CKA_LABEL}
     * @param value its value
     * @return this
     */
    public Attributes text(long type, String value) {
        values.put(type, value);
        return this;
    }

    /**
     * @param label the {@code CKA_LABEL}
     * @return this
     */
    public Attributes label(String label) {
        return text(Pkcs11.CKA_LABEL, label);
    }

    /**
     * @param id the {@code CKA_ID}
     * @return this
     */
    public Attributes id(byte[] id) {
        return bytes(Pkcs11.CKA_ID, id);
    }

    /**
     * @param type an attribute type
     * @return the boolean value, or null if absent or unreadable
     */
    public Boolean bool(long type) {
        return as(type, Boolean.class);
    }

    /**
     * @param type an attribute type
     * @return the {@code CK_ULONG} value, or null if absent or unreadable
     */
    public Long number(long type) {
        return as(type, Long.class);
    }

    /**
     * @param type an attribute type
     * @return a copy of the byte value, or null if absent or unreadable
     */
    public byte[] bytes(long type) {
        byte[] b = as(type, byte[].class);
        return b == null ? null : b.clone();
    }

    /**
     * @param type a big-integer attribute type
     * @return the value read as an unsigned big-endian integer, or null if absent or unreadable
     */
    public BigInteger integer(long type) {
        byte[] b = as(type, byte[].class);
        return b == null ? null : new BigInteger(1, b);
    }

    /**
     * @param type an attribute type
     * @return the string value, or null if absent or unreadable
     */
    public String text(long type) {
        return as(type, String.class);
    }

    /** @return the {@code CKA_LABEL}, or null */
    public String label() {
        return text(Pkcs11.CKA_LABEL);
    }

    /** @return a copy of the {@code CKA_ID}, or null */
    public byte[] id() {
        return bytes(Pkcs11.CKA_ID);
    }

    /**
     * @param type an attribute type
     * @return whether the attribute is present (with a value, or secret)
     */
    public boolean contains(long type) {
        return values.containsKey(type);
    }

    /** @return the types present, in the order they were set or read */
    public Set<Long> types() {
        return Collections.unmodifiableSet(values.keySet());
    }

    private <T> T as(long type, Class<T> kind) {
        Object v = values.get(type);
        if (v == null) {
            return null;
        }
        if (!kind.isInstance(v)) {
            throw new IllegalStateException("attribute " + type + " holds a " + v.getClass().getSimpleName()
                    + ", not a " + kind.getSimpleName());
        }
        return kind.cast(v);
    }

    /** @return the same attributes in the wrapper's form */
    AttributeVector toWrapper() {
        AttributeVector v = new AttributeVector();
        values.forEach(v::attr);
        return v;
    }

    /**
     * @param read what the wrapper read
     * @return the present attributes; secret ones (and values the wrapper could not
     *         decode) are present without a value
     */
    static Attributes fromWrapper(AttributeVector read) {
        Attributes a = new Attributes();
        for (Attribute attr : read.snapshot()) {
            if (!attr.isPresent()) {
                continue;
            }
            Object v = attr.isSensitive() ? null : attr.getValue();
            a.values.put(attr.getType(), v instanceof Integer ? Long.valueOf((Integer) v) : v);
        }
        return a;
    }
}
