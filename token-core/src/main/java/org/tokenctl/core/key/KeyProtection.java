package org.tokenctl.core.key;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.tokenctl.core.objects.PrivateKeyAttributes;

/**
 * What a private key generated for enrollment must report when read back: the
 * attributes that prove it can never leave the token (PKCS#11 v2.40 section 4.9:
 * SENSITIVE, ALWAYS_SENSITIVE, EXTRACTABLE, NEVER_EXTRACTABLE, LOCAL) and the
 * usages it must not have (DECRYPT, UNWRAP, DERIVE, SIGN_RECOVER: SoftHSM and
 * others default them to true when the template does not say false; a key that
 * signs certificate requests needs none of them, and signing with message
 * recovery is given only when the enrollment asks for it).
 *
 * <p>A token that ignores the template is caught here rather than trusted.
 */
public enum KeyProtection {
    /** CKA_SENSITIVE = true: the private value cannot be read */
    SENSITIVE("CKA_SENSITIVE", true, PrivateKeyAttributes::sensitive),
    /** CKA_ALWAYS_SENSITIVE = true: it never could be */
    ALWAYS_SENSITIVE("CKA_ALWAYS_SENSITIVE", true, PrivateKeyAttributes::alwaysSensitive),
    /** CKA_EXTRACTABLE = false: it cannot be wrapped out */
    EXTRACTABLE("CKA_EXTRACTABLE", false, PrivateKeyAttributes::extractable),
    /** CKA_NEVER_EXTRACTABLE = true: it never could be */
    NEVER_EXTRACTABLE("CKA_NEVER_EXTRACTABLE", true, PrivateKeyAttributes::neverExtractable),
    /** CKA_LOCAL = true: generated on the token, not imported */
    LOCAL("CKA_LOCAL", true, PrivateKeyAttributes::local),
    /** CKA_DECRYPT = false */
    DECRYPT("CKA_DECRYPT", false, PrivateKeyAttributes::decrypt),
    /** CKA_UNWRAP = false */
    UNWRAP("CKA_UNWRAP", false, PrivateKeyAttributes::unwrap),
    /** CKA_DERIVE = false */
    DERIVE("CKA_DERIVE", false, PrivateKeyAttributes::derive),
    /** CKA_SIGN_RECOVER = false, unless the key was asked to have it */
    SIGN_RECOVER("CKA_SIGN_RECOVER", false, PrivateKeyAttributes::signRecover);

    private final String attribute;
    private final boolean expected;
    private final Function<PrivateKeyAttributes, Boolean> reader;

    KeyProtection(String attribute, boolean expected, Function<PrivateKeyAttributes, Boolean> reader) {
        this.attribute = attribute;
        this.expected = expected;
        this.reader = reader;
    }

    /**
     * @return whether this is a usage restriction (DECRYPT, UNWRAP, DERIVE, SIGN_RECOVER: tokenctl's own policy
     *         for the keys it generates) rather than part of what makes a key non-exportable
     */
    public boolean isUsage() {
        return this == DECRYPT || this == UNWRAP || this == DERIVE || this == SIGN_RECOVER;
    }

    /** @return the PKCS#11 attribute name, e.g. {@code CKA_SENSITIVE} */
    public String attribute() {
        return attribute;
    }

    /** @return the value the key must report */
    public boolean expected() {
        return expected;
    }

    /**
     * @param attributes what the token reported
     * @return the reported value, or null when the token did not report it
     */
    public Boolean actual(PrivateKeyAttributes attributes) {
        return reader.apply(attributes);
    }

    /** @return e.g. {@code CKA_EXTRACTABLE=false} */
    public String requirement() {
        return attribute + "=" + expected;
    }

    /**
     * @param attributes what the token reported for a private key
     * @return the requirements it fails (an attribute not reported fails), in declaration order
     */
    public static List<KeyProtection> violations(PrivateKeyAttributes attributes) {
        return violations(attributes, false);
    }

    /**
     * @param attributes what the token reported for a private key
     * @param signRecoverAsked whether the key was generated with CKA_SIGN_RECOVER=true on purpose (then
     *                         {@link #SIGN_RECOVER} is not a requirement)
     * @return the requirements it fails (an attribute not reported fails), in declaration order
     */
    public static List<KeyProtection> violations(PrivateKeyAttributes attributes, boolean signRecoverAsked) {
        List<KeyProtection> out = new ArrayList<>();
        for (KeyProtection p : values()) {
            if (p == SIGN_RECOVER && signRecoverAsked) {
                continue;
            }
            if (!Boolean.valueOf(p.expected).equals(p.actual(attributes))) {
                out.add(p);
            }
        }
        return out;
    }
}
