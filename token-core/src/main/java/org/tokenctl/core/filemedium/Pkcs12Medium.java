package org.tokenctl.core.filemedium;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.enroll.EnrollmentKey;
import org.tokenctl.core.enroll.EnrollmentMedium;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.KeySource;
import org.tokenctl.core.io.SafeFiles;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.key.SoftwareKeyGenerator;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.pin.Pin;

/**
 * The file medium ("local disk"): the key pair is made in software and goes,
 * with its certificate and chain, into a password-protected PKCS#12 file
 * ({@link Pkcs12Writer}), written atomically with owner-only permissions. Unlike a
 * token key, this key IS exportable: the file is a copy the holder can back up,
 * and anyone with the file and its password has the key.
 *
 * <p>Issuance must be immediate: there is nowhere to keep the key while a
 * certificate is pending. One instance per enrollment, on one thread; the
 * password stays the caller's to close.
 */
public final class Pkcs12Medium implements EnrollmentMedium {

    /** The shortest password accepted for a PKCS#12 file. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private final Path file;
    private final Pin password;
    private final boolean overwrite;
    private PrivateKey privateKey;
    private boolean written;

    /**
     * @param file the PKCS#12 file to write
     * @param password its password (at least {@value #MIN_PASSWORD_LENGTH} characters)
     * @param overwrite whether an existing file may be replaced
     */
    public Pkcs12Medium(Path file, Pin password, boolean overwrite) {
        this.file = file;
        this.password = password;
        this.overwrite = overwrite;
    }

    /**
     * @param password a candidate PKCS#12 password
     * @throws InvalidInputException if it is shorter than {@value #MIN_PASSWORD_LENGTH} characters
     */
    public static void checkPassword(Pin password) throws InvalidInputException {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "The PKCS#12 password must have at least "
                    + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    /**
     * @throws InvalidInputException if the request names an existing key, the password is too short, the label
     *                               unusable, or the file exists (without overwrite) or cannot be written
     */
    @Override
    public void preflight(EnrollmentRequest request) throws TokenctlException {
        generated(request);
        checkPassword(password);
        TokenKeyGenerator.checkLabel(request.label());
        SafeFiles.requireWritable(file, overwrite, "out");
    }

    @Override
    public EnrollmentKey obtainKey(EnrollmentRequest request) throws TokenctlException {
        KeySource.Generate g = generated(request);
        KeyPair kp = SoftwareKeyGenerator.generate(g.spec());
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        KeyId id = g.id() != null ? g.id() : PublicKeys.defaultId(spki);
        SignatureAlgorithm signature = g.spec().signatureAlgorithm(request.hash());
        ContentSigner signer;
        try {
            signer = new JcaContentSignerBuilder(signature.jcaName()).setProvider(CryptoProvider.BC)
                    .build(kp.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a software " + g.spec() + " key", e);
        }
        privateKey = kp.getPrivate();
        return new EnrollmentKey(id, request.label(), g.spec(), signature, spki, signer, null, true, true);
    }

    private static KeySource.Generate generated(EnrollmentRequest request) throws InvalidInputException {
        if (request.key() instanceof KeySource.Generate g) {
            if (g.signRecover()) {
                throw new InvalidInputException("sign-recover", "A PKCS#12 file has no CKA_SIGN_RECOVER; signing"
                        + " with message recovery is a token key's attribute");
            }
            return g;
        }
        throw new InvalidInputException("key-id", "The PKCS#12 medium makes its own key; an existing key"
                + " can be enrolled on its token only");
    }

    @Override
    public List<ChainEntry> store(EnrollmentRequest request, EnrollmentKey key, X509CertificateHolder certificate,
                                  List<X509CertificateHolder> chain) throws TokenctlException {
        byte[] pfx = Pkcs12Writer.encode(privateKey, certificate, chain, key.label(), key.id(), password);
        SafeFiles.write(file, pfx, overwrite, true, "out");
        written = true;
        List<ChainEntry> out = new ArrayList<>();
        chain.forEach(c -> out.add(new ChainEntry(c, true)));
        return out;
    }

    /**
     * @throws InvalidInputException always: a software key has nowhere to wait for a deferred certificate
     */
    @Override
    public void keepKey() throws InvalidInputException {
        throw new InvalidInputException("medium", "The PKCS#12 medium needs the certificate at once; offline"
                + " issuance works with the token medium only");
    }

    @Override
    public void commit() {
        privateKey = null;
    }

    @Override
    public void discard(Throwable cause) throws IncompleteOperationException {
        privateKey = null;
        if (!written) {
            return;
        }
        String failure = SafeFiles.delete(file);
        if (failure != null) {
            throw new IncompleteOperationException("wrote " + file, cause.getMessage() + "; undoing it failed: "
                    + file + " could not be deleted (" + failure + ")", cause);
        }
        if (cause instanceof org.tokenctl.core.TokenctlException t) {
            t.removedAfterwards(java.util.List.of("file " + file));
        }
    }
}
