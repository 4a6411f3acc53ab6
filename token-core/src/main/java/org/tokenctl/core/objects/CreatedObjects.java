package org.tokenctl.core.objects;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;

/**
 * The objects one operation has created on a token, so that a failure can
 * destroy exactly those (newest first) and nothing else. Objects are tracked by
 * handle, which is only valid in the session that created them: use one
 * {@code CreatedObjects} per operation and session, on one thread.
 */
public final class CreatedObjects {

    private record Entry(long handle, String description) {
    }

    private final TokenSession session;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /**
     * @param session the read-write session the objects are created in
     */
    public CreatedObjects(TokenSession session) {
        this.session = session;
    }

    /**
     * Records an object just created.
     *
     * @param handle its handle
     * @param description what it is, for messages, e.g. "private key id=ab01"
     */
    public void add(long handle, String description) {
        entries.push(new Entry(handle, description));
    }

    /** @return how many objects are tracked */
    public int size() {
        return entries.size();
    }

    /** Keeps everything created so far: the operation succeeded. */
    public void commit() {
        entries.clear();
    }

    /**
     * Destroys every tracked object, newest first, trying all of them even when
     * one fails. Returns normally when all are gone: the caller then reports its
     * original failure, which (when it is a {@link TokenctlException}) now names
     * what was removed ({@link TokenctlException#removedAfterwards}).
     *
     * @param cause the failure that made the operation give up
     * @throws IncompleteOperationException if some object could not be destroyed: its
     *         message is the original failure's, followed by what is left on the token;
     *         its cause is {@code cause}, and each destroy failure is a suppressed exception
     */
    public void rollBack(Throwable cause) throws IncompleteOperationException {
        List<String> left = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        while (!entries.isEmpty()) {
            Entry e = entries.pop();
            try {
                session.destroy(e.handle());
                removed.add(0, e.description());
            } catch (Pkcs11CallException | RuntimeException x) {
                left.add(e.description() + " (C_DestroyObject: "
                        + (x instanceof Pkcs11CallException ? ((Pkcs11CallException) x).ckrName() : x.getMessage())
                        + ")");
                failures.add(x);
            }
        }
        if (left.isEmpty()) {
            if (cause instanceof TokenctlException t && !removed.isEmpty()) {
                t.removedAfterwards(removed);
            }
            return;
        }
        String leftover = String.join(", ", left);
        IncompleteOperationException incomplete = new IncompleteOperationException("created " + leftover,
                cause.getMessage() + "; undoing it failed, still on the token: " + leftover
                        + " (delete with tokenctl delete --id ID)", cause);
        failures.forEach(incomplete::addSuppressed);
        throw incomplete;
    }
}
