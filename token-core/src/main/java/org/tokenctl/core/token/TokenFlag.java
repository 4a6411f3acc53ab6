package org.tokenctl.core.token;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The {@code CK_TOKEN_INFO.flags} bits, by their PKCS#11 names (PKCS#11 v2.40 section 5.5, table 8). */
public enum TokenFlag {
    /** CKF_RNG */
    RNG(0x00000001L),
    /** CKF_WRITE_PROTECTED */
    WRITE_PROTECTED(0x00000002L),
    /** CKF_LOGIN_REQUIRED */
    LOGIN_REQUIRED(0x00000004L),
    /** CKF_USER_PIN_INITIALIZED */
    USER_PIN_INITIALIZED(0x00000008L),
    /** CKF_RESTORE_KEY_NOT_NEEDED */
    RESTORE_KEY_NOT_NEEDED(0x00000020L),
    /** CKF_CLOCK_ON_TOKEN */
    CLOCK_ON_TOKEN(0x00000040L),
    /** CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is entered on a PIN pad, not given by the application */
    PROTECTED_AUTHENTICATION_PATH(0x00000100L),
    /** CKF_DUAL_CRYPTO_OPERATIONS */
    DUAL_CRYPTO_OPERATIONS(0x00000200L),
    /** CKF_TOKEN_INITIALIZED */
    TOKEN_INITIALIZED(0x00000400L),
    /** CKF_SECONDARY_AUTHENTICATION */
    SECONDARY_AUTHENTICATION(0x00000800L),
    /** CKF_USER_PIN_COUNT_LOW: a wrong user PIN was entered since the last success */
    USER_PIN_COUNT_LOW(0x00010000L),
    /** CKF_USER_PIN_FINAL_TRY: one more wrong user PIN locks the token */
    USER_PIN_FINAL_TRY(0x00020000L),
    /** CKF_USER_PIN_LOCKED */
    USER_PIN_LOCKED(0x00040000L),
    /** CKF_USER_PIN_TO_BE_CHANGED */
    USER_PIN_TO_BE_CHANGED(0x00080000L),
    /** CKF_SO_PIN_COUNT_LOW */
    SO_PIN_COUNT_LOW(0x00100000L),
    /** CKF_SO_PIN_FINAL_TRY */
    SO_PIN_FINAL_TRY(0x00200000L),
    /** CKF_SO_PIN_LOCKED */
    SO_PIN_LOCKED(0x00400000L),
    /** CKF_SO_PIN_TO_BE_CHANGED */
    SO_PIN_TO_BE_CHANGED(0x00800000L),
    /** CKF_ERROR_STATE */
    ERROR_STATE(0x01000000L);

    private final long mask;

    TokenFlag(long mask) {
        this.mask = mask;
    }

    /** @return the bit in CK_TOKEN_INFO.flags */
    public long mask() {
        return mask;
    }

    /** @return the PKCS#11 constant name, e.g. {@code CKF_USER_PIN_LOCKED} */
    public String pkcs11Name() {
        return "CKF_" + name();
    }

    /** @return the camelCase name used in JSON, e.g. {@code userPinLocked} */
    public String camelName() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().toLowerCase(Locale.ROOT).split("_")) {
            sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return sb.toString();
    }

    /**
     * Decodes a flags word.
     *
     * @param flags CK_TOKEN_INFO.flags
     * @return the set bits that have a name here
     */
    public static Set<TokenFlag> decode(long flags) {
        EnumSet<TokenFlag> set = EnumSet.noneOf(TokenFlag.class);
        for (TokenFlag f : values()) {
            if ((flags & f.mask) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
