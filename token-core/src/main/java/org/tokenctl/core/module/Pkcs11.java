package org.tokenctl.core.module;

import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * The PKCS#11 constants tokenctl uses, and their names. The values are those of the
 * PKCS#11 standard (taken from the wrapper here, so that only this package depends on
 * it); vendor-defined values live in the vendor profiles, not here.
 */
public final class Pkcs11 {

    /** {@code CKA_CLASS}: the object class ({@code CKO_*}). */
    public static final long CKA_CLASS = PKCS11Constants.CKA_CLASS;
    /** {@code CKA_TOKEN}: a token object (true) or a session object. */
    public static final long CKA_TOKEN = PKCS11Constants.CKA_TOKEN;
    /** {@code CKA_PRIVATE}: readable only after login. */
    public static final long CKA_PRIVATE = PKCS11Constants.CKA_PRIVATE;
    /** {@code CKA_LABEL}: the object's label (UTF-8). */
    public static final long CKA_LABEL = PKCS11Constants.CKA_LABEL;
    /** {@code CKA_VALUE}: for a certificate, its DER encoding. */
    public static final long CKA_VALUE = PKCS11Constants.CKA_VALUE;
    /** {@code CKA_CERTIFICATE_TYPE}: {@link #CKC_X_509} for X.509 certificates. */
    public static final long CKA_CERTIFICATE_TYPE = PKCS11Constants.CKA_CERTIFICATE_TYPE;
    /** {@code CKA_CERTIFICATE_CATEGORY}: 1 token user, 2 authority, 3 other entity. */
    public static final long CKA_CERTIFICATE_CATEGORY = PKCS11Constants.CKA_CERTIFICATE_CATEGORY;
    /** {@code CKA_SUBJECT}: the DER-encoded subject name. */
    public static final long CKA_SUBJECT = PKCS11Constants.CKA_SUBJECT;
    /** {@code CKA_ISSUER}: a certificate's DER-encoded issuer name. */
    public static final long CKA_ISSUER = PKCS11Constants.CKA_ISSUER;
    /** {@code CKA_SERIAL_NUMBER}: a certificate's DER-encoded serial number. */
    public static final long CKA_SERIAL_NUMBER = PKCS11Constants.CKA_SERIAL_NUMBER;
    /** {@code CKA_ID}: the identifier that links a key pair and its certificate. */
    public static final long CKA_ID = PKCS11Constants.CKA_ID;
    /** {@code CKA_KEY_TYPE}: the key type ({@code CKK_*}). */
    public static final long CKA_KEY_TYPE = PKCS11Constants.CKA_KEY_TYPE;
    /** {@code CKA_SENSITIVE}: the private value can never be read in the clear. */
    public static final long CKA_SENSITIVE = PKCS11Constants.CKA_SENSITIVE;
    /** {@code CKA_ALWAYS_SENSITIVE}: the key has always been sensitive. */
    public static final long CKA_ALWAYS_SENSITIVE = PKCS11Constants.CKA_ALWAYS_SENSITIVE;
    /** {@code CKA_EXTRACTABLE}: the key can be wrapped out of the token. */
    public static final long CKA_EXTRACTABLE = PKCS11Constants.CKA_EXTRACTABLE;
    /** {@code CKA_NEVER_EXTRACTABLE}: the key has never been extractable. */
    public static final long CKA_NEVER_EXTRACTABLE = PKCS11Constants.CKA_NEVER_EXTRACTABLE;
    /** {@code CKA_LOCAL}: the key was generated on the token. */
    public static final long CKA_LOCAL = PKCS11Constants.CKA_LOCAL;
    /** {@code CKA_SIGN}: the key may sign. */
    public static final long CKA_SIGN = PKCS11Constants.CKA_SIGN;
    /** {@code CKA_SIGN_RECOVER}: the key may sign with message recovery. */
    public static final long CKA_SIGN_RECOVER = PKCS11Constants.CKA_SIGN_RECOVER;
    /** {@code CKA_VERIFY_RECOVER}: the key may verify with message recovery. */
    public static final long CKA_VERIFY_RECOVER = PKCS11Constants.CKA_VERIFY_RECOVER;
    /** {@code CKA_VERIFY}: the key may verify. */
    public static final long CKA_VERIFY = PKCS11Constants.CKA_VERIFY;
    /** {@code CKA_DECRYPT}: the key may decrypt. */
    public static final long CKA_DECRYPT = PKCS11Constants.CKA_DECRYPT;
    /** {@code CKA_ENCRYPT}: the key may encrypt. */
    public static final long CKA_ENCRYPT = PKCS11Constants.CKA_ENCRYPT;
    /** {@code CKA_UNWRAP}: the key may unwrap other keys. */
    public static final long CKA_UNWRAP = PKCS11Constants.CKA_UNWRAP;
    /** {@code CKA_WRAP}: the key may wrap other keys. */
    public static final long CKA_WRAP = PKCS11Constants.CKA_WRAP;
    /** {@code CKA_DERIVE}: the key may derive other keys. */
    public static final long CKA_DERIVE = PKCS11Constants.CKA_DERIVE;
    /** {@code CKA_MODULUS}: an RSA key's modulus. */
    public static final long CKA_MODULUS = PKCS11Constants.CKA_MODULUS;
    /** {@code CKA_MODULUS_BITS}: the RSA key size asked of key-pair generation. */
    public static final long CKA_MODULUS_BITS = PKCS11Constants.CKA_MODULUS_BITS;
    /** {@code CKA_PUBLIC_EXPONENT}: an RSA key's public exponent. */
    public static final long CKA_PUBLIC_EXPONENT = PKCS11Constants.CKA_PUBLIC_EXPONENT;
    /** {@code CKA_EC_PARAMS}: an EC key's DER-encoded curve (a named-curve OID). */
    public static final long CKA_EC_PARAMS = PKCS11Constants.CKA_EC_PARAMS;
    /** {@code CKA_EC_POINT}: an EC public key's point, as a DER OCTET STRING. */
    public static final long CKA_EC_POINT = PKCS11Constants.CKA_EC_POINT;

