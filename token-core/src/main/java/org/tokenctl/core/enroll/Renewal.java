package org.tokenctl.core.enroll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.IncompleteOperationException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.cert.CertificateInstaller;
import org.tokenctl.core.cert.Expiry;
import org.tokenctl.core.issue.CertificateIssuer;
import org.tokenctl.core.issue.OfflineIssuer;
import org.tokenctl.core.issue.cmp.CmpIssuer;
import org.tokenctl.core.issue.cmp.KeyUpdate;
import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectDeleter;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.objects.TokenObject;

/**
 * Renews the certificate of a key pair on a token: a new key pair (or the same one,
 * asked for) gets a new certificate for the old one's subject and alternative names,
 * from a local CA, over CMP (a key update, RFC 9483 4.1.3, signed with the current
 * key) or offline (a request, finished by import-cert). The new key and certificate
 * are installed, and read back, before anything old is touched; only then, if asked,
 * the old certificate and the old key pair are deleted. A failure before that leaves
 * the old pair as it was and removes what was new ({@link Enrollment}).
 *
 * <p>Stateless; the session is the caller's thread's.
 */
public final class Renewal {

    private static final String FIELD = "renew";

    /**
     * A certificate to renew, and the key pair beside it.
     *
     * @param certificateHandle the certificate object (valid in the session that found it)
     * @param certificate the certificate
     * @param id the CKA_ID it shares with its key pair
     * @param keyLabel the private key's CKA_LABEL ("" when it has none)
     */
    public record Target(long certificateHandle, X509CertificateHolder certificate, KeyId id, String keyLabel) {
        /**
         * @param certificateHandle the certificate object
         * @param certificate the certificate
         * @param id the CKA_ID it shares with its key pair
         * @param keyLabel the private key's CKA_LABEL
         */
        public Target {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(keyLabel, "keyLabel");
        }
    }

    /**
     * How to renew. Nulls keep what the old certificate and key have.
     *
     * @param sameKey certify the same key pair again instead of generating a new one
     * @param keySpec the new key's type, or null for the old key's
     * @param hash the hash to sign the request with, or null for the key type's default
     * @param subject the subject asked for, or null for the old certificate's
     * @param subjectAltNames the alternative names asked for, or null for the old certificate's
     * @param label the new key pair's CKA_LABEL, or null for the old key's
     * @param installChain whether the CA chain the issuer returns is installed too
     * @param removeOld whether the old certificate (and, with a new key, the old key pair) is deleted
     *                  once the new certificate is on the token
     */
    public record Options(boolean sameKey, KeySpec keySpec, HashAlgorithm hash, X500Name subject,
                          GeneralNames subjectAltNames, String label, boolean installChain, boolean removeOld) {
        /**
         * @param sameKey certify the same key pair again
         * @param keySpec the new key's type, or null for the old key's
         * @param hash the hash, or null for the default
         * @param subject the subject, or null for the old certificate's
         * @param subjectAltNames the alternative names, or null for the old certificate's
         * @param label the new key pair's label, or null for the old key's
         * @param installChain whether the CA chain is installed too
         * @param removeOld whether the old objects are deleted afterwards
         */
        public Options {
            if (sameKey && keySpec != null) {
                throw new IllegalArgumentException("a key spec is for a new key, not the same key");
            }
        }

        /** @return a new key of the old key's type, the old names, nothing removed */
        public static Options defaults() {
            return new Options(false, null, null, null, null, null, false, false);
        }
    }

    /**
     * What a renewal did.
     *
     * @param old the certificate renewed
     * @param renewed the new key (or the same) and certificate; its certificate is null when the request was
     *                written for a CA to answer offline
     * @param removed the old objects deleted, in order (empty unless asked for)
     */
    public record Result(Target old, EnrollmentResult renewed, List<TokenObject> removed) {
    }

    private Renewal() {
    }

