package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.key.SoftwareKeyGenerator;

/**
 * NSS's softoken opened through the wrapper without databases: it takes an RSA key and
 * signs with it what the JDK signs (PKCS#1 v1.5 is deterministic), from several threads
 * at once; a removed key signs nothing; a file that is not softoken is refused. Needs
 * NSS (Debian package libnss3).
 */
class NssSoftokenTest {

    private static KeyPair rsa;
    private static NssSoftoken softoken;

    @BeforeAll
    static void open() throws Exception {
        rsa = SoftwareKeyGenerator.generate(KeySpec.RSA_2048);
        softoken = NssSoftoken.open(NssSoftoken.systemDirectories()).orElseThrow(() -> new AssertionError(
                "NSS's softoken (Debian package libnss3) is a test prerequisite: " + NssSoftoken.systemDirectories()));
    }

    private static byte[] jdkSignature(byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(data);
        return s.sign();
    }

    @Test
    void signsWhatTheJdkSignsFromSeveralThreadsAtOnce() throws Exception {
        NssSoftoken.Key key = softoken.importRsaKey((RSAPrivateCrtKey) rsa.getPrivate());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> signatures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] data = ("certificate " + i).getBytes(StandardCharsets.US_ASCII);
                signatures.add(pool.submit(() -> key.sign(SignatureAlgorithm.SHA256_WITH_RSA.mechanism(), data)));
            }
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(jdkSignature(("certificate " + i).getBytes(StandardCharsets.US_ASCII)),
                        signatures.get(i).get(), "signature " + i);
            }
        } finally {
            pool.shutdownNow();
            key.close();
        }
    }

    @Test
    void aRemovedKeySignsNothing() throws Exception {
        NssSoftoken.Key key = softoken.importRsaKey((RSAPrivateCrtKey) rsa.getPrivate());
        key.close();
        Pkcs11CallException e = assertThrows(Pkcs11CallException.class,
                () -> key.sign(SignatureAlgorithm.SHA256_WITH_RSA.mechanism(), new byte[] {1}));
        assertEquals("C_SignInit", e.function());
    }

    @Test
    void softokenStartedBeforeIsUsedAsItIs(@TempDir Path dir) throws Exception {
        // another path to the same library: a second C_Initialize, which softoken answers
        // CKR_CRYPTOKI_ALREADY_INITIALIZED, as it would if NSS had started it in this process
        Path real = NssSoftoken.systemDirectories().stream().map(d -> d.resolve(NssSoftoken.LIBRARY))
                .filter(Files::isRegularFile).findFirst().orElseThrow();
        Files.createSymbolicLink(dir.resolve(NssSoftoken.LIBRARY), real);
        NssSoftoken again = NssSoftoken.open(List.of(dir)).orElseThrow();
        try (NssSoftoken.Key key = again.importRsaKey((RSAPrivateCrtKey) rsa.getPrivate())) {
            byte[] data = {4, 7, 1, 1};
            assertArrayEquals(jdkSignature(data), key.sign(SignatureAlgorithm.SHA256_WITH_RSA.mechanism(), data));
        }
    }

    @Test
    void aFileThatIsNotSoftokenIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(NssSoftoken.LIBRARY), "not a shared library");
        assertTrue(NssSoftoken.open(List.of(dir)).isEmpty());
    }

    @Test
    void withoutTheLibraryThereIsNoSoftoken(@TempDir Path dir) {
        assertTrue(NssSoftoken.open(List.of(dir, dir.resolve("missing"))).isEmpty());
    }
}
