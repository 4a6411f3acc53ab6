package org.tokenctl.core.objects;

/**
 * The attributes that say whether a private key can ever leave its token. Each is
 * null when the token did not report it.
 *
 * @param sensitive CKA_SENSITIVE
 * @param alwaysSensitive CKA_ALWAYS_SENSITIVE
 * @param extractable CKA_EXTRACTABLE
 * @param neverExtractable CKA_NEVER_EXTRACTABLE
 * @param local CKA_LOCAL (generated on the token)
 * @param sign CKA_SIGN
 * @param signRecover CKA_SIGN_RECOVER (signing with message recovery)
 * @param decrypt CKA_DECRYPT
 * @param unwrap CKA_UNWRAP
 * @param derive CKA_DERIVE
 */
public record PrivateKeyAttributes(Boolean sensitive, Boolean alwaysSensitive, Boolean extractable,
                                   Boolean neverExtractable, Boolean local, Boolean sign, Boolean signRecover,
                                   Boolean decrypt,
                                   Boolean unwrap, Boolean derive) {

    /** @return true when the key is provably non-exportable and was born on the token */
    public boolean nonExportable() {
        return Boolean.TRUE.equals(sensitive) && Boolean.TRUE.equals(alwaysSensitive)
                && Boolean.FALSE.equals(extractable) && Boolean.TRUE.equals(neverExtractable)
                && Boolean.TRUE.equals(local);
    }
}
