package org.tokenctl.core.key;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;

/**
 * Public keys as X.509 {@code SubjectPublicKeyInfo}: read from a token object,
 * compared with a certificate's, and turned into the default {@code CKA_ID}.
 */
public final class PublicKeys {

    /** DER of the sm2p256v1 OID, 1.2.156.10197.1.301. */
    private static final byte[] DER_SM2P256V1;

    static {
        try {
            DER_SM2P256V1 = GMObjectIdentifiers.sm2p256v1.getEncoded();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PublicKeys() {
    }

    /**
     * Reads the public key of a token object. Works on public keys and on RSA
     * private keys (which carry CKA_MODULUS and CKA_PUBLIC_EXPONENT); EC private
     * keys carry no point, so pass their public key object.
     *
     * @param session an open session that can see the object
     * @param handle the key object
     * @return its public key
     * @throws InvalidInputException if the key type is neither RSA nor EC, or its attributes are missing
     * @throws Pkcs11CallException if the token fails
     */
    public static SubjectPublicKeyInfo read(TokenSession session, long handle) throws TokenctlException {
        return read(session, handle, session.attributes(handle, Pkcs11.CKA_KEY_TYPE).number(Pkcs11.CKA_KEY_TYPE));
    }

    /**
     * As {@link #read(TokenSession, long)}, for an object whose CKA_KEY_TYPE the caller
     * already knows (a key it has just generated): one call to the token instead of two.
     *
     * @param session an open session that can see the object
     * @param handle the key object
     * @param keyType its CKA_KEY_TYPE ({@code CKK_RSA}, {@code CKK_EC} or the token's SM2 type), or null if unknown
     * @return its public key
     * @throws TokenctlException as the shorter form does
     */
    public static SubjectPublicKeyInfo read(TokenSession session, long handle, Long keyType) throws TokenctlException {
        if (keyType != null && keyType == Pkcs11.CKK_RSA) {
            Attributes a = session.attributes(handle, Pkcs11.CKA_MODULUS,
                    Pkcs11.CKA_PUBLIC_EXPONENT);
            if (a.integer(Pkcs11.CKA_MODULUS) == null || a.integer(Pkcs11.CKA_PUBLIC_EXPONENT) == null) {
                throw new InvalidInputException("key", "RSA key object without CKA_MODULUS/CKA_PUBLIC_EXPONENT");
            }
            return rsa(a.integer(Pkcs11.CKA_MODULUS), a.integer(Pkcs11.CKA_PUBLIC_EXPONENT));
        }
        boolean isSm2 = session.token().isSm2KeyType(keyType);
        if (keyType != null && (keyType == Pkcs11.CKK_EC || isSm2)) {
            // CKA_EC_POINT reads back without its DER OCTET STRING wrapper: 04||X||Y
            Attributes a = session.attributes(handle, Pkcs11.CKA_EC_PARAMS,
                    Pkcs11.CKA_EC_POINT);
            byte[] params = a.bytes(Pkcs11.CKA_EC_PARAMS);
            if (params == null && isSm2) {
                // a vendor's SM2 key may not say its curve: there is only one
                params = DER_SM2P256V1;
            }
            if (params == null || a.bytes(Pkcs11.CKA_EC_POINT) == null) {
                throw new InvalidInputException("key", "EC key object without CKA_EC_PARAMS/CKA_EC_POINT");
            }
            try {
                // an SM2 key is id-ecPublicKey on sm2p256v1, as GM/T 0015 certificates carry it
                return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        ASN1Primitive.fromByteArray(params)), a.bytes(Pkcs11.CKA_EC_POINT));
            } catch (IOException e) {
                throw new InvalidInputException("key", "EC key object with unparsable CKA_EC_PARAMS", e);
            }
        }
        throw new InvalidInputException("key", "Unsupported key type "
                + (keyType == null ? "(none)" : Pkcs11.keyTypeName(keyType)) + "; only RSA and EC keys");
    }

