package org.tokenctl.core.pin;

import java.util.Objects;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.token.TokenInfo;

/**
 * One user PIN used for many tokens (batch enrollment's shared PIN source), tried
 * so that a wrong one costs one try in all, not one per token: until a token has
 * accepted it, logins with it are made one at a time, and after the first
 * {@code CKR_PIN_INCORRECT} it is not presented again
 * ({@link SharedPinRefusedException}). Other failures (a locked PIN, the attempt
 * guard, a device error) say nothing about the PIN and leave it in use.
 *
 * <p>Once a token has accepted the PIN it is known to be the PIN meant, and
 * logins with it run in parallel (a login holds the attempt guard's file writes:
 * serialising every one would serialise the batch). A token whose own PIN differs
 * then costs that token one try, and logins already under way when it refuses
 * (fewer than the number of workers) may still use the PIN once each, every one on
 * a token of its own.
 *
 * <p>Thread-safe. Owns the PIN: {@link #close()} wipes it.
 */
public final class SharedPin implements AutoCloseable {

    private final Pin pin;
    private volatile boolean accepted;
    private volatile String refusedBy;

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
        if (accepted) {
            attempt(session, options);
            return;
        }
        // Serialised until a token accepts the PIN: with N workers, N logins in flight
        // would all use a wrong PIN before the first refusal came back.
        synchronized (this) {
            attempt(session, options);
            accepted = true;
        }
    }

    private void attempt(TokenSession session, LoginOptions options) throws TokenctlException {
        String refused = refusedBy;
        if (refused != null) {
            throw new SharedPinRefusedException(refused);
        }
        try {
            session.login(UserType.USER, pin, options);
        } catch (PinIncorrectException e) {
            String who = describe(session);
            synchronized (this) {
                if (refusedBy == null) {
                    refusedBy = who;
                }
            }
            throw e;
        }
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
