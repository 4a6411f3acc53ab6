package org.tokenctl.core.issue.cmp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CertOrEncCert;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.CertifiedKeyPair;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PollRepContent;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.crmf.CRMFObjectIdentifiers;
import org.bouncycastle.asn1.crmf.CertId;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;
import org.bouncycastle.cert.crmf.Control;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.CsrSignatureException;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.CertificateRequest;
import org.tokenctl.core.issue.Issuance;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.key.PublicKeys;
import org.tokenctl.core.pin.Pin;

/**
 * Enrollment against a CA over CMP (RFC 4210), as RFC 9483 profiles it for an end
 * entity with a shared secret ("initial registration", section 4.1.5): an ir carrying
 * one CRMF request (RFC 4211) for the key's public key, subject and requested
 * extensions, with a signature proof of possession made by the key itself (on the
 * token), protected by a password-based MAC; the ip's certificate; polling while the
 * CA says "waiting" (section 4.4); then the certConf / pkiConf exchange once the
 * enrollment has checked and stored the certificate ({@link CmpConfirmation}).
 *
 * <p>With a {@link KeyUpdate} ({@link #forKeyUpdate}) the request is a kur instead (RFC
 * 9483 section 4.1.3): signed with the holder's current key, naming the certificate it
 * replaces in an oldCertID control, answered by a kup.
 *
 * <p>Every answer is checked ({@link CmpTransaction}); every failure is an
 * {@link IssuanceException} with one line naming the server, the PKIStatus and
 * failInfo bits by name, and the transaction id where the CA has one. The shared
 * secret is held as a {@link Pin} owned by this issuer and wiped by {@link #close};
 * it never appears in a message, log or String.
 *
 * <p>Thread-safe, as {@link CertificateIssuer} requires (a batch enrolls tokens in
 * parallel through one issuer): each {@link #issue} call is a transaction of its own
 * ({@link CmpTransaction}: its transactionID, nonces and MACs), and what the issuer
 * itself holds is immutable or thread-safe (settings, the secret, the transport,
 * {@link SecureRandom}). {@link #close} must come after the last call.
 */
public final class CmpIssuer implements CertificateIssuer {

    /** RFC 9483 section 4.1.1: the one request of an ir has certReqId 0. */
    private static final BigInteger CERT_REQ_ID = BigInteger.ZERO;
    /** Chains longer than this are not followed. */
    private static final int MAX_CHAIN = 10;

    private final CmpSettings settings;
    private final Pin secret;
    private final KeyUpdate keyUpdate;
    private final HttpTransport transport;
    private final String name;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Pause pause;

    /**
     * @param settings the server and how to talk to it
     * @param secret the shared secret for the reference value; owned (and wiped on {@link #close}) by the issuer
     * @param clock for message times and certificate validation
     * @throws InvalidInputException if the TLS trust anchors are unusable
     */
    public CmpIssuer(CmpSettings settings, Pin secret, Clock clock) throws InvalidInputException {
        this(settings, secret, clock, Pause.REAL);
    }

    /** With the way polling waits: tests pause their clock instead of sleeping. */
    CmpIssuer(CmpSettings settings, Pin secret, Clock clock, Pause pause) throws InvalidInputException {
        this(settings, secret, null, clock, pause, new HttpTransport(settings, "CMP server " + settings.server()));
    }

    private CmpIssuer(CmpSettings settings, Pin secret, KeyUpdate keyUpdate, Clock clock, Pause pause,
                      HttpTransport transport) {
        this.settings = settings;
        this.secret = secret;
        this.keyUpdate = keyUpdate;
        this.clock = clock;
        this.pause = pause;
        this.name = "CMP server " + settings.server();
        this.transport = transport;
    }

    /**
     * The same server, asked for a key update: the request is signed with the holder's
     * current key and names its certificate. The shared secret, if this issuer has one,
     * only verifies answers the CA protects with it; closing either issuer wipes it.
     *
     * @param update the current key (on the token) and certificate
     * @return the issuer for the key update
     */
    public CmpIssuer forKeyUpdate(KeyUpdate update) {
        return new CmpIssuer(settings, secret, java.util.Objects.requireNonNull(update, "update"), clock, pause,
                transport);
    }

    /**
     * Checks, before any key is made, that the server accepts connections.
     *
     * @throws IssuanceException if nothing listens at the server's address or its host is unknown
     */
    @Override
    public void preflight() throws TokenctlException {
        transport.probe();
    }

