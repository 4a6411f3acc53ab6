package org.tokenctl.core.issue.cmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.bouncycastle.operator.MacCalculator;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.pin.Pin;

/** The password-based MAC and the status texts: pure logic, cross-checked against BouncyCastle. */
class PasswordBasedMacTest {

    private static final char[] SECRET = "pässwört-€".toCharArray();

    private static byte[] mac(MacCalculator calculator, byte[] data) throws Exception {
        calculator.getOutputStream().write(data);
        return calculator.getMac();
    }

    @Test
    void whatWeSendIsSha256HmacSha256With5000IterationsAndA16ByteSalt() {
        try (Pin secret = Pin.copyOf(SECRET)) {
            AlgorithmIdentifier alg = PasswordBasedMac.forSending(secret, new SecureRandom()).getAlgorithmIdentifier();
            assertEquals(CMPObjectIdentifiers.passwordBasedMac, alg.getAlgorithm());
            PBMParameter p = PBMParameter.getInstance(alg.getParameters());
            assertEquals(NISTObjectIdentifiers.id_sha256, p.getOwf().getAlgorithm());
            assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, p.getMac().getAlgorithm());
            assertEquals(5000, p.getIterationCount().intValueExact());
            assertEquals(16, p.getSalt().getOctets().length);
        }
    }

    /** BouncyCastle's PKMACBuilder, an independent implementation of RFC 4211 section 4.4, gets the same MAC. */
    @Test
    void theMacIsBouncyCastlesForTheSameParameters() throws Exception {
        byte[] data = "ProtectedPart".getBytes(StandardCharsets.UTF_8);
        try (Pin secret = Pin.copyOf(SECRET)) {
            PasswordBasedMac ours = PasswordBasedMac.forSending(secret, new SecureRandom());
            PBMParameter p = PBMParameter.getInstance(ours.getAlgorithmIdentifier().getParameters());
            MacCalculator theirs = new PKMACBuilder(new JcePKMACValuesCalculator()).setParameters(p).build(SECRET);
            assertArrayEquals(mac(theirs, data), mac(ours, data));

            // and a server's choice (OpenSSL's default: SHA-256, 500 iterations, HMAC-SHA1) the same way
            PBMParameter openssl = new PBMParameter(new byte[16], new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                    500, new AlgorithmIdentifier(org.bouncycastle.asn1.iana.IANAObjectIdentifiers.hmacSHA1,
                            DERNull.INSTANCE));
            MacCalculator received = PasswordBasedMac.forReceived(new AlgorithmIdentifier(
                    CMPObjectIdentifiers.passwordBasedMac, openssl), secret);
            assertArrayEquals(mac(new PKMACBuilder(new JcePKMACValuesCalculator()).setParameters(openssl)
                    .build(SECRET), data), mac(received, data));
        }
    }

    @Test
    void aProtectedMessageVerifiesWithTheSecretOnly() throws Exception {
        try (Pin secret = Pin.copyOf(SECRET); Pin wrong = Pin.wrap("wrong".toCharArray())) {
            ProtectedPKIMessage m = new ProtectedPKIMessageBuilder(new GeneralName(new X500Name("CN=a")),
                    new GeneralName(new X500Name("CN=b"))).setBody(new PKIBody(PKIBody.TYPE_POLL_REQ,
                    new PollReqContent(BigInteger.ZERO)))
                    .build(PasswordBasedMac.forSending(secret, new SecureRandom()));
            assertTrue(m.verify(PasswordBasedMac.verifier(), secret.chars()));
            assertFalse(m.verify(PasswordBasedMac.verifier(), wrong.chars()));
        }
    }

    @Test
    void aServersParametersAreCheckedBeforeAnyWork() {
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
        AlgorithmIdentifier hmac = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
        try (Pin secret = Pin.copyOf(SECRET)) {
            for (int n : new int[] {99, 100_001, Integer.MAX_VALUE}) {
                AlgorithmIdentifier alg = new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac,
                        new PBMParameter(new byte[16], sha256, n, hmac));
                assertTrue(assertThrows(InvalidAlgorithmParameterException.class,
                        () -> PasswordBasedMac.forReceived(alg, secret)).getMessage()
                        .contains(n + " iterations (accepted: 100 to 100000)"));
            }
            AlgorithmIdentifier huge = new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac,
                    new PBMParameter(new DEROctetString(new byte[16]), sha256,
                            new ASN1Integer(BigInteger.TEN.pow(30)), hmac));
            assertTrue(assertThrows(InvalidAlgorithmParameterException.class,
                    () -> PasswordBasedMac.forReceived(huge, secret)).getMessage()
                    .contains("1000000000000000000000000000000 iterations"));
            AlgorithmIdentifier md5 = new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac,
                    new PBMParameter(new byte[16], new AlgorithmIdentifier(PKCSObjectIdentifiers.md5), 500, hmac));
            assertTrue(assertThrows(InvalidAlgorithmParameterException.class,
                    () -> PasswordBasedMac.forReceived(md5, secret)).getMessage().contains("one-way function 1.2.840"));
            assertTrue(assertThrows(InvalidAlgorithmParameterException.class,
                    () -> PasswordBasedMac.forReceived(sha256, secret)).getMessage()
                    .contains("is not a password-based MAC"));
        }
    }

    @Test
    void statusAndFailureBitsAreNamedAsRfc4210NamesThem() {
        PKIStatusInfo info = new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(new String[] {"no", "line\nbreak"}),
                new PKIFailureInfo(PKIFailureInfo.badPOP | PKIFailureInfo.badCertTemplate | PKIFailureInfo.badAlg));
        assertEquals("rejection (badAlg, badPOP, badCertTemplate): 'no', 'line break'", PkiStatusText.describe(info));
        assertEquals(List.of("systemFailure"), PkiStatusText.failureNames(new PKIFailureInfo(
                PKIFailureInfo.systemFailure)));
        assertEquals("waiting", PkiStatusText.status(3));
        assertEquals("status 9", PkiStatusText.status(9));
        assertEquals("pkiconf", PkiStatusText.body(PKIBody.TYPE_CONFIRM));
    }

    @Test
    void aSecretBecomesUtf8BytesWithoutAString() {
        try (Pin secret = Pin.copyOf(SECRET)) {
            assertArrayEquals("pässwört-€".getBytes(StandardCharsets.UTF_8), secret.toUtf8());
        }
    }
}
