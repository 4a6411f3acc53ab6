package org.tokenctl.core.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.security.KeyPair;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.Failure;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;

/** The request builder with software signers: what it puts in, and what it refuses to hand on. */
class CsrBuilderTest {

    private static KeyPair ec;
    private static KeyPair other;

    @BeforeAll
    static void keys() {
        ec = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
        other = SoftwareKeyGenerator.generate(KeySpec.EC_P256);
    }

    private static SubjectPublicKeyInfo spki(KeyPair k) {
        return SubjectPublicKeyInfo.getInstance(k.getPublic().getEncoded());
    }

    private static ContentSigner signer(KeyPair k) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate());
    }

    @Test
    void aRequestCarriesTheSubjectKeyAndSans() throws Exception {
        X500Name subject = SubjectName.parse("CN=Alice,O=Example Bank");
        GeneralNames sans = SubjectAltNames.parse(java.util.List.of("email:alice@example.com"));
        PKCS10CertificationRequest csr = CsrBuilder.build(subject, sans, spki(ec), signer(ec));
        assertEquals(subject, csr.getSubject());
        assertEquals(spki(ec), csr.getSubjectPublicKeyInfo());
        assertTrue(CsrBuilder.verifies(csr, spki(ec)));
        assertEquals(1, csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest).length);
        Extensions ext = Extensions.getInstance(
                csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        assertEquals(sans, GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName));
        assertFalse(ext.getExtension(Extension.subjectAlternativeName).isCritical());
    }

    @Test
    void noSansMeansNoExtensionRequest() throws Exception {
        PKCS10CertificationRequest csr = CsrBuilder.build(new X500Name("CN=Bob"), null, spki(ec), signer(ec));
        assertEquals(0, csr.getAttributes().length);
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedBeforeAnyoneSeesIt() throws Exception {
        CsrSignatureException e = assertThrows(CsrSignatureException.class,
                () -> CsrBuilder.build(new X500Name("CN=Bob"), null, spki(ec), signer(other)));
        assertEquals(Failure.TOKEN_ERROR, e.failure());
        assertEquals("The certificate request signed by the token does not verify against the token's public key"
                + " (EC secp256r1); the token or its module is faulty", e.getMessage());
        PKCS10CertificationRequest good = CsrBuilder.build(new X500Name("CN=Bob"), null, spki(ec), signer(ec));
        assertFalse(CsrBuilder.verifies(good, spki(other)));
        assertFalse(CsrBuilder.verifies(good, SubjectPublicKeyInfo.getInstance(
                new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption),
                        new org.bouncycastle.asn1.DERBitString(new byte[] {1, 2, 3})}))),
                "an unusable key verifies nothing");
    }

    @Test
    void aTokenFailureInsideTheSignerComesOutAsItself() {
        InvalidInputException fromToken = new InvalidInputException("x", "the token failed");
        ContentSigner failing = new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public byte[] getSignature() {
                throw new RuntimeOperatorException("signing failed", fromToken);
            }
        };
        assertSame(fromToken, assertThrows(InvalidInputException.class,
                () -> CsrBuilder.build(new X500Name("CN=Bob"), null, spki(ec), failing)));
    }
}
