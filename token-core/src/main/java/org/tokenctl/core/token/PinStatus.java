package org.tokenctl.core.token;

/**
 * The state of one PIN (user or SO) read from the token flags.
 *
 * @param state how many tries are left, as the flags tell
 * @param toBeChanged the token asks for this PIN to be changed before use
 * @param initialized for the user PIN: CKF_USER_PIN_INITIALIZED; always true for the SO PIN
 */
public record PinStatus(PinState state, boolean toBeChanged, boolean initialized) {
}
