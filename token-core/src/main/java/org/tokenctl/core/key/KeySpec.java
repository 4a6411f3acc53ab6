package org.tokenctl.core.key;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Sm2Mechanisms;

/**
 * The key types tokenctl generates, named as on the command line ({@code rsa:2048},
 * {@code ec:p256}...). Immutable.
 */
public enum KeySpec {
    /** RSA, 2048-bit modulus (the default) */
    RSA_2048("rsa:2048", KeyAlgorithm.RSA, 2048, null, null, HashAlgorithm.SHA256),
    /** RSA, 3072-bit modulus */
    RSA_3072("rsa:3072", KeyAlgorithm.RSA, 3072, null, null, HashAlgorithm.SHA256),
    /** RSA, 4096-bit modulus */
    RSA_4096("rsa:4096", KeyAlgorithm.RSA, 4096, null, null, HashAlgorithm.SHA256),
    /** ECDSA on NIST P-256 (secp256r1) */
    EC_P256("ec:p256", KeyAlgorithm.EC, 256, SECObjectIdentifiers.secp256r1, "secp256r1", HashAlgorithm.SHA256),
    /** ECDSA on NIST P-384 (secp384r1) */
    EC_P384("ec:p384", KeyAlgorithm.EC, 384, SECObjectIdentifiers.secp384r1, "secp384r1", HashAlgorithm.SHA384),
    /**
     * SM2 (GM/T 0003) on sm2p256v1 (OID 1.2.156.10197.1.301), signing SM3withSM2: a
     * vendor-defined key type, so only on tokens whose profile gives the vendor's
     * constants ({@link Sm2Mechanisms})
     */
    SM2("sm2", KeyAlgorithm.SM2, 256, GMObjectIdentifiers.sm2p256v1, "sm2p256v1", HashAlgorithm.SM3);

    /** Why a token without its vendor's SM2 constants cannot do SM2. */
    static final String NO_SM2 = "SM2 is not standard PKCS#11: tokenctl knows no SM2 key type and mechanisms for this"
            + " token (its vendor profile gives none; SoftHSM has no SM2)";

    /** The spec used when none is given. */
    public static final KeySpec DEFAULT = RSA_2048;

    /** RSA keys get the public exponent F4 = 65537, as every CA expects. */
    public static final java.math.BigInteger RSA_PUBLIC_EXPONENT = java.math.BigInteger.valueOf(65537);

    private final String spec;
    private final KeyAlgorithm algorithm;
    private final int bits;
    private final ASN1ObjectIdentifier curve;
    private final String curveName;
    private final HashAlgorithm defaultHash;

    KeySpec(String spec, KeyAlgorithm algorithm, int bits, ASN1ObjectIdentifier curve, String curveName,
            HashAlgorithm defaultHash) {
        this.spec = spec;
        this.algorithm = algorithm;
        this.bits = bits;
        this.curve = curve;
        this.curveName = curveName;
        this.defaultHash = defaultHash;
    }

    /**
     * @param text e.g. {@code rsa:3072} or {@code ec:p384} (case-insensitive)
     * @return the spec
     * @throws InvalidInputException naming the valid specs
     */
    public static KeySpec parse(String text) throws InvalidInputException {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (KeySpec k : values()) {
            if (k.spec.equals(t)) {
                return k;
            }
        }
        throw new InvalidInputException("key-spec", "Unknown key spec '" + text + "' (valid: " + validSpecs() + ")");
    }

    /**
     * The spec of an existing public key, for a key pair tokenctl did not generate.
     *
     * @param publicKey the key
     * @param field the input that named the key, for the message (e.g. "key-id")
     * @return the spec with the same algorithm and size (RSA modulus bits, EC named curve)
     * @throws InvalidInputException if no spec matches, naming the key's type and the valid specs
     */
    public static KeySpec of(SubjectPublicKeyInfo publicKey, String field) throws InvalidInputException {
        String described = PublicKeys.describe(publicKey);
        for (KeySpec k : values()) {
            if (k.describe().equals(described)) {
                return k;
            }
        }
        throw new InvalidInputException(field, "The key is " + described + ", which tokenctl does not enroll (valid: "
                + validSpecs() + ")");
    }

