package org.tokenctl.core.objects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;

/**
 * Deletes what an operator named, and nothing else: {@link #plan} finds the objects
 * (to be shown and confirmed), {@link #delete} destroys exactly those handles in the
 * same session, certificate first and private key last, so that a failure part-way
 * leaves the key pair rather than a certificate without its key. Stateless.
 */
public final class ObjectDeleter {

    private static final String FIELD = "object";

    private ObjectDeleter() {
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param query what the operator named: an id or a label is required
     * @param classes the classes to delete (the query's own type, if any, must be among them)
     * @return the matching objects, certificates first, then public keys, then private keys
     * @throws InvalidInputException if the query names neither id nor label (it would match every object), or
     *         if nothing matches
     * @throws Pkcs11CallException if the token fails
     */
    public static List<TokenObject> plan(TokenSession session, ObjectQuery query, Set<ObjectClass> classes)
            throws TokenctlException {
        if (query.isOpen()) {
            throw new InvalidInputException(FIELD, "Name what to delete by id, label or a pkcs11: URI with id= or"
                    + " object=; tokenctl never deletes every object of a kind");
        }
        List<TokenObject> out = new ArrayList<>();
        for (ObjectClass cls : classes) {
            ObjectQuery q = query.ofType(cls);
            if (q == null) {
                continue;
            }
            for (long h : q.find(session)) {
                out.add(ObjectLister.describe(session, h));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(FIELD, "No object with " + query.describe() + " on the token"
                    + (query.type() != null ? " of that type" : ""));
        }
        out.sort(Comparator.comparingInt(o -> order(o.objectClass())));
        return out;
    }

    private static int order(ObjectClass cls) {
        return switch (cls) {
            case CERTIFICATE -> 0;
            case PUBLIC_KEY -> 1;
            case PRIVATE_KEY -> 3;
            default -> 2;
        };
    }

    /**
     * Destroys the planned objects, in the plan's order.
     *
     * @param session the session {@link #plan} used (handles are valid in it)
     * @param plan what {@link #plan} returned, as shown to the operator
     * @return what was destroyed
     * @throws Pkcs11CallException if the first destroy failed (nothing was deleted)
     * @throws IncompleteOperationException if a later destroy failed: the message says what was deleted and
     *         what is left
     */
    public static List<TokenObject> delete(TokenSession session, List<TokenObject> plan)
            throws Pkcs11CallException, IncompleteOperationException {
        List<TokenObject> done = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            TokenObject o = plan.get(i);
            try {
                session.destroy(o.handle());
                done.add(o);
            } catch (Pkcs11CallException e) {
                if (done.isEmpty()) {
                    throw e;
                }
                throw incomplete(plan, i, done, e, e.ckrName());
            } catch (RuntimeException e) {
                throw incomplete(plan, i, done, e, e.getMessage());
            }
        }
        return done;
    }

    private static IncompleteOperationException incomplete(List<TokenObject> plan, int failed,
                                                           List<TokenObject> done, Exception e, String why) {
        List<String> left = new ArrayList<>();
        plan.subList(failed, plan.size()).forEach(x -> left.add(describe(x)));
        List<String> gone = new ArrayList<>();
        done.forEach(x -> gone.add(describe(x)));
        String deleted = gone.isEmpty() ? "nothing" : String.join(", ", gone);
        return new IncompleteOperationException(gone.isEmpty() ? "nothing" : "deleted " + deleted,
                "C_DestroyObject failed (" + why + "); deleted: " + deleted + "; still on the token: "
                        + String.join(", ", left), e);
    }

    /**
     * @param o an object
     * @return e.g. "private key id=0a0b label='alice'"
     */
    public static String describe(TokenObject o) {
        String kind = switch (o.objectClass()) {
            case CERTIFICATE -> "certificate";
            case PUBLIC_KEY -> "public key";
            case PRIVATE_KEY -> "private key";
            case SECRET_KEY -> "secret key";
            case DATA -> "data object";
            default -> "object";
        };
        return kind + " id=" + (o.id() == null ? "(none)" : o.id().hex()) + " label='" + o.label() + "'"
                + (o.certificate() != null ? " (" + o.certificate().subject() + ", serial "
                        + o.certificate().serialHex() + ")" : "");
    }
}
