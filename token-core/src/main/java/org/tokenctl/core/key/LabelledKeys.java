package org.tokenctl.core.key;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;

/**
 * Refuses a new key pair under a label another key pair already carries, before it is
 * made. Middleware and applications often find a key by its label (a certificate
 * picker, {@code pkcs11:object=...} URIs, a bank's signing plug-in); two pairs with one
 * label leave them to pick either. Two cases:
 * <ul>
 * <li>the other key has no certificate with its CKA_ID: an enrollment ended by
 *     {@code kill -9} or a power loss (nothing could roll back), or an offline one waiting
 *     for {@code import-cert}. Always refused: that pair is to be enrolled, or deleted.</li>
 * <li>the other key has its certificate: a finished enrollment. Refused unless a second
 *     pair is asked for on purpose.</li>
 * </ul>
 */
public final class LabelledKeys {

    private LabelledKeys() {
    }

    /**
     * A key pair an enrollment under this label left without its certificate: a private
     * key with the label and a CKA_ID, and no certificate with that id (an enrollment cut
     * by {@code kill -9}, a power loss or a pulled token, or one waiting for import-cert).
     *
     * @param session a session logged in as the user
     * @param label the label
     * @return the id of the first such key, if any
     * @throws Pkcs11CallException if the token fails
     */
    public static java.util.Optional<KeyId> unfinished(TokenSession session, String label)
            throws Pkcs11CallException {
        return java.util.Optional.ofNullable(scan(session, label).unfinished());
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param label the label a new key pair is to get; null checks nothing
     * @param finishedAllowed whether a key that has its certificate may share the label (asked for on purpose)
     * @throws InvalidInputException naming the other key's id: for a key without certificate (remedy
     *                               {@link Remedy#EXISTING_KEY}), else for one with its certificate unless
     *                               allowed (remedy {@link Remedy#DUPLICATE_LABEL})
     * @throws Pkcs11CallException if the token fails
     */
    public static void requireFree(TokenSession session, String label, boolean finishedAllowed)
            throws InvalidInputException, Pkcs11CallException {
        if (label == null) {
            return;
        }
        Labelled found = scan(session, label);
        if (found.unfinished() != null) {
            String hex = found.unfinished().hex();
            throw new InvalidInputException("label", "The token already holds a private key labelled '" + label
                    + "' with id " + hex + " and no certificate (an enrollment that did not finish, or one"
                    + " waiting for its certificate); not making a second key pair with that label: delete"
                    + " that pair (tokenctl delete --id " + hex + " --type pair) or enroll it instead of a new"
                    + " one", Remedy.EXISTING_KEY, null);
        }
        if (found.finished() != null && !finishedAllowed) {
            throw new InvalidInputException("label", "The token already holds a key pair labelled '" + label
                    + "' with its certificate (key id " + found.finished().hex() + "); a second pair with that label"
                    + " would leave applications that find keys by label to pick either: choose another label, or"
                    + " enroll that key again by its id", Remedy.DUPLICATE_LABEL, null);
        }
    }

    /** The first private key with the label and no certificate, and the first with one; either may be null. */
    private record Labelled(KeyId unfinished, KeyId finished) {
    }

    /** One search for the private keys with the label, and one for each one's certificate. */
    private static Labelled scan(TokenSession session, String label) throws Pkcs11CallException {
        KeyId unfinished = null;
        KeyId finished = null;
        for (long key : session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).label(label))) {
            byte[] id = session.attributes(key, Pkcs11.CKA_ID).id();
            if (id == null || id.length == 0) {
                continue; // no id, no certificate can be linked to it: not an enrollment of ours
            }
            if (session.find(Attributes.ofClass(Pkcs11.CKO_CERTIFICATE).id(id)).length == 0) {
                if (unfinished == null) {
                    unfinished = KeyId.of(id);
                }
            } else if (finished == null) {
                finished = KeyId.of(id);
            }
        }
        return new Labelled(unfinished, finished);
    }
}