    /** @return the valid specs, comma-separated, for messages and help */
    public static String validSpecs() {
        return Arrays.stream(values()).map(KeySpec::spec).collect(Collectors.joining(", "));
    }

    /** @return the command-line name, e.g. {@code rsa:2048} */
    public String spec() {
        return spec;
    }

    /** @return RSA or EC */
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the modulus size (RSA) or the curve's field size (EC), in bits */
    public int bits() {
        return bits;
    }

    /** @return the named curve's OID, or null for RSA */
    public ASN1ObjectIdentifier curve() {
        return curve;
    }

    /** @return the curve's SEC 2 name (e.g. {@code secp256r1}), or null for RSA */
    public String curveName() {
        return curveName;
    }

    /**
     * @param sm2 how the token does SM2, or null (then an SM2 spec has no mechanism)
     * @return the key-pair generation mechanism, or 0 for SM2 without {@code sm2}
     */
    public long generationMechanism(Sm2Mechanisms sm2) {
        return switch (algorithm) {
            case RSA -> Pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN;
            case EC -> Pkcs11.CKM_EC_KEY_PAIR_GEN;
            case SM2 -> sm2 == null ? 0 : sm2.keyPairGen();
        };
    }

    /**
     * @param sm2 how the token does SM2, or null
     * @return the {@code CKK_} value of this spec's keys, or 0 for SM2 without {@code sm2}
     */
    public long keyType(Sm2Mechanisms sm2) {
        return switch (algorithm) {
            case RSA -> Pkcs11.CKK_RSA;
            case EC -> Pkcs11.CKK_EC;
            case SM2 -> sm2 == null ? 0 : sm2.keyType();
        };
    }

    /**
     * @param hash the hash asked for, or null for this spec's default (SHA-256, SHA-384 for P-384, SM3 for SM2)
     * @return the signature algorithm for this key type and hash
     * @throws IllegalArgumentException if the hash does not suit the key ({@link #checkHash} says why)
     */
    public SignatureAlgorithm signatureAlgorithm(HashAlgorithm hash) {
        return SignatureAlgorithm.of(algorithm, hash == null ? defaultHash : hash);
    }

    /**
     * Refuses a hash this key cannot sign with: SM2 signs only with SM3, and SM3 only with SM2.
     *
     * @param hash the hash asked for, or null (the default, always fine)
     * @throws InvalidInputException naming the hashes that suit the key
     */
    public void checkHash(HashAlgorithm hash) throws InvalidInputException {
        if (hash == null) {
            return;
        }
        if (algorithm == KeyAlgorithm.SM2 && hash != HashAlgorithm.SM3) {
            throw new InvalidInputException("hash", "An sm2 key signs with SM3 (SM3withSM2): leave --hash out, or"
                    + " give sm3");
        }
        if (algorithm != KeyAlgorithm.SM2 && hash == HashAlgorithm.SM3) {
            throw new InvalidInputException("hash", "SM3 is the hash of SM2 signatures; a " + spec + " key signs"
                    + " with sha256, sha384 or sha512");
        }
    }

    /**
     * Refuses a spec the token cannot generate or sign with, before anything is created.
     *
     * @param mechanisms what the token lists ({@code C_GetMechanismList})
     * @param signature how the key will sign
     * @throws UnsupportedByTokenException naming the missing mechanism
     */
    public void requireSupportedBy(Set<Long> mechanisms, SignatureAlgorithm signature)
            throws UnsupportedByTokenException {
        requireSupportedBy(mechanisms, signature, null);
    }

