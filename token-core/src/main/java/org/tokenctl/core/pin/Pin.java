package org.tokenctl.core.pin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A PIN (or SO PIN, or password) held in a {@code char[]} that is wiped on
 * {@link #close()}.
 *
 * <p>This is the one place PIN memory is wiped: every PIN in tokenctl lives in a
 * {@code Pin}, is used inside try-with-resources, and never becomes a
 * {@code String}. {@link #toString()} never shows the value. Not thread-safe: a
 * PIN belongs to the operation that reads it.
 */
public final class Pin implements AutoCloseable {

    private final char[] value;
    private boolean wiped;

    private Pin(char[] value) {
        this.value = value;
    }

    /**
     * Takes ownership of a char array (the caller must not keep or reuse it).
     *
     * @param value the PIN characters
     * @return the PIN
     */
    public static Pin wrap(char[] value) {
        return new Pin(value == null ? new char[0] : value);
    }

    /**
     * Copies a char array; the caller still owns (and should wipe) its own copy.
     *
     * @param value the PIN characters
     * @return the PIN
     */
    public static Pin copyOf(char[] value) {
        return new Pin(Arrays.copyOf(value, value.length));
    }

    /**
     * Decodes UTF-8 bytes into a PIN and wipes the byte array. Malformed UTF-8
     * is refused rather than replaced, so a PIN file with stray bytes cannot
     * silently become a different PIN.
     *
     * @param utf8 the encoded PIN (wiped by this call)
     * @return the PIN
     * @throws CharacterCodingException if the bytes are not valid UTF-8
     */
    public static Pin fromUtf8(byte[] utf8) throws CharacterCodingException {
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            return new Pin(out);
        } finally {
            Arrays.fill(utf8, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    /**
     * The PIN encoded as UTF-8, for algorithms that take bytes (CMP's password-based
     * MAC). No String is made on the way: the characters are encoded straight from
     * the array, and the encoder's buffer is wiped.
     *
     * @return a new array the caller must wipe ({@code Arrays.fill(b, (byte) 0)}) once used
     * @throws IllegalStateException after {@link #close()}
     */
    public byte[] toUtf8() {
        ByteBuffer encoded = null;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(chars()));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            // only an unpaired surrogate gets here; no PIN source produces one (they decode UTF-8 or read a console)
            throw new IllegalStateException("the PIN holds an unpaired UTF-16 surrogate", e);
        } finally {
            if (encoded != null && encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    /**
     * The characters themselves, for handing to the PKCS#11 layer. Do not keep,
     * copy into a String, or modify the array.
     *
     * @return the live array (wiped on {@link #close()})
     * @throws IllegalStateException after {@link #close()}
     */
    public char[] chars() {
        if (wiped) {
            throw new IllegalStateException("PIN already wiped");
        }
        return value;
    }

    /** @return the number of characters */
    public int length() {
        return value.length;
    }

    /** @return whether the PIN has no characters */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** @return the PIN's length in UTF-8 bytes (what PKCS#11 ulPinLen counts) */
    public int utf8Length() {
        int n = 0;
        for (int i = 0; i < value.length; i++) {
            char c = value[i];
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length && Character.isLowSurrogate(value[i + 1])) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Compares in time independent of where the first difference is.
     *
     * @param other another PIN
     * @return whether both hold the same characters
     */
    public boolean sameAs(Pin other) {
        return sameAs(other.chars());
    }

    /**
     * Compares in time independent of where the first difference is.
     *
     * @param other characters to compare with
     * @return whether this PIN holds exactly these characters
     */
    public boolean sameAs(char[] other) {
        char[] mine = chars();
        int diff = mine.length ^ other.length;
        for (int i = 0; i < Math.max(mine.length, other.length); i++) {
            char a = i < mine.length ? mine[i] : 0;
            char b = i < other.length ? other[i] : 0;
            diff |= a ^ b;
        }
        return diff == 0;
    }

    /** @return whether {@link #close()} has run */
    public boolean isWiped() {
        return wiped;
    }

    /** Overwrites the characters with zeros. Idempotent. */
    @Override
    public void close() {
        Arrays.fill(value, '\0');
        wiped = true;
    }

    /** @return a placeholder; never the value */
    @Override
    public String toString() {
        return "Pin[***]";
    }
}
