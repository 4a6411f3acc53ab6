package org.tokenctl.core.issue;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.tokenctl.core.csr.CsrBuilder;
import org.tokenctl.core.io.Pem;
import org.tokenctl.core.io.PrivateKeyFiles;
import org.tokenctl.core.key.PublicKeys;

/**
 * Runs the software side of an enrollment once, with a throwaway P-256 key, on a
 * background thread: for short-lived processes (the {@code tokenctl} command).
 *
 * <p>A fresh JVM spends its first ~0.2 s of crypto loading and initialising
 * classes and running cold code: the CA
 * files' parsing, the local CA's preflight and the first tokens' requests and
 * certificates pay it on the path of the work. Started as the process starts, the
 * warm-up pays it on a core that is otherwise idle while the command line is parsed
 * and the PKCS#11 module starts (class initialisation is done once, whichever thread
 * comes first; the other waits for it rather than doing it again).
 *
 * <p>The warm-up touches no file, token, network or console; its key and
 * certificate are dropped. A failure is ignored: it changes nothing, and the real
 * work meets the same problem and reports it. A long-running embedder does not need
 * this.
 */
public final class CryptoWarmUp {

    private CryptoWarmUp() {
    }

    /**
     * Starts the warm-up on a daemon thread (it never holds the process up), unless
     * the JVM has a single CPU, where it could only compete with the work.
     *
     * @return the thread, or null when not started
     */
    public static Thread start() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                run();
            } catch (Exception | LinkageError e) {
                // nothing to report: see the class comment
            }
        }, "crypto-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The warm-up itself: generate a P-256 key, read it back from PEM the way a CA
     * key file is read, sign a request and verify it as an enrollment does, issue a
     * certificate with a subject key identifier and verify that.
     *
     * @return whether the request and the certificate verified (a check for tests: the
     *         steps ran to the end and did what enrollment relies on)
     * @throws Exception if a step failed
     */
    static boolean run() throws Exception {
        // the JDK's generator: BouncyCastle's provider is never instantiated in a batch with a P-256 or RSA CA
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        PrivateKey key;
        // written as tokenctl ca init writes a CA key (PKCS#8 PEM), read as a CA key file is read
        try (PEMParser p = new PEMParser(new StringReader(Pem.encode(new JcaPKCS8Generator(pair.getPrivate(), null))))) {
            key = PrivateKeyFiles.key((PrivateKeyInfo) p.readObject());
        }
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        // the local CA's own signing path (CaSigning.Key), for the request too
        CaSigning.Key signing = new CaSigning.Key(key);
        X500Name name = new X500Name("CN=tokenctl warm-up");
        PKCS10CertificationRequest csr = new PKCS10CertificationRequestBuilder(name, spki).build(signing.signer());
        boolean requestVerifies = CsrBuilder.verifies(csr, spki);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, spki);
        b.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(spki));
        X509CertificateHolder cert = CaSigning.sign(b, signing);
        Pem.encode(cert);
        return requestVerifies && cert.isSignatureValid(PublicKeys.verifier(spki));
    }
}
