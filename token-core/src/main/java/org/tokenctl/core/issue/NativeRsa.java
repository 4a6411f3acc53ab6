package org.tokenctl.core.issue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * RSA signatures in native code for the local CA: NSS's software token (softoken)
 * through the JDK's own SunPKCS11 provider, in NSS's no-database mode, so the CA key
 * lives in a session of this process and nowhere else. It is what Debian's OpenJDK
 * configures for its SunPKCS11-NSS provider ({@code nss.cfg}), and OpenJDK depends on NSS.
 *
 * <p>Why: a short-lived tokenctl runs its JIT at C1 only (start-up time), and the JDK's
 * RSA then costs about 7.8 ms per RSA-2048 signature, as {@code BigInteger}'s
 * arithmetic gets its intrinsics only from C2. NSS signs in about 1.8 ms whatever the
 * JIT. PKCS#1 v1.5 signatures are deterministic: NSS and the JDK make the same bytes.
 *
 * <p>Optional and never in the way: without SunPKCS11 or NSS, when NSS fails to start,
 * or when the system property {@value #PROPERTY} is {@code false}, the JDK signs. The
 * key is imported on a thread of its own ({@link #importAsync}), so nothing waits for
 * NSS's start (about 30 ms); and an imported key is used only after a signature made
 * with it verified with the key's public half.
 */
final class NativeRsa {

    /**
     * System property: {@code false} keeps RSA signatures in the JDK, {@code true} uses NSS
     * for any batch; otherwise ({@code auto}) {@link #worthIt} decides.
     */
    static final String PROPERTY = "tokenctl.nativeRsa";

    /** SunPKCS11 started on NSS, once per JVM and set of directories; empty when it cannot be. */
    private static final Map<List<Path>, Optional<Provider>> STARTED = new HashMap<>();

    /**
     * Below this many signatures NSS's start (about 30 ms) costs more than it saves
     * (about 6 ms a signature under C1).
     */
    static final int WORTH_FROM = 8;

    private NativeRsa() {
    }

    /** An RSA key in NSS, and the provider to sign with it through. */
    record NssKey(Provider provider, PrivateKey key) {
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
                done.complete(importKey(crt, candidateDirectories()));
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
     * @param directories where to look for NSS's libraries, in order
     * @return the key in NSS, proven to sign with the key's public half; null when NSS cannot be used
     */
    static NssKey importKey(RSAPrivateCrtKey key, List<Path> directories) {
        Provider p = provider(directories);
        if (p == null) {
            return null;
        }
        try {
            PrivateKey imported = KeyFactory.getInstance("RSA", p).generatePrivate(
                    new PKCS8EncodedKeySpec(key.getEncoded()));
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            byte[] probe = "tokenctl native RSA probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withRSA", p);
            s.initSign(imported);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(pub);
            v.update(probe);
            if (v.verify(sig)) {
                System.getLogger(NativeRsa.class.getName()).log(System.Logger.Level.DEBUG,
                        "the CA key is in NSS: certificates are signed there from now on");
                return new NssKey(p, imported);
            }
            log("a signature NSS made with the CA key does not verify");
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            log("cannot import the CA key into NSS: " + e);
            return null;
        }
    }

    /** @return SunPKCS11 configured for NSS, started once per JVM; null when it cannot be */
    private static Provider provider(List<Path> directories) {
        synchronized (STARTED) {
            return STARTED.computeIfAbsent(List.copyOf(directories), d -> Optional.ofNullable(start(d))).orElse(null);
        }
    }

    private static Provider start(List<Path> directories) {
        Provider sunPkcs11 = sunPkcs11();
        if (sunPkcs11 == null) {
            log("no SunPKCS11 provider in this Java runtime");
            return null;
        }
        for (Path dir : directories) {
            if (Files.isRegularFile(dir.resolve("libsoftokn3.so")) && Files.isRegularFile(dir.resolve("libnss3.so"))) {
                try {
                    // "--" says: the configuration itself, not a file name
                    return sunPkcs11.configure("--name=tokenctl-nss\nnssLibraryDirectory=" + dir
                            + "\nnssDbMode=noDb\nattributes=compatibility\n");
                } catch (RuntimeException e) {
                    log("NSS in " + dir + " did not start: " + e);
                    return null;
                }
            }
        }
        log("NSS's softoken not found in " + directories);
        return null;
    }

    /**
     * The JDK's SunPKCS11 provider, not configured. Found among the boot layer's service
     * providers rather than with {@code Security.getProvider("SunPKCS11")}, which would
     * first make an instance of each provider listed before it in java.security (the TLS,
     * XML signature, Kerberos and LDAP providers among them): twice the time.
     */
    private static Provider sunPkcs11() {
        return ServiceLoader.load(ModuleLayer.boot(), Provider.class).stream()
                .filter(p -> p.type().getName().equals("sun.security.pkcs11.SunPKCS11"))
                .findFirst().map(ServiceLoader.Provider::get).orElse(null);
    }

    /** Where Linux distributions put NSS: Debian's multiarch directory, then lib64 (Fedora), then lib. */
    static List<Path> candidateDirectories() {
        List<Path> dirs = new ArrayList<>();
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String triplet = switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            case "x86", "i386", "i686" -> "i386-linux-gnu";
            default -> null;
        };
        if (triplet != null) {
            dirs.add(Path.of("/usr/lib", triplet));
        }
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib"));
        return dirs;
    }

    private static void log(String message) {
        System.getLogger(NativeRsa.class.getName()).log(System.Logger.Level.DEBUG,
                message + "; RSA signatures stay in the JDK");
    }
}
