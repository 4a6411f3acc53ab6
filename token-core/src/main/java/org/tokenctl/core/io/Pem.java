package org.tokenctl.core.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.tokenctl.core.InvalidInputException;

/** PEM (RFC 7468) in and out: certificates, requests, keys. */
public final class Pem {

    private Pem() {
    }

    /**
     * @param object a certificate or request holder, or a {@link PemObjectGenerator} (e.g. a PKCS#8 generator)
     * @return its PEM text
     */
    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot PEM-encode " + object.getClass().getSimpleName(), e);
        }
        return out.toString();
    }

    /**
     * @param object what {@link #encode} takes
     * @return its PEM text as UTF-8 bytes
     */
    public static byte[] encodeBytes(Object object) {
        return encode(object).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the certificates in a file: PEM (any number, other PEM objects such as
     * keys skipped) or one DER certificate.
     *
     * @param file the file
     * @param field the option that named it
     * @return the certificates, in file order (at least one)
     * @throws InvalidInputException if the file is unreadable or holds no certificate
     */
    public static List<X509CertificateHolder> certificates(Path file, String field) throws InvalidInputException {
        byte[] content = InputFiles.read(file, field, "Certificate file");
        List<X509CertificateHolder> out = new ArrayList<>();
        try {
            if (InputFiles.isPem(content)) {
                for (Object o : objects(content)) {
                    if (o instanceof X509CertificateHolder) {
                        out.add((X509CertificateHolder) o);
                    }
                }
            } else {
                out.add(new X509CertificateHolder(content));
            }
        } catch (IOException | RuntimeException e) {
            throw ParseFailures.notA(field, file, "a certificate (PEM or DER)", e);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(field, file + " holds no certificate (expected PEM"
                    + " \"-----BEGIN CERTIFICATE-----\" or DER)");
        }
        return out;
    }

    /**
     * @param pemText PEM content
     * @return every object BouncyCastle's PEM parser recognises, in order
     * @throws IOException if the PEM is malformed
     */
    static List<Object> objects(byte[] pemText) throws IOException {
        List<Object> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pemText),
                StandardCharsets.UTF_8))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                out.add(o);
            }
        }
        return out;
    }
}
