package org.tokenctl.core.csr;

import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.tokenctl.core.InvalidInputException;

/**
 * Checks each attribute value of a parsed subject: not empty, no control character
 * or U+FFFD (see {@link NameCharacters}), countryName an ISO 3166 alpha-2 code, and
 * no longer than the upper bound RFC 5280 Appendix A gives its type. X500Principal
 * takes all of these, and a CA would refuse them only after the key is made.
 */
final class SubjectRules {

    /** An attribute type as messages name it, and its RFC 5280 Appendix A upper bound in characters. */
    private record Bound(String name, int max, String ub) {
    }

    private static final Map<ASN1ObjectIdentifier, Bound> BOUNDS = Map.ofEntries(
            Map.entry(BCStyle.CN, new Bound("CN (commonName)", 64, "ub-common-name")),
            Map.entry(BCStyle.L, new Bound("L (localityName)", 128, "ub-locality-name")),
            Map.entry(BCStyle.ST, new Bound("ST (stateOrProvinceName)", 128, "ub-state-name")),
            Map.entry(BCStyle.O, new Bound("O (organizationName)", 64, "ub-organization-name")),
            Map.entry(BCStyle.OU, new Bound("OU (organizationalUnitName)", 64, "ub-organizational-unit-name")),
            Map.entry(BCStyle.T, new Bound("T (title)", 64, "ub-title")),
            Map.entry(BCStyle.SERIALNUMBER, new Bound("SERIALNUMBER (serialNumber)", 64, "ub-serial-number")),
            Map.entry(BCStyle.EmailAddress, new Bound("EMAILADDRESS (emailAddress)", 255, "ub-emailaddress-length")),
            Map.entry(BCStyle.PSEUDONYM, new Bound("pseudonym", 128, "ub-pseudonym")),
            Map.entry(BCStyle.SURNAME, new Bound("SURNAME", 32768, "ub-name")),
            Map.entry(BCStyle.GIVENNAME, new Bound("GIVENNAME", 32768, "ub-name")),
            Map.entry(BCStyle.INITIALS, new Bound("INITIALS", 32768, "ub-name")),
            Map.entry(BCStyle.GENERATION, new Bound("GENERATION (generationQualifier)", 32768, "ub-name")));

    /** Longest value quoted back in a message; a longer one is counted instead. */
    private static final int QUOTED = 16;

    private SubjectRules() {
    }

    /**
     * @param name a parsed subject
     * @throws InvalidInputException naming the first attribute that breaks a rule, and the rule
     */
    static void check(X500Name name) throws InvalidInputException {
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                check(atv.getType(), atv.getValue());
            }
        }
    }

    private static void check(ASN1ObjectIdentifier type, ASN1Encodable encodedValue) throws InvalidInputException {
        if (!(encodedValue instanceof ASN1String)) {
            return; // a '#'-hex BER value of a non-string type: nothing here to measure
        }
        String value = ((ASN1String) encodedValue).getString();
        String name = name(type);
        int bad = NameCharacters.firstForbidden(value);
        if (bad >= 0) {
            throw invalid(name + " holds " + NameCharacters.describe(value, bad));
        }
        if (value.strip().isEmpty()) {
            throw invalid(name + " is empty; every attribute needs a value");
        }
        if (type.equals(BCStyle.C)) {
            // X.520 countryName: PrintableString (SIZE (2)), an ISO 3166 alpha-2 code
            if (!value.matches("[A-Z]{2}")) {
                throw invalid(name + " must be an ISO 3166 two-letter country code in capitals, such as DE;"
                        + " got " + shown(value));
            }
            return;
        }
        Bound bound = BOUNDS.get(type);
        int length = value.codePointCount(0, value.length());
        if (bound != null && length > bound.max()) {
            throw invalid(name + " is " + length + " characters long; RFC 5280 allows at most " + bound.max()
                    + " (" + bound.ub() + ")");
        }
    }

    private static String name(ASN1ObjectIdentifier type) {
        if (type.equals(BCStyle.C)) {
            return "C (countryName)";
        }
        Bound bound = BOUNDS.get(type);
        if (bound != null) {
            return bound.name();
        }
        String display = BCStyle.INSTANCE.oidToDisplayName(type);
        return display != null ? display : type.getId();
    }

    private static String shown(String value) {
        int length = value.codePointCount(0, value.length());
        return length <= QUOTED ? "'" + value + "'" : length + " characters";
    }

    private static InvalidInputException invalid(String why) {
        return new InvalidInputException("subject", "Invalid subject: " + why);
    }
}
