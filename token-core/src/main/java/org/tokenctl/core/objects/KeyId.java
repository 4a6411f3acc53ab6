package org.tokenctl.core.objects;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.tokenctl.core.InvalidInputException;

/**
 * A {@code CKA_ID}: the bytes that tie a private key, its public key and its
 * certificate together on a token.
 */
public final class KeyId {

    private static final int MAX_BYTES = 255;

    private final byte[] bytes;

    private KeyId(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the id bytes (copied)
     * @return the id
     */
    public static KeyId of(byte[] bytes) {
        return new KeyId(bytes.clone());
    }

    /**
     * Parses hex, as pkcs11-tool's {@code --id} takes it (an optional {@code 0x}
     * prefix and {@code :} separators allowed).
     *
     * @param hex e.g. {@code 01ab} or {@code 01:ab}
     * @return the id
     * @throws InvalidInputException if it is empty, odd-length, too long or not hex
     */
    public static KeyId parse(String hex) throws InvalidInputException {
        String h = hex == null ? "" : hex.trim().replace(":", "");
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        if (h.isEmpty() || h.length() % 2 != 0 || h.length() / 2 > MAX_BYTES) {
            throw new InvalidInputException("id", "Key id must be 1 to " + MAX_BYTES
                    + " bytes of hex (an even number of digits); got '" + hex + "'");
        }
        try {
            return new KeyId(HexFormat.of().parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("id", "Key id must be hex; got '" + hex + "'", e);
        }
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return lower-case hex, no separators */
    public String hex() {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId && Arrays.equals(bytes, ((KeyId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
