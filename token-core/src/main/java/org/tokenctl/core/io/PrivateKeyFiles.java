package org.tokenctl.core.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.math.Primes;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.pin.Pin;

/**
 * Reads a software private key (a CA's) from a file: PEM, as OpenSSL writes it
 * (PKCS#8 "PRIVATE KEY", encrypted PKCS#8 "ENCRYPTED PRIVATE KEY", or the
 * traditional "RSA/EC PRIVATE KEY", possibly with a Proc-Type: ENCRYPTED header),
 * or a PKCS#12 file (DER) holding one key entry and, usually, its certificate.
 */
public final class PrivateKeyFiles {

    /** The curves whose keys the JDK's own EC provider holds. */
    private static final Set<ASN1ObjectIdentifier> JDK_CURVES = Set.of(SECObjectIdentifiers.secp256r1,
            SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);

    /**
     * A key read from a file.
     *
     * @param key the private key
     * @param certificates the certificates stored with it (PKCS#12: its chain, leaf first; PEM: none)
     */
    public record LoadedKey(PrivateKey key, List<X509CertificateHolder> certificates) {
    }

    private PrivateKeyFiles() {
    }

    /**
     * @param file a key file
     * @param field the option that named it
     * @return whether reading it needs a password (encrypted PEM, or PKCS#12)
     * @throws InvalidInputException if it cannot be read or parsed
     */
    public static boolean needsPassword(Path file, String field) throws InvalidInputException {
        byte[] content = InputFiles.read(file, field, "Key file");
        if (!InputFiles.isPem(content)) {
            return true;
        }
        for (Object o : pemObjects(content, file, field)) {
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param file a key file
     * @param password its password, or null when {@link #needsPassword} says none is needed
     * @param field the option that named it
     * @param passwordField the option that gave the password, for messages
     * @return the key (and, from a PKCS#12 file, its certificates)
     * @throws InvalidInputException if it cannot be read, holds no (or several) keys, or the password is wrong
     */
    public static LoadedKey read(Path file, Pin password, String field, String passwordField)
            throws InvalidInputException {
        byte[] content = InputFiles.read(file, field, "Key file");
        try {
            return InputFiles.isPem(content) ? pem(content, file, password, field, passwordField)
                    : pkcs12(content, file, password, field, passwordField);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static LoadedKey pem(byte[] content, Path file, Pin password, String field, String passwordField)
            throws InvalidInputException {
        List<PrivateKey> keys = new ArrayList<>();
        for (Object o : pemObjects(content, file, field)) {
            PrivateKeyInfo info = keyInfo(o, file, password, passwordField);
            if (info != null) {
                try {
                    keys.add(key(info));
                } catch (IOException | GeneralSecurityException e) {
                    throw ParseFailures.notA(field, file, "a readable private key", e);
                }
            }
        }
        if (keys.size() != 1) {
            throw new InvalidInputException(field, file + " holds " + keys.size() + " private keys; expected one");
        }
        return new LoadedKey(keys.get(0), List.of());
    }

    /**
     * A private key as tokenctl holds one read from a file: the JDK's own for RSA and for
     * EC on P-256, P-384 and P-521; BouncyCastle's for the others (SM2 among them).
     *
     * <p>Not BouncyCastle's for all: its provider checks each RSA modulus it is handed
     * with Miller-Rabin rounds (about 30 ms for 2048 bits in a batch's young JVM, on the
     * thread that starts the batch), and merely instantiating it costs about 45 ms of CPU
     * (it registers all its algorithms), which a batch with such a CA key then never pays.
     * The JDK's RSA key is also the one its RSA signer takes without converting it. A CA key
     * is checked against its certificate before it signs anything ({@code LocalCa.preflight}).
     *
     * @param info the key's PKCS#8 structure
     * @return the key
     * @throws IOException if the structure cannot be encoded again
     * @throws GeneralSecurityException if the provider refuses the key
     */
    public static PrivateKey key(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
        String jdkType = PKCSObjectIdentifiers.rsaEncryption.equals(alg.getAlgorithm()) ? "RSA"
                : X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                        && alg.getParameters() instanceof ASN1ObjectIdentifier curve && JDK_CURVES.contains(curve)
                        ? "EC" : null;
        if (jdkType == null) {
            return new JcaPEMKeyConverter().setProvider(CryptoProvider.BC).getPrivateKey(info);
        }
        byte[] der = info.getEncoded();
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(jdkType).generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        // The JDK takes any numbers; BouncyCastle's provider refused what no real key has, and so
        // does this: an EC private value outside [1, n - 1], an RSA modulus that is even or has a
        // small prime factor (BouncyCastle's further Miller-Rabin rounds, the costly part, are left
        // to the local CA's preflight: its modulus must be the product of the key's two primes)
        if (key instanceof ECPrivateKey ec
                && (ec.getS().signum() <= 0 || ec.getS().compareTo(ec.getParams().getOrder()) >= 0)) {
            throw new InvalidKeySpecException("EC private value out of range");
        }
        if (key instanceof RSAPrivateKey rsa && Primes.hasAnySmallFactors(rsa.getModulus())) {
            throw new InvalidKeySpecException("RSA modulus with a small prime factor");
        }
        return key;
    }

    /**
     * The key in one PEM object, decrypted if it is encrypted. A traditional key pair is
     * taken by its private part alone: RFC 5915 makes an EC key's public point optional
     * ({@code openssl ec -no_public} leaves it out), and the private key is all a CA needs.
     *
     * @return the key, or null when the object is not a private key
     */
    private static PrivateKeyInfo keyInfo(Object o, Path file, Pin password, String passwordField)
            throws InvalidInputException {
        try {
            if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(CryptoProvider.BC).build(chars(password, file, passwordField)));
            }
            if (o instanceof PEMEncryptedKeyPair encrypted) {
                o = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(CryptoProvider.BC)
                        .build(chars(password, file, passwordField)));
            }
        } catch (PKCSException | OperatorCreationException | IOException | RuntimeException e) {
            // a wrong password shows as a padding failure, or as garbage that does not parse
            throw wrongPassword(file, passwordField, e);
        }
        if (o instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        return o instanceof PrivateKeyInfo info ? info : null;
    }

    private static LoadedKey pkcs12(byte[] content, Path file, Pin password, String field, String passwordField)
            throws InvalidInputException {
        char[] pw = chars(password, file, passwordField);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(content), pw);
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new InvalidInputException(field, "PKCS#12 file " + file + " holds " + keyAliases.size()
                        + " private keys; expected one");
            }
            Key key = ks.getKey(keyAliases.get(0), pw);
            if (!(key instanceof PrivateKey)) {
                throw new InvalidInputException(field, "PKCS#12 file " + file + " holds no private key");
            }
            List<X509CertificateHolder> certs = new ArrayList<>();
            Certificate[] chain = ks.getCertificateChain(keyAliases.get(0));
            for (Certificate c : chain == null ? new Certificate[0] : chain) {
                certs.add(new X509CertificateHolder(c.getEncoded()));
            }
            return new LoadedKey((PrivateKey) key, certs);
        } catch (UnrecoverableKeyException e) {
            throw wrongPassword(file, passwordField, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw wrongPassword(file, passwordField, e);
            }
            throw ParseFailures.notA(field, file, "PEM or a readable PKCS#12 file", e);
        } catch (GeneralSecurityException e) {
            throw ParseFailures.notA(field, file, "a readable PKCS#12 file", e);
        }
    }

    private static List<Object> pemObjects(byte[] content, Path file, String field) throws InvalidInputException {
        try {
            return Pem.objects(content);
        } catch (IOException | RuntimeException e) {
            throw ParseFailures.notA(field, file, "valid PEM", e);
        }
    }

    private static char[] chars(Pin password, Path file, String passwordField) throws InvalidInputException {
        if (password == null) {
            throw new InvalidInputException(passwordField, file + " is encrypted: a password is needed");
        }
        return password.chars();
    }

    private static InvalidInputException wrongPassword(Path file, String passwordField, Exception e) {
        return new InvalidInputException(passwordField, "Wrong password for " + file
                + " (or the file is damaged)", e);
    }
}
