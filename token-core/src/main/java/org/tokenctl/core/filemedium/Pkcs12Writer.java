package org.tokenctl.core.filemedium;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.pin.Pin;

/**
 * Encodes a key, its certificate and chain as a PKCS#12 file (RFC 7292) with
 * modern protection, the same whatever the JDK's {@code keystore.pkcs12.*}
 * security properties say:
 * <ul>
 *   <li>the key in a shrouded key bag, and the certificates in an encrypted
 *       safe, each with PBES2 (RFC 8018 section 6.2): PBKDF2 with HMAC-SHA256,
 *       {@value #ITERATIONS} iterations, a fresh 16-byte salt, and AES-256-CBC;</li>
 *   <li>integrity: HMAC-SHA256 over the whole file (RFC 7292 appendix B key
 *       derivation, {@value #ITERATIONS} iterations).</li>
 * </ul>
 * OpenSSL 3 ({@code openssl pkcs12 -info}), the JDK's KeyStore, NSS and Windows
 * 10+ read it; RC2/3DES and SHA-1 MACs are never used. The key and certificate
 * bags share friendlyName (the label) and localKeyId (the key id) so that
 * importers pair them. Stateless and thread-safe.
 */
public final class Pkcs12Writer {

    /**
     * PBKDF2 and MAC iterations: OpenSSL 3 uses 2048 and the JDK 10000; this is
     * ten times the JDK's, which costs a fraction of a second once per file.
     */
    public static final int ITERATIONS = 100_000;

    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);

    private Pkcs12Writer() {
    }

    /**
     * @param key the private key
     * @param certificate its certificate
     * @param chain CA certificates, issuing CA first
     * @param label friendlyName of the key and its certificate
     * @param id localKeyId of the key and its certificate
     * @param password protects the file (encryption and MAC)
     * @return the DER-encoded PFX
     */
    public static byte[] encode(PrivateKey key, X509CertificateHolder certificate, List<X509CertificateHolder> chain,
                                String label, KeyId id, Pin password) {
        char[] pw = password.chars();
        try {
            List<PKCS12SafeBag> certBags = new ArrayList<>();
            PKCS12SafeBagBuilder cert = new PKCS12SafeBagBuilder(certificate.toASN1Structure());
            cert.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(label));
            cert.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(id.bytes()));
            certBags.add(cert.build());
            for (X509CertificateHolder ca : chain) {
                PKCS12SafeBagBuilder b = new PKCS12SafeBagBuilder(ca.toASN1Structure());
                b.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName,
                        new DERBMPString(SubjectName.format(ca.getSubject())));
                certBags.add(b.build());
            }
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor(pw));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(label));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(id.bytes()));

            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            // a separate encryptor per safe: each gets its own salt and IV
            pfx.addEncryptedData(encryptor(pw), certBags.toArray(new PKCS12SafeBag[0]));
            pfx.addData(keyBag.build());
            PKCS12PfxPdu pdu = pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                    .setIterationCount(ITERATIONS).setProvider(CryptoProvider.BC), pw);
            return pdu.getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | PKCSException | IOException e) {
            throw new IllegalStateException("cannot build the PKCS#12 file: " + e.getMessage(), e);
        }
    }

    private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC).setPRF(HMAC_SHA256)
                .setIterationCount(ITERATIONS).setProvider(CryptoProvider.BC).build(password);
    }
}
