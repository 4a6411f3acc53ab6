/**
 * PINs: held in wiped {@code char[]} ({@link org.tokenctl.core.pin.Pin}), checked
 * against a policy before they are set, refused when no PIN pad could type them, and
 * counted by a client-side attempt guard so that wrong PINs do not lock a token.
 */
package org.tokenctl.core.pin;
