package org.tokenctl.core.key;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.tokenctl.core.InvalidInputException;

/** The hash a signature is made over. */
public enum HashAlgorithm {
    /** SHA-256 */
    SHA256("sha256", "SHA-256"),
    /** SHA-384 */
    SHA384("sha384", "SHA-384"),
    /** SHA-512 */
    SHA512("sha512", "SHA-512"),
    /** SM3 (GM/T 0004), the hash of SM2 signatures; its JCA name is BouncyCastle's */
    SM3("sm3", "SM3");

    private final String spec;
    private final String jcaName;

    HashAlgorithm(String spec, String jcaName) {
        this.spec = spec;
        this.jcaName = jcaName;
    }

    /** @return the name on the command line, e.g. {@code sha256} */
    public String spec() {
        return spec;
    }

    /** @return the JCA {@code MessageDigest} name, e.g. {@code SHA-256} */
    public String jcaName() {
        return jcaName;
    }

    /**
     * @param text e.g. {@code sha384} (case-insensitive, a dash allowed: {@code SHA-384})
     * @return the hash
     * @throws InvalidInputException naming the valid choices
     */
    public static HashAlgorithm parse(String text) throws InvalidInputException {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (HashAlgorithm h : values()) {
            if (h.spec.equals(t)) {
                return h;
            }
        }
        throw new InvalidInputException("hash", "Unknown hash '" + text + "' (valid: "
                + Arrays.stream(values()).map(HashAlgorithm::spec).collect(Collectors.joining(", ")) + ")");
    }
}
