package org.tokenctl.cli.options;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.uri.Pkcs11Uri;

/**
 * How an option that names a key pair already on the token ({@code --key-id},
 * {@code --cmp-kur}) is read: a CKA_ID in hex, or a {@code pkcs11:} URI (RFC 7512)
 * whose {@code id}, {@code object} and {@code type} name the key and whose token
 * attributes, if any, name the token. The one reader of such values.
 */
public final class KeyNames {

    private KeyNames() {
    }

    /**
     * @param value the option's value
     * @return the key it names
     * @throws InvalidInputException if it is neither hex nor a URI tokenctl can honour, or a URI that names no key
     */
    public static ObjectQuery key(String value) throws InvalidInputException {
        if (!Pkcs11Uri.looksLikeUri(value)) {
            return ObjectQuery.id(KeyId.parse(value));
        }
        Pkcs11Uri uri = Pkcs11Uri.parse(value);
        if (uri.id() == null && uri.object() == null) {
            throw new InvalidInputException("uri", "A PKCS#11 URI that names a key pair needs its id= or object="
                    + " (the private key's CKA_ID or CKA_LABEL)");
        }
        return uri.objectQuery();
    }

    /**
     * @param value the option's value, or null
     * @return its URI when it is one that names a token, else null
     * @throws InvalidInputException if it is a URI tokenctl cannot honour
     */
    public static Pkcs11Uri tokenOf(String value) throws InvalidInputException {
        if (!Pkcs11Uri.looksLikeUri(value)) {
            return null;
        }
        Pkcs11Uri uri = Pkcs11Uri.parse(value);
        return uri.namesToken() ? uri.tokenPart() : null;
    }
}
