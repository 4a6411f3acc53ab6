package org.tokenctl.core.pin;

import java.util.Objects;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.token.TokenInfo;

/**
 * One user PIN used for many tokens (batch enrollment's shared PIN source), tried
 * so that a wrong one costs one try in all, not one per token: logins with it are
 * made one at a time, and after the first {@code CKR_PIN_INCORRECT} it is not
 * presented again ({@link SharedPinRefusedException}). Other failures (a locked
 * PIN, the attempt guard, a device error) say nothing about the PIN and leave it
 * in use.
 *
 * <p>Thread-safe. Owns the PIN: {@link #close()} wipes it.
 */
public final class SharedPin implements AutoCloseable {

    private final Pin pin;
    private String refusedBy;

    /**
     * @param pin the PIN; this object wipes it when closed
     */
    public SharedPin(Pin pin) {
        this.pin = Objects.requireNonNull(pin, "pin");
    }

    /**
     * Logs a session in as the user with the shared PIN, unless it was refused before.
     *
     * @param session a session on one of the tokens
     * @param options the login rules for that token
     * @throws SharedPinRefusedException if another token already refused this PIN (nothing was tried)
     * @throws TokenctlException as {@link TokenSession#login} does
     */
    public void login(TokenSession session, LoginOptions options) throws TokenctlException {
        // Serialised on purpose: with N threads, N logins in flight would all use the
        // wrong PIN before the first refusal came back. A login is milliseconds next
        // to a key generation, so this costs the batch little.
        synchronized (this) {
            if (refusedBy != null) {
                throw new SharedPinRefusedException(refusedBy);
            }
            try {
                session.login(UserType.USER, pin, options);
            } catch (PinIncorrectException e) {
                refusedBy = describe(session);
                throw e;
            }
        }
    }

    /** @return the token that refused the PIN, or null while none has */
    public synchronized String refusedBy() {
        return refusedBy;
    }

    private static String describe(TokenSession session) {
        try {
            TokenInfo info = session.token().info();
            return "'" + info.label() + "' (serial " + info.serial() + ")";
        } catch (Pkcs11CallException e) {
            return "in slot " + session.token().slotId();
        }
    }

    /** Wipes the PIN. */
    @Override
    public synchronized void close() {
        pin.close();
    }
}
