package org.tokenctl.core.module;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

import iaik.pkcs.pkcs11.wrapper.CK_ATTRIBUTE;
import iaik.pkcs.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import iaik.pkcs.pkcs11.wrapper.CK_MECHANISM;
import iaik.pkcs.pkcs11.wrapper.CK_MECHANISM_INFO;
import iaik.pkcs.pkcs11.wrapper.PKCS11Implementation;
import org.bouncycastle.util.BigIntegers;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Module;

/**
 * NSS's software token ({@code libsoftokn3.so}, Debian package libnss3) opened as a
 * PKCS#11 module in this process, without databases: keys put into it are session
 * objects that live in this process's memory and nowhere else. The local CA signs RSA
 * there in a batch (its {@code NativeRsa}); not part of the embedding API.
 *
 * <p>Softoken wants its configuration in {@code C_Initialize}: NSS's extension of
 * {@code CK_C_INITIALIZE_ARGS} carries a parameter string where PKCS#11 has
 * {@code pReserved}, and softoken refuses to start without one. The string here is the
 * one {@code NSS_NoDB_Init} gives it ({@link #NO_DATABASES}). xipki's
 * {@code PKCS11Module.initialize()} passes none, so softoken is initialised through the
 * wrapper's JNI layer; the wrapper's {@code PKCS11Module.getInstance} is still what
 * links that layer's native library, once per JVM, as for any module tokenctl opens.
 *
 * <p>Going through the wrapper rather than the JDK's SunPKCS11 provider: softoken starts
 * in about 1 ms instead of SunPKCS11's 25 to 35 ms (its provider registers a service per
 * mechanism), and a signature costs 1.25 ms instead of 1.8 ms (docs/benchmarks.md).
 *
 * <p>Thread-safe: initialised with {@code CKF_OS_LOCKING_OK}; each signature in flight
 * has a session of its own.
 */
public final class NssSoftoken {

    /** The library parameters {@code NSS_NoDB_Init} passes softoken (NSS's nssinit.c): no database at all. */
    static final String NO_DATABASES = "configdir='' certPrefix='' keyPrefix='' secmod='' "
            + "flags=readOnly,noCertDB,noModDB,forceOpen,optimizeSpace";

    /** The library's file name. */
    static final String LIBRARY = "libsoftokn3.so";

    /** Softoken opened once per JVM and library file; empty when it could not be. */
    private static final Map<Path, Optional<NssSoftoken>> OPENED = new HashMap<>();

    private final PKCS11Implementation p11;
    private final long slot;
    /** The wrapper's own module for the library: kept, so that its connection is never closed under ours. */
    @SuppressWarnings("unused")
    private final PKCS11Module linked;

    private NssSoftoken(PKCS11Implementation p11, long slot, PKCS11Module linked) {
        this.p11 = p11;
        this.slot = slot;
        this.linked = linked;
    }

