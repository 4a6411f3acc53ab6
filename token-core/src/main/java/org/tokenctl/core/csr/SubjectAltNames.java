package org.tokenctl.core.csr;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;

/**
 * Parses subject alternative names given as {@code TYPE:VALUE}: {@code email:},
 * {@code dns:}, {@code uri:} and {@code ip:} (RFC 5280 section 4.2.1.6:
 * rfc822Name, dNSName, uniformResourceIdentifier, iPAddress). Values are
 * checked here, so a typo is refused before a key is made rather than by the CA
 * after. IP addresses are literals only: nothing is ever resolved.
 */
public final class SubjectAltNames {

    private static final String TYPES = "email:, dns:, uri:, ip:";
    /** LDH labels (RFC 1035 section 2.3.1), optionally a leading wildcard label. */
    private static final Pattern DNS = Pattern.compile(
            "^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
    private static final Pattern EMAIL = Pattern.compile("^[\\x21-\\x3F\\x41-\\x7E]+@[A-Za-z0-9.-]+$");

    private SubjectAltNames() {
    }

    /**
     * @param values e.g. {@code ["email:alice@example.com", "dns:alice.example.com"]}
     * @return the names, or null when there are none
     * @throws InvalidInputException naming the bad value and the valid types (a value with a control
     *                               character or U+FFFD is described, not echoed)
     */
    public static GeneralNames parse(List<String> values) throws InvalidInputException {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<GeneralName> names = new ArrayList<>();
        for (String v : values) {
            names.add(parseOne(v));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static GeneralName parseOne(String text) throws InvalidInputException {
        int colon = text == null ? -1 : text.indexOf(':');
        int forbidden = text == null ? -1 : NameCharacters.firstForbidden(text);
        if (forbidden >= 0) {
            // checked before trim(), which would silently drop a trailing newline; never echoed
            throw new InvalidInputException("san", "Invalid subject alternative name: it holds "
                    + NameCharacters.describe(text, forbidden));
        }
        if (colon <= 0) {
            throw bad(text, "expected TYPE:VALUE with TYPE one of " + TYPES);
        }
        String type = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        if (value.isEmpty()) {
            throw bad(text, "the value is empty");
        }
        switch (type) {
            case "email":
                if (!EMAIL.matcher(value).matches()) {
                    throw bad(text, "not an e-mail address (ASCII local-part@domain)");
                }
                return new GeneralName(GeneralName.rfc822Name, value);
            case "dns":
                if (value.length() > 253 || !DNS.matcher(value).matches()) {
                    throw bad(text, "not a DNS name (letters, digits, '-' and '.'; optional leading '*.')");
                }
                return new GeneralName(GeneralName.dNSName, value);
            case "uri":
                return new GeneralName(GeneralName.uniformResourceIdentifier, uri(text, value));
            case "ip":
                if (!IPAddress.isValid(value)) {
                    throw bad(text, "not an IPv4 or IPv6 address literal");
                }
                return new GeneralName(GeneralName.iPAddress, value);
            default:
                throw bad(text, "unknown type '" + type + "' (valid: " + TYPES + ")");
        }
    }

    private static String uri(String text, String value) throws InvalidInputException {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw bad(text, "not an absolute ASCII URI (RFC 3986), e.g. https://example.com/alice");
            }
            return value;
        } catch (URISyntaxException e) {
            throw bad(text, "not a URI: " + e.getReason());
        }
    }

    private static InvalidInputException bad(String text, String why) {
        return new InvalidInputException("san", "Invalid subject alternative name '" + text + "': " + why);
    }
}
