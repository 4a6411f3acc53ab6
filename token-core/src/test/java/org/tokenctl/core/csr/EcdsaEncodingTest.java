package org.tokenctl.core.csr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.junit.jupiter.api.Test;

/** The token's raw r || s becomes the DER ECDSA-Sig-Value X.509 wants (RFC 3279 section 2.2.3). */
class EcdsaEncodingTest {

    @Test
    void rawHalvesBecomePositiveDerIntegers() {
        byte[] raw = new byte[64];
        raw[0] = (byte) 0x80; // high bit set: DER needs a leading zero to stay positive
        raw[31] = 1;
        raw[63] = 2;
        ASN1Sequence seq = ASN1Sequence.getInstance(TokenContentSigner.derEcdsa(raw));
        BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        assertEquals(1, r.signum());
        assertArrayEquals(java.util.Arrays.copyOfRange(raw, 0, 32), java.util.Arrays.copyOfRange(
                r.toByteArray(), 1, 33));
        assertEquals(BigInteger.TWO, s);
    }

    @Test
    void anOddLengthIsNotASignature() {
        assertThrows(RuntimeOperatorException.class, () -> TokenContentSigner.derEcdsa(new byte[63]));
    }
}
