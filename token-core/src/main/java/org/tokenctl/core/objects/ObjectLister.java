package org.tokenctl.core.objects;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.cert.X509Time;

/**
 * Lists the objects a session can see: public ones always, private ones once
 * the session is logged in.
 */
public final class ObjectLister {

    private ObjectLister() {
    }

    /**
     * @param session an open session (logged in to see private objects)
     * @return every visible object, in the token's order
     * @throws Pkcs11CallException if the token fails
     */
    public static List<TokenObject> list(TokenSession session) throws Pkcs11CallException {
        long[] handles = session.find(new Attributes());
        List<TokenObject> out = new ArrayList<>(handles.length);
        for (long h : handles) {
            try {
                out.add(describe(session, h));
            } catch (Pkcs11CallException e) {
                // another session or process may destroy an object between C_FindObjects and
                // C_GetAttributeValue (SoftHSM also re-indexes its store under concurrent writers):
                // a listing is a snapshot, and an object that is gone is not in it
                if (e.ckr() != Pkcs11.CKR_OBJECT_HANDLE_INVALID) {
                    throw e;
                }
            }
        }
        return out;
    }

    /**
     * @param session an open session
     * @param handle an object handle
     * @return a snapshot of that object
     * @throws Pkcs11CallException if the token fails
     */
    public static TokenObject describe(TokenSession session, long handle) throws Pkcs11CallException {
        Attributes common = session.attributes(handle, Pkcs11.CKA_CLASS, Pkcs11.CKA_LABEL,
                Pkcs11.CKA_ID, Pkcs11.CKA_PRIVATE);
        ObjectClass cls = ObjectClass.of(common.number(Pkcs11.CKA_CLASS));
        String label = common.label() == null ? "" : common.label();
        byte[] idBytes = common.id();
        KeyId id = idBytes == null || idBytes.length == 0 ? null : KeyId.of(idBytes);
        KeyDescription key = null;
        PrivateKeyAttributes priv = null;
        CertificateDescription cert = null;
        switch (cls) {
            case PRIVATE_KEY:
                key = keyDescription(session, handle);
                priv = privateKeyAttributes(session, handle);
                break;
            case PUBLIC_KEY:
                key = keyDescription(session, handle);
                break;
            case CERTIFICATE:
                cert = certificate(session, handle);
                break;
            default:
                break;
        }
        return new TokenObject(handle, cls, label, id, common.bool(Pkcs11.CKA_PRIVATE), key, priv, cert);
    }

    /**
     * @param session an open session
     * @param handle a private key handle
     * @return its exportability attributes
     * @throws Pkcs11CallException if the token fails
     */
    public static PrivateKeyAttributes privateKeyAttributes(TokenSession session, long handle)
            throws Pkcs11CallException {
        Attributes a = session.attributes(handle, Pkcs11.CKA_SENSITIVE,
                Pkcs11.CKA_ALWAYS_SENSITIVE, Pkcs11.CKA_EXTRACTABLE,
                Pkcs11.CKA_NEVER_EXTRACTABLE, Pkcs11.CKA_LOCAL, Pkcs11.CKA_SIGN, Pkcs11.CKA_SIGN_RECOVER,
                Pkcs11.CKA_DECRYPT, Pkcs11.CKA_UNWRAP, Pkcs11.CKA_DERIVE);
        return new PrivateKeyAttributes(a.bool(Pkcs11.CKA_SENSITIVE), a.bool(Pkcs11.CKA_ALWAYS_SENSITIVE),
                a.bool(Pkcs11.CKA_EXTRACTABLE), a.bool(Pkcs11.CKA_NEVER_EXTRACTABLE), a.bool(Pkcs11.CKA_LOCAL),
                a.bool(Pkcs11.CKA_SIGN), a.bool(Pkcs11.CKA_SIGN_RECOVER), a.bool(Pkcs11.CKA_DECRYPT), a.bool(Pkcs11.CKA_UNWRAP), a.bool(Pkcs11.CKA_DERIVE));
    }

    private static KeyDescription keyDescription(TokenSession session, long handle) throws Pkcs11CallException {
        Long keyType = session.attributes(handle, Pkcs11.CKA_KEY_TYPE).number(Pkcs11.CKA_KEY_TYPE);
        if (keyType == null) {
            return new KeyDescription("UNKNOWN", 0, null);
        }
        if (keyType == Pkcs11.CKK_RSA) {
            BigInteger modulus = session.attributes(handle, Pkcs11.CKA_MODULUS).integer(Pkcs11.CKA_MODULUS);
            return new KeyDescription("RSA", modulus == null ? 0 : modulus.bitLength(), null);
        }
        if (keyType == Pkcs11.CKK_EC) {
            byte[] params = session.attributes(handle, Pkcs11.CKA_EC_PARAMS).bytes(Pkcs11.CKA_EC_PARAMS);
            return ecDescription(params);
        }
        if (session.token().isSm2KeyType(keyType)) {
            // the vendor's SM2 key type: one curve, sm2p256v1
            return new KeyDescription("SM2", 256, "sm2p256v1");
        }
        String name = Pkcs11.keyTypeName(keyType);
        return new KeyDescription(name.startsWith("CKK_") ? name.substring(4) : name, 0, null);
    }

    /**
     * @param ecParams a DER-encoded CKA_EC_PARAMS (a named-curve OID)
     * @return the curve's name and size, or "EC" with unknown size
     */
    static KeyDescription ecDescription(byte[] ecParams) {
        try {
            ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(ecParams);
            String name = ECNamedCurveTable.getName(oid);
            X9ECParameters p = ECNamedCurveTable.getByOID(oid);
            return new KeyDescription("EC", p == null ? 0 : p.getCurve().getFieldSize(),
                    name == null ? oid.getId() : name.toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return new KeyDescription("EC", 0, null);
        }
    }

    private static CertificateDescription certificate(TokenSession session, long handle)
            throws Pkcs11CallException {
        Attributes a = session.attributes(handle, Pkcs11.CKA_CERTIFICATE_TYPE, Pkcs11.CKA_VALUE);
        if (a.number(Pkcs11.CKA_CERTIFICATE_TYPE) == null || a.number(Pkcs11.CKA_CERTIFICATE_TYPE) != Pkcs11.CKC_X_509 || a.bytes(Pkcs11.CKA_VALUE) == null) {
            return null;
        }
        try {
            // BouncyCastle's ASN.1 view: the JDK's parser rejects keys on curves it lacks (SM2's sm2p256v1)
            X509CertificateHolder c = new X509CertificateHolder(a.bytes(Pkcs11.CKA_VALUE));
            return new CertificateDescription(
                    new X500Principal(c.getSubject().getEncoded()).getName(X500Principal.RFC2253),
                    new X500Principal(c.getIssuer().getEncoded()).getName(X500Principal.RFC2253),
                    Certificates.serialHex(c.getSerialNumber()), X509Time.notBefore(c),
                    X509Time.notAfter(c));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
