package org.tokenctl.core.key;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.tokenctl.core.InvalidInputException;

/**
 * The digest an SM2 signature signs (GM/T 0003.2 section 5.5, GM/T 0009):
 * e = SM3(Z || M), where Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)
 * binds the signer's user ID and public key. Certificates and requests use the
 * default ID {@value #DEFAULT_ID} (GM/T 0009 section 10). For tokens whose SM2
 * mechanism signs a digest the caller computed. Stateless.
 */
public final class Sm2Digests {

    /** GM/T 0009's default user ID, which X.509 and PKCS#10 signatures use. */
    public static final String DEFAULT_ID = "1234567812345678";

    private static final X9ECParameters CURVE = GMNamedCurves.getByName("sm2p256v1");

    private Sm2Digests() {
    }

    /**
     * @param publicKey the signer's SM2 public key
     * @param message what is signed
     * @return e = SM3(Z || M), 32 bytes, with the default user ID
     * @throws InvalidInputException if the key's point is not on sm2p256v1
     */
    public static byte[] e(SubjectPublicKeyInfo publicKey, byte[] message) throws InvalidInputException {
        SM3Digest d = new SM3Digest();
        byte[] z = z(publicKey);
        d.update(z, 0, z.length);
        d.update(message, 0, message.length);
        byte[] e = new byte[d.getDigestSize()];
        d.doFinal(e, 0);
        return e;
    }

    /**
     * @param publicKey the signer's SM2 public key
     * @return Z with the default user ID
     * @throws InvalidInputException if the key's point is not on sm2p256v1
     */
    static byte[] z(SubjectPublicKeyInfo publicKey) throws InvalidInputException {
        ECPoint q;
        try {
            q = CURVE.getCurve().decodePoint(publicKey.getPublicKeyData().getOctets()).normalize();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("key", "The SM2 public key's point is not on sm2p256v1", e);
        }
        byte[] id = DEFAULT_ID.getBytes(StandardCharsets.US_ASCII);
        SM3Digest d = new SM3Digest();
        int entl = id.length * 8;
        d.update((byte) (entl >> 8));
        d.update((byte) entl);
        d.update(id, 0, id.length);
        ECPoint g = CURVE.getG().normalize();
        for (byte[] part : new byte[][] {CURVE.getCurve().getA().getEncoded(), CURVE.getCurve().getB().getEncoded(),
            g.getAffineXCoord().getEncoded(), g.getAffineYCoord().getEncoded(), q.getAffineXCoord().getEncoded(),
            q.getAffineYCoord().getEncoded()}) {
            d.update(part, 0, part.length);
        }
        byte[] z = new byte[d.getDigestSize()];
        d.doFinal(z, 0);
        return z;
    }
}
