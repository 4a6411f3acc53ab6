package org.tokenctl.core.csr;

import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.tokenctl.core.InvalidInputException;

/**
 * Parses a subject distinguished name given as text.
 *
 * <p>The syntax is RFC 4514 (RFC 2253), as {@code openssl -subj} users know it in
 * its modern form: most specific first, {@code "CN=Alice Example,O=Example Bank,C=DE"}.
 * It is parsed by the JDK's {@link X500Principal}, which knows the RFC 4514 and
 * RFC 5280 keywords (CN, C, L, ST, STREET, O, OU, DC, UID, T, DNQ, SURNAME,
 * GIVENNAME, INITIALS, GENERATION, EMAILADDRESS, SERIALNUMBER) and dotted OIDs,
 * and refuses anything else. The DER it produces (RDNs in the reverse order of
 * the text, as RFC 4514 section 2.1 says) goes into the CSR unchanged.
 */
public final class SubjectName {

    private static final String EXAMPLE = "CN=Alice Example,O=Example Bank,C=DE";
    /** Common spellings the JDK does not know. */
    private static final Map<String, String> EXTRA_KEYWORDS = Map.of(
            "E", "1.2.840.113549.1.9.1",
            "S", "2.5.4.8",
            "ORGANIZATIONIDENTIFIER", "2.5.4.97");

    private SubjectName() {
    }

    /**
     * @param text an RFC 4514 distinguished name
     * @return its X.500 name
     * @throws InvalidInputException if it is empty or does not parse, with an example of the syntax
     */
    public static X500Name parse(String text) throws InvalidInputException {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("subject", "The subject must not be empty (e.g. \"" + EXAMPLE + "\")");
        }
        X500Principal principal;
        try {
            principal = new X500Principal(text, EXTRA_KEYWORDS);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("subject", "Invalid subject '" + text + "': " + e.getMessage()
                    + " (expected an RFC 4514 name such as \"" + EXAMPLE + "\")", e);
        }
        X500Name name = X500Name.getInstance(principal.getEncoded());
        if (name.getRDNs().length == 0) {
            throw new InvalidInputException("subject", "The subject must not be empty (e.g. \"" + EXAMPLE + "\")");
        }
        return name;
    }

    /**
     * @param name an X.500 name
     * @return it in RFC 4514 text, as the parser takes it and {@code tokenctl list} shows it
     */
    public static String format(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName(X500Principal.RFC2253);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return name.toString();
        }
    }
}
