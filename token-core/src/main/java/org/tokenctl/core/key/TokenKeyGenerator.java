package org.tokenctl.core.key;

import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CreatedObjects;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.PrivateKeyAttributes;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.KeyPairHandles;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Sm2Mechanisms;

/**
 * Generates a key pair on a token whose private key can never leave it, and
 * proves it by reading the key back.
 *
 * <p>Stateless and thread-safe; each call works in the caller's session, which
 * is confined to one thread.
 */
public final class TokenKeyGenerator {

    /** CKA_LABEL has no length limit in PKCS#11; this keeps labels displayable by every tool. */
    public static final int LABEL_MAX_CHARS = 255;

    private TokenKeyGenerator() {
    }

    /**
     * Refuses a key spec the token lacks a mechanism for. Call it before logging
     * in: it spends no PIN try and creates nothing.
     *
     * @param token the token
     * @param spec the key spec
     * @param signature how the key will sign
     * @throws org.tokenctl.core.UnsupportedByTokenException naming the missing mechanism
     * @throws org.tokenctl.core.module.Pkcs11CallException if the mechanism list cannot be read
     */
    public static void requireSupported(Token token, KeySpec spec, SignatureAlgorithm signature)
            throws TokenctlException {
        spec.requireSupportedBy(token.mechanisms(), signature, token.sm2());
    }

    /**
     * @param label a key label
     * @throws InvalidInputException if it is empty, too long, or has control characters
     */
    public static void checkLabel(String label) throws InvalidInputException {
        if (label == null || label.isBlank()) {
            throw new InvalidInputException("label", "Key label must not be empty");
        }
        if (label.length() > LABEL_MAX_CHARS) {
            throw new InvalidInputException("label", "Key label must be at most " + LABEL_MAX_CHARS
                    + " characters; got " + label.length());
        }
        int bad = NameCharacters.firstForbidden(label);
        if (bad >= 0) {
            throw new InvalidInputException("label", "Key label holds " + NameCharacters.describe(label, bad));
        }
    }

    /**
     * Refuses an id some object on the token already carries (key, public key or
     * certificate): a second key with the same CKA_ID would be paired with the
     * wrong certificate by every application.
     *
     * @param session a session logged in as the user (private keys are invisible otherwise)
     * @param id the id asked for
     * @throws InvalidInputException if an object already has it
     * @throws org.tokenctl.core.module.Pkcs11CallException if the token fails
     */
    public static void requireUnusedId(TokenSession session, KeyId id) throws TokenctlException {
        long[] found = session.find(new Attributes().id(id.bytes()));
        if (found.length > 0) {
            String label = session.attributes(found[0], Pkcs11.CKA_LABEL).label();
            throw new InvalidInputException("id", "The token already has an object with id " + id.hex()
                    + (label == null || label.isEmpty() ? "" : " (label '" + label + "')")
                    + "; choose another id, or leave it to the default (derived from the public key)",
                    Remedy.KEY_ID, null);
        }
    }

    /**
     * Everything {@link #generate} checks before it creates anything: the label,
     * the token's mechanisms, and that the id (if given) is unused.
     *
     * @param session a session logged in as the user
     * @param spec the key spec
     * @param signature how the key will sign
     * @param id the CKA_ID asked for, or null
     * @param label the CKA_LABEL
     * @throws InvalidInputException if the label is unusable or the id is taken
     * @throws org.tokenctl.core.UnsupportedByTokenException if a mechanism is missing
     * @throws org.tokenctl.core.module.Pkcs11CallException if the token fails
     */
    public static void check(TokenSession session, KeySpec spec, SignatureAlgorithm signature, KeyId id,
                             String label) throws TokenctlException {
        checkLabel(label);
        requireSupported(session.token(), spec, signature);
        if (id != null) {
            requireUnusedId(session, id);
        }
    }

    /**
     * Generates a non-exportable key pair on the token.
     *
     * <p>The private key template says CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE=true,
     * CKA_EXTRACTABLE=false, CKA_SIGN=true and CKA_DECRYPT/UNWRAP/DERIVE/SIGN_RECOVER=false;
     * the public key CKA_TOKEN, CKA_VERIFY=true, CKA_ENCRYPT/WRAP/VERIFY_RECOVER=false. Without an id,
     * both get {@link PublicKeys#defaultId} of the new public key (set with
     * {@code C_SetAttributeValue} right after generation). The private key is then
     * read back and must meet every {@link KeyProtection} requirement; if it does not,
     * or any step after generation fails, both keys are destroyed before the failure
     * is reported.
     *
     * @param session a read-write session logged in as the user
     * @param spec the key spec
     * @param signature how the key will sign (its mechanism must be on the token)
     * @param id the CKA_ID, or null for the default
     * @param label the CKA_LABEL of both keys
     * @return the new pair and what was verified
     * @throws org.tokenctl.core.UnsupportedByTokenException if a mechanism is missing (nothing created)
     * @throws InvalidInputException if the label is unusable or the id is taken (nothing created)
     * @throws UnprotectedKeyException if the token did not honour the template (the pair was deleted)
     * @throws org.tokenctl.core.IncompleteOperationException if a later step failed and the pair could not be deleted
     * @throws org.tokenctl.core.module.Pkcs11CallException if the token fails
     */
    public static TokenKeyPair generate(TokenSession session, KeySpec spec, SignatureAlgorithm signature,
                                            KeyId id, String label) throws TokenctlException {
        return generate(session, spec, signature, id, label, false);
    }

