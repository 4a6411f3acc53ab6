package org.tokenctl.core.issue.cmp;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.PBEMacCalculatorProvider;
import org.tokenctl.core.pin.Pin;

/**
 * CMP's password-based MAC (RFC 4210 section 5.1.3.1, RFC 4211 section 4.4): the key is
 * a one-way function applied {@code iterationCount} times to {@code secret || salt}; the
 * protection is a MAC with that key over the DER of the message's ProtectedPart.
 *
 * <p>What we send uses SHA-256 and HMAC-SHA256 (RFC 9481 section 6.1.1), a random 16-byte
 * salt and {@value #ITERATIONS} iterations: ten times OpenSSL's default of 500, well under
 * the 100000 OpenSSL accepts. What a server chooses for its own messages is checked before
 * any work is done: SHA-1 is accepted as the one-way function and HMAC-SHA1 as the MAC
 * because OpenSSL-based CAs answer with HMAC-SHA1 by default (neither use depends on
 * SHA-1's broken collision resistance); the iteration count must lie between
 * {@value #MIN_ITERATIONS} and {@value #MAX_ITERATIONS}, so that a response cannot make us
 * hash for minutes.
 *
 * <p>BouncyCastle's {@code PKMACBuilder} computes the same, but copies the secret into
 * byte arrays it never wipes. Here the secret's UTF-8 bytes and every intermediate value of
 * the key derivation are wiped as soon as the key exists, and the secret never becomes a
 * String. (The JCA {@link Mac} keeps its own copy of the derived key until it is collected.)
 */
final class PasswordBasedMac implements MacCalculator {

    /** Iterations of the one-way function in the messages we protect. */
    static final int ITERATIONS = 5000;
    /** Fewest iterations accepted in a server's message. */
    static final int MIN_ITERATIONS = 100;
    /** Most iterations accepted in a server's message. */
    static final int MAX_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;

    private static final Map<ASN1ObjectIdentifier, String> ONE_WAY_FUNCTIONS = Map.of(
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512",
            OIWObjectIdentifiers.idSHA1, "SHA-1");

    private static final Map<ASN1ObjectIdentifier, String> MACS = Map.of(
            PKCSObjectIdentifiers.id_hmacWithSHA256, "HmacSHA256",
            PKCSObjectIdentifiers.id_hmacWithSHA384, "HmacSHA384",
            PKCSObjectIdentifiers.id_hmacWithSHA512, "HmacSHA512",
            PKCSObjectIdentifiers.id_hmacWithSHA1, "HmacSHA1",
            IANAObjectIdentifiers.hmacSHA1, "HmacSHA1");

    private final AlgorithmIdentifier algorithm;
    private final Mac mac;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    private PasswordBasedMac(AlgorithmIdentifier algorithm, Mac mac) {
        this.algorithm = algorithm;
        this.mac = mac;
    }

    /**
     * A MAC for a message we send, with fresh parameters.
     *
     * @param secret the shared secret
     * @param random for the salt
     * @return the calculator
     */
    static PasswordBasedMac forSending(Pin secret, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        PBMParameter p = new PBMParameter(salt, new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                ITERATIONS, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE));
        try {
            return of(p, secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 or HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /**
     * For BouncyCastle's {@code ProtectedPKIMessage.verify}, which calls it with the
     * message's protection algorithm and the secret's characters.
     *
     * @return a provider of calculators for the parameters a server chose, after checking them
     */
    static PBEMacCalculatorProvider verifier() {
        return (alg, secret) -> {
            try (Pin copy = Pin.copyOf(secret)) {
                return forReceived(alg, copy);
            } catch (GeneralSecurityException e) {
                throw new OperatorCreationException(e.getMessage(), e);
            }
        };
    }

    /**
     * @param alg the protectionAlg of a server's message
     * @param secret the shared secret
     * @return the calculator for its parameters
     * @throws InvalidAlgorithmParameterException naming what is refused (algorithm or iteration count)
     * @throws GeneralSecurityException if the JVM lacks an accepted algorithm
     */
    static PasswordBasedMac forReceived(AlgorithmIdentifier alg, Pin secret) throws GeneralSecurityException {
        if (!CMPObjectIdentifiers.passwordBasedMac.equals(alg.getAlgorithm())) {
            throw new InvalidAlgorithmParameterException("protection " + alg.getAlgorithm().getId()
                    + " is not a password-based MAC");
        }
        PBMParameter p;
        try {
            p = PBMParameter.getInstance(alg.getParameters());
        } catch (RuntimeException e) {
            throw new InvalidAlgorithmParameterException("malformed password-based MAC parameters", e);
        }
        if (p == null) {
            throw new InvalidAlgorithmParameterException("password-based MAC without parameters");
        }
        BigInteger n = p.getIterationCount().getValue();
        if (n.compareTo(BigInteger.valueOf(MIN_ITERATIONS)) < 0
                || n.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new InvalidAlgorithmParameterException("password-based MAC with " + n + " iterations (accepted: "
                    + MIN_ITERATIONS + " to " + MAX_ITERATIONS + ")");
        }
        return of(p, secret);
    }

    private static PasswordBasedMac of(PBMParameter p, Pin secret) throws GeneralSecurityException {
        String owf = ONE_WAY_FUNCTIONS.get(p.getOwf().getAlgorithm());
        String macName = MACS.get(p.getMac().getAlgorithm());
        if (owf == null || macName == null) {
            throw new InvalidAlgorithmParameterException("password-based MAC with one-way function "
                    + p.getOwf().getAlgorithm().getId() + " and MAC " + p.getMac().getAlgorithm().getId()
                    + " (accepted: SHA-256/384/512 or SHA-1, HMAC with SHA-256/384/512 or SHA-1)");
        }
        byte[] key = deriveKey(secret, p.getSalt().getOctets(), MessageDigest.getInstance(owf),
                p.getIterationCount().intValueExact());
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(key, macName));
            return new PasswordBasedMac(new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac, p), mac);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** RFC 4211 section 4.4: H(secret || salt), then H applied iterationCount - 1 more times. */
    private static byte[] deriveKey(Pin secret, byte[] salt, MessageDigest owf, int iterations) {
        byte[] utf8 = secret.toUtf8();
        try {
            owf.update(utf8);
            owf.update(salt);
            byte[] k = owf.digest();
            for (int i = 1; i < iterations; i++) {
                byte[] next = owf.digest(k);
                Arrays.fill(k, (byte) 0);
                k = next;
            }
            return k;
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
        return data;
    }

    @Override
    public byte[] getMac() {
        byte[] bytes = data.toByteArray();
        data.reset();
        return mac.doFinal(bytes);
    }

    /** The derived key is the JCA {@link Mac}'s; nothing else needs it. */
    @Override
    public GenericKey getKey() {
        throw new UnsupportedOperationException("the password-based MAC key is not exported");
    }
}