    /**
     * As {@link #requireSupportedBy(Set, SignatureAlgorithm)}, with the token's SM2 constants.
     *
     * @param mechanisms what the token lists ({@code C_GetMechanismList})
     * @param signature how the key will sign
     * @param sm2 how the token does SM2, or null when nothing says it can
     * @throws UnsupportedByTokenException naming the missing mechanism, or for SM2 without {@code sm2}
     *         the missing vendor constants
     */
    public void requireSupportedBy(Set<Long> mechanisms, SignatureAlgorithm signature, Sm2Mechanisms sm2)
            throws UnsupportedByTokenException {
        if (signature.keyAlgorithm() != algorithm) {
            throw new IllegalArgumentException(signature + " cannot sign with a " + spec + " key");
        }
        if (algorithm == KeyAlgorithm.SM2 && sm2 == null) {
            throw new UnsupportedByTokenException("SM2", NO_SM2 + "; nothing was created");
        }
        long sign = algorithm == KeyAlgorithm.SM2 ? sm2.sign() : signature.mechanism();
        for (long m : new long[] {generationMechanism(sm2), sign}) {
            if (!mechanisms.contains(m)) {
                String name = Pkcs11.mechanismName(m);
                throw new UnsupportedByTokenException(name, "The token cannot do key spec " + spec + " with "
                        + signature.jcaName() + ": it does not list " + name + "; nothing was created");
            }
        }
    }

    /**
     * Whether a token can generate this key and sign with it, from what it says of its
     * mechanisms: the generation mechanism listed with GENERATE_KEY_PAIR and a key-size
     * range holding {@link #bits()} (where the token gives one), and the default
     * signature mechanism listed with SIGN.
     *
     * @param mechanisms what the token says of each mechanism it lists
     * @return null when it can, else why not (one line)
     */
    public String unsupportedReason(java.util.List<org.tokenctl.core.module.MechanismInfo> mechanisms) {
        return unsupportedReason(mechanisms, null);
    }

    /**
     * As {@link #unsupportedReason(java.util.List)}, with the token's SM2 constants.
     *
     * @param mechanisms what the token says of each mechanism it lists
     * @param sm2 how the token does SM2, or null when nothing says it can
     * @return null when it can, else why not (one line)
     */
    public String unsupportedReason(java.util.List<org.tokenctl.core.module.MechanismInfo> mechanisms,
                                    Sm2Mechanisms sm2) {
        if (algorithm == KeyAlgorithm.SM2 && sm2 == null) {
            return NO_SM2;
        }
        java.util.Map<Long, org.tokenctl.core.module.MechanismInfo> byCode = new java.util.HashMap<>();
        mechanisms.forEach(m -> byCode.put(m.code(), m));
        org.tokenctl.core.module.MechanismInfo gen = byCode.get(generationMechanism(sm2));
        String genName = Pkcs11.mechanismName(generationMechanism(sm2));
        if (gen == null) {
            return "does not list " + genName;
        }
        if (!gen.has("GENERATE_KEY_PAIR")) {
            return genName + " lacks CKF_GENERATE_KEY_PAIR";
        }
        // a range of 0..0 says nothing; some tokens give EC sizes in bytes, which a bit count never fits
        if (gen.maxKeySize() > 0 && (bits < gen.minKeySize() || bits > gen.maxKeySize())) {
            return genName + " makes keys of " + gen.minKeySize() + " to " + gen.maxKeySize() + " bits";
        }
        long sign = algorithm == KeyAlgorithm.SM2 ? sm2.sign() : signatureAlgorithm(null).mechanism();
        org.tokenctl.core.module.MechanismInfo s = byCode.get(sign);
        if (s == null || !s.has("SIGN")) {
            return (s == null ? "does not list " : "lacks CKF_SIGN on ") + Pkcs11.mechanismName(sign);
        }
        return null;
    }

    /** @return a short description, e.g. "RSA 2048", "EC secp256r1" or "SM2 sm2p256v1" */
    public String describe() {
        return switch (algorithm) {
            case RSA -> "RSA " + bits;
            case EC -> "EC " + curveName;
            case SM2 -> "SM2 " + curveName;
        };
    }

    @Override
    public String toString() {
        return spec;
    }
}
