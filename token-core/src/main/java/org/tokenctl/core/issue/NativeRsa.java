package org.tokenctl.core.issue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.module.NssSoftoken;
import org.tokenctl.core.module.Pkcs11CallException;

/**
 * RSA signatures in native code for the local CA: NSS's software token (softoken),
 * opened as a PKCS#11 module without databases ({@link NssSoftoken}), so the CA key
 * lives in a session object of this process and nowhere else. OpenJDK depends on NSS.
 *
 * <p>Why: a short-lived tokenctl runs its JIT at C1 only (start-up time), and the JDK's
 * RSA then costs about 7.8 ms per RSA-2048 signature, as {@code BigInteger}'s
 * arithmetic gets its intrinsics only from C2. Softoken signs in about 1.25 ms whatever
 * the JIT. PKCS#1 v1.5 signatures are deterministic: NSS and the JDK make the same bytes.
 *
 * <p>Optional and never in the way: without NSS, when softoken fails to start, or when
 * the system property {@value #PROPERTY} is {@code false}, the JDK signs. The key is
 * imported on a thread of its own ({@link #importAsync}), so nothing waits for NSS;
 * and an imported key is used only after a signature made with it verified with the
 * key's public half.
 *
 * <p>Softoken is initialised once per JVM and stays so. An application embedding
 * token-core that starts NSS itself later (SunPKCS11 with an NSS database, say) would
 * find it started without its databases; so a JVM compiling with C2, as such an
 * application's does, never starts it unless the property says {@code true}.
 */
final class NativeRsa {

    /**
     * System property: {@code false} keeps RSA signatures in the JDK, {@code true} uses NSS
     * for any batch; otherwise ({@code auto}) {@link #worthIt} decides.
     */
    static final String PROPERTY = "tokenctl.nativeRsa";

    /**
     * From this many signatures on softoken pays: its start and first signature cost
     * about 9 ms on another thread, each signature then saves about 6.5 ms under C1
     * (a batch of 2 tokens with an RSA CA: 287 against 295 ms; of 4: 302 against 315 ms).
     */
    static final int WORTH_FROM = 2;

    private NativeRsa() {
    }

    /** An RSA key in softoken: makes SHA256withRSA signatures for certificates and CRLs. */
    record NssKey(NssSoftoken.Key key) {

        /** @return a new signer (a signer is not thread-safe; the key is) */
        ContentSigner signer() {
            return new ContentSigner() {
                private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(1024);

                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return SignatureAlgorithm.SHA256_WITH_RSA.algorithmIdentifier();
                }

                @Override
                public OutputStream getOutputStream() {
                    return tbs;
                }

                @Override
                public byte[] getSignature() {
                    try {
                        return key.sign(SignatureAlgorithm.SHA256_WITH_RSA.mechanism(), tbs.toByteArray());
                    } catch (Pkcs11CallException e) {
                        throw new RuntimeOperatorException("NSS could not sign: " + e.getMessage(), e);
                    } finally {
                        tbs.reset();
                    }
                }
            };
        }
    }

    /**
     * Whether native signatures pay for this many: enough of them, in a JVM whose JIT
     * stops at C1 (where the JDK's RSA is slow; compiled by C2 it is faster than NSS's).
     * HotSpot says "emulated-client" in {@code java.vm.info} when it runs C1 only.
     *
     * @param signatures how many are expected
     * @return whether to import the key into NSS
     */
    static boolean worthIt(int signatures) {
        String asked = System.getProperty(PROPERTY, "auto");
        if (asked.equalsIgnoreCase("false") || asked.equalsIgnoreCase("true")) {
            return asked.equalsIgnoreCase("true") && signatures > 0;
        }
        return signatures >= WORTH_FROM && System.getProperty("java.vm.info", "").contains("emulated-client");
    }

    /**
     * Imports an RSA key into NSS on a daemon thread.
     *
     * @param key the CA's RSA private key (with its CRT parameters, as key files hold it)
     * @return completed with the NSS key, or with null when RSA signatures stay in the JDK
     */
    static CompletableFuture<NssKey> importAsync(PrivateKey key) {
        CompletableFuture<NssKey> done = new CompletableFuture<>();
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            done.complete(null);
            return done;
        }
        Thread t = new Thread(() -> {
            try {
                done.complete(importKey(crt, NssSoftoken.systemDirectories()));
            } catch (RuntimeException | LinkageError e) {
                log("NSS failed: " + e);
                done.complete(null);
            }
        }, "native-rsa");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /**
     * @param key an RSA private key
     * @param directories where to look for NSS's softoken, in order
     * @return the key in NSS, proven to sign with the key's public half; null when NSS cannot be used
     */
    static NssKey importKey(RSAPrivateCrtKey key, List<Path> directories) {
        NssSoftoken softoken = NssSoftoken.open(directories).orElse(null);
        if (softoken == null) {
            log("NSS's softoken cannot be used");
            return null;
        }
        NssSoftoken.Key imported;
        try {
            imported = softoken.importRsaKey(key);
        } catch (Pkcs11CallException e) {
            log("cannot import the CA key into NSS: " + e.getMessage());
            return null;
        }
        try {
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            byte[] probe = "tokenctl native RSA probe".getBytes(StandardCharsets.US_ASCII);
            byte[] sig = imported.sign(SignatureAlgorithm.SHA256_WITH_RSA.mechanism(), probe);
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(pub);
            v.update(probe);
            if (v.verify(sig)) {
                System.getLogger(NativeRsa.class.getName()).log(System.Logger.Level.DEBUG,
                        "the CA key is in NSS: certificates are signed there from now on");
                return new NssKey(imported);
            }
            log("a signature NSS made with the CA key does not verify");
        } catch (GeneralSecurityException | Pkcs11CallException | RuntimeException e) {
            log("NSS cannot sign with the CA key: " + e);
        }
        imported.close();
        return null;
    }

    private static void log(String message) {
        System.getLogger(NativeRsa.class.getName()).log(System.Logger.Level.DEBUG,
                message + "; RSA signatures stay in the JDK");
    }
}
