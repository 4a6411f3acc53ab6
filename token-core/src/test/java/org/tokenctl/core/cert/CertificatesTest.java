package org.tokenctl.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class CertificatesTest {

    /** As `openssl x509 -serial` prints serials (whole bytes), in lower case, so scripts can compare them. */
    @Test
    void serialsAreShownInWholeBytes() {
        assertEquals("0ab72b", Certificates.serialHex(new BigInteger("ab72b", 16)));
        assertEquals("ab72b9", Certificates.serialHex(new BigInteger("AB72B9", 16)));
        assertEquals("01", Certificates.serialHex(BigInteger.ONE));
        assertEquals("00", Certificates.serialHex(BigInteger.ZERO));
    }
}
