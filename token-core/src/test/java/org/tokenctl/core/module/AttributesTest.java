package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/** The attribute template tokenctl's API speaks, and its translation to and from the wrapper. */
class AttributesTest {

    @Test
    void valuesReadBackAsTheyWereSet() {
        byte[] id = {1, 2, 3};
        Attributes a = Attributes.ofClass(Pkcs11.CKO_PRIVATE_KEY).bool(Pkcs11.CKA_SIGN, true)
                .number(Pkcs11.CKA_KEY_TYPE, Pkcs11.CKK_EC).label("alice").id(id);
        id[0] = 9;
        assertEquals(Pkcs11.CKO_PRIVATE_KEY, a.number(Pkcs11.CKA_CLASS));
        assertEquals(Boolean.TRUE, a.bool(Pkcs11.CKA_SIGN));
        assertEquals(Pkcs11.CKK_EC, a.number(Pkcs11.CKA_KEY_TYPE));
        assertEquals("alice", a.label());
        assertArrayEquals(new byte[] {1, 2, 3}, a.id(), "the template keeps its own copy");
        a.id()[1] = 7;
        assertArrayEquals(new byte[] {1, 2, 3}, a.id(), "readers hand out copies");
        assertEquals(List.of(Pkcs11.CKA_CLASS, Pkcs11.CKA_SIGN, Pkcs11.CKA_KEY_TYPE, Pkcs11.CKA_LABEL, Pkcs11.CKA_ID),
                List.copyOf(a.types()));
        assertFalse(a.contains(Pkcs11.CKA_VALUE));
        assertNull(a.bytes(Pkcs11.CKA_VALUE));
    }

    @Test
    void bigIntegersAreUnsignedBigEndian() {
        Attributes a = new Attributes().integer(Pkcs11.CKA_PUBLIC_EXPONENT, BigInteger.valueOf(65537))
                .integer(Pkcs11.CKA_MODULUS, BigInteger.valueOf(0x80));
        assertArrayEquals(new byte[] {1, 0, 1}, a.bytes(Pkcs11.CKA_PUBLIC_EXPONENT));
        assertArrayEquals(new byte[] {(byte) 0x80}, a.bytes(Pkcs11.CKA_MODULUS), "no sign byte");
        assertEquals(BigInteger.valueOf(0x80), a.integer(Pkcs11.CKA_MODULUS), "read back as unsigned");
        assertArrayEquals(new byte[] {0}, new Attributes().integer(Pkcs11.CKA_MODULUS, BigInteger.ZERO)
                .bytes(Pkcs11.CKA_MODULUS));
        assertThrows(IllegalArgumentException.class,
                () -> new Attributes().integer(Pkcs11.CKA_MODULUS, BigInteger.ONE.negate()));
    }

    @Test
    void readingAValueAsTheWrongKindIsAProgrammingError() {
        Attributes a = new Attributes().label("x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.number(Pkcs11.CKA_LABEL));
        assertTrue(e.getMessage().contains("String"), e.getMessage());
    }

    @Test
    void theWrapperSeesTheSameTemplate() {
        AttributeVector v = Attributes.x509Certificate().bool(Pkcs11.CKA_TOKEN, true)
                .integer(Pkcs11.CKA_PUBLIC_EXPONENT, BigInteger.valueOf(3)).label("cert").toWrapper();
        assertEquals(Pkcs11.CKO_CERTIFICATE, v.class_());
        assertEquals(Pkcs11.CKC_X_509, v.certificateType());
        assertEquals(Boolean.TRUE, v.token());
        assertEquals(BigInteger.valueOf(3), v.publicExponent());
        assertEquals("cert", v.label());
    }

    @Test
    void whatTheWrapperReadKeepsAbsentAndSecretApart() {
        AttributeVector read = new AttributeVector()
                .attr(Pkcs11.CKA_LABEL, "k")
                .attr(Attribute.getInstance(Pkcs11.CKA_VALUE).present(true).sensitive(true))
                .attr(Attribute.getInstance(Pkcs11.CKA_ID).present(false))
                .attr(Pkcs11.CKA_MODULUS_BITS, 2048);
        Attributes a = Attributes.fromWrapper(read);
        assertEquals("k", a.label());
        assertTrue(a.contains(Pkcs11.CKA_VALUE), "a secret attribute is present");
        assertNull(a.bytes(Pkcs11.CKA_VALUE), "without a value");
        assertFalse(a.contains(Pkcs11.CKA_ID), "an attribute the object lacks is absent");
        assertEquals(2048L, a.number(Pkcs11.CKA_MODULUS_BITS));
    }
}
