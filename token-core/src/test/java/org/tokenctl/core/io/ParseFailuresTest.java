package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.pin.Pin;

/**
 * A file given where a certificate or key belongs is described, never quoted:
 * the message is the path, what the file is not, and one of a few fixed reasons.
 */
class ParseFailuresTest {

    private static final Set<String> REASONS = Set.of("its PEM body is not valid base64",
            "its DER encoding is malformed or cut short", "its PEM structure is malformed",
            "its content is not of that kind", "it does not parse");
    private static final Pattern SHAPE = Pattern.compile("(.*) is not (.*) \\((.*)\\)");

    @TempDir
    Path dir;

    /** The message holds the path, a fixed phrase and a fixed reason, and nothing else. */
    private static void assertDescribedNotQuoted(InvalidInputException e, Path file, String expected) {
        Matcher m = SHAPE.matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        assertEquals(file.toString(), m.group(1));
        assertEquals(expected, m.group(2));
        assertTrue(REASONS.contains(m.group(3)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"24681357\n", "0\u0082\u0001\u00ff2468", "-----BEGIN CERTIFICATE-----\n2468!357\n"
            + "-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nMIIB\n", "\u0030\u0034\u0032\u0034"})
    void aFileGivenAsACertificateIsNeverQuoted(String content) throws Exception {
        Path file = Files.write(dir.resolve("pin"), content.getBytes(StandardCharsets.ISO_8859_1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pem.certificates(file, "cert"));
        assertDescribedNotQuoted(e, file, "a certificate (PEM or DER)");
    }

    @Test
    void aPinFileGivenAsAKeyOrPkcs12IsNeverQuoted() throws Exception {
        Path file = Files.writeString(dir.resolve("pin"), "24681357\n");
        try (Pin pw = Pin.wrap("password".toCharArray())) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> PrivateKeyFiles.read(file, pw, "ca-key", "ca-password"));
            assertDescribedNotQuoted(e, file, "PEM or a readable PKCS#12 file");
        }
        Path pem = Files.writeString(dir.resolve("pem"), "-----BEGIN PRIVATE KEY-----\n2468%1357\n"
                + "-----END PRIVATE KEY-----\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PrivateKeyFiles.needsPassword(pem, "ca-key"));
        assertDescribedNotQuoted(e, pem, "valid PEM");
    }

    @Test
    void theReasonComesFromTheTypesInTheCauseChain() {
        assertEquals("its DER encoding is malformed or cut short", ParseFailures.reason(new EOFException("2468")));
        assertEquals("its DER encoding is malformed or cut short",
                ParseFailures.reason(new IOException("x", new EOFException("DEF length 52"))));
        assertEquals("its PEM body is not valid base64", ParseFailures.reason(assertThrows(RuntimeException.class,
                () -> org.bouncycastle.util.encoders.Base64.decode("24%8"))));
        assertEquals("its PEM structure is malformed",
                ParseFailures.reason(new org.bouncycastle.openssl.PEMException("line 2468")));
        assertEquals("its content is not of that kind", ParseFailures.reason(new KeyStoreException("2468")));
        assertEquals("it does not parse", ParseFailures.reason(new IllegalStateException("2468")));
        assertEquals("it does not parse", ParseFailures.reason(null));
    }

    @Test
    void theCauseIsKeptForVerboseOutput() {
        IOException cause = new IOException("secret 2468");
        InvalidInputException e = ParseFailures.notA("cert", dir.resolve("f"), "a certificate", cause);
        assertSame(cause, e.getCause());
        assertEquals("cert", e.field());
        assertFalse(e.getMessage().replace(dir.toString(), "").contains("2468"), "the random temporary path aside");
    }
}
