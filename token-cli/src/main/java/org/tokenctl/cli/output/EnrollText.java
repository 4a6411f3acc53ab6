package org.tokenctl.cli.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import org.bouncycastle.cert.X509CertificateHolder;
import org.tokenctl.core.cert.CertificateInstaller.ChainEntry;
import org.tokenctl.core.cert.Certificates;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.key.KeyProtection;

/** Human-readable output of {@code enroll} and {@code import-cert}: aligned "name: value" lines on stdout. */
public final class EnrollText {

    private EnrollText() {
    }

    /**
     * The key part of an enrollment: id, label, algorithm, and what was verified.
     *
     * @param out stdout
     * @param r the result
     */
    public static void key(PrintWriter out, EnrollmentResult r) {
        line(out, "key id", r.id().hex());
        line(out, "label", r.label());
        line(out, "algorithm", r.keySpec().describe() + " (" + r.keySpec().spec() + "), signs with "
                + r.signatureAlgorithm().jcaName());
        if (r.verified() != null) {
            line(out, "verified", List.of(KeyProtection.values()).stream()
                    .map(p -> p.attribute() + "=" + p.actual(r.verified())).collect(Collectors.joining(" ")));
            line(out, "exportable", "no: the private key can never leave the token");
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
     */
    public static void certificate(PrintWriter out, X509CertificateHolder cert, List<ChainEntry> chain) {
        line(out, "certificate", SubjectName.format(cert.getSubject()));
        line(out, "issuer", SubjectName.format(cert.getIssuer()));
        line(out, "serial", Certificates.serialHex(cert));
        line(out, "expires", cert.getNotAfter().toInstant().toString());
        for (ChainEntry c : chain) {
            line(out, "chain", SubjectName.format(c.certificate().getSubject())
                    + (c.installed() ? " (stored)" : " (already on the token)"));
        }
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("  %-12s %s%n", name + ":", value);
    }
}
