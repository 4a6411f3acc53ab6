package org.tokenctl.core.issue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.cert.X509Time;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.PrivateKeyFiles;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.pin.Pin;

/**
 * A CA in this process, for development, demos and tests: signs a client
 * certificate for a request with a CA certificate and key read from files.
 *
 * <p>The certificate it issues (RFC 5280): random 16-byte serial, the request's
 * subject and subject alternative names, validity from now for the given days
 * (never beyond the CA's own), basicConstraints CA:false and keyUsage
 * digitalSignature (+ keyEncipherment for RSA keys) both critical, extended key
 * usage clientAuth, subject and authority key identifiers. Thread-safe.
 */
public final class LocalCa implements CertificateIssuer {

    /** Validity of an issued certificate unless told otherwise. */
    public static final int DEFAULT_DAYS = 365;

    private final X509CertificateHolder caCertificate;
    private final CaSigning.Key caKey;
    private final int days;
    private final Clock clock;
    /** The CA certificate's validity, read once: its dates are parsed text, and every issue checks them. */
    private final Instant caNotBefore;
    private final Instant caNotAfter;
    /** The authority key identifier of every certificate issued, from the CA certificate (read once). */
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    /** Whether the CA certificate's extensions were found to make it a CA (they do not change). */
    private volatile boolean caCertificateChecked;
    /** Whether a signature made with the key verified with the certificate (a probe's, or an issued one's). */
    private volatile boolean keyMatches;

    /**
     * @param caCertificate the CA certificate (becomes the issuer; its key identifier the authority key id)
     * @param caKey the CA's private key
     * @param days validity of issued certificates
     * @param clock the time source
     * @throws InvalidInputException if days is out of range or the key type is unsupported
     */
    public LocalCa(X509CertificateHolder caCertificate, PrivateKey caKey, int days, Clock clock)
            throws InvalidInputException {
        CaSigning.checkDays(days);
        this.caKey = new CaSigning.Key(caKey);
        this.caCertificate = caCertificate;
        this.days = days;
        this.clock = clock;
        // readable: BouncyCastle refuses a certificate with malformed times when it parses it
        this.caNotBefore = X509Time.notBefore(caCertificate);
        this.caNotAfter = X509Time.notAfter(caCertificate);
        this.authorityKeyIdentifier = authorityKeyIdentifier(caCertificate);
    }

    /**
     * Reads the CA from files: the certificate as PEM or DER (the first one in the
     * file), the key as PEM (plain or encrypted) or PKCS#12.
     *
     * @param certFile the CA certificate file
     * @param keyFile the CA key file
     * @param password the key file's password, or null if it has none
     *                 ({@link PrivateKeyFiles#needsPassword} tells)
     * @param days validity of issued certificates
     * @param clock the time source
     * @return the CA
     * @throws InvalidInputException if a file is missing or unreadable, the password is wrong, or the
     *                               certificate cannot be a CA's (RFC 5280: a positive serial, version 3)
     */
    public static LocalCa load(Path certFile, Path keyFile, Pin password, int days, Clock clock)
            throws InvalidInputException {
        X509CertificateHolder cert = Pem.certificates(certFile, "ca-cert").get(0);
        Certificates.requireConformingCa(cert, "ca-cert");
        PrivateKeyFiles.LoadedKey key = PrivateKeyFiles.read(keyFile, password, "ca-key", "ca-password");
        return new LocalCa(cert, key.key(), days, clock);
    }

    /** @return the CA certificate */
    public X509CertificateHolder certificate() {
        return caCertificate;
    }

    private String name() {
        return "local CA '" + SubjectName.format(caCertificate.getSubject()) + "'";
    }

    /**
     * Prepares for a batch: with an RSA key, in a JVM whose JIT stops at C1, and for
     * enough certificates, the key is imported into NSS's softoken on another thread, and
     * certificates are signed there once it is ready (a sixth of the JDK's cost under C1;
     * the same signature bytes). Nothing waits for it, and without NSS the JDK signs.
     *
     * @param certificates how many certificates are to be issued
     */
    @Override
    public void expect(int certificates) {
        caKey.expect(certificates);
    }