    /**
     * @throws IssuanceException if the CA refuses, does not answer in time, or answers anything that fails a check
     * @throws CsrSignatureException if the key's proof-of-possession signature does not verify
     * @throws TokenctlException if the token fails while signing
     */
    @Override
    public Issuance issue(CertificateRequest request) throws TokenctlException {
        PKCS10CertificationRequest csr = request.csr();
        CmpTransaction tx = new CmpTransaction(name, settings, transport, secret, keyUpdate,
                new GeneralName(csr.getSubject()), random, clock);
        ProtectedPKIMessage answer = tx.exchange(new PKIBody(keyUpdate == null ? PKIBody.TYPE_INIT_REQ
                : PKIBody.TYPE_KEY_UPDATE_REQ, certificateRequest(csr, request.signer(), keyUpdate)));
        try {
            answer = pollWhileWaiting(tx, answer);
            X509CertificateHolder cert = certificate(tx, response(tx, answer));
            return new Issuance.Issued(cert, chain(cert, answer), new CmpConfirmation(tx, cert, CERT_REQ_ID));
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            // BouncyCastle's ASN.1 classes parse lazily and say "malformed" this way
            throw tx.fail("The CMP server's answer is malformed: " + HttpTransport.printable(String.valueOf(
                    e.getMessage())) + " (transaction " + tx.id() + ")");
        }
    }

