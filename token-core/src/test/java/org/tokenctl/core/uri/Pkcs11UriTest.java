package org.tokenctl.core.uri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.token.Memory;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;

/** RFC 7512 URIs: the grammar, percent-encoding both ways, matching, and what is refused. */
class Pkcs11UriTest {

    private static TokenInfo token(String label, String serial, boolean initialized) {
        return new TokenInfo(label, "SoftHSM project", "SoftHSM v2", serial,
                initialized ? EnumSet.of(TokenFlag.TOKEN_INITIALIZED) : EnumSet.noneOf(TokenFlag.class), 4, 255,
                null, "2.6", "2.6");
    }

    @Test
    void aTokenAndObjectUriIsWrittenAsP11toolWritesItAndReadsBackTheSame() throws Exception {
        TokenInfo t = token("bank a", "9dca3ab4", true);
        Pkcs11Uri uri = Pkcs11Uri.of(t, ObjectClass.PRIVATE_KEY, KeyId.parse("0a0bff"), "Alice's key");
        assertEquals("pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=9dca3ab4;token=bank%20a;"
                + "id=%0A%0B%FF;object=Alice%27s%20key;type=private", uri.toString());
        Pkcs11Uri back = Pkcs11Uri.parse(uri.toString());
        assertEquals(uri, back);
        assertEquals("bank a", back.token());
        assertEquals("0a0bff", back.id().hex());
        assertEquals("Alice's key", back.object());
        assertEquals(ObjectClass.PRIVATE_KEY, back.type());
        assertTrue(back.namesToken());
        assertTrue(back.namesObject());
        assertFalse(back.tokenPart().namesObject());
        assertEquals("pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=9dca3ab4;token=bank%20a",
                back.tokenPart().toString());
    }

    @Test
    void unencodedCharactersTheGrammarAllowsAndUtf8AreRead() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse("PKCS11:token=a:b@c(d)*+,=&e;object=caf%C3%A9;slot-id=7;type=cert");
        assertEquals("a:b@c(d)*+,=&e", uri.token());
        assertEquals("café", uri.object());
        assertEquals(7L, uri.slotId());
        assertEquals(ObjectClass.CERTIFICATE, uri.type());
        assertNull(uri.serial());
        assertFalse(Pkcs11Uri.parse("pkcs11:").namesToken());
    }

    @Test
    void matchingNeedsEveryAttributeAndALabelNamesAnInitialisedTokenOnly() throws Exception {
        Slot alice = new Slot(3, "slot", "SoftHSM project", true, false, false, token("alice", "01", true));
        Slot blank = new Slot(4, "slot", "SoftHSM project", true, false, false, token("", "", false));
        assertTrue(Pkcs11Uri.parse("pkcs11:token=alice").matches(alice));
        assertTrue(Pkcs11Uri.parse("pkcs11:token=alice;serial=01;slot-id=3;model=SoftHSM%20v2").matches(alice));
        assertFalse(Pkcs11Uri.parse("pkcs11:token=alice;serial=02").matches(alice));
        assertFalse(Pkcs11Uri.parse("pkcs11:token=alic").matches(alice), "no prefix matching");
        assertFalse(Pkcs11Uri.parse("pkcs11:token=").matches(blank));
        assertTrue(Pkcs11Uri.parse("pkcs11:slot-id=4").matches(blank));
        assertFalse(Pkcs11Uri.parse("pkcs11:slot-id=4").matches(alice));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pin-value|pkcs11:token=a?pin-value=SECRET1|must not carry the PIN (pin-value)",
        "query|pkcs11:token=a?module-path=/SECRET1.so|does not take the query part",
        "library|pkcs11:library-description=SECRET1|names a library",
        "vendor|pkcs11:x-SECRET1=1|vendor attribute",
        "unknown|pkcs11:tokne=SECRET1|Attribute 1 of the PKCS#11 URI is not one RFC 7512 defines",
        "twice|pkcs11:token=SECRET1;token=b|gives token twice",
        "no value|pkcs11:token=a;SECRET1|Attribute 2 of the PKCS#11 URI is not name=value",
        "bad percent|pkcs11:token=SECRET1%4|not followed by two hex digits",
        "bad hex|pkcs11:token=SECRET1%G1|not followed by two hex digits",
        "raw space|pkcs11:token=SECRET1 x|must be percent-encoded (character 8",
        "raw slash|pkcs11:object=SECRET1/x|must be percent-encoded",
        "raw non-ascii|pkcs11:object=SECRET1é|must be percent-encoded",
        "not utf-8|pkcs11:token=SECRET1%FF|is not UTF-8",
        "control|pkcs11:object=SECRET1%0A|holds a control character (U+000A)",
        "slot-id|pkcs11:slot-id=SECRET1|must be a decimal number",
        "type|pkcs11:type=SECRET1|must be one of cert, private",
        "empty id|pkcs11:id=;token=SECRET1|id of the PKCS#11 URI is empty",
        "scheme|pkcs12:token=SECRET1|starts with pkcs11:"})
    void whatCannotBeHonouredIsRefusedWithoutQuotingTheUri(String name, String text, String message) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pkcs11Uri.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET1"), e.getMessage());
        assertEquals("uri", e.field());
    }
}
