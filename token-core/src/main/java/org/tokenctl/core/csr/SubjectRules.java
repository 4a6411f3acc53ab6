package org.tokenctl.core.csr;

import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;

/**
 * Checks each attribute value of a parsed subject: a string type its attribute
 * allows, not empty, no control or invisible format character
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

    /** Attributes whose syntax is PrintableString alone (X.520, RFC 5280 Appendix A). */
    private static final Set<ASN1ObjectIdentifier> PRINTABLE_ONLY = Set.of(BCStyle.C, BCStyle.SERIALNUMBER,
            BCStyle.DN_QUALIFIER);
    /** Attributes whose syntax is IA5String (PKCS #9 emailAddress, RFC 4519 dc). */
    private static final Set<ASN1ObjectIdentifier> IA5_ONLY = Set.of(BCStyle.EmailAddress, BCStyle.DC);

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
        String name = name(type);
        String value = allowedString(type, name, encodedValue);
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

    /**
     * The value as text, when it is a string type its attribute allows (RFC 5280
     * Appendix A, RFC 4519): countryName, serialNumber and dnQualifier are
     * PrintableString; emailAddress and domainComponent IA5String; every other
     * attribute a DirectoryString (UTF8String, PrintableString, TeletexString,
     * BMPString, UniversalString). An RFC 4514 {@code #hex} value can encode any
     * ASN.1 type (an INTEGER, a SEQUENCE, a PrintableString holding '@'), which the
     * JDK passes on and OpenSSL then cannot parse in the certificate.
     */
    private static String allowedString(ASN1ObjectIdentifier type, String name, ASN1Encodable value)
            throws InvalidInputException {
        if (PRINTABLE_ONLY.contains(type)) {
            if (value instanceof DERPrintableString p && DERPrintableString.isPrintableString(p.getString())) {
                return p.getString();
            }
            throw invalid(name + " must be a PrintableString (letters, digits, space and ' ( ) + , - . / : = ?)");
        }
        if (IA5_ONLY.contains(type)) {
            if (value instanceof DERIA5String a && DERIA5String.isIA5String(a.getString())) {
                return a.getString();
            }
            throw invalid(name + " must be an IA5String (ASCII)");
        }
        if (value instanceof DERPrintableString p) {
            if (!DERPrintableString.isPrintableString(p.getString())) {
                throw invalid(name + " is a PrintableString holding characters PrintableString does not allow");
            }
            return p.getString();
        }
        if (value instanceof ASN1UTF8String || value instanceof ASN1T61String || value instanceof ASN1BMPString
                || value instanceof ASN1UniversalString) {
            return ((ASN1String) value).getString();
        }
        throw invalid(name + " must be a directory string (UTF8String, PrintableString, TeletexString, BMPString"
                + " or UniversalString), not another ASN.1 type");
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
