package org.tokenctl.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void everyPlaceholderIsReplaced() {
        assertEquals("sig-9dca3ab4-alice-9dca3ab4", Placeholders.fill("sig-{serial}-{label}-{serial}", "9dca3ab4",
                "alice"));
        assertEquals("no placeholders", Placeholders.fill("no placeholders", "s", "l"));
        assertNull(Placeholders.fill(null, "s", "l"));
        assertNull(Placeholders.fillDn(null, "s", "l"));
    }

    @Test
    void valuesInANameAreEscapedAsRfc4514Says() {
        assertEquals("CN=Smith\\, J,serialNumber=A\\+B", Placeholders.fillDn("CN={label},serialNumber={serial}",
                "A+B", "Smith, J"));
        assertEquals("\\\\\\,\\+\\\"\\<\\>\\;\\=", Placeholders.escape("\\,+\"<>;="));
        assertEquals("\\ a b\\ ", Placeholders.escape(" a b "), "spaces only at either end");
        assertEquals("\\ ", Placeholders.escape(" "));
        assertEquals("\\#1#2", Placeholders.escape("#1#2"), "a number sign only at the start");
        assertEquals("plain-9dca3ab4", Placeholders.escape("plain-9dca3ab4"));
        assertEquals("", Placeholders.escape(""));
        assertEquals("a{label}", Placeholders.fillDn("a{label}", "s", "{label}"), "a value is not filled again");
    }
}
