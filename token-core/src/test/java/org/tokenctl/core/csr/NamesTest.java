package org.tokenctl.core.csr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.InvalidInputException;

/** Subject names and subject alternative names as given on the command line. */
class NamesTest {

    @Test
    void subjectIsRfc4514WithTheMostSpecificRdnFirst() throws Exception {
        X500Name n = SubjectName.parse("CN=Alice Example,O=Example Bank,C=DE");
        // DER order is the reverse of the text (RFC 4514 section 2.1): C first
        assertEquals(BCStyle.C, n.getRDNs()[0].getFirst().getType());
        assertEquals(BCStyle.CN, n.getRDNs()[2].getFirst().getType());
        assertEquals("CN=Alice Example,O=Example Bank,C=DE", SubjectName.format(n));
        assertEquals(BCStyle.EmailAddress,
                SubjectName.parse("E=alice@example.com,CN=a").getRDNs()[1].getFirst().getType());
        assertEquals(2, SubjectName.parse("CN=x+SERIALNUMBER=42,O=y").getRDNs().length);
    }

    @Test
    void invalidSubjectsAreRefusedWithAnExample() {
        for (String bad : new String[] {"not a dn", "CN=alice,BOGUS=x", "CN=alice,,O=x", "=x"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SubjectName.parse(bad), bad);
            assertEquals("subject", e.field());
            assertTrue(e.getMessage().startsWith("Invalid subject '" + bad + "': "), e.getMessage());
            assertTrue(e.getMessage().endsWith("(expected an RFC 4514 name such as \"CN=Alice Example,O=Example Bank,C=DE\")"),
                    e.getMessage());
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> SubjectName.parse("CN=alice,BOGUS=x"))
                .getMessage().startsWith("Invalid subject 'CN=alice,BOGUS=x': unknown attribute type 'BOGUS' (known: CN,"
                        + " C, L, ST, STREET, O, OU, DC, UID, T, DNQ, DNQUALIFIER, SURNAME, GIVENNAME, INITIALS,"
                        + " GENERATION, EMAIL, EMAILADDRESS, SERIALNUMBER, E, ORGANIZATIONIDENTIFIER, S, or a dotted OID)"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SubjectName.parse("not a dn"))
                .getMessage().startsWith("Invalid subject 'not a dn': improperly specified input name (expected"));
        assertTrue(assertThrows(InvalidInputException.class, () -> SubjectName.parse(" ")).getMessage()
                .startsWith("The subject must not be empty"));
    }

    @Test
    void subjectAltNamesOfEachType() throws Exception {
        GeneralNames g = SubjectAltNames.parse(List.of("email:alice@example.com", "dns:*.alice.example.com",
                "uri:https://example.com/alice", "ip:192.0.2.7", "IP:2001:db8::1"));
        GeneralName[] n = g.getNames();
        assertEquals(GeneralName.rfc822Name, n[0].getTagNo());
        assertEquals(GeneralName.dNSName, n[1].getTagNo());
        assertEquals(GeneralName.uniformResourceIdentifier, n[2].getTagNo());
        assertEquals(GeneralName.iPAddress, n[3].getTagNo());
        assertEquals(16, org.bouncycastle.asn1.ASN1OctetString.getInstance(n[4].getName()).getOctets().length);
        assertNull(SubjectAltNames.parse(List.of()));
    }

    @Test
    void badSubjectAltNamesAreRefusedNamingTheValidTypes() {
        String[][] cases = {
            {"alice@example.com", "expected TYPE:VALUE with TYPE one of email:, dns:, uri:, ip:"},
            {"upn:alice", "unknown type 'upn' (valid: email:, dns:, uri:, ip:)"},
            {"email:alice", "not an e-mail address"},
            {"dns:bad_name.example", "not a DNS name"},
            {"uri:/relative", "not an absolute ASCII URI"},
            {"ip:host.example.com", "not an IPv4 or IPv6 address literal"},
            {"ip:192.0.2.0/24", "not an IPv4 or IPv6 address literal"},
            {"dns:", "the value is empty"},
        };
        for (String[] c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SubjectAltNames.parse(List.of(c[0])), c[0]);
            assertEquals("san", e.field());
            assertTrue(e.getMessage().startsWith("Invalid subject alternative name '" + c[0] + "': " + c[1]),
                    e.getMessage());
        }
    }

    private static String refusedSubject(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SubjectName.parse(text),
                text.length() > 40 ? text.substring(0, 40) : text);
        assertEquals("subject", e.field());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), "no control character echoed");
        return e.getMessage();
    }

    @Test
    void emptyValuesAreRefusedNamingTheAttribute() {
        assertEquals("Invalid subject: CN (commonName) is empty; every attribute needs a value", refusedSubject("CN="));
        assertEquals("Invalid subject: O (organizationName) is empty; every attribute needs a value",
                refusedSubject("CN=a,O=,C=DE"));
        assertEquals("Invalid subject: CN (commonName) is empty; every attribute needs a value",
                refusedSubject("CN=\\20"));
    }

    @Test
    void controlCharactersAndInvalidUtf8AreRefusedWithoutEchoingThem() {
        // the audit's case: a newline that would print a forged "issuer:" line in text output
        assertEquals("Invalid subject: CN holds a control character (U+000A)",
                refusedSubject("CN=a\n  issuer:      CN=Fake Root"));
        assertEquals("Invalid subject: O holds a control character (U+001B)", refusedSubject("CN=a,O=x\u001b[2J"));
        assertEquals("Invalid subject: CN holds U+FFFD, the replacement for invalid UTF-8 (give the name in valid"
                + " UTF-8)", refusedSubject("CN=bad\uFFFD"));
        assertEquals("Invalid subject: OU holds a line separator (U+2028)", refusedSubject("OU=a\u2028b"));
        assertEquals("Invalid subject: CN holds a control character (U+0009)", refusedSubject("CN=a\tb"));
        // RFC 4514 hex escapes decode to the same characters: caught after parsing, named by type
        assertEquals("Invalid subject: CN (commonName) holds a control character (U+000A)",
                refusedSubject("CN=a\\0Ab"));
    }

    @Test
    void countryNameIsAnIso3166Code() throws Exception {
        assertEquals("Invalid subject: C (countryName) must be an ISO 3166 two-letter country code in capitals, such"
                + " as DE; got 'Germany'", refusedSubject("CN=a,C=Germany"));
        assertTrue(refusedSubject("C=D").endsWith("got 'D'"));
        assertTrue(refusedSubject("C=de").endsWith("got 'de'"));
        assertTrue(refusedSubject("C=D1").endsWith("got 'D1'"));
        assertTrue(refusedSubject("C=" + "X".repeat(40)).endsWith("got 40 characters"));
        assertEquals("CN=a,C=DE", SubjectName.format(SubjectName.parse("CN=a,C=DE")));
    }

    @Test
    void valuesLongerThanRfc5280AllowsAreRefused() throws Exception {
        assertEquals("Invalid subject: CN (commonName) is 5000 characters long; RFC 5280 allows at most 64"
                + " (ub-common-name)", refusedSubject("CN=" + "a".repeat(5000)));
        String[][] bounds = {
            {"CN", "64", "ub-common-name"}, {"O", "64", "ub-organization-name"},
            {"OU", "64", "ub-organizational-unit-name"}, {"L", "128", "ub-locality-name"},
            {"ST", "128", "ub-state-name"}, {"SERIALNUMBER", "64", "ub-serial-number"},
            {"T", "64", "ub-title"}, {"EMAILADDRESS", "255", "ub-emailaddress-length"},
        };
        for (String[] b : bounds) {
            int max = Integer.parseInt(b[1]);
            SubjectName.parse(b[0] + "=" + "a".repeat(max));
            String m = refusedSubject(b[0] + "=" + "a".repeat(max + 1));
            assertTrue(m.endsWith("is " + (max + 1) + " characters long; RFC 5280 allows at most " + max + " ("
                    + b[2] + ")"), m);
        }
        // characters, not bytes: 64 euro signs are 192 bytes in UTF-8 and still a valid CN
        SubjectName.parse("CN=" + "\u20ac".repeat(64));
    }

    @Test
    void subjectAltNamesWithControlCharactersAreRefusedWithoutEchoingThem() {
        for (String bad : new String[] {"dns:a.example\n", "dns:a.example\nissuer: x", "email:a@b\u0000",
            "uri:https://example.com/\uFFFD", "upn\r:alice"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SubjectAltNames.parse(List.of(bad)), bad);
            assertEquals("san", e.field());
            assertTrue(e.getMessage().startsWith("Invalid subject alternative name: it holds "), e.getMessage());
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "CN=#020105|CN (commonName) must be a directory string",          // INTEGER 5
        "CN=#3003020101|CN (commonName) must be a directory string",      // SEQUENCE { INTEGER 1 }
        "CN=#0101ff|CN (commonName) must be a directory string",          // BOOLEAN
        "CN=#1603616263|CN (commonName) must be a directory string",      // IA5String is not a DirectoryString
        "CN=#1301|Invalid subject",                                       // truncated BER
        "CN=a,C=#0c024445|C (countryName) must be a PrintableString",     // UTF8String 'DE'
        "CN=a,SERIALNUMBER=#0c0134|SERIALNUMBER (serialNumber) must be a PrintableString",
        "CN=#13024140|CN (commonName) is a PrintableString holding characters",  // PrintableString 'A@'
        "CN=a,DC=#0c0161|DC must be an IA5String",                        // UTF8String for dc
        "CN=a,EMAILADDRESS=#0c0161|EMAILADDRESS (emailAddress) must be an IA5String"})
    void valuesOfTypesTheirAttributeDoesNotAllowAreRefused(String subject, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SubjectName.parse(subject), subject);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void hexValuesOfAllowedStringTypesAreTaken() throws Exception {
        assertEquals("CN=ab", SubjectName.format(SubjectName.parse("CN=#0c026162")));   // UTF8String
        assertEquals("CN=ab", SubjectName.format(SubjectName.parse("CN=#13026162")));   // PrintableString
        assertDoesNotThrow(() -> SubjectName.parse("CN=#1e0400610062")); // BMPString
        assertEquals("CN=a,C=DE", SubjectName.format(SubjectName.parse("CN=a,C=#13024445")));
        SubjectName.parse("CN=a,DC=example,EMAILADDRESS=a@example.com,SERIALNUMBER=42");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"202E", "202D", "2066", "200B", "200D", "FEFF", "061C"})
    void invisibleFormatCharactersAreRefusedInSubjectsSansAndLabelsWithoutEchoingThem(String hex) {
        String c = new String(Character.toChars(Integer.parseInt(hex, 16)));
        String expected = "an invisible format character (U+" + hex + ":";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SubjectName.parse("CN=evil" + c + "gro.knab,O=x"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(c), "echoed");
        e = assertThrows(InvalidInputException.class, () -> SubjectAltNames.parse(List.of("dns:a" + c + ".example")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(c), "echoed");
        e = assertThrows(InvalidInputException.class, () -> org.tokenctl.core.module.Token.checkLabel("bank" + c));
        assertEquals("Token label holds " + expected.substring(0, expected.length() - 1) + ": bidirectional,"
                + " zero-width or byte-order mark)", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> org.tokenctl.core.key.TokenKeyGenerator.checkLabel("key" + c));
        assertTrue(e.getMessage().startsWith("Key label holds " + expected), e.getMessage());
    }

    @Test
    void unpairedSurrogatesAreRefusedInNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SubjectName.parse("CN=a\uD800b"));
        assertTrue(e.getMessage().contains("half of a UTF-16 surrogate pair (U+D800)"), e.getMessage());
        // a pair is one character, and a fine one
        assertDoesNotThrow(() -> SubjectName.parse("CN=a\uD83D\uDE00"));
    }

    private static String sanError(String san) {
        return assertThrows(InvalidInputException.class, () -> SubjectAltNames.parse(List.of(san))).getMessage();
    }

    @Test
    void aSanStartingWithAnInvisibleCharacterIsRefusedWithoutQuotingIt() {
        String m = sanError("\u202Eemail:alice@example.com");
        assertTrue(m.startsWith("Invalid subject alternative name: it holds "), m);
        assertFalse(m.contains("\u202E"), m);
        assertFalse(m.contains("alice"), m);
    }

    @Test
    void aSanWithoutATypeBeforeItsColonIsRefusedAsSuch() {
        assertTrue(sanError(":alice@example.com").contains("expected TYPE:VALUE with TYPE one of "),
                sanError(":alice@example.com"));
        assertTrue(sanError("alice").contains("expected TYPE:VALUE"), sanError("alice"));
    }

    @Test
    void aDnsNameMayHaveAtMost253Characters() throws Exception {
        String name253 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertEquals(253, name253.length());
        GeneralNames ok = SubjectAltNames.parse(List.of("dns:" + name253));
        assertEquals(name253, ok.getNames()[0].getName().toString());
        assertTrue(sanError("dns:" + name253 + "e").contains("not a DNS name"));
    }

    @Test
    void aUriMustBeAbsoluteAscii() throws Exception {
        GeneralName u = SubjectAltNames.parse(List.of("uri:https://example.com/alice?x=1")).getNames()[0];
        assertEquals(GeneralName.uniformResourceIdentifier, u.getTagNo());
        assertEquals("https://example.com/alice?x=1", u.getName().toString());
        for (String bad : new String[] {"uri:https://example.com/\u00e4", "uri:https://b\u00fccher.example/",
                "uri:https://example.com/\u65e5", "uri:/relative/path"}) {
            String m = sanError(bad);
            assertTrue(m.contains("not an absolute ASCII URI (RFC 3986)"), bad + ": " + m);
        }
        assertTrue(sanError("uri:https://example.com/a b").contains("not a URI"));
        // DEL is a control character: refused before the URI is looked at, like every other
        assertTrue(sanError("uri:https://example.com/a\u007fb").startsWith("Invalid subject alternative name: it holds"));
    }

    @Test
    void aSubjectStartingWithAnInvisibleCharacterIsRefusedWithoutQuotingIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SubjectName.parse("\u202ECN=alice"));
        assertTrue(e.getMessage().startsWith("Invalid subject: the text holds "), e.getMessage());
        assertFalse(e.getMessage().contains("alice"), e.getMessage());
        InvalidInputException at = assertThrows(InvalidInputException.class,
                () -> SubjectName.parse("O=x,CN=\u202Ealice"));
        assertTrue(at.getMessage().startsWith("Invalid subject: CN holds "), at.getMessage());
        // a character before a keyword, where the keyword's match begins, is reported against that attribute
        InvalidInputException tab = assertThrows(InvalidInputException.class, () -> SubjectName.parse("\tCN=alice"));
        assertTrue(tab.getMessage().startsWith("Invalid subject: CN holds "), tab.getMessage());
    }

    @Test
    void aDecodedValueStartingWithAnInvisibleCharacterIsRefused() {
        X500Name hidden = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {new org.bouncycastle.asn1.x500.RDN(
                BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String("\u202Ealice"))});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SubjectRules.check(hidden));
        assertTrue(e.getMessage().startsWith("Invalid subject: CN (commonName) holds "), e.getMessage());
    }

    @Test
    void aBadCountryIsQuotedOnlyWhenShort() {
        String sixteen = "ABCDEFGHIJKLMNOP";
        assertEquals("Invalid subject: C (countryName) must be an ISO 3166 two-letter country code in capitals,"
                + " such as DE; got '" + sixteen + "'", assertThrows(InvalidInputException.class,
                        () -> SubjectName.parse("C=" + sixteen)).getMessage());
        assertEquals("Invalid subject: C (countryName) must be an ISO 3166 two-letter country code in capitals,"
                + " such as DE; got 17 characters", assertThrows(InvalidInputException.class,
                        () -> SubjectName.parse("C=" + sixteen + "Q")).getMessage());
    }
}
