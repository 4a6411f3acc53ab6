package org.tokenctl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.key.GeneratedKeyPair;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.key.TokenKeyGenerator;
import org.tokenctl.core.module.Calls;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * Signatures per second on one SoftHSM key (issue 7, library overhead): the xipki
 * wrapper's own {@code Session.signSingle} against token-core's
 * {@code TokenSession.sign} (the same C_SignInit + C_Sign, plus token-core's
 * error conversion), the cost of that conversion alone, and, for information, the
 * whole {@code TokenContentSigner} (hash in Java for ECDSA, DER re-encoding) that
 * signs requests.
 *
 * <p>Environment: BENCH_MODULE (the PKCS#11 module), BENCH_TOKEN (a token label),
 * BENCH_PIN (its user PIN; a throwaway SoftHSM token made by bench/sign.sh).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignBenchmark {

    @Param({"ec:p256", "rsa:2048"})
    public String keySpec;

    private PKCS11Module rawModule;
    private Session raw;
    private Pkcs11Module module;
    private TokenSession session;
    private TokenContentSigner signer;
    private long key;
    private long mechanism;
    private byte[] input;
    private final byte[] toBeSigned = "a certification request's to-be-signed bytes".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String path = System.getenv("BENCH_MODULE");
        // the raw wrapper initialises the module first; token-core then shares that
        // initialisation (CKR_CRYPTOKI_ALREADY_INITIALIZED), so both work on one key
        rawModule = PKCS11Module.getInstance(path);
        rawModule.initialize();
        module = Pkcs11Module.open(Path.of(path));
        Token token = module.token(TokenSelector.label(System.getenv("BENCH_TOKEN")));
        session = token.openSession(true);
        session.login(UserType.USER, Pin.wrap(System.getenv("BENCH_PIN").toCharArray()),
                LoginOptions.defaults(AttemptGuard.disabled()).withInitialPin(null));
        KeySpec spec = KeySpec.parse(keySpec);
        SignatureAlgorithm alg = spec.signatureAlgorithm(null);
        GeneratedKeyPair pair = TokenKeyGenerator.generate(session, spec, alg, null, "bench-" + keySpec);
        key = pair.privateKey();
        mechanism = alg.mechanism();
        // what the token is given: the SHA-256 hash for raw ECDSA, the message for CKM_SHA256_RSA_PKCS
        input = alg.hashesInJava() ? MessageDigest.getInstance("SHA-256").digest(toBeSigned) : toBeSigned;
        signer = new TokenContentSigner(session, key, alg);
        for (Slot s : rawModule.getSlotList(true)) {
            if (s.getSlotID() == token.slotId()) {
                raw = s.getToken().openSession(false); // the login is the application's, shared
            }
        }
    }

    @Benchmark
    public byte[] rawWrapper() throws Exception {
        return raw.signSingle(new Mechanism(mechanism), key, input);
    }

    @Benchmark
    public byte[] tokenSession() throws Exception {
        return session.sign(new Mechanism(mechanism), key, input);
    }

    @Benchmark
    public byte[] contentSigner() throws Exception {
        signer.getOutputStream().write(toBeSigned);
        return signer.getSignature();
    }

    /**
     * What {@code TokenSession.sign} adds to the wrapper's calls, alone: its two
     * {@code Calls} conversions around calls that do nothing. A signature's time is
     * hundreds of microseconds, so the direct comparison above cannot resolve a few
     * percent on a shared machine; this bounds the overhead instead.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] tokenCoreCallPath() throws Exception {
        Calls.run("C_SignInit", () -> { });
        return Calls.call("C_Sign", () -> input);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        raw.closeSession();
        session.close();
        module.close();
    }
}
