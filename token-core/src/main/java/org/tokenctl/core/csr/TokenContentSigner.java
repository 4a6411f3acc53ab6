package org.tokenctl.core.csr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.key.KeyAlgorithm;
import org.tokenctl.core.key.Sm2Digests;
import org.tokenctl.core.module.Sm2Mechanisms;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;

/**
 * A BouncyCastle {@link ContentSigner} whose signatures are computed by the
 * token: the private key never leaves it. Used for the PKCS#10 request and, by
 * a CMP issuer, for proof of possession (RFC 4211 section 4.1).
 *
 * <p>RSA: the token hashes and signs ({@code CKM_SHA256_RSA_PKCS}...). ECDSA: the
 * hash is computed here and the token signs it with raw {@code CKM_ECDSA}, which
 * returns r || s (PKCS#11 v2.40 section 2.3.1); X.509 and PKCS#10 want the DER
 * {@code ECDSA-Sig-Value} SEQUENCE of two INTEGERs (RFC 3279 section 2.2.3), so
 * the raw value is re-encoded.
 *
 * <p>Bound to one session, so confined to that session's thread. BouncyCastle's
 * {@code getSignature()} cannot throw checked exceptions: a token failure comes
 * out as a {@link RuntimeOperatorException} whose cause is the
 * {@link Pkcs11CallException}; {@link #unwrap} recovers it.
 */
public final class TokenContentSigner implements ContentSigner {

    private final TokenSession session;
    private final long privateKey;
    private final SignatureAlgorithm algorithm;
    private final SubjectPublicKeyInfo publicKey;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    /**
     * @param session an open session, logged in as the user
     * @param privateKey the private key handle
     * @param algorithm the signature algorithm (matching the key's type)
     */
    public TokenContentSigner(TokenSession session, long privateKey, SignatureAlgorithm algorithm) {
        this(session, privateKey, algorithm, null);
    }

    /**
     * @param session an open session, logged in as the user
     * @param privateKey the private key handle
     * @param algorithm the signature algorithm (matching the key's type)
     * @param publicKey the key pair's public key: needed for SM2 on a token that signs a digest (Z binds the
     *                  public key); may be null otherwise
     */
    public TokenContentSigner(TokenSession session, long privateKey, SignatureAlgorithm algorithm,
                              SubjectPublicKeyInfo publicKey) {
        this.session = session;
        this.privateKey = privateKey;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm.algorithmIdentifier();
    }

    /** @return the stream to write the to-be-signed bytes to (buffered until {@link #getSignature()}) */
    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    /**
     * Signs everything written since the last signature, on the token.
     *
     * @return the signature as X.509 wants it (DER SEQUENCE for ECDSA)
     * @throws RuntimeOperatorException wrapping the token's {@link Pkcs11CallException}
     */
    @Override
    public byte[] getSignature() {
        byte[] data = buffer.toByteArray();
        buffer.reset();
        try {
            if (algorithm.keyAlgorithm() == KeyAlgorithm.SM2) {
                return sm2(data);
            }
            if (!algorithm.hashesInJava()) {
                return session.sign(algorithm.mechanism(), privateKey, data);
            }
            byte[] hash = MessageDigest.getInstance(algorithm.hash().jcaName()).digest(data);
            return derEcdsa(session.sign(algorithm.mechanism(), privateKey, hash));
        } catch (TokenctlException e) {
            throw new RuntimeOperatorException("on-token signature failed: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.hash().jcaName() + " missing from this JVM", e);
        }
    }

    /**
     * SM3withSM2 with the vendor's mechanism: the token gets the message (and computes
     * Z and SM3 itself) or e = SM3(Z || M) computed here, with the default user ID;
     * its r || s is re-encoded as DER, a DER answer is checked to be one.
     */
    private byte[] sm2(byte[] data) throws TokenctlException {
        Sm2Mechanisms sm2 = session.token().sm2();
        if (sm2 == null) {
            throw new UnsupportedByTokenException("SM2", "This token has no SM2 mechanisms known to tokenctl");
        }
        byte[] input = data;
        if (sm2.input() == Sm2Mechanisms.SignInput.DIGEST) {
            if (publicKey == null) {
                throw new IllegalStateException("an SM2 token that signs a digest needs the public key for Z");
            }
            input = Sm2Digests.e(publicKey, data);
        }
        byte[] signature = session.sign(sm2.sign(), privateKey, input);
        if (sm2.encoding() == Sm2Mechanisms.Encoding.RAW) {
            if (signature.length != 64) {
                throw new RuntimeOperatorException("the token returned a " + signature.length
                        + "-byte SM2 signature; its profile says r || s of 32 bytes each");
            }
            return derEcdsa(signature);
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(signature);
            if (seq.size() != 2 || !(seq.getObjectAt(0) instanceof ASN1Integer)
                    || !(seq.getObjectAt(1) instanceof ASN1Integer)
                    || !Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature)) {
                throw new IllegalArgumentException("not SEQUENCE { INTEGER, INTEGER }");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new RuntimeOperatorException("the token returned an SM2 signature that is not the DER its profile"
                    + " says", e);
        }
        return signature;
    }

    /**
     * Converts the token's raw ECDSA signature r || s (each half as long as the
     * curve order) into DER.
     *
     * @param raw r || s
     * @return {@code SEQUENCE { r INTEGER, s INTEGER }}
     */
    static byte[] derEcdsa(byte[] raw) {
        if (raw.length == 0 || raw.length % 2 != 0) {
            throw new RuntimeOperatorException("the token returned a " + raw.length
                    + "-byte ECDSA signature; expected r || s of equal halves");
        }
        int half = raw.length / 2;
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))));
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length))));
        try {
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
        }
    }

    /**
     * Recovers the token failure from BouncyCastle's unchecked wrapper.
     *
     * @param e what a BouncyCastle builder threw while this signer was signing
     * @return the {@link TokenctlException} inside it
     * @throws RuntimeOperatorException {@code e} itself when it does not wrap a token failure
     */
    public static TokenctlException unwrap(RuntimeOperatorException e) {
        if (e.getCause() instanceof TokenctlException) {
            return (TokenctlException) e.getCause();
        }
        throw e;
    }
}
