package org.tokenctl.core.issue.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.issue.IssuanceException;
import org.tokenctl.core.pin.Pin;

/**
 * One CMP transaction (RFC 4210 section 5.1.1, RFC 9483 section 3): a random
 * transactionID kept for all its messages, a fresh random senderNonce in each request,
 * the server's last senderNonce returned as recipNonce. Requests are protected with the
 * shared secret ({@link PasswordBasedMac}, senderKID = the reference value), or, for a
 * {@link KeyUpdate}, signed with the current key, its certificate in extraCerts and its
 * subject key identifier as senderKID (RFC 9483 sections 3.1, 4.1.3).
 *
 * <p>Every answer is checked before its content is used (RFC 9483 section 3.5): it must
 * be a PKIMessage of version 2 or 3, protected by the shared secret or by a signature
 * trusted through {@link SignerTrust}, carry this transactionID, and return our
 * senderNonce as its recipNonce. An {@code error} body becomes an
 * {@link IssuanceException} with its status. An unprotected or unverifiable answer is
 * never used; if it is an error, its text is shown marked as unauthenticated, which is
 * what tells an operator that the shared secret is wrong.
 *
 * <p>Not thread-safe: one transaction, one thread.
 */
final class CmpTransaction {

    private static final int NONCE_BYTES = 16;

    private final String name;
    private final CmpSettings settings;
    private final HttpTransport transport;
    private final Pin secret;
    private final KeyUpdate keyUpdate;
    private final SignerTrust trust;
    private final GeneralName sender;
    private final SecureRandom random;
    private final Clock clock;
    private final byte[] transactionId = new byte[NONCE_BYTES];
    private byte[] serverNonce;

    /**
     * @param name the issuer's name for exceptions
     * @param settings the server's settings
     * @param transport the HTTP transport
     * @param secret the shared secret (the caller's; not wiped here), or null for a key update without one
     * @param keyUpdate the current key and certificate that sign the requests, or null to protect them with the secret
     * @param sender our name in the header (the requested subject, as RFC 9483 section 3.1 suggests)
     * @param random for the transactionID, nonces and salts
     * @param clock for messageTime and certificate validation
     */
    CmpTransaction(String name, CmpSettings settings, HttpTransport transport, Pin secret, KeyUpdate keyUpdate,
                   GeneralName sender, SecureRandom random, Clock clock) {
        this.name = name;
        this.settings = settings;
        this.transport = transport;
        this.secret = secret;
        this.keyUpdate = keyUpdate;
        this.trust = settings.trusted().isEmpty() ? null : new SignerTrust(settings.trusted());
        this.sender = sender;
        this.random = random;
        this.clock = clock;
        random.nextBytes(transactionId);
    }

    /** @return the transactionID in hex, for messages an operator can quote to the CA */
    String id() {
        return HexFormat.of().formatHex(transactionId);
    }

    /**
     * @param message one line
     * @return an exception naming this transaction's server
     */
    IssuanceException fail(String message) {
        return fail(message, null);
    }

    /**
     * @param message one line
     * @param remedy the caller's setting that mends it
     * @return an exception naming this transaction's server
     */
    IssuanceException fail(String message, Remedy remedy) {
        return new IssuanceException(name, message, remedy, null);
    }

