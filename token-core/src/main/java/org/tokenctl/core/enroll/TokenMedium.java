package org.tokenctl.core.enroll;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.CertificateInstaller;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.key.ExistingKeys;
import org.tokenctl.core.key.LabelledKeys;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.key.TokenKeyPair;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CreatedObjects;

/**
 * Enrollment onto a token: the key pair is generated on it, non-exportable and
 * verified so ({@link TokenKeyGenerator}), or an existing pair is found by CKA_ID and
 * checked the same way ({@link ExistingKeys}); the request is signed on it
 * ({@link TokenContentSigner}), and the certificate (and, if asked, its chain) is
 * installed beside the key with the same CKA_ID. Every object it creates is tracked
 * by handle so that {@link #discard} destroys exactly those: an existing key is
 * never among them.
 *
 * <p>Bound to one read-write session logged in as the user, so to its thread.
 */
public final class TokenMedium implements EnrollmentMedium {

    private final TokenSession session;
    private final CreatedObjects created;
    private final boolean duplicateLabelAllowed;
    private EnrollmentLock lock;
    /** The CKA_SUBJECT the pair generated here was given (DER), or null. */
    private byte[] generatedSubject;

    /**
     * A medium that refuses to generate a key pair under a label a finished enrollment
     * already carries ({@link LabelledKeys}).
     *
     * @param session a read-write session logged in as the user (the login refuses the initial PIN)
     */
    public TokenMedium(TokenSession session) {
        this(session, false);
    }

    /**
     * @param session a read-write session logged in as the user (the login refuses the initial PIN)
     * @param duplicateLabelAllowed whether a new key pair may take a label a key with a certificate already
     *                              carries (asked for on purpose: two keys with one label confuse middleware)
     */
    public TokenMedium(TokenSession session, boolean duplicateLabelAllowed) {
        this.session = session;
        this.created = new CreatedObjects(session);
        this.duplicateLabelAllowed = duplicateLabelAllowed;
    }

    /**
     * @throws org.tokenctl.core.InvalidInputException if the label is unusable, the id is taken, or a private
     *         key with the label has no certificate (an unfinished enrollment), or one that has
     *         its certificate unless allowed ({@link LabelledKeys})
     * @throws org.tokenctl.core.UnsupportedByTokenException if the token lacks a mechanism for the key spec
     */
    @Override
    public void preflight(EnrollmentRequest request) throws TokenctlException {
        if (request.key() instanceof KeySource.Generate g) {
            TokenKeyGenerator.check(session, g.spec(), g.spec().signatureAlgorithm(request.hash()), g.id(),
                    request.label());
            if (request.label() != null) {
                String serial = session.tokenSerial();
                lock = EnrollmentLock.acquire(serial, request.label());
                if (lock == null) {
                    // the other enrollment's pair has no certificate yet: that is not a pair to delete
                    throw new InvalidInputException("label", "Another enrollment of a key labelled '"
                            + request.label() + "' on token " + serial + " is under way; wait for it to finish,"
                            + " or enroll under another label");
                }
            }
            try {
                LabelledKeys.requireFree(session, request.label(), duplicateLabelAllowed);
            } catch (TokenctlException | RuntimeException e) {
                unlock();
                throw e;
            }
        } else if (request.label() != null) {
            TokenKeyGenerator.checkLabel(request.label());
        }
    }

    @Override
    public EnrollmentKey obtainKey(EnrollmentRequest request) throws TokenctlException {
        if (request.key() instanceof KeySource.Existing e) {
            TokenKeyPair pair = ExistingKeys.find(session, ExistingKeys.resolve(session, e.key()), request.hash());
            return key(pair, request.label() != null ? request.label() : pair.label(), false, request);
        }
        KeySource.Generate g = (KeySource.Generate) request.key();
        generatedSubject = der(request.subject());
        TokenKeyPair pair = TokenKeyGenerator.generate(session, g.spec(), g.spec().signatureAlgorithm(request.hash()),
                g.id(), request.label(), g.signRecover(), generatedSubject);
        created.add(pair.privateKey(), "private key id=" + pair.id().hex());
        created.add(pair.publicKey(), "public key id=" + pair.id().hex());
        return key(pair, pair.label(), true, request);
    }

    private EnrollmentKey key(TokenKeyPair pair, String label, boolean generated, EnrollmentRequest request) {
        SignatureAlgorithm signature = pair.spec().signatureAlgorithm(request.hash());
        return new EnrollmentKey(pair.id(), label, pair.spec(), signature, pair.publicKeyInfo(),
                new TokenContentSigner(session, pair.privateKey(), signature, pair.publicKeyInfo()), pair.verified(), false, generated);
    }

    @Override
    public List<ChainEntry> store(EnrollmentRequest request, EnrollmentKey key, X509CertificateHolder certificate,
                                  List<X509CertificateHolder> chain) throws TokenctlException {
        if (key.generated()) {
            // Enrollment.store has checked that it certifies the new key
            CertificateInstaller.installForNewKey(session, certificate, key.id(), key.label(), created);
        } else if (!CertificateInstaller.isInstalledFor(session, certificate, key.id())) {
            CertificateInstaller.install(session, certificate, key.id(), key.label(), created);
        }
        // else: an existing key whose CA answered with the very certificate already beside it (a retried
        // enrollment, or a renewal the CA answered with no change): nothing to install, and nothing to undo
        List<ChainEntry> entries = request.installChain()
                ? CertificateInstaller.installChain(session, chain, created) : List.of();
        // A pair generated here already carries the label and, unless the CA changed it, the
        // subject (CKA_SUBJECT in its templates): naming would find nothing to write.
        if (!key.generated() || !Arrays.equals(generatedSubject, der(certificate.getSubject()))) {
            // recorded in created: a later failure (the CA never confirms) puts an existing key's names back
            CertificateInstaller.nameKeys(session, key.id(), key.label(), certificate, created);
        }
        return entries;
    }

    private static byte[] der(X500Name name) {
        try {
            return name.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode a subject name", e);
        }
    }

    /** The key stays on the token, waiting for its certificate ({@code import-cert}). */
    @Override
    public void keepKey() {
        created.commit();
        unlock();
    }

    @Override
    public void commit() {
        created.commit();
        unlock();
    }

    @Override
    public void discard(Throwable cause) throws IncompleteOperationException {
        try {
            created.rollBack(cause);
        } finally {
            unlock();
        }
    }

    private void unlock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
