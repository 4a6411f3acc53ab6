package org.tokenctl.core.issue;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.CRLReason;
import org.tokenctl.core.InvalidInputException;

/**
 * Why a certificate is revoked: RFC 5280 section 5.3.1's reason codes, by their
 * ASN.1 names, for the local CA's CRL ({@link CaIndex}) and a CMP revocation request.
 */
public enum RevocationReason {
    /** 0 (left out of the CRL entry, as RFC 5280 recommends) */
    UNSPECIFIED("unspecified", CRLReason.unspecified),
    /** 1 */
    KEY_COMPROMISE("keyCompromise", CRLReason.keyCompromise),
    /** 2 */
    CA_COMPROMISE("cACompromise", CRLReason.cACompromise),
    /** 3 */
    AFFILIATION_CHANGED("affiliationChanged", CRLReason.affiliationChanged),
    /** 4 */
    SUPERSEDED("superseded", CRLReason.superseded),
    /** 5 */
    CESSATION_OF_OPERATION("cessationOfOperation", CRLReason.cessationOfOperation),
    /** 6 */
    CERTIFICATE_HOLD("certificateHold", CRLReason.certificateHold),
    /** 9 */
    PRIVILEGE_WITHDRAWN("privilegeWithdrawn", CRLReason.privilegeWithdrawn),
    /** 10 */
    AA_COMPROMISE("aACompromise", CRLReason.aACompromise);

    private final String asn1Name;
    private final int code;

    RevocationReason(String asn1Name, int code) {
        this.asn1Name = asn1Name;
        this.code = code;
    }

    /** @return the RFC 5280 name, e.g. keyCompromise */
    public String asn1Name() {
        return asn1Name;
    }

    /** @return the CRLReason code */
    public int code() {
        return code;
    }

    /**
     * @param text an RFC 5280 name, any case (keyCompromise, keycompromise), or its code
     * @param field the option or field it came from
     * @return the reason
     * @throws InvalidInputException if it names none
     */
    public static RevocationReason parse(String text, String field) throws InvalidInputException {
        String t = text.trim();
        for (RevocationReason r : values()) {
            if (r.asn1Name.equalsIgnoreCase(t) || Integer.toString(r.code).equals(t)) {
                return r;
            }
        }
        throw new InvalidInputException(field, "Unknown revocation reason; one of " + names());
    }

    /** @return every reason's name, comma-separated */
    public static String names() {
        List<String> n = new ArrayList<>();
        for (RevocationReason r : values()) {
            n.add(r.asn1Name);
        }
        return String.join(", ", n);
    }
}