    /**
     * As {@link #generate(TokenSession, KeySpec, SignatureAlgorithm, KeyId, String)}, with
     * CKA_SIGN_RECOVER (and CKA_VERIFY_RECOVER on the public key) as asked.
     *
     * @param session a read-write session logged in as the user
     * @param spec the key spec
     * @param signature how the key will sign (its mechanism must be on the token)
     * @param id the CKA_ID, or null for the default
     * @param label the CKA_LABEL of both keys
     * @param signRecover whether the key may also sign with message recovery
     * @return the new pair and what was verified
     * @throws TokenctlException as the shorter form does
     */
    public static TokenKeyPair generate(TokenSession session, KeySpec spec, SignatureAlgorithm signature,
                                        KeyId id, String label, boolean signRecover) throws TokenctlException {
        return generate(session, spec, signature, id, label, signRecover, null);
    }

    /**
     * As {@link #generate(TokenSession, KeySpec, SignatureAlgorithm, KeyId, String, boolean)}, with
     * both keys' CKA_SUBJECT set in the generation templates: the subject the certificate is
     * asked for, which {@link org.tokenctl.core.cert.CertificateInstaller#nameKeys} would
     * otherwise write on both keys once the certificate is installed (two more writes of
     * each key object on the token).
     *
     * @param session a read-write session logged in as the user
     * @param spec the key spec
     * @param signature how the key will sign (its mechanism must be on the token)
     * @param id the CKA_ID, or null for the default
     * @param label the CKA_LABEL of both keys
     * @param signRecover whether the key may also sign with message recovery
     * @param subject the DER-encoded subject name both keys carry as CKA_SUBJECT, or null for none
     * @return the new pair and what was verified
     * @throws TokenctlException as the shorter form does
     */
    public static TokenKeyPair generate(TokenSession session, KeySpec spec, SignatureAlgorithm signature,
                                        KeyId id, String label, boolean signRecover, byte[] subject)
            throws TokenctlException {
        check(session, spec, signature, id, label);
        Sm2Mechanisms sm2 = session.token().sm2();
        Attributes pub = publicTemplate(spec, sm2, id, label, signRecover);
        Attributes priv = privateTemplate(spec, sm2, id, label, signRecover);
        if (subject != null) {
            pub.bytes(Pkcs11.CKA_SUBJECT, subject);
            priv.bytes(Pkcs11.CKA_SUBJECT, subject);
        }
        KeyPairHandles pair = session.generateKeyPair(spec.generationMechanism(sm2), pub, priv);
        CreatedObjects created = new CreatedObjects(session);
        created.add(pair.privateKey(), "private key '" + label + "'");
        created.add(pair.publicKey(), "public key '" + label + "'");
        SubjectPublicKeyInfo spki;
        KeyId keyId = id;
        PrivateKeyAttributes attributes;
        try {
            spki = PublicKeys.read(session, pair.publicKey(), spec.keyType(sm2));
            if (keyId == null) {
                keyId = PublicKeys.defaultId(spki);
                session.setAttributes(pair.privateKey(), new Attributes().id(keyId.bytes()));
                session.setAttributes(pair.publicKey(), new Attributes().id(keyId.bytes()));
            }
            attributes = ObjectLister.privateKeyAttributes(session, pair.privateKey());
        } catch (TokenctlException | RuntimeException e) {
            created.rollBack(e);
            throw e;
        }
        List<KeyProtection> violated = KeyProtection.violations(attributes, signRecover);
        if (!violated.isEmpty()) {
            KeyProtection first = violated.get(0);
            created.rollBack(new UnprotectedKeyException(first, first.actual(attributes), false));
            throw new UnprotectedKeyException(first, first.actual(attributes), true);
        }
        return new TokenKeyPair(pair.privateKey(), pair.publicKey(), keyId, label, spec, spki, attributes);
    }

    private static Attributes privateTemplate(KeySpec spec, Sm2Mechanisms sm2, KeyId id, String label,
                                              boolean signRecover) {
        Attributes priv = Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).number(Pkcs11.CKA_KEY_TYPE, spec.keyType(sm2))
                .bool(Pkcs11.CKA_TOKEN, true).bool(Pkcs11.CKA_PRIVATE, true)
                .bool(Pkcs11.CKA_SENSITIVE, true).bool(Pkcs11.CKA_EXTRACTABLE, false).bool(Pkcs11.CKA_SIGN, true)
                .bool(Pkcs11.CKA_DECRYPT, false).bool(Pkcs11.CKA_UNWRAP, false).bool(Pkcs11.CKA_DERIVE, false)
                .bool(Pkcs11.CKA_SIGN_RECOVER, signRecover).label(label);
        return id == null ? priv : priv.id(id.bytes());
    }

    private static Attributes publicTemplate(KeySpec spec, Sm2Mechanisms sm2, KeyId id, String label,
                                             boolean signRecover) {
        Attributes pub = Attributes.ofClass(Pkcs11.CKO_PUBLIC_KEY).number(Pkcs11.CKA_KEY_TYPE, spec.keyType(sm2))
                .bool(Pkcs11.CKA_TOKEN, true).bool(Pkcs11.CKA_PRIVATE, false)
                .bool(Pkcs11.CKA_VERIFY, true).bool(Pkcs11.CKA_ENCRYPT, false).bool(Pkcs11.CKA_WRAP, false)
                .bool(Pkcs11.CKA_VERIFY_RECOVER, signRecover).label(label);
        if (spec.algorithm() == KeyAlgorithm.RSA) {
            pub.number(Pkcs11.CKA_MODULUS_BITS, spec.bits()).integer(Pkcs11.CKA_PUBLIC_EXPONENT, KeySpec.RSA_PUBLIC_EXPONENT);
        } else {
            try {
                pub.bytes(Pkcs11.CKA_EC_PARAMS, spec.curve().getEncoded(ASN1Encoding.DER));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot encode the curve OID", e);
            }
        }
        return id == null ? pub : pub.id(id.bytes());
    }
}
