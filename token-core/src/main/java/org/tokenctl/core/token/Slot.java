package org.tokenctl.core.token;

/**
 * An immutable snapshot of a slot ({@code C_GetSlotInfo}) and of the token in it.
 *
 * <p>Slot ids are only meaningful within one process: SoftHSM, for one, gives a
 * token a new slot id after {@code C_InitToken}. Remember tokens by label or
 * serial, never by slot id.
 *
 * @param id the slot id in this process
 * @param description the slot description
 * @param manufacturer the slot manufacturer id
 * @param tokenPresent CKF_TOKEN_PRESENT
 * @param removable CKF_REMOVABLE_DEVICE
 * @param hardware CKF_HW_SLOT
 * @param token the token, or null when none is present
 */
public record Slot(long id, String description, String manufacturer, boolean tokenPresent, boolean removable,
                   boolean hardware, TokenInfo token) {

    /** @return a short name for messages: "slot 3 'label' (serial ...)" */
    public String describe() {
        if (token == null) {
            return "slot " + id + " (no token)";
        }
        return "slot " + id + " '" + token.label() + "'"
                + (token.serial().isEmpty() ? "" : " (serial " + token.serial() + ")");
    }
}