    /**
     * One CertReqMsg for the request's key, subject and extensions, its proof of possession
     * signed by the key; for a key update, with the oldCertID control naming the certificate
     * it replaces (RFC 4211 section 6.5).
     */
    private static CertReqMessages certificateRequest(PKCS10CertificationRequest csr, ContentSigner signer,
                                                      KeyUpdate keyUpdate) throws TokenctlException {
        CertificateRequestMessageBuilder b = new CertificateRequestMessageBuilder(CERT_REQ_ID)
                .setSubject(csr.getSubject())
                .setPublicKey(csr.getSubjectPublicKeyInfo())
                .setProofOfPossessionSigningKeySigner(signer);
        if (keyUpdate != null) {
            X509CertificateHolder old = keyUpdate.oldCertificate();
            CertId oldCertId = new CertId(new GeneralName(old.getIssuer()), old.getSerialNumber());
            b.addControl(new Control() {
                @Override
                public ASN1ObjectIdentifier getType() {
                    return CRMFObjectIdentifiers.id_regCtrl_oldCertID;
                }

                @Override
                public ASN1Encodable getValue() {
                    return oldCertId;
                }
            });
        }
        Extensions extensions = csr.getRequestedExtensions();
        if (extensions != null) {
            for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                Extension e = extensions.getExtension(oid);
                try {
                    b.addExtension(e.getExtnId(), e.isCritical(), e.getParsedValue());
                } catch (CertIOException x) {
                    throw new IllegalStateException("cannot re-encode a requested extension", x);
                }
            }
        }
        CertificateRequestMessage message;
        try {
            message = b.build();
        } catch (RuntimeOperatorException e) {
            throw TokenContentSigner.unwrap(e);
        } catch (CRMFException e) {
            throw new IllegalStateException("cannot build the CRMF request: " + e.getMessage(), e);
        }
        // like the PKCS#10 request, the proof of possession is checked before it leaves
        try {
            if (!message.isValidSigningKeyPOP(PublicKeys.verifier(csr.getSubjectPublicKeyInfo()))) {
                throw new CsrSignatureException(PublicKeys.describe(csr.getSubjectPublicKeyInfo()));
            }
        } catch (CRMFException e) {
            throw new IllegalStateException("cannot verify the proof of possession: " + e.getMessage(), e);
        }
        return new CertReqMessages(message.toASN1Structure());
    }

    /**
     * While the ip says "waiting", asks again (pollReq) after the checkAfter the CA gives
     * (at least a second), until {@link CmpSettings#pollTimeout}.
     *
     * @return the ip that no longer says "waiting"
     */
    private ProtectedPKIMessage pollWhileWaiting(CmpTransaction tx, ProtectedPKIMessage ip) throws TokenctlException {
        // the issuer's clock, not System.nanoTime: the deadline is as testable as the wait
        Instant deadline = clock.instant().plus(settings.pollTimeout());
        ProtectedPKIMessage answer = ip;
        long waitSeconds = 0;
        while (response(tx, answer).getStatus().getStatus().intValue() == PKIStatus.WAITING) {
            if (clock.instant().plusSeconds(waitSeconds).isAfter(deadline)) {
                throw tx.fail("The CA has not issued the certificate within " + settings.pollTimeout().toSeconds()
                        + " s (the poll timeout); it asks to check again in " + waitSeconds + " s (transaction "
                        + tx.id() + ")", Remedy.CMP_POLL_TIMEOUT);
            }
            sleep(tx, waitSeconds);
            ProtectedPKIMessage next = tx.exchange(new PKIBody(PKIBody.TYPE_POLL_REQ,
                    new PollReqContent(CERT_REQ_ID)));
            if (next.getBody().getType() == PKIBody.TYPE_POLL_REP) {
                waitSeconds = checkAfter(tx, PollRepContent.getInstance(next.getBody().getContent()));
            } else if (next.getBody().getType() == repType()) {
                answer = next;
                waitSeconds = 1;
            } else {
                throw tx.fail("The CMP server answered the pollReq with " + PkiStatusText.body(next.getBody())
                        + ", not pollRep or " + repName());
            }
        }
        return answer;
    }

    private static long checkAfter(CmpTransaction tx, PollRepContent rep) throws IssuanceException {
        if (rep.size() != 1) {
            throw tx.fail("The CMP server's pollRep holds " + rep.size() + " entries; expected 1");
        }
        if (!CERT_REQ_ID.equals(rep.getCertReqId(0).getValue())) {
            throw tx.fail("The CMP server's pollRep answers certReqId " + rep.getCertReqId(0).getValue()
                    + ", not ours (" + CERT_REQ_ID + ")");
        }
        return Math.max(1, rep.getCheckAfter(0).getValue().min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue());
    }

    private void sleep(CmpTransaction tx, long seconds) throws IssuanceException {
        try {
            pause.pause(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw tx.fail("Interrupted while waiting for the CA (transaction " + tx.id() + ")");
        }
    }

    /** @return the body type that answers our request: ip for an ir, kup for a kur */
    private int repType() {
        return keyUpdate == null ? PKIBody.TYPE_INIT_REP : PKIBody.TYPE_KEY_UPDATE_REP;
    }

    private String repName() {
        return keyUpdate == null ? "ip" : "kup";
    }

    /** The one CertResponse of an ip (or kup), for our request. */
    private CertResponse response(CmpTransaction tx, ProtectedPKIMessage answer) throws IssuanceException {
        if (answer.getBody().getType() != repType()) {
            throw tx.fail("The CMP server answered with " + PkiStatusText.body(answer.getBody()) + ", not "
                    + repName());
        }
        CertResponse[] responses = CertRepMessage.getInstance(answer.getBody().getContent()).getResponse();
        if (responses.length != 1) {
            throw tx.fail("The CMP server's " + repName() + " holds " + responses.length + " responses; expected 1");
        }
        if (!CERT_REQ_ID.equals(responses[0].getCertReqId().getValue())) {
            throw tx.fail("The CMP server's " + repName() + " answers certReqId " + responses[0].getCertReqId().getValue()
                    + ", not ours (" + CERT_REQ_ID + ")");
        }
        return responses[0];
    }

    private static X509CertificateHolder certificate(CmpTransaction tx, CertResponse response)
            throws IssuanceException {
        int status = response.getStatus().getStatus().intValue();
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw tx.fail("The CA rejected the request: " + PkiStatusText.describe(response.getStatus())
                    + " (transaction " + tx.id() + ")");
        }
        CertifiedKeyPair pair = response.getCertifiedKeyPair();
        CertOrEncCert certOrEnc = pair == null ? null : pair.getCertOrEncCert();
        if (certOrEnc == null) {
            throw tx.fail("The CMP server accepted the request (" + PkiStatusText.status(status)
                    + ") but sent no certificate");
        }
        CMPCertificate cert = certOrEnc.getCertificate();
        if (cert == null || !cert.isX509v3PKCert()) {
            throw tx.fail("The CMP server sent the certificate encrypted or not as X.509 (tokenctl asks for it in"
                    + " the clear: its proof of possession is a signature)");
        }
        return new X509CertificateHolder(cert.getX509v3PKCert());
    }

    /**
     * The issuer's chain, issuing CA first: followed by signature through the ip's caPubs
     * and extraCerts (RFC 9483 section 4.1.1 puts the chain in extraCerts), up to a
     * self-signed certificate or the first missing link.
     */
    private static List<X509CertificateHolder> chain(X509CertificateHolder cert, ProtectedPKIMessage ip) {
        List<X509CertificateHolder> pool = new ArrayList<>(List.of(ip.getCertificates()));
        CMPCertificate[] caPubs = CertRepMessage.getInstance(ip.getBody().getContent()).getCaPubs();
        if (caPubs != null) {
            for (CMPCertificate c : caPubs) {
                if (c.isX509v3PKCert()) {
                    pool.add(new X509CertificateHolder(c.getX509v3PKCert()));
                }
            }
        }
        List<X509CertificateHolder> chain = new ArrayList<>();
        X509CertificateHolder current = cert;
        while (chain.size() < MAX_CHAIN && !current.getSubject().equals(current.getIssuer())) {
            X509CertificateHolder issuer = issuerOf(current, pool);
            if (issuer == null || chain.contains(issuer)) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static X509CertificateHolder issuerOf(X509CertificateHolder cert, List<X509CertificateHolder> pool) {
        for (X509CertificateHolder c : pool) {
            if (!c.equals(cert) && c.getSubject().equals(cert.getIssuer())) {
                try {
                    if (cert.isSignatureValid(PublicKeys.verifier(c.getSubjectPublicKeyInfo()))) {
                        return c;
                    }
                } catch (CertException | InvalidInputException e) {
                    // not this one
                }
            }
        }
        return null;
    }

    /**
     * Asks the CA to revoke a certificate: a revocation request (rr, RFC 9483 section
     * 4.2) naming its issuer and serial number, with the reason code. It is signed with
     * the certificate's own key when this issuer was made with {@link #forKeyUpdate}
     * for it (the key on the token, the certificate in extraCerts), else protected with
     * the shared secret. The answer (rp) is checked as any answer is (protection,
     * transactionID, nonces), and its one status must be accepted, grantedWithMods,
     * revocationWarning or revocationNotification.
     *
     * @param certificate the certificate to revoke
     * @param reason why
     * @return the CA's status, e.g. "accepted"
     * @throws IssuanceException if the CA rejects it or an answer fails a check
     * @throws TokenctlException if the token fails while signing
     */
    public String revoke(X509CertificateHolder certificate, org.tokenctl.core.issue.RevocationReason reason)
            throws TokenctlException {
        if (keyUpdate != null && !keyUpdate.oldCertificate().equals(certificate)) {
            throw new IllegalArgumentException("a signed revocation request is signed by the certificate's own key");
        }
        CmpTransaction tx = new CmpTransaction(name, settings, transport, secret, keyUpdate,
                new GeneralName(certificate.getSubject()), random, clock);
        org.bouncycastle.asn1.x509.ExtensionsGenerator crlEntry = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
        try {
            crlEntry.addExtension(Extension.reasonCode, false,
                    org.bouncycastle.asn1.x509.CRLReason.lookup(reason.code()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode a reason code", e);
        }
        org.bouncycastle.asn1.crmf.CertTemplate template = new org.bouncycastle.asn1.crmf.CertTemplateBuilder()
                .setIssuer(certificate.getIssuer())
                .setSerialNumber(new org.bouncycastle.asn1.ASN1Integer(certificate.getSerialNumber())).build();
        PKIBody rr = new PKIBody(PKIBody.TYPE_REVOCATION_REQ, new org.bouncycastle.asn1.cmp.RevReqContent(
                new org.bouncycastle.asn1.cmp.RevDetails(template, crlEntry.generate())));
        ProtectedPKIMessage answer = tx.exchange(rr);
        try {
            if (answer.getBody().getType() != PKIBody.TYPE_REVOCATION_REP) {
                throw tx.fail("The CMP server answered the revocation request with "
                        + PkiStatusText.body(answer.getBody()) + ", not a revocation response (rp)");
            }
            org.bouncycastle.asn1.cmp.PKIStatusInfo[] statuses = org.bouncycastle.asn1.cmp.RevRepContent
                    .getInstance(answer.getBody().getContent()).getStatus();
            if (statuses.length != 1) {
                throw tx.fail("The CMP server's rp holds " + statuses.length + " statuses; expected 1");
            }
            int status = statuses[0].getStatus().intValue();
            if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS
                    && status != PKIStatus.REVOCATION_WARNING && status != PKIStatus.REVOCATION_NOTIFICATION) {
                throw tx.fail("The CA rejected the revocation: " + PkiStatusText.describe(statuses[0])
                        + " (transaction " + tx.id() + ")");
            }
            return PkiStatusText.describe(statuses[0]);
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw tx.fail("The CMP server's answer is malformed: " + HttpTransport.printable(String.valueOf(
                    e.getMessage())) + " (transaction " + tx.id() + ")");
        }
    }

    /** Wipes the shared secret. */
    @Override
    public void close() {
        if (secret != null) {
            secret.close();
        }
    }
}
