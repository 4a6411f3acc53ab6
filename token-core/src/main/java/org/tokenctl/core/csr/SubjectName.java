package org.tokenctl.core.csr;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;

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
 *
 * <p>The JDK takes more than a CA should see; {@link SubjectRules} then refuses
 * empty values, control characters and U+FFFD, a countryName that is not an ISO
 * 3166 code, and values longer than RFC 5280 Appendix A allows.
 */
public final class SubjectName {

    private static final String EXAMPLE = "CN=Alice Example,O=Example Bank,C=DE";
    /** Common spellings the JDK does not know. */
    private static final Map<String, String> EXTRA_KEYWORDS = Map.of(
            "E", "1.2.840.113549.1.9.1",
            "S", "2.5.4.8",
            "ORGANIZATIONIDENTIFIER", "2.5.4.97");

    /** The keywords X500Principal knows (its javadoc: RFC 1779, RFC 2253 and RFC 5280 names). */
    private static final List<String> KNOWN_KEYWORDS = List.of("CN", "C", "L", "ST", "STREET", "O", "OU", "DC",
            "UID", "T", "DNQ", "DNQUALIFIER", "SURNAME", "GIVENNAME", "INITIALS", "GENERATION", "EMAIL",
            "EMAILADDRESS", "SERIALNUMBER");
    /** A keyword at the start of an attribute (after a ',' or '+' that separates RDNs or attributes). */
    private static final Pattern KEYWORD = Pattern.compile("(?:^|(?<!\\\\)[,+;])\\s*([A-Za-z][A-Za-z0-9-]*)\\s*=");

    private SubjectName() {
    }

    /**
     * @param text an RFC 4514 distinguished name
     * @return its X.500 name
     * @throws InvalidInputException if it is empty or does not parse, with an example of the syntax; or if an
     *                               attribute breaks a rule of {@link SubjectRules}, naming the attribute and
     *                               the rule (a control character is described, never echoed)
     */
    public static X500Name parse(String text) throws InvalidInputException {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("subject", "The subject must not be empty (e.g. \"" + EXAMPLE + "\")");
        }
        int bad = NameCharacters.firstForbidden(text);
        if (bad >= 0) {
            // before parsing, so no message (the parser's included) ever repeats the character
            throw new InvalidInputException("subject", "Invalid subject: " + attributeAt(text, bad) + " holds "
                    + NameCharacters.describe(text, bad));
        }
        X500Principal principal;
        try {
            principal = new X500Principal(text, EXTRA_KEYWORDS);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("subject", "Invalid subject '" + text + "': " + reason(text, e)
                    + " (expected an RFC 4514 name such as \"" + EXAMPLE + "\")", e);
        }
        X500Name name = X500Name.getInstance(principal.getEncoded());
        if (name.getRDNs().length == 0) {
            throw new InvalidInputException("subject", "The subject must not be empty (e.g. \"" + EXAMPLE + "\")");
        }
        SubjectRules.check(name);
        return name;
    }

    /** The keyword of the attribute whose text holds position {@code index}, as the user typed it. */
    private static String attributeAt(String text, int index) {
        String keyword = null;
        Matcher m = KEYWORD.matcher(text);
        while (m.find() && m.start() <= index) {
            keyword = m.group(1);
        }
        return keyword == null ? "the text" : keyword;
    }

    /** Names an unknown attribute type when there is one; the JDK only says "improperly specified input name". */
    private static String reason(String text, IllegalArgumentException e) {
        Matcher m = KEYWORD.matcher(text);
        while (m.find()) {
            String keyword = m.group(1).toUpperCase(Locale.ROOT);
            if (!KNOWN_KEYWORDS.contains(keyword) && !EXTRA_KEYWORDS.containsKey(keyword)) {
                return "unknown attribute type '" + m.group(1) + "' (known: " + String.join(", ", KNOWN_KEYWORDS)
                        + ", " + String.join(", ", EXTRA_KEYWORDS.keySet().stream().sorted().toList())
                        + ", or a dotted OID)";
            }
        }
        String message = e.getMessage() == null ? "does not parse" : e.getMessage();
        // the JDK appends the whole input, which the message already quotes
        return message.endsWith(": " + text) ? message.substring(0, message.length() - text.length() - 2) : message;
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