    /**
     * Checks that the CA key belongs to the CA certificate, that the certificate
     * is a CA certificate valid now, and that it outlives what would be issued.
     *
     * @throws IssuanceException naming the problem
     */
    @Override
    public void preflight() throws TokenctlException {
        Instant now = clock.instant();
        if (now.isBefore(caNotBefore) || now.isAfter(caNotAfter)) {
            throw new IssuanceException(name(), "The CA certificate is not valid now (valid "
                    + caNotBefore + " to " + caNotAfter + ")");
        }
        if (!caCertificateChecked) {
            requireCaExtensions();
            caCertificateChecked = true;
        }
        requireWithinCaValidity(CaSigning.notAfter(CaSigning.notBefore(now), days));
        if (keyMatches) {
            return; // proven by an earlier preflight: key and certificate do not change
        }
        Boolean rsa = caKey.rsaHalvesMatch(caCertificate.getSubjectPublicKeyInfo());
        if (rsa != null) {
            // An RSA key with its CRT parameters is checked by arithmetic, not by a probe signature
            // (7.8 ms under C1); the first certificate issued is still verified before it is used.
            if (!rsa) {
                throw new IssuanceException(name(), "The CA key does not match the CA certificate (its RSA modulus or"
                        + " public exponent differs from the certificate's, or its CRT parameters do not fit them)");
            }
            return;
        }
        X509v3CertificateBuilder probe = new X509v3CertificateBuilder(caCertificate.getSubject(),
                CaSigning.randomSerial(), X509Time.of(CaSigning.notBefore(now)),
                X509Time.of(CaSigning.notAfter(CaSigning.notBefore(now), 1)),
                caCertificate.getSubject(), caCertificate.getSubjectPublicKeyInfo());
        requireSignedByCaKey(CaSigning.sign(probe, caKey));
        keyMatches = true;
    }

    /** The CA certificate's extensions make it a CA that may sign certificates (RFC 5280). */
    private void requireCaExtensions() throws IssuanceException {
        if (caCertificate.getExtensions() == null && !selfSigned(caCertificate)) {
            // RFC 5280 section 6.1.4 (k): a certificate without basicConstraints is a CA only as a trust anchor
            throw new IssuanceException(name(), "The CA certificate has no extensions and is not self-signed: without"
                    + " basicConstraints CA:TRUE only a root certificate can issue");
        }
        BasicConstraints bc = BasicConstraints.fromExtensions(caCertificate.getExtensions());
        if (caCertificate.getExtensions() != null && (bc == null || !bc.isCA())) {
            throw new IssuanceException(name(), "The CA certificate is not a CA certificate (basicConstraints CA:TRUE"
                    + " missing)");
        }
        KeyUsage ku = KeyUsage.fromExtensions(caCertificate.getExtensions());
        if (ku != null && !ku.hasUsages(KeyUsage.keyCertSign)) {
            throw new IssuanceException(name(), "The CA certificate's key usage does not allow keyCertSign");
        }
    }