    /**
     * The certificate a query names: by the CKA_ID or CKA_LABEL of its key pair, or of the certificate itself.
     *
     * @param session an open session (logged in, for the private key)
     * @param query an id, a label or both
     * @return the one certificate with its key pair on the token
     * @throws InvalidInputException if nothing, or more than one certificate, matches, or its key pair is not on
     *         the token
     * @throws TokenctlException if the token fails
     */
    public static Target target(TokenSession session, ObjectQuery query) throws TokenctlException {
        if (query.isOpen()) {
            throw new InvalidInputException(FIELD, "Name the key pair whose certificate to renew by id, label or a"
                    + " pkcs11: URI (or renew every certificate due with --expiring)");
        }
        List<TokenObject> objects = ObjectLister.list(session);
        List<KeyId> ids = new ArrayList<>();
        for (TokenObject o : objects) {
            boolean named = (query.id() == null || query.id().equals(o.id()))
                    && (query.label() == null || query.label().equals(o.label()));
            if (named && o.id() != null && !ids.contains(o.id()) && (o.objectClass() == ObjectClass.CERTIFICATE
                    || o.objectClass() == ObjectClass.PRIVATE_KEY)) {
                ids.add(o.id());
            }
        }
        if (ids.size() != 1) {
            throw new InvalidInputException(FIELD, ids.isEmpty() ? "No key pair or certificate with "
                    + query.describe() + " on the token" : ids.size() + " key pairs have " + query.describe()
                    + " (ids " + String.join(", ", ids.stream().map(KeyId::hex).toList()) + "); name one by --id");
        }
        List<Target> found = targets(session, objects, ids.get(0));
        if (found.size() != 1) {
            throw new InvalidInputException(FIELD, found.isEmpty() ? "No certificate with a key pair beside it has id "
                    + ids.get(0).hex() + " (nothing to renew: enroll it)" : found.size() + " certificates have id "
                    + ids.get(0).hex() + "; remove the ones no longer used with `tokenctl delete --type cert`");
        }
        return found.get(0);
    }

