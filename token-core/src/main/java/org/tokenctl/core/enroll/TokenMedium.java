package org.tokenctl.core.enroll;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.CertificateInstaller;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.key.GeneratedKeyPair;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.CreatedObjects;

/**
 * Enrollment onto a token: the key pair is generated on it, non-exportable and
 * verified so ({@link TokenKeyGenerator}), the request is signed on it
 * ({@link TokenContentSigner}), and the certificate (and, if asked, its chain)
 * is installed beside the key with the same CKA_ID and label. Every object it
 * creates is tracked by handle so that {@link #discard} destroys exactly those.
 *
 * <p>Bound to one read-write session logged in as the user, so to its thread.
 */
public final class TokenMedium implements EnrollmentMedium {

    private final TokenSession session;
    private final CreatedObjects created;

    /**
     * @param session a read-write session logged in as the user (the login refuses the initial PIN)
     */
    public TokenMedium(TokenSession session) {
        this.session = session;
        this.created = new CreatedObjects(session);
    }

    /**
     * @throws org.tokenctl.core.InvalidInputException if the label is unusable or the id is taken
     * @throws org.tokenctl.core.UnsupportedByTokenException if the token lacks a mechanism for the key spec
     */
    @Override
    public void preflight(EnrollmentRequest request) throws TokenctlException {
        TokenKeyGenerator.check(session, request.keySpec(), request.signatureAlgorithm(), request.id(),
                request.label());
    }

    @Override
    public NewKey createKey(EnrollmentRequest request) throws TokenctlException {
        GeneratedKeyPair pair = TokenKeyGenerator.generate(session, request.keySpec(), request.signatureAlgorithm(),
                request.id(), request.label());
        created.add(pair.privateKey(), "private key id=" + pair.id().hex());
        created.add(pair.publicKey(), "public key id=" + pair.id().hex());
        return new NewKey(pair.id(), pair.label(), pair.publicKeyInfo(),
                new TokenContentSigner(session, pair.privateKey(), request.signatureAlgorithm()), pair.verified(),
                false);
    }

    @Override
    public List<ChainEntry> store(EnrollmentRequest request, NewKey key, X509CertificateHolder certificate,
                                  List<X509CertificateHolder> chain) throws TokenctlException {
        CertificateInstaller.install(session, certificate, key.id(), key.label(), created);
        return request.installChain() ? CertificateInstaller.installChain(session, chain, created) : List.of();
    }

    /** The key stays on the token, waiting for its certificate ({@code import-cert}). */
    @Override
    public void keepKey() {
        created.commit();
    }

    @Override
    public void commit() {
        created.commit();
    }

    @Override
    public void discard(Throwable cause) throws IncompleteOperationException {
        created.rollBack(cause);
    }
}
