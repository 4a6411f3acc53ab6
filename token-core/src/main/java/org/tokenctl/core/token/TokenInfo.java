package org.tokenctl.core.token;

import java.util.Set;

/**
 * An immutable snapshot of {@code C_GetTokenInfo}.
 *
 * @param label the token label (trailing blanks removed)
 * @param manufacturer the manufacturer id
 * @param model the model
 * @param serial the serial number (empty on an uninitialised SoftHSM token)
 * @param flags the flags, by name
 * @param minPinLength ulMinPinLen
 * @param maxPinLength ulMaxPinLen
 * @param memory free and total memory
 * @param hardwareVersion "major.minor"
 * @param firmwareVersion "major.minor"
 */
public record TokenInfo(String label, String manufacturer, String model, String serial, Set<TokenFlag> flags,
                        long minPinLength, long maxPinLength, Memory memory,
                        String hardwareVersion, String firmwareVersion) {

    /**
     * Copies the flag set so the snapshot stays immutable.
     *
     * @param label the token label (trailing blanks removed)
     * @param manufacturer the manufacturer id
     * @param model the model
     * @param serial the serial number (empty on an uninitialised SoftHSM token)
     * @param flags the flags, by name
     * @param minPinLength ulMinPinLen
     * @param maxPinLength ulMaxPinLen
     * @param memory free and total memory
     * @param hardwareVersion "major.minor"
     * @param firmwareVersion "major.minor"
     */
    public TokenInfo {
        flags = Set.copyOf(flags);
    }

    /**
     * @param flag a flag
     * @return whether the token set it
     */
    public boolean has(TokenFlag flag) {
        return flags.contains(flag);
    }

    /** @return CKF_TOKEN_INITIALIZED */
    public boolean initialized() {
        return has(TokenFlag.TOKEN_INITIALIZED);
    }

    /** @return the user PIN's state */
    public PinStatus userPin() {
        return new PinStatus(state(TokenFlag.USER_PIN_LOCKED, TokenFlag.USER_PIN_FINAL_TRY,
                TokenFlag.USER_PIN_COUNT_LOW), has(TokenFlag.USER_PIN_TO_BE_CHANGED),
                has(TokenFlag.USER_PIN_INITIALIZED));
    }

    /**
     * @return the SO PIN's state; on an uninitialised token there is no SO PIN yet
     *         (C_InitToken sets the first), whatever the flags say (SoftHSM flags it locked)
     */
    public PinStatus soPin() {
        if (!initialized()) {
            return new PinStatus(PinState.OK, false, false);
        }
        return new PinStatus(state(TokenFlag.SO_PIN_LOCKED, TokenFlag.SO_PIN_FINAL_TRY, TokenFlag.SO_PIN_COUNT_LOW),
                has(TokenFlag.SO_PIN_TO_BE_CHANGED), true);
    }

    private PinState state(TokenFlag locked, TokenFlag finalTry, TokenFlag countLow) {
        if (has(locked)) {
            return PinState.LOCKED;
        }
        if (has(finalTry)) {
            return PinState.FINAL_TRY;
        }
        return has(countLow) ? PinState.COUNT_LOW : PinState.OK;
    }
}
