package org.tokenctl.core.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.TestTokens;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.csr.TokenContentSigner;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.key.CryptoProvider;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.key.SignatureAlgorithm;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectLister;
import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;
import org.tokenctl.core.module.Attributes;

/**
 * token-core from 8 threads over 3 tokens at once, as the documented threading
 * model allows (one module, one session per thread): enrollments, listings and
 * signatures interleave with no error and no cross-talk. Every signature must
 * verify with the certificate of the key that was asked to sign, on the token it
 * was asked on; every token ends with exactly the objects its enrollments made.
 */
@ExtendWith(SoftHsmExtension.class)
class LibraryConcurrencyTest {

    private static final List<String> TOKENS = List.of("conc-a", "conc-b", "conc-c");
    private static final String PIN = "64209753";
    private static final int THREADS = 8;
    private static final int ROUNDS = 12;

    /** A key enrolled on a token, with its certificate, for the signing rounds. */
    private record Enrolled(String token, EnrollmentResult result) {
    }

    @Test
    void eightThreadsThreeTokensNoErrorsNoCrossTalk(SoftHsmFixture fixture) throws Exception {
        for (String t : TOKENS) {
            fixture.initToken(t, "conc-so-1", PIN);
        }
        DemoCa ca = DemoCa.create(SubjectName.parse("CN=Concurrency CA"), KeySpec.EC_P256, 10, Clock.systemUTC());
        LocalCa issuer = new LocalCa(ca.certificate(), ca.key(), 5, Clock.systemUTC());
        Map<String, List<Enrolled>> enrolled = new ConcurrentHashMap<>();
        TOKENS.forEach(t -> enrolled.put(t, java.util.Collections.synchronizedList(new ArrayList<>())));
        AtomicInteger enrollments = new AtomicInteger();
        AtomicInteger signatures = new AtomicInteger();
        AtomicInteger listings = new AtomicInteger();

        try (Pkcs11Module module = Pkcs11Module.open(fixture.softhsmModule())) {
            // one key per token first, so that every thread has something to sign with
            for (String t : TOKENS) {
                enrolled.get(t).add(new Enrolled(t, enroll(module, t, "seed-" + t, issuer)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> work = new ArrayList<>();
            for (int n = 0; n < THREADS; n++) {
                int worker = n;
                work.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        String t = TOKENS.get(ThreadLocalRandom.current().nextInt(TOKENS.size()));
                        switch ((worker + round) % 3) {
                            case 0:
                                enrolled.get(t).add(new Enrolled(t, enroll(module, t, "w" + worker + "r" + round,
                                        issuer)));
                                enrollments.incrementAndGet();
                                break;
                            case 1:
                                List<Enrolled> keys = List.copyOf(enrolled.get(t));
                                signAndVerify(module, keys.get(ThreadLocalRandom.current().nextInt(keys.size())));
                                signatures.incrementAndGet();
                                break;
                            default:
                                try (TokenSession s = TestTokens.userSession(module, t, PIN)) {
                                    ObjectLister.list(s);
                                }
                                listings.incrementAndGet();
                                break;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES); // rethrows any worker's failure
            }
            pool.shutdown();

            for (String t : TOKENS) {
                try (TokenSession s = TestTokens.userSession(module, t, PIN)) {
                    List<TokenObject> objects = ObjectLister.list(s);
                    Set<String> expectedIds = enrolled.get(t).stream().map(e -> e.result().id().hex())
                            .collect(Collectors.toSet());
                    for (ObjectClass c : List.of(ObjectClass.PRIVATE_KEY, ObjectClass.PUBLIC_KEY,
                            ObjectClass.CERTIFICATE)) {
                        Set<String> ids = objects.stream().filter(o -> o.objectClass() == c)
                                .map(o -> o.id().hex()).collect(Collectors.toSet());
                        assertEquals(expectedIds, ids, t + ": " + c + " objects are exactly those enrolled on it");
                    }
                }
            }
        }
        assertEquals(THREADS * ROUNDS, enrollments.get() + signatures.get() + listings.get());
        assertTrue(enrollments.get() > 10 && signatures.get() > 10 && listings.get() > 10,
                enrollments + " enrollments, " + signatures + " signatures, " + listings + " listings");
    }

    private static EnrollmentResult enroll(Pkcs11Module module, String token, String label, LocalCa issuer)
            throws Exception {
        try (TokenSession s = TestTokens.userSession(module, token, PIN)) {
            return Enrollment.run(new TokenMedium(s), new EnrollmentRequest(KeySpec.EC_P256,
                    KeySpec.EC_P256.signatureAlgorithm(null), null, label, SubjectName.parse("CN=" + label), null,
                    false), issuer);
        }
    }

    /** Signs with the key on its token (found by CKA_ID) and checks the signature against its certificate. */
    private static void signAndVerify(Pkcs11Module module, Enrolled e) throws Exception {
        byte[] data = ("signed on " + e.token() + " by " + e.result().label() + " in "
                + Thread.currentThread().getName()).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        SignatureAlgorithm alg = e.result().signatureAlgorithm();
        try (TokenSession s = TestTokens.userSession(module, e.token(), PIN)) {
            long[] keys = s.find(Attributes.ofClass(ObjectClass.PRIVATE_KEY.cko()).id(e.result().id().bytes()));
            assertEquals(1, keys.length, "one private key with id " + e.result().id());
            TokenContentSigner signer = new TokenContentSigner(s, keys[0], alg);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(data);
            }
            signature = signer.getSignature();
        }
        X509CertificateHolder cert = e.result().certificate();
        ContentVerifier verifier = new JcaContentVerifierProviderBuilder().setProvider(CryptoProvider.BC).build(cert)
                .get(signer(alg));
        try (OutputStream out = verifier.getOutputStream()) {
            out.write(data);
        }
        assertTrue(verifier.verify(signature), "signature by " + e.result().label() + " on " + e.token()
                + " verifies with its own certificate");
    }

    private static org.bouncycastle.asn1.x509.AlgorithmIdentifier signer(SignatureAlgorithm alg) {
        return new org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder().find(alg.jcaName());
    }
}