    /** {@code CKO_DATA}. */
    public static final long CKO_DATA = PKCS11Constants.CKO_DATA;
    /** {@code CKO_CERTIFICATE}. */
    public static final long CKO_CERTIFICATE = PKCS11Constants.CKO_CERTIFICATE;
    /** {@code CKO_PUBLIC_KEY}. */
    public static final long CKO_PUBLIC_KEY = PKCS11Constants.CKO_PUBLIC_KEY;
    /** {@code CKO_PRIVATE_KEY}. */
    public static final long CKO_PRIVATE_KEY = PKCS11Constants.CKO_PRIVATE_KEY;
    /** {@code CKO_SECRET_KEY}. */
    public static final long CKO_SECRET_KEY = PKCS11Constants.CKO_SECRET_KEY;

    /** {@code CKC_X_509}: the X.509 certificate type. */
    public static final long CKC_X_509 = PKCS11Constants.CKC_X_509;
    /** {@code CKK_RSA}. */
    public static final long CKK_RSA = PKCS11Constants.CKK_RSA;
    /** {@code CKK_EC}. */
    public static final long CKK_EC = PKCS11Constants.CKK_EC;

    /** {@code CKM_RSA_PKCS_KEY_PAIR_GEN}. */
    public static final long CKM_RSA_PKCS_KEY_PAIR_GEN = PKCS11Constants.CKM_RSA_PKCS_KEY_PAIR_GEN;
    /** {@code CKM_EC_KEY_PAIR_GEN}. */
    public static final long CKM_EC_KEY_PAIR_GEN = PKCS11Constants.CKM_EC_KEY_PAIR_GEN;
    /** {@code CKM_SHA256_RSA_PKCS}: the token hashes with SHA-256 and signs PKCS#1 v1.5. */
    public static final long CKM_SHA256_RSA_PKCS = PKCS11Constants.CKM_SHA256_RSA_PKCS;
    /** {@code CKM_SHA384_RSA_PKCS}. */
    public static final long CKM_SHA384_RSA_PKCS = PKCS11Constants.CKM_SHA384_RSA_PKCS;
    /** {@code CKM_SHA512_RSA_PKCS}. */
    public static final long CKM_SHA512_RSA_PKCS = PKCS11Constants.CKM_SHA512_RSA_PKCS;
    /** {@code CKM_ECDSA}: raw ECDSA over a hash the caller computed; the answer is r||s. */
    public static final long CKM_ECDSA = PKCS11Constants.CKM_ECDSA;