    /**
     * Issues a certificate for the request, after checking its signature (proof of
     * possession; unless the request says it is already checked) and, afterwards,
     * the certificate's own signature against the CA certificate.
     *
     * @throws IssuanceException if the request's signature is invalid, the validity would exceed the CA's,
     *                           or the CA key does not match the CA certificate
     */
    @Override
    public Issuance issue(CertificateRequest request) throws TokenctlException {
        PKCS10CertificationRequest csr = request.csr();
        SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
        if (!request.signatureVerified() && !CsrBuilder.verifies(csr, spki)) {
            throw new IssuanceException(name(), "The request's signature does not verify (no proof of possession)");
        }
        Instant notBefore = CaSigning.notBefore(clock.instant());
        Instant notAfter = CaSigning.notAfter(notBefore, days);
        requireWithinCaValidity(notAfter);
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(caCertificate.getSubject(),
                CaSigning.randomSerial(), X509Time.of(notBefore), X509Time.of(notAfter), csr.getSubject(), spki);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            boolean rsa = spki.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0)));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, CaSigning.keyIdentifier(spki));
            b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            Extension san = requestedExtension(csr, Extension.subjectAlternativeName);
            if (san != null) {
                // RFC 5280 section 4.2.1.6: critical when the subject is empty
                b.addExtension(Extension.subjectAlternativeName, csr.getSubject().getRDNs().length == 0,
                        san.getParsedValue());
            }
        } catch (CertIOException e) {
            throw new IssuanceException(name(), "Cannot encode the certificate's extensions: " + e.getMessage(), e);
        }
        X509CertificateHolder cert = CaSigning.sign(b, caKey);
        if (!keyMatches) {
            // Once a certificate signed with the key verifies with the CA certificate
            // (here or in preflight), key and certificate are known to match and do not
            // change: verifying every issued certificate again cost a batch a signature
            // verification per token (BouncyCastle's RSA signer checks its own CRT result).
            requireSignedByCaKey(cert);
            keyMatches = true;
        }
        return new Issuance.Issued(cert, List.of(caCertificate), Acknowledgement.NONE);
    }

    /**
     * The CA's next CRL from its revocation index: checks that the CA certificate may sign
     * CRLs (keyUsage cRLSign, when it has a key usage) and that the CRL made verifies with
     * the CA certificate's public key (so the key is the certificate's).
     *
     * @param index the CA's index, as read
     * @param days until nextUpdate
     * @return the index with the CRL's number, to be written, and the CRL
     * @throws TokenctlException if the certificate may not sign CRLs, the key is not its key, or days is out of
     *         range
     */
    public CaIndex.Crl crl(CaIndex index, int days) throws TokenctlException {
        KeyUsage ku = KeyUsage.fromExtensions(caCertificate.getExtensions());
        if (ku != null && !ku.hasUsages(KeyUsage.cRLSign)) {
            throw new IssuanceException(name(), "The CA certificate's key usage does not allow cRLSign");
        }
        CaIndex.Crl crl = index.nextCrl(caCertificate, caKey.privateKey(), authorityKeyIdentifier, clock.instant(),
                days);
        try {
            if (!crl.crl().isSignatureValid(PublicKeys.verifier(caCertificate.getSubjectPublicKeyInfo()))) {
                throw new IssuanceException(name(), "The CA key does not match the CA certificate (a CRL signed with"
                        + " it does not verify with the CA certificate's public key)");
            }
        } catch (CertException e) {
            throw new IssuanceException(name(), "The CA key does not match the CA certificate: " + e.getMessage(), e);
        }
        return crl;
    }

    private void requireWithinCaValidity(Instant notAfter) throws IssuanceException {
        if (notAfter.isAfter(caNotAfter)) {
            throw new IssuanceException(name(), "The CA certificate expires on "
                    + caNotAfter + ", before a " + days
                    + "-day certificate would (" + notAfter + "); use a shorter validity or a newer CA",
                    Remedy.VALIDITY, null);
        }
    }

    private static boolean selfSigned(X509CertificateHolder cert) {
        try {
            return cert.getSubject().equals(cert.getIssuer())
                    && cert.isSignatureValid(PublicKeys.verifier(cert.getSubjectPublicKeyInfo()));
        } catch (CertException | InvalidInputException e) {
            return false;
        }
    }

    private void requireSignedByCaKey(X509CertificateHolder cert) throws IssuanceException {
        try {
            if (cert.isSignatureValid(PublicKeys.verifier(caCertificate.getSubjectPublicKeyInfo()))) {
                return;
            }
        } catch (CertException | InvalidInputException e) {
            throw new IssuanceException(name(), "The CA key does not match the CA certificate: " + e.getMessage(), e);
        }
        throw new IssuanceException(name(), "The CA key does not match the CA certificate (a certificate signed with"
                + " it does not verify with the CA certificate's public key)");
    }

    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509CertificateHolder caCertificate) {
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(caCertificate.getExtensions());
        byte[] id = ski != null ? ski.getKeyIdentifier()
                : CaSigning.keyIdentifier(caCertificate.getSubjectPublicKeyInfo()).getKeyIdentifier();
        return new AuthorityKeyIdentifier(id);
    }

    private static Extension requestedExtension(PKCS10CertificationRequest csr, ASN1ObjectIdentifier oid) {
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            if (a.getAttrValues().size() > 0) {
                Extension e = Extensions.getInstance(a.getAttrValues().getObjectAt(0)).getExtension(oid);
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }
}
