package org.tokenctl.core.key;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.PrivateKeyAttributes;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Finds a key pair already on a token (by CKA_ID) for an enrollment that must not
 * generate one, and holds it to the standard of non-exportability a generated key is
 * read back against: SENSITIVE, ALWAYS_SENSITIVE, EXTRACTABLE=false, NEVER_EXTRACTABLE
 * and LOCAL (it never left the token and never can), and CKA_SIGN=true. The usage
 * restrictions tokenctl puts on the keys it generates (no DECRYPT, UNWRAP, DERIVE) are
 * not required of a key made by other software (pkcs11-tool and most middleware set
 * DECRYPT and UNWRAP); they are reported as read. Reads only; the key is never
 * changed. Stateless.
 */
public final class ExistingKeys {

    private static final String FIELD = "key-id";

    private ExistingKeys() {
    }

    /**
     * The CKA_ID of the one private key a query names: by id (returned as given;
     * {@link #find} then checks the key), or by label (or both), which must match
     * exactly one private key.
     *
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param key what the operator named
     * @return the key pair's CKA_ID
     * @throws InvalidInputException if the query names no private key, several, another class of object, or a
     *         key without a CKA_ID
     * @throws org.tokenctl.core.module.Pkcs11CallException if the token fails
     */
    public static KeyId resolve(TokenSession session, ObjectQuery key) throws TokenctlException {
        ObjectQuery privateKeys = key.ofType(ObjectClass.PRIVATE_KEY);
        if (privateKeys == null || key.isOpen()) {
            throw new InvalidInputException(FIELD, "Name a key pair by its private key's id or label"
                    + (privateKeys == null ? " (the URI's type names another kind of object)" : ""));
        }
        if (key.label() == null) {
            return key.id();
        }
        List<Long> found = privateKeys.find(session);
        if (found.size() != 1) {
            List<String> ids = new ArrayList<>();
            for (long h : found) {
                byte[] id = session.attributes(h, Pkcs11.CKA_ID).bytes(Pkcs11.CKA_ID);
                ids.add(id == null || id.length == 0 ? "(none)" : KeyId.of(id).hex());
            }
            throw new InvalidInputException(FIELD, found.isEmpty() ? "No private key with " + key.describe()
                    : found.size() + " private keys have " + key.describe() + " (ids " + String.join(", ", ids)
                    + "); name one by its id");
        }
        byte[] id = session.attributes(found.get(0), Pkcs11.CKA_ID).bytes(Pkcs11.CKA_ID);
        if (id == null || id.length == 0) {
            throw new InvalidInputException(FIELD, "The private key with " + key.describe() + " has no CKA_ID;"
                    + " tokenctl pairs a key with its public key and certificate by it");
        }
        return KeyId.of(id);
    }

    /**
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param id the pair's CKA_ID
     * @param hash the hash to sign with, or null for the key type's default
     * @return the pair, its attributes verified
     * @throws InvalidInputException if no private key or several have the id, the public key is missing or
     *         differs, the key type is not one tokenctl enrolls, or a protection requirement is not met
     *         (the message names the attribute)
     * @throws UnsupportedByTokenException if the token lacks the signature mechanism
     * @throws org.tokenctl.core.module.Pkcs11CallException if the token fails
     */
    public static TokenKeyPair find(TokenSession session, KeyId id, HashAlgorithm hash) throws TokenctlException {
        long priv = privateKey(session, id);
        long[] pubs = session.find(Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).id(id.bytes()));
        if (pubs.length > 1) {
            throw new InvalidInputException(FIELD, "The token has " + pubs.length + " public keys with id " + id.hex()
                    + "; tokenctl cannot tell which belongs to the private key");
        }
        long pub = pubs.length == 1 ? pubs[0] : 0;
        SubjectPublicKeyInfo spki = publicKey(session, id, priv, pub);
        PrivateKeyAttributes attributes = ObjectLister.privateKeyAttributes(session, priv);
        for (KeyProtection p : KeyProtection.violations(attributes)) {
            if (!p.isUsage()) {
                throw refused(id, p.attribute(), p.actual(attributes), "tokenctl enrolls only keys that never left"
                        + " the token and never can (needs " + p.requirement() + ")");
            }
        }
        if (!Boolean.TRUE.equals(attributes.sign())) {
            throw refused(id, "CKA_SIGN", attributes.sign(), "it cannot sign a certificate request (needs"
                    + " CKA_SIGN=true)");
        }
        KeySpec spec = KeySpec.of(spki, FIELD);
        spec.checkHash(hash);
        SignatureAlgorithm signature = spec.signatureAlgorithm(hash);
        long mechanism = signature.mechanism(session.token().sm2());
        if (!session.token().mechanisms().contains(mechanism)) {
            String name = Pkcs11.mechanismName(mechanism);
            throw new UnsupportedByTokenException(name, "The token cannot sign with " + signature.jcaName()
                    + ": it does not list " + name);
        }
        String label = session.attributes(priv, Pkcs11.CKA_LABEL).label();
        return new TokenKeyPair(priv, pub, id, label == null ? "" : label, spec, spki, attributes);
    }

    private static long privateKey(TokenSession session, KeyId id) throws TokenctlException {
        long[] privs = session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).id(id.bytes()));
        if (privs.length > 1) {
            throw new InvalidInputException(FIELD, "The token has " + privs.length + " private keys with id "
                    + id.hex() + "; tokenctl cannot tell which one is meant");
        }
        if (privs.length == 0) {
            throw new InvalidInputException(FIELD, "No private key with id " + id.hex() + " on the token (private keys: "
                    + privateKeyIds(session) + ")");
        }
        return privs[0];
    }

    /** The choices, for the message: "0a0b 'keep-me', 1f2e" or "none". */
    private static String privateKeyIds(TokenSession session) throws TokenctlException {
        List<String> ids = new ArrayList<>();
        for (long h : session.find(Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY))) {
            Attributes a = session.attributes(h, Pkcs11.CKA_ID, Pkcs11.CKA_LABEL);
            String id = a.id() == null || a.id().length == 0 ? "(no id)" : KeyId.of(a.id()).hex();
            ids.add(a.label() == null || a.label().isEmpty() ? id : id + " '" + a.label() + "'");
        }
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    /**
     * The public key object's key; an RSA private key carries its own, which must then be the same. An EC
     * private key does not carry its point (PKCS#11 v2.40 section 2.3.4), so its public key object is needed.
     */
    private static SubjectPublicKeyInfo publicKey(TokenSession session, KeyId id, long priv, long pub)
            throws TokenctlException {
        Long keyType = session.attributes(priv, Pkcs11.CKA_KEY_TYPE).number(Pkcs11.CKA_KEY_TYPE);
        boolean rsa = keyType != null && keyType == Pkcs11.CKK_RSA;
        if (pub == 0) {
            if (!rsa) {
                throw new InvalidInputException(FIELD, "The private key with id " + id.hex() + " has no public key"
                        + " object with the same id (an EC private key does not carry its public key)");
            }
            return PublicKeys.read(session, priv);
        }
        SubjectPublicKeyInfo spki = PublicKeys.read(session, pub);
        if (rsa && !PublicKeys.sameKey(spki, PublicKeys.read(session, priv))) {
            throw new InvalidInputException(FIELD, "The public key with id " + id.hex()
                    + " does not belong to the private key with that id");
        }
        return spki;
    }

    private static InvalidInputException refused(KeyId id, String attribute, Boolean reported, String why) {
        return new InvalidInputException(FIELD, "The private key with id " + id.hex() + " reports " + attribute + "="
                + (reported == null ? "nothing" : reported) + ": " + why);
    }
}