    /**
     * @return where Linux distributions put NSS: Debian's multiarch directory, then lib64 (Fedora), then lib
     */
    public static List<Path> systemDirectories() {
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

    /**
     * Opens softoken from the first of these directories that holds it, once per JVM.
     *
     * @param directories where to look for {@value #LIBRARY}, in order
     * @return softoken, or empty when it is not there or does not start (the reason is logged at DEBUG)
     */
    public static Optional<NssSoftoken> open(List<Path> directories) {
        for (Path dir : directories) {
            Path library = dir.resolve(LIBRARY);
            if (Files.isRegularFile(library)) {
                synchronized (OPENED) {
                    return OPENED.computeIfAbsent(library, NssSoftoken::start);
                }
            }
        }
        log("softoken not found in " + directories);
        return Optional.empty();
    }

    private static Optional<NssSoftoken> start(Path library) {
        WrapperLogging.install();
        try {
            PKCS11Module linked = PKCS11Module.getInstance(library.toString());
            PKCS11Implementation p11 = new PKCS11Implementation(library.toString());
            CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
            args.flags = PKCS11Constants.CKF_OS_LOCKING_OK;
            args.pReserved = NO_DATABASES;
            try {
                Calls.run("C_Initialize", () -> p11.C_Initialize(args, true));
            } catch (Pkcs11CallException e) {
                // someone else in this process started it (NSS itself, for one): its crypto slot serves as well
                if (e.ckr() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                    throw e;
                }
            }
            for (long s : Calls.call("C_GetSlotList", () -> p11.C_GetSlotList(true))) {
                CK_MECHANISM_INFO info;
                try {
                    info = Calls.call("C_GetMechanismInfo",
                            () -> p11.C_GetMechanismInfo(s, PKCS11Constants.CKM_SHA256_RSA_PKCS));
                } catch (Pkcs11CallException e) {
                    continue;
                }
                if ((info.flags & PKCS11Constants.CKF_SIGN) != 0) {
                    return Optional.of(new NssSoftoken(p11, s, linked));
                }
            }
            log(library + " has no slot that signs SHA256withRSA");
        } catch (IOException | Pkcs11CallException | RuntimeException | LinkageError e) {
            log(library + " did not start: " + e);
        }
        return Optional.empty();
    }

    /**
     * Puts an RSA private key into softoken as a session object: sensitive, not
     * extractable, for signing. The copies of its numbers made for the call are wiped.
     *
     * @param key the key, with its CRT parameters
     * @return the key in softoken
     * @throws Pkcs11CallException if softoken refuses it
     */
    public Key importRsaKey(RSAPrivateCrtKey key) throws Pkcs11CallException {
        long[] types = {PKCS11Constants.CKA_MODULUS, PKCS11Constants.CKA_PUBLIC_EXPONENT,
            PKCS11Constants.CKA_PRIVATE_EXPONENT, PKCS11Constants.CKA_PRIME_1, PKCS11Constants.CKA_PRIME_2,
            PKCS11Constants.CKA_EXPONENT_1, PKCS11Constants.CKA_EXPONENT_2, PKCS11Constants.CKA_COEFFICIENT};
        BigInteger[] values = {key.getModulus(), key.getPublicExponent(), key.getPrivateExponent(), key.getPrimeP(),
            key.getPrimeQ(), key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()};
        CK_ATTRIBUTE[] template = new CK_ATTRIBUTE[7 + values.length];
        template[0] = attribute(PKCS11Constants.CKA_CLASS, PKCS11Constants.CKO_PRIVATE_KEY);
        template[1] = attribute(PKCS11Constants.CKA_KEY_TYPE, PKCS11Constants.CKK_RSA);
        template[2] = attribute(PKCS11Constants.CKA_TOKEN, false);
        template[3] = attribute(PKCS11Constants.CKA_PRIVATE, true);
        template[4] = attribute(PKCS11Constants.CKA_SENSITIVE, true);
        template[5] = attribute(PKCS11Constants.CKA_EXTRACTABLE, false);
        template[6] = attribute(PKCS11Constants.CKA_SIGN, true);
        long session = openSession();
        try {
            for (int i = 0; i < values.length; i++) {
                template[7 + i] = attribute(types[i], BigIntegers.asUnsignedByteArray(values[i]));
            }
            return new Key(Calls.call("C_CreateObject", () -> p11.C_CreateObject(session, template, true)), session);
        } catch (Pkcs11CallException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        } finally {
            for (int i = 7; i < template.length; i++) {
                if (template[i] != null) {
                    Arrays.fill((byte[]) template[i].pValue, (byte) 0);
                }
            }
        }
    }

    /** A private key in softoken: signs; {@link #close} removes it. */
    public final class Key implements AutoCloseable {
        private final long handle;
        /** Sessions no signature is using. */
        private final ConcurrentLinkedDeque<Long> idle = new ConcurrentLinkedDeque<>();

        private Key(long handle, long session) {
            this.handle = handle;
            idle.push(session);
        }

        /**
         * Signs with a hash-and-sign mechanism: softoken hashes and signs.
         *
         * @param mechanism e.g. {@code CKM_SHA256_RSA_PKCS}
         * @param data the data to sign
         * @return the signature
         * @throws Pkcs11CallException if softoken fails (that session is closed)
         */
        public byte[] sign(long mechanism, byte[] data) throws Pkcs11CallException {
            long session = session();
            try {
                CK_MECHANISM m = new CK_MECHANISM();
                m.mechanism = mechanism;
                Calls.run("C_SignInit", () -> p11.C_SignInit(session, m, handle, true));
                byte[] signature = Calls.call("C_Sign", () -> p11.C_Sign(session, data));
                idle.push(session);
                return signature;
            } catch (Pkcs11CallException | RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
        }

        /** An idle session, or a new one. */
        private long session() throws Pkcs11CallException {
            Long s = idle.poll();
            return s != null ? s : openSession();
        }

        /** Destroys the key in softoken and closes its idle sessions; signing fails from then on. */
        @Override
        public void close() {
            try {
                long s = session();
                try {
                    Calls.run("C_DestroyObject", () -> p11.C_DestroyObject(s, handle));
                } finally {
                    closeQuietly(s);
                }
            } catch (Pkcs11CallException e) {
                log("the key could not be destroyed: " + e.getMessage());
            }
            for (Long rest = idle.poll(); rest != null; rest = idle.poll()) {
                closeQuietly(rest);
            }
        }
    }

    private long openSession() throws Pkcs11CallException {
        return Calls.call("C_OpenSession", () -> p11.C_OpenSession(slot, PKCS11Constants.CKF_SERIAL_SESSION, null, null));
    }

    private void closeQuietly(long session) {
        try {
            Calls.run("C_CloseSession", () -> p11.C_CloseSession(session));
        } catch (Pkcs11CallException e) {
            log("a session could not be closed: " + e.getMessage());
        }
    }

    private static CK_ATTRIBUTE attribute(long type, Object value) {
        CK_ATTRIBUTE a = new CK_ATTRIBUTE();
        a.type = type;
        a.pValue = value;
        return a;
    }

    private static void log(String message) {
        System.getLogger(NssSoftoken.class.getName()).log(System.Logger.Level.DEBUG, message);
    }
}
