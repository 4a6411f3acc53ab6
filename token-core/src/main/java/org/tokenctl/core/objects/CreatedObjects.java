package org.tokenctl.core.objects;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;

/**
 * What one operation has done to a token, so that a failure can undo exactly
 * that (newest first) and nothing else: the objects it created are destroyed,
 * the attributes it changed on objects that were there before get their old
 * values back. Objects are tracked by handle, which is only valid in the session
 * that made the change: use one {@code CreatedObjects} per operation and
 * session, on one thread.
 */
public final class CreatedObjects {

    /** @param restore null for an object to destroy; else the old values to write back */
    private record Entry(long handle, String description, Attributes restore) {
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
        entries.push(new Entry(handle, description, null));
    }

    /**
     * Records a change just made to an object the operation did not create, so
     * that a roll-back writes the old values back instead of destroying it.
     *
     * @param handle the object's handle
     * @param description what it is, for messages, e.g. "private key id=ab01"
     * @param old the attributes' values before the change
     */
    public void changed(long handle, String description, Attributes old) {
        entries.push(new Entry(handle, description, old));
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
     * Destroys every tracked object and restores every tracked change, newest
     * first, trying all of them even when one fails. Returns normally when all are gone: the caller then reports its
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
                if (e.restore() == null) {
                    session.destroy(e.handle());
                    removed.add(0, e.description());
                } else {
                    session.setAttributes(e.handle(), e.restore());
                }
            } catch (Pkcs11CallException | RuntimeException x) {
                String call = e.restore() == null ? "C_DestroyObject" : "C_SetAttributeValue";
                left.add((e.restore() == null ? e.description() : e.description() + " with changed attributes")
                        + " (" + call + ": "
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
