package org.tokenctl.cli.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.key.KeyProtection;
import org.tokenctl.core.cert.X509Time;

/** Human-readable output of {@code enroll} and {@code import-cert}: aligned "name: value" lines on stdout. */
public final class EnrollText {

    private EnrollText() {
    }

    /**
     * The key part of an enrollment: id, label, algorithm, and what was verified.
     *
     * @param out stdout
     * @param r the result
     * @param token the token the key is on, or null for a file medium
     */
    public static void key(PrintWriter out, EnrollmentResult r, TokenInfo token) {
        line(out, "key id", r.id().hex());
        line(out, "label", r.label());
        line(out, "algorithm", r.keySpec().describe() + " (" + r.keySpec().spec() + "), signs with "
                + r.signatureAlgorithm().jcaName());
        if (r.verified() != null) {
            line(out, "verified", List.of(KeyProtection.values()).stream()
                    .map(p -> p.attribute() + "=" + p.actual(r.verified())).collect(Collectors.joining(" ")));
            line(out, "exportable", "no: the private key can never leave the token");
            if (token != null) {
                line(out, "key uri", EnrollViews.uri(token, ObjectClass.PRIVATE_KEY, r.id(), r.label()));
            }
        } else {
            line(out, "exportable", "YES: this file is a copy of the private key; keep it and its password safe"
                    + " (a token key never leaves its token)");
        }
    }

    /**
     * The certificate part: subject, issuer, serial number and expiry, then the chain.
     *
     * @param out stdout
     * @param cert the certificate
     * @param chain what became of the CA certificates
     * @param uri the installed certificate's pkcs11: URI, or null for a file
     */
    public static void certificate(PrintWriter out, X509CertificateHolder cert, List<ChainEntry> chain, String uri) {
        line(out, "certificate", SubjectName.format(cert.getSubject()));
        line(out, "issuer", SubjectName.format(cert.getIssuer()));
        line(out, "serial", Certificates.serialHex(cert));
        line(out, "expires", X509Time.notAfter(cert).toString());
        if (uri != null) {
            line(out, "cert uri", uri);
        }
        for (ChainEntry c : chain) {
            line(out, "chain", SubjectName.format(c.certificate().getSubject())
                    + (c.installed() ? " (stored)" : " (already on the token)"));
        }
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("  %-12s %s%n", name + ":", value);
    }
}