    /**
     * Every certificate on the token that has expired or expires within the window and has its key pair
     * beside it (CA certificates and certificates of keys that are gone are not renewable here), unless
     * its subject already has another certificate with its key pair that is not due: that one was renewed
     * and the old one kept, so running again renews nothing twice.
     *
     * @param session an open session logged in as the user
     * @param now the moment
     * @param withinDays the window
     * @return the targets, soonest expiry first
     * @throws TokenctlException if the token fails
     */
    public static List<Target> due(TokenSession session, Instant now, int withinDays) throws TokenctlException {
        List<TokenObject> objects = ObjectLister.list(session);
        List<Expiry.Entry> entries = Expiry.check(objects, now, withinDays);
        // a subject that already has a certificate with its key beyond the window was renewed (old kept)
        List<X500Name> renewed = new ArrayList<>();
        for (Expiry.Entry e : entries) {
            if (!isDue(e) && e.certificate().id() != null) {
                for (Target t : targets(session, objects, e.certificate().id())) {
                    if (t.certificateHandle() == e.certificate().handle()) {
                        renewed.add(t.certificate().getSubject());
                    }
                }
            }
        }
        List<Target> out = new ArrayList<>();
        for (Expiry.Entry e : entries) {
            if (!isDue(e) || e.certificate().id() == null) {
                continue;
            }
            for (Target t : targets(session, objects, e.certificate().id())) {
                if (t.certificateHandle() == e.certificate().handle() && !renewed.contains(t.certificate()
                        .getSubject())) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static boolean isDue(Expiry.Entry e) {
        return e.status() == Expiry.Status.EXPIRED || e.status() == Expiry.Status.EXPIRING;
    }

    /** The X.509 certificates with this id, each with the private key of the same id (none without one). */
    private static List<Target> targets(TokenSession session, List<TokenObject> objects, KeyId id)
            throws TokenctlException {
        TokenObject key = null;
        for (TokenObject o : objects) {
            if (o.objectClass() == ObjectClass.PRIVATE_KEY && id.equals(o.id())) {
                key = o;
            }
        }
        List<Target> out = new ArrayList<>();
        if (key == null) {
            return out;
        }
        for (TokenObject o : objects) {
            if (o.objectClass() == ObjectClass.CERTIFICATE && o.certificate() != null && id.equals(o.id())) {
                byte[] der = session.attributes(o.handle(), Pkcs11.CKA_VALUE).bytes(Pkcs11.CKA_VALUE);
                try {
                    out.add(new Target(o.handle(), new X509CertificateHolder(der), id, key.label()));
                } catch (java.io.IOException | RuntimeException e) {
                    throw new InvalidInputException(FIELD, "The certificate with id " + id.hex()
                            + " does not parse as X.509", e);
                }
            }
        }
        return out;
    }

    /**
     * @param target what is renewed
     * @param options how
     * @return the enrollment request a renewal makes
     * @throws InvalidInputException if the old key has no label and none is given, or its type is not one
     *         tokenctl generates
     */
    public static EnrollmentRequest request(Target target, Options options) throws InvalidInputException {
        X500Name subject = options.subject() != null ? options.subject() : target.certificate().getSubject();
        GeneralNames sans = options.subjectAltNames() != null ? options.subjectAltNames()
                : GeneralNames.fromExtensions(target.certificate().getExtensions(), Extension.subjectAlternativeName);
        if (options.sameKey()) {
            return new EnrollmentRequest(new KeySource.Existing(ObjectQuery.id(target.id())), options.hash(),
                    options.label(), subject, sans, options.installChain());
        }
        String label = options.label() != null ? options.label() : target.keyLabel();
        if (label.isEmpty()) {
            throw new InvalidInputException("label", "The key pair with id " + target.id().hex() + " has no label:"
                    + " give the new one a label");
        }
        KeySpec spec = options.keySpec() != null ? options.keySpec()
                : KeySpec.of(target.certificate().getSubjectPublicKeyInfo(), FIELD);
        return new EnrollmentRequest(new KeySource.Generate(spec, null), options.hash(), label, subject, sans,
                options.installChain());
    }

    /**
     * Renews one certificate: enrolls the new (or same) key, then, if asked and the new certificate is on the
     * token, deletes the old certificate and, for a new key, the old key pair (unless another certificate on
     * the token still uses it).
     *
     * @param session a read-write session logged in as the user
     * @param target what {@link #target} or {@link #due} found in this session
     * @param options how
     * @param issuer who issues: a local CA, offline, or a CMP server (asked for a key update signed by the
     *               current key)
     * @param cancellation checked between the enrollment's steps
     * @param steps told as each enrollment step begins
     * @return what was done
     * @throws InvalidInputException if the old objects are to be removed but the certificate comes later
     *         (offline)
     * @throws IncompleteOperationException if the renewal succeeded but removing the old objects failed: the
     *         message says what was removed and what is left
     * @throws TokenctlException as {@link Enrollment#run}: nothing new is left and the old pair is untouched
     */
    public static Result run(TokenSession session, Target target, Options options, CertificateIssuer issuer,
                             Cancellation cancellation, EnrollmentSteps steps) throws TokenctlException {
        if (options.removeOld() && issuer instanceof OfflineIssuer) {
            throw new InvalidInputException(FIELD, "The old certificate can only be removed once the new one is on"
                    + " the token: offline, install it with import-cert, then delete the old one");
        }
        EnrollmentRequest request = request(target, options);
        CertificateIssuer asked = issuer instanceof CmpIssuer cmp
                ? cmp.forKeyUpdate(KeyUpdate.onToken(session, target.id())) : issuer;
        EnrollmentResult renewed = Enrollment.run(new TokenMedium(session, true), request, asked, cancellation,
                steps);
        if (!options.removeOld() || renewed.certificate() == null
                || renewed.certificate().equals(target.certificate())) {
            // (a CA may answer a same-key renewal with the very certificate already there: that one is not old)
            return new Result(target, renewed, List.of());
        }
        return new Result(target, renewed, removeOld(session, target, renewed));
    }

    private static List<TokenObject> removeOld(TokenSession session, Target target, EnrollmentResult renewed)
            throws TokenctlException {
        String done = "renewed (new certificate " + renewed.certificate().getSerialNumber().toString(16)
                + " on key id " + renewed.id().hex() + ")";
        try {
            if (!CertificateInstaller.isInstalledFor(session, renewed.certificate(), renewed.id())) {
                throw new IncompleteOperationException(done, done + ", but the new certificate does not read back"
                        + " from the token: nothing old was removed", null);
            }
            List<TokenObject> plan = new ArrayList<>();
            plan.add(ObjectLister.describe(session, target.certificateHandle()));
            boolean newKey = !renewed.id().equals(target.id());
            long othersOnKey = session.find(Attributes.x509Certificate().id(target.id().bytes())).length - 1;
            if (newKey && othersOnKey == 0) {
                plan.addAll(ObjectDeleter.plan(session, ObjectQuery.id(target.id()),
                        EnumSet.of(ObjectClass.PUBLIC_KEY, ObjectClass.PRIVATE_KEY)));
            }
            return ObjectDeleter.delete(session, plan);
        } catch (IncompleteOperationException e) {
            throw e.completedStep().startsWith("renewed") ? e : new IncompleteOperationException(done,
                    done + "; removing the old objects: " + e.getMessage(), e);
        } catch (TokenctlException | RuntimeException e) {
            // nothing old was deleted (ObjectDeleter reports a partial deletion as incomplete itself)
            String why = e instanceof Pkcs11CallException p ? p.ckrName() : e.getMessage();
            throw new IncompleteOperationException(done, done + "; the old certificate and key are still on the"
                    + " token: removing them failed (" + why + "); delete them with `tokenctl delete --id "
                    + target.id().hex() + "`", e);
        }
    }
}
