package org.tokenctl.core.key;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;

/**
 * Refuses a second key pair under a label a finished enrollment already carries.
 * Middleware and applications often find a key by its label (a browser's certificate
 * picker, {@code pkcs11:object=...} URIs, a bank's signing plug-in); two pairs with one
 * label leave them to pick either, so a renewal must be asked for, not happen by
 * repeating an enrollment. ({@link UnfinishedKeys} refuses the other case: a key with
 * that label still waiting for its certificate.)
 */
public final class DuplicateLabels {

    private DuplicateLabels() {
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param label the label a new key pair is to get; null checks nothing
     * @throws InvalidInputException if a private key with this label has a certificate with its CKA_ID; it names
     *                               the key's id, and its remedy is {@link Remedy#DUPLICATE_LABEL}
     * @throws Pkcs11CallException if the token fails
     */
    public static void requireUnused(TokenSession session, String label) throws InvalidInputException,
            Pkcs11CallException {
        if (label == null) {
            return;
        }
        for (long key : session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).label(label))) {
            byte[] id = session.attributes(key, Pkcs11.CKA_ID).id();
            if (id == null || id.length == 0) {
                continue;
            }
            if (session.find(Attributes.ofClass(Pkcs11.CKO_CERTIFICATE).id(id)).length > 0) {
                throw new InvalidInputException("label", "The token already holds a key pair labelled '" + label
                        + "' with its certificate (key id " + KeyId.of(id).hex() + "); a second pair with that label"
                        + " would leave applications that find keys by label to pick either: choose another label,"
                        + " or enroll that key again by its id", Remedy.DUPLICATE_LABEL, null);
            }
        }
    }
}
