package org.tokenctl.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.tokenctl.core.InvalidInputException;

/** Reads input files with error messages a person can act on. */
public final class InputFiles {

    /** No certificate, key or PKCS#12 file tokenctl reads is anywhere near this. */
    public static final long MAX_BYTES = 1024 * 1024;

    private InputFiles() {
    }

    /**
     * @param file the file
     * @param field the option that named it, for the exception
     * @param what what the file should be, e.g. "Certificate file"
     * @return its bytes
     * @throws InvalidInputException if it is missing, unreadable, a directory or larger than {@link #MAX_BYTES}
     */
    public static byte[] read(Path file, String field, String what) throws InvalidInputException {
        String named = what + " " + file;
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(field, named + " is a directory");
        }
        try {
            byte[] content = readAtMost(file, MAX_BYTES);
            if (content == null) {
                throw new InvalidInputException(field, named + " is larger than " + MAX_BYTES + " bytes");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(field, named + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(field, named + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new InvalidInputException(field, "Cannot read " + named + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file, but never more than one byte past a limit: a pipe or a device
     * ({@code /dev/zero}) has no size to check beforehand and may never end.
     *
     * @param file a regular file, a pipe or a device
     * @param maxBytes the most it may hold
     * @return its bytes, or null when it holds more than {@code maxBytes}
     * @throws IOException if it cannot be opened or read
     */
    public static byte[] readAtMost(Path file, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limit " + maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes((int) maxBytes + 1);
            return content.length > maxBytes ? null : content;
        }
    }

    /**
     * Checks that text is UTF-8, so that a caller can say where it is not without
     * quoting the bytes (a PIN file given in the wrong place must not be echoed).
     *
     * @param content file content
     * @return 0 when it is valid UTF-8, else the line (from 1) of the first malformed byte
     */
    public static int firstNonUtf8Line(byte[] content) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        if (!d.decode(in, CharBuffer.allocate(content.length), true).isError()) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < in.position(); i++) {
            if (content[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * @param content file content
     * @return whether it is PEM text (has a {@code -----BEGIN } line) rather than DER
     */
    static boolean isPem(byte[] content) {
        // searched as bytes: a key file's content never becomes a String here
        byte[] marker = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + marker.length <= content.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (content[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