    /**
     * Sends a request and returns the checked answer.
     *
     * @param body the request's body
     * @return the answer, protection, transactionID and nonces verified; never an {@code error} body
     * @throws IssuanceException if the exchange fails, the answer fails a check, or it is an error message
     * @throws TokenctlException if the token fails while signing a key update's request
     */
    ProtectedPKIMessage exchange(PKIBody body) throws TokenctlException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        GeneralName from = keyUpdate == null ? sender : new GeneralName(keyUpdate.oldCertificate().getSubject());
        ProtectedPKIMessageBuilder b = new ProtectedPKIMessageBuilder(from, new GeneralName(settings.recipient()))
                .setTransactionID(transactionId)
                .setSenderNonce(nonce)
                .setMessageTime(new Date(clock.millis()))
                .setBody(body);
        if (serverNonce != null) {
            b.setRecipNonce(serverNonce);
        }
        byte[] request;
        try {
            if (keyUpdate == null) {
                b.setSenderKID(settings.reference().getBytes(StandardCharsets.UTF_8));
                request = b.build(PasswordBasedMac.forSending(secret, random)).toASN1Structure()
                        .getEncoded(ASN1Encoding.DER);
            } else {
                byte[] kid = keyUpdate.senderKid();
                if (kid != null) {
                    b.setSenderKID(kid);
                }
                b.addCMPCertificate(keyUpdate.oldCertificate());
                request = b.build(keyUpdate.oldKeySigner()).toASN1Structure().getEncoded(ASN1Encoding.DER);
            }
        } catch (RuntimeOperatorException e) {
            throw TokenContentSigner.unwrap(e);
        } catch (CMPException | IOException e) {
            throw new IllegalStateException("cannot encode a CMP " + PkiStatusText.body(body), e);
        }
        String what = "The CMP server's answer to " + PkiStatusText.body(body);
        GeneralPKIMessage answer = parse(transport.post(request), what);
        PKIHeader h = answer.getHeader();
        BigInteger pvno = h.getPvno().getValue();
        if (!pvno.equals(BigInteger.valueOf(PKIHeader.CMP_2000))
                && !pvno.equals(BigInteger.valueOf(PKIHeader.CMP_2021))) {
            throw fail(what + " has protocol version " + pvno + " (expected 2 or 3)");
        }
        ProtectedPKIMessage checked = verifyProtection(answer, what);
        if (!equal(h.getTransactionID(), transactionId)) {
            throw fail(what + " belongs to another transaction (transactionID " + hex(h.getTransactionID())
                    + ", expected " + id() + ")");
        }
        if (!equal(h.getRecipNonce(), nonce)) {
            throw fail(what + " does not return our senderNonce as its recipNonce (a replayed or misrouted answer)");
        }
        if (h.getSenderNonce() == null || h.getSenderNonce().getOctets().length == 0) {
            throw fail(what + " has no senderNonce");
        }
        serverNonce = h.getSenderNonce().getOctets();
        if (checked.getBody().getType() == PKIBody.TYPE_ERROR) {
            throw fail("The CMP server refused the " + PkiStatusText.body(body) + ": " + errorText(checked.getBody()));
        }
        return checked;
    }

    private GeneralPKIMessage parse(byte[] der, String what) throws IssuanceException {
        try {
            return new GeneralPKIMessage(PKIMessage.getInstance(ASN1Primitive.fromByteArray(der)));
        } catch (IOException | RuntimeException e) {
            throw fail(what + " is not a CMP message (" + HttpTransport.printable(String.valueOf(e.getMessage()))
                    + ")");
        }
    }

    private ProtectedPKIMessage verifyProtection(GeneralPKIMessage answer, String what) throws IssuanceException {
        if (!answer.hasProtection()) {
            throw fail(what + " is not protected; refused" + unauthenticated(answer.getBody()));
        }
        ProtectedPKIMessage p = new ProtectedPKIMessage(answer);
        if (p.hasPasswordBasedMacProtection()) {
            if (secret == null) {
                throw fail(what + " is protected with a shared secret, and none was given"
                        + unauthenticated(answer.getBody()), Remedy.CMP_SHARED_SECRET);
            }
            boolean valid;
            try {
                valid = p.verify(PasswordBasedMac.verifier(), secret.chars());
            } catch (CMPException e) {
                Throwable why = e.getCause() != null ? e.getCause() : e;
                throw fail(what + " uses a password-based MAC tokenctl refuses: "
                        + HttpTransport.printable(String.valueOf(why.getMessage())));
            }
            if (!valid) {
                throw fail(what + " does not verify with the shared secret: wrong secret, or a secret for another"
                        + " reference value?" + unauthenticated(answer.getBody()), Remedy.CMP_REFERENCE);
            }
            return p;
        }
        if (trust == null) {
            throw fail(what + " is signed by the server; give its certificate or CA as a trust anchor for signed"
                    + " answers to accept it" + unauthenticated(answer.getBody()), Remedy.CMP_TRUST_ANCHORS);
        }
        SignerTrust.Problem problem = trust.problem(p, new Date(clock.millis()));
        if (problem != null) {
            throw fail(what + " is refused: " + problem.text() + unauthenticated(answer.getBody()), problem.remedy());
        }
        return p;
    }

    /** What an answer we cannot trust says, marked as such: often the only clue to what is wrong. */
    private static String unauthenticated(PKIBody body) {
        if (body.getType() != PKIBody.TYPE_ERROR) {
            return "";
        }
        return " (the server said, unauthenticated: " + errorText(body) + ")";
    }

    private static String errorText(PKIBody body) {
        try {
            ErrorMsgContent error = ErrorMsgContent.getInstance(body.getContent());
            String details = PkiStatusText.freeText(error.getErrorDetails());
            return PkiStatusText.describe(error.getPKIStatusInfo())
                    + (error.getErrorCode() == null ? "" : " [error code " + error.getErrorCode().getValue() + "]")
                    + (details.isEmpty() ? "" : " " + details);
        } catch (RuntimeException e) {
            return "a malformed error message";
        }
    }

    private static boolean equal(ASN1OctetString actual, byte[] expected) {
        return actual != null && Arrays.equals(actual.getOctets(), expected);
    }

    private static String hex(ASN1OctetString s) {
        return s == null ? "none" : HexFormat.of().formatHex(s.getOctets());
    }
}