    /** {@code CKR_GENERAL_ERROR}. */
    public static final long CKR_GENERAL_ERROR = PKCS11Constants.CKR_GENERAL_ERROR;
    /** {@code CKR_FUNCTION_NOT_SUPPORTED}. */
    public static final long CKR_FUNCTION_NOT_SUPPORTED = PKCS11Constants.CKR_FUNCTION_NOT_SUPPORTED;
    /** {@code CKR_SLOT_ID_INVALID}. */
    public static final long CKR_SLOT_ID_INVALID = PKCS11Constants.CKR_SLOT_ID_INVALID;
    /** {@code CKR_DEVICE_ERROR}. */
    public static final long CKR_DEVICE_ERROR = PKCS11Constants.CKR_DEVICE_ERROR;
    /** {@code CKR_DEVICE_REMOVED}. */
    public static final long CKR_DEVICE_REMOVED = PKCS11Constants.CKR_DEVICE_REMOVED;
    /** {@code CKR_TOKEN_NOT_PRESENT}. */
    public static final long CKR_TOKEN_NOT_PRESENT = PKCS11Constants.CKR_TOKEN_NOT_PRESENT;
    /** {@code CKR_TOKEN_NOT_RECOGNIZED}. */
    public static final long CKR_TOKEN_NOT_RECOGNIZED = PKCS11Constants.CKR_TOKEN_NOT_RECOGNIZED;
    /** {@code CKR_SESSION_CLOSED}. */
    public static final long CKR_SESSION_CLOSED = PKCS11Constants.CKR_SESSION_CLOSED;
    /** {@code CKR_SESSION_HANDLE_INVALID}. */
    public static final long CKR_SESSION_HANDLE_INVALID = PKCS11Constants.CKR_SESSION_HANDLE_INVALID;
    /** {@code CKR_OBJECT_HANDLE_INVALID}. */
    public static final long CKR_OBJECT_HANDLE_INVALID = PKCS11Constants.CKR_OBJECT_HANDLE_INVALID;
    /** {@code CKR_PIN_INCORRECT}. */
    public static final long CKR_PIN_INCORRECT = PKCS11Constants.CKR_PIN_INCORRECT;
    /** {@code CKR_PIN_INVALID}: the new PIN has characters the token refuses. */
    public static final long CKR_PIN_INVALID = PKCS11Constants.CKR_PIN_INVALID;
    /** {@code CKR_PIN_LEN_RANGE}: the new PIN is too short or too long for the token. */
    public static final long CKR_PIN_LEN_RANGE = PKCS11Constants.CKR_PIN_LEN_RANGE;
    /** {@code CKR_PIN_EXPIRED}. */
    public static final long CKR_PIN_EXPIRED = PKCS11Constants.CKR_PIN_EXPIRED;
    /** {@code CKR_PIN_LOCKED}. */
    public static final long CKR_PIN_LOCKED = PKCS11Constants.CKR_PIN_LOCKED;
    /** {@code CKR_USER_ALREADY_LOGGED_IN}. */
    public static final long CKR_USER_ALREADY_LOGGED_IN = PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN;
    /** {@code CKR_USER_NOT_LOGGED_IN}. */
    public static final long CKR_USER_NOT_LOGGED_IN = PKCS11Constants.CKR_USER_NOT_LOGGED_IN;
    /** {@code CKR_USER_PIN_NOT_INITIALIZED}. */
    public static final long CKR_USER_PIN_NOT_INITIALIZED = PKCS11Constants.CKR_USER_PIN_NOT_INITIALIZED;
    /** {@code CKR_CRYPTOKI_ALREADY_INITIALIZED}. */
    public static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED;

    /** {@code CKU_SO}: the security officer. */
    public static final long CKU_SO = PKCS11Constants.CKU_SO;
    /** {@code CKU_USER}: the normal user. */
    public static final long CKU_USER = PKCS11Constants.CKU_USER;

    private Pkcs11() {
    }

    /**
     * @param ckr a return value
     * @return its name, e.g. {@code CKR_PIN_INCORRECT}, or {@code 0x...} for values without one
     */
    public static String returnValueName(long ckr) {
        return nameOr(PKCS11Constants.ckrCodeToName(ckr), ckr);
    }

    /**
     * @param ckm a mechanism
     * @return its name, e.g. {@code CKM_ECDSA}, or {@code 0x...} for vendor values
     */
    public static String mechanismName(long ckm) {
        return nameOr(PKCS11Constants.ckmCodeToName(ckm), ckm);
    }

    /**
     * @param ckk a key type
     * @return its name, e.g. {@code CKK_EC}, or {@code 0x...} for vendor values
     */
    public static String keyTypeName(long ckk) {
        return nameOr(PKCS11Constants.ckkCodeToName(ckk), ckk);
    }

    /** The wrapper's name, unless it has none or only dresses up the number ("CKM_0X80008001"). */
    private static String nameOr(String name, long value) {
        boolean none = name == null || name.isEmpty() || name.matches("CK[A-Z]_0[Xx][0-9A-Fa-f]+");
        return none ? String.format("0x%08X", value) : name;
    }
}
