package org.tokenctl.core.module;

import iaik.pkcs.pkcs11.wrapper.CK_TOKEN_INFO;
import iaik.pkcs.pkcs11.wrapper.PKCS11;
import org.tokenctl.core.token.Memory;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.xipki.pkcs11.wrapper.PKCS11Constants;

/** Reads {@code C_GetTokenInfo} into a {@link TokenInfo} snapshot. */
final class TokenInfos {

    private TokenInfos() {
    }

    static TokenInfo read(PKCS11 raw, long slotId) throws Pkcs11CallException {
        CK_TOKEN_INFO ti = Calls.query("C_GetTokenInfo", () -> raw.C_GetTokenInfo(slotId));
        return new TokenInfo(Text.trim(ti.label), Text.trim(ti.manufacturerID), Text.trim(ti.model),
                Text.trim(ti.serialNumber), TokenFlag.decode(ti.flags), ti.ulMinPinLen, ti.ulMaxPinLen,
                new Memory(available(ti.ulTotalPublicMemory), available(ti.ulFreePublicMemory),
                        available(ti.ulTotalPrivateMemory), available(ti.ulFreePrivateMemory)),
                Pkcs11Module.version(ti.hardwareVersion.major, ti.hardwareVersion.minor),
                Pkcs11Module.version(ti.firmwareVersion.major, ti.firmwareVersion.minor));
    }

    /** CK_UNAVAILABLE_INFORMATION is ~0 as a CK_ULONG; 32-bit modules give 0xFFFFFFFF. */
    private static Long available(long value) {
        return PKCS11Constants.isUnavailableInformation(value) ? null : value;
    }
}
