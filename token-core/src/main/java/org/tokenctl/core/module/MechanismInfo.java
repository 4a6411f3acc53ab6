package org.tokenctl.core.module;

import java.util.ArrayList;
import java.util.List;

/**
 * What a token says of one mechanism ({@code C_GetMechanismInfo}, PKCS#11 v2.40
 * section 5.5): its key sizes (bits for RSA and EC, bytes for some others, as the
 * mechanism's definition says) and its {@code CKF_} flags.
 *
 * @param code the {@code CKM_} value
 * @param name its name, e.g. {@code CKM_RSA_PKCS_KEY_PAIR_GEN}, or {@code 0x...} for vendor values
 * @param minKeySize ulMinKeySize
 * @param maxKeySize ulMaxKeySize
 * @param flags the flags set, by name without {@code CKF_} (e.g. {@code SIGN}, {@code GENERATE_KEY_PAIR})
 */
public record MechanismInfo(long code, String name, long minKeySize, long maxKeySize, List<String> flags) {

    /** The mechanism flags of PKCS#11 v2.40 table 34, in the standard's order. */
    private static final Object[][] FLAGS = {
        {0x1L, "HW"}, {0x100L, "ENCRYPT"}, {0x200L, "DECRYPT"}, {0x400L, "DIGEST"}, {0x800L, "SIGN"},
        {0x1000L, "SIGN_RECOVER"}, {0x2000L, "VERIFY"}, {0x4000L, "VERIFY_RECOVER"}, {0x8000L, "GENERATE"},
        {0x10000L, "GENERATE_KEY_PAIR"}, {0x20000L, "WRAP"}, {0x40000L, "UNWRAP"}, {0x80000L, "DERIVE"},
        {0x100000L, "EC_F_P"}, {0x200000L, "EC_F_2M"}, {0x400000L, "EC_ECPARAMETERS"}, {0x800000L, "EC_NAMEDCURVE"},
        {0x1000000L, "EC_UNCOMPRESS"}, {0x2000000L, "EC_COMPRESS"}, {0x80000000L, "EXTENSION"},
    };

    /**
     * Copies the flags.
     *
     * @param code the {@code CKM_} value
     * @param name its name
     * @param minKeySize ulMinKeySize
     * @param maxKeySize ulMaxKeySize
     * @param flags the flags set, by name without {@code CKF_}
     */
    public MechanismInfo {
        flags = List.copyOf(flags);
    }

    /**
     * @param code the mechanism
     * @param min ulMinKeySize
     * @param max ulMaxKeySize
     * @param ckf the flags word
     * @return the description
     */
    static MechanismInfo of(long code, long min, long max, long ckf) {
        List<String> names = new ArrayList<>();
        for (Object[] f : FLAGS) {
            if ((ckf & (Long) f[0]) != 0) {
                names.add((String) f[1]);
            }
        }
        return new MechanismInfo(code, Pkcs11.mechanismName(code), min, max, names);
    }

    /**
     * @param flag a flag name without {@code CKF_}
     * @return whether it is set
     */
    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
