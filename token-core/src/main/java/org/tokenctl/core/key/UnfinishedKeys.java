package org.tokenctl.core.key;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Refuses a second key pair under a label whose first one never got its certificate.
 * An enrollment ended by {@code kill -9} or a power loss (nothing can roll back), or an
 * offline one waiting for {@code import-cert}, leaves a private key with that label and
 * no certificate with its CKA_ID; generating again would leave two pairs with one label,
 * which applications that find keys by label cannot tell apart.
 */
public final class UnfinishedKeys {

    private UnfinishedKeys() {
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param label the label a new key pair is to get
     * @throws InvalidInputException if a private key with this label has no certificate with its CKA_ID; its
     *                               remedy is {@link Remedy#EXISTING_KEY}
     * @throws Pkcs11CallException if the token fails
     */
    public static void requireNone(TokenSession session, String label) throws InvalidInputException,
            Pkcs11CallException {
        if (label == null) {
            return;
        }
        for (long key : session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).label(label))) {
            byte[] id = session.attributes(key, Pkcs11.CKA_ID).id();
            if (id == null || id.length == 0) {
                continue; // no id, no certificate can be linked to it: not an enrollment of ours
            }
            long[] certs = session.find(Attributes.ofClass(Pkcs11.CKO_CERTIFICATE).id(id));
            if (certs.length == 0) {
                String hex = KeyId.of(id).hex();
                throw new InvalidInputException("label", "The token already holds a private key labelled '" + label
                        + "' with id " + hex + " and no certificate (an enrollment that did not finish, or one"
                        + " waiting for its certificate); not making a second key pair with that label: delete"
                        + " that pair (pkcs11-tool --login --delete-object --type privkey --id " + hex
                        + ", and --type pubkey) or enroll it instead of a new one", Remedy.EXISTING_KEY, null);
            }
        }
    }
}