    /**
     * @param modulus n
     * @param exponent e
     * @return the RSA public key (rsaEncryption with NULL parameters, RFC 3279 section 2.3.1)
     */
    public static SubjectPublicKeyInfo rsa(BigInteger modulus, BigInteger exponent) {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                    DERNull.INSTANCE), new RSAPublicKey(modulus, exponent));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an RSA public key", e);
        }
    }

    /**
     * The default {@code CKA_ID} of a key, computed as NSS does
     * ({@code PK11_MakeIDFromPubKey}) so that Firefox, Thunderbird and other NSS
     * applications pair key and certificate the same way: SHA-1 over
     * <ul>
     *   <li>RSA: the modulus n as an unsigned big-endian byte string without
     *       leading zero bytes (the value of CKA_MODULUS);</li>
     *   <li>EC: the uncompressed point {@code 04 || X || Y} (the content of
     *       CKA_EC_POINT's DER OCTET STRING, which is also the content of the
     *       SubjectPublicKeyInfo BIT STRING, so for EC keys the id equals the
     *       RFC 5280 method-1 subject key identifier).</li>
     * </ul>
     *
     * @param spki the public key
     * @return its 20-byte id
     * @throws InvalidInputException if the key is neither RSA nor EC
     */
    public static KeyId defaultId(SubjectPublicKeyInfo spki) throws InvalidInputException {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        byte[] material;
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            material = unsigned(rsaKey(spki).getModulus());
        } else if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            material = uncompressedPoint(spki);
        } else {
            throw new InvalidInputException("key", "Unsupported public key algorithm " + alg.getId());
        }
        try {
            return KeyId.of(MessageDigest.getInstance("SHA-1").digest(material));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * Compares two public keys by value: RSA by (n, e), EC by curve and point
     * (a compressed and an uncompressed encoding of the same point are equal).
     *
     * @param a one key
     * @param b another
     * @return whether they are the same key
     */
    public static boolean sameKey(SubjectPublicKeyInfo a, SubjectPublicKeyInfo b) {
        ASN1ObjectIdentifier alg = a.getAlgorithm().getAlgorithm();
        if (!alg.equals(b.getAlgorithm().getAlgorithm())) {
            return false;
        }
        try {
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                RSAPublicKey x = rsaKey(a);
                RSAPublicKey y = rsaKey(b);
                return x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                return a.getAlgorithm().getParameters().equals(b.getAlgorithm().getParameters())
                        && Arrays.equals(uncompressedPoint(a), uncompressedPoint(b));
            }
            return Arrays.equals(a.getEncoded(ASN1Encoding.DER), b.getEncoded(ASN1Encoding.DER));
        } catch (InvalidInputException | IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param spki a public key
     * @return e.g. "RSA 2048" or "EC secp384r1"
     */
    public static String describe(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        try {
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return "RSA " + rsaKey(spki).getModulus().bitLength();
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(spki.getAlgorithm().getParameters());
                if (curve.equals(GMObjectIdentifiers.sm2p256v1)) {
                    return "SM2 sm2p256v1";
                }
                // SEC 2 names (secp256r1), as KeySpec uses, before X9.62's (prime256v1)
                String name = SECNamedCurves.getName(curve);
                name = name != null ? name : ECNamedCurveTable.getName(curve);
                return "EC " + (name == null ? curve.getId() : name.toLowerCase(Locale.ROOT));
            }
        } catch (InvalidInputException | RuntimeException e) {
            return alg.getId();
        }
        return alg.getId();
    }

    /**
     * A verifier for signatures by a key: BouncyCastle's lightweight ECDSA for EC keys
     * (SM2's curve excepted), the JDK's own provider for RSA keys, the BC provider for
     * the others (SM2, Ed25519: it takes every key encoding BouncyCastle's operator API
     * hands it).
     *
     * <p>Not the BC provider for EC: through the JCA, every verification turns the
     * encoded key into a provider key and that again into BouncyCastle's own parameters,
     * about as much work as the signature check itself in a batch's young JVM
     * (0.57 against 0.32 ms per request under C1; docs/benchmarks.md). The lightweight
     * key is made once here, and its point is checked to be on the curve as it is.
     *
     * <p>Not BC for RSA: each time BouncyCastle turns an RSA modulus into a key it
     * validates it, with Miller-Rabin rounds on the modulus, about 60 ms per
     * 2048-bit key in a fresh JVM. An enrollment verifies its request with a key
     * seen once, so that was a batch's largest cost after key generation (issue 7);
     * the JDK verifies the same signatures without it, and the key was just made
     * by the token.
     *
     * @param publicKey a public key
     * @return a BouncyCastle signature verifier for it
     * @throws InvalidInputException if the key cannot be used
     */
    public static ContentVerifierProvider verifier(SubjectPublicKeyInfo publicKey) throws InvalidInputException {
        try {
            if (isEcdsaKey(publicKey)) {
                AsymmetricKeyParameter key;
                try {
                    key = PublicKeyFactory.createKey(publicKey);
                } catch (IOException | RuntimeException e) {
                    throw new InvalidInputException("key", "Unusable public key " + describe(publicKey), e);
                }
                return new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(key);
            }
            JcaContentVerifierProviderBuilder b = new JcaContentVerifierProviderBuilder();
            boolean rsa = PKCSObjectIdentifiers.rsaEncryption.equals(publicKey.getAlgorithm().getAlgorithm());
            return (rsa ? b : b.setProvider(CryptoProvider.BC)).build(publicKey);
        } catch (OperatorCreationException e) {
            throw new InvalidInputException("key", "Unusable public key " + describe(publicKey), e);
        }
    }

    /** An id-ecPublicKey that signs ECDSA: any curve but SM2's (whose keys sign SM3withSM2). */
    private static boolean isEcdsaKey(SubjectPublicKeyInfo spki) {
        AlgorithmIdentifier alg = spki.getAlgorithm();
        return X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                && !GMObjectIdentifiers.sm2p256v1.equals(alg.getParameters());
    }

    private static RSAPublicKey rsaKey(SubjectPublicKeyInfo spki) throws InvalidInputException {
        try {
            return RSAPublicKey.getInstance(spki.parsePublicKey());
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("key", "Malformed RSA public key", e);
        }
    }

    private static byte[] uncompressedPoint(SubjectPublicKeyInfo spki) throws InvalidInputException {
        byte[] point = spki.getPublicKeyData().getOctets();
        try {
            X9ECParameters curve = ECNamedCurveTable.getByOID(
                    ASN1ObjectIdentifier.getInstance(spki.getAlgorithm().getParameters()));
            return curve == null ? point : curve.getCurve().decodePoint(point).getEncoded(false);
        } catch (RuntimeException e) {
            throw new InvalidInputException("key", "Malformed EC public key", e);
        }
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        int skip = 0;
        while (skip < b.length - 1 && b[skip] == 0) {
            skip++;
        }
        return Arrays.copyOfRange(b, skip, b.length);
    }
}
