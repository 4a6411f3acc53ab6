package org.tokenctl.core.issue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.tokenctl.core.cert.X509Time;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.SafeFiles;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SoftwareKeyGenerator;

/**
 * A throwaway self-signed CA for demos and tests (never for production: its key
 * is a plain file). The certificate: random serial, basicConstraints CA:TRUE with
 * pathLen 0 and keyUsage keyCertSign, cRLSign, both critical, and subject and
 * authority key identifiers.
 *
 * @param certificate the self-signed CA certificate
 * @param key its private key
 */
public record DemoCa(X509CertificateHolder certificate, PrivateKey key) {

    /** The subject used when none is given. */
    public static final String DEFAULT_SUBJECT = "CN=tokenctl demo CA";
    /** Validity of the CA certificate unless told otherwise: ten years. */
    public static final int DEFAULT_DAYS = 3650;

    /**
     * Makes a new CA key and certificate in memory.
     *
     * @param subject the CA's name (issuer and subject)
     * @param spec its key type
     * @param days validity
     * @param clock the time source
     * @return the CA
     * @throws InvalidInputException if days is out of range
     */
    public static DemoCa create(X500Name subject, KeySpec spec, int days, Clock clock) throws InvalidInputException {
        CaSigning.checkDays(days);
        KeyPair kp = SoftwareKeyGenerator.generate(spec);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        Instant notBefore = CaSigning.notBefore(clock.instant());
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(subject, CaSigning.randomSerial(),
                X509Time.of(notBefore), X509Time.of(CaSigning.notAfter(notBefore, days)), subject, spki);
        SubjectKeyIdentifier ski = CaSigning.keyIdentifier(spki);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ski);
            b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode CA extensions", e);
        }
        return new DemoCa(CaSigning.sign(b, kp.getPrivate()), kp.getPrivate());
    }

    /**
     * Writes the certificate (PEM, 0644) and the key (unencrypted PKCS#8 PEM, 0600),
     * each atomically. Both targets are checked before either is written; if the
     * certificate cannot be written after the key was, the key file is removed again.
     *
     * @param certFile where the certificate goes
     * @param keyFile where the key goes
     * @param overwrite whether existing files may be replaced
     * @throws InvalidInputException if a file exists (without overwrite) or cannot be written
     */
    public void write(Path certFile, Path keyFile, boolean overwrite) throws TokenctlException {
        if (certFile.toAbsolutePath().normalize().equals(keyFile.toAbsolutePath().normalize())) {
            throw new InvalidInputException("out-key", "The certificate and the key must go to different files",
                    Remedy.SEPARATE_OUTPUTS, null);
        }
        SafeFiles.requireWritable(certFile, overwrite, "out-cert");
        SafeFiles.requireWritable(keyFile, overwrite, "out-key");
        byte[] keyPem;
        try {
            keyPem = Pem.encodeBytes(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode the CA key", e);
        }
        SafeFiles.write(keyFile, keyPem, overwrite, true, "out-key");
        try {
            SafeFiles.write(certFile, Pem.encodeBytes(certificate), overwrite, false, "out-cert");
        } catch (InvalidInputException e) {
            SafeFiles.delete(keyFile);
            throw e;
        }
    }
}
