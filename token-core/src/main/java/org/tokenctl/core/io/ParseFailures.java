package org.tokenctl.core.io;

import java.io.EOFException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import org.tokenctl.core.InvalidInputException;

/**
 * Says why a file did not parse without ever repeating the parser's message.
 *
 * <p>A parser's message may carry bytes of its input: BouncyCastle's "DEF length 52
 * object truncated by 2" counts bytes of a PIN file given as a certificate, a
 * PEM parser quotes the line it could not read, a keystore names what it found. The
 * input may be any file (a PIN file in the wrong place), so every reader of
 * certificates, keys and other structured files builds its message here: what the
 * file is not, and which layer of the format failed, named from the exception's
 * type alone.
 */
public final class ParseFailures {

    private ParseFailures() {
    }

    /**
     * @param field the option that named the file
     * @param file the file
     * @param expected what it should have been, e.g. "a certificate (PEM or DER)"
     * @param cause the parser's failure (kept as the cause, for --verbose; never in the message)
     * @return "FILE is not EXPECTED (REASON)"
     */
    public static InvalidInputException notA(String field, Path file, String expected, Throwable cause) {
        return new InvalidInputException(field, file + " is not " + expected + " (" + reason(cause) + ")", cause);
    }

    /**
     * @param cause a parser's failure
     * @return which layer failed, from the types in its cause chain; never its message
     */
    static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (type.startsWith("org.bouncycastle.util.encoders.")) {
                return "its PEM body is not valid base64";
            }
            if (t instanceof EOFException || type.equals("org.bouncycastle.asn1.ASN1ParsingException")
                    || type.equals("org.bouncycastle.asn1.ASN1Exception")) {
                return "its DER encoding is malformed or cut short";
            }
            if (type.startsWith("org.bouncycastle.openssl.") || type.startsWith("org.bouncycastle.util.io.pem.")) {
                return "its PEM structure is malformed";
            }
            if (t instanceof GeneralSecurityException) {
                return "its content is not of that kind";
            }
        }
        return "it does not parse";
    }
}
