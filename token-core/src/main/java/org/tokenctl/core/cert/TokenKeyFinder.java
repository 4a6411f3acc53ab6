package org.tokenctl.core.cert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Finds the private key on a token whose public key is a given one, by value,
 * whatever its CKA_ID: an RSA private key carries its modulus and exponent; an
 * EC private key does not carry its point, so its public key object (same
 * CKA_ID) is compared instead, as for an SM2 key (the vendor's key type, where the
 * token's SM2 constants are known).
 */
public final class TokenKeyFinder {

    /**
     * A private key found on the token.
     *
     * @param privateKey its handle (valid in the session that found it)
     * @param id its CKA_ID (null when it has none)
     * @param label its CKA_LABEL ("" when none)
     */
    public record MatchedKey(long privateKey, KeyId id, String label) {
    }

    private TokenKeyFinder() {
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param publicKey the public key to look for
     * @return the private key, or empty if no key on the token has that public key
     * @throws InvalidInputException if several private keys have it
     * @throws TokenctlException if the token fails
     */
    public static Optional<MatchedKey> find(TokenSession session, SubjectPublicKeyInfo publicKey)
            throws TokenctlException {
        List<MatchedKey> matches = new ArrayList<>();
        for (long priv : session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY))) {
            Attributes a = session.attributes(priv, Pkcs11.CKA_KEY_TYPE, Pkcs11.CKA_ID,
                    Pkcs11.CKA_LABEL);
            byte[] id = a.id() == null || a.id().length == 0 ? null : a.id();
            if (a.number(Pkcs11.CKA_KEY_TYPE) == null || !matches(session, priv, a.number(Pkcs11.CKA_KEY_TYPE), id, publicKey)) {
                continue;
            }
            matches.add(new MatchedKey(priv, id == null ? null : KeyId.of(id), a.label() == null ? "" : a.label()));
        }
        if (matches.size() > 1) {
            throw new InvalidInputException("cert", "The certificate's key is on the token " + matches.size()
                    + " times (ids " + matches.stream().map(m -> m.id() == null ? "none" : m.id().hex())
                    .collect(Collectors.joining(", ")) + "); delete the duplicates first");
        }
        return matches.stream().findFirst();
    }

    private static boolean matches(TokenSession session, long priv, long keyType, byte[] id,
                                   SubjectPublicKeyInfo publicKey) throws TokenctlException {
        if (keyType == Pkcs11.CKK_RSA) {
            return PublicKeys.sameKey(PublicKeys.read(session, priv), publicKey);
        }
        boolean ec = keyType == Pkcs11.CKK_EC || session.token().isSm2KeyType(keyType);
        if (!ec || id == null) {
            return false;
        }
        for (long pub : session.find(Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).id(id))) {
            if (PublicKeys.sameKey(PublicKeys.read(session, pub), publicKey)) {
                return true;
            }
        }
        return false;
    }
}
