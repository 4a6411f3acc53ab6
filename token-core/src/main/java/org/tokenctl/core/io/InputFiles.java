package org.tokenctl.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

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
     * @throws InvalidInputException if it is missing, unreadable, not a regular file or larger than
     *                               {@link #MAX_BYTES}
     */
    public static byte[] read(Path file, String field, String what) throws InvalidInputException {
        return read(file, field, what, MAX_BYTES);
    }

    /**
     * Reads an input file through {@link #readAtMost}, with the one set of messages every
     * reader of input files gives: what the file should be and its path, and what is wrong
     * with it; never its content.
     *
     * @param file the file
     * @param field the option that named it, for the exception
     * @param what what the file should be, e.g. "Certificate file", "PIN file"
     * @param maxBytes the most it may hold
     * @return its bytes
     * @throws InvalidInputException if it is missing (cause {@link NoSuchFileException}), unreadable, not a
     *                               regular file or larger than {@code maxBytes}
     */
    public static byte[] read(Path file, String field, String what, long maxBytes) throws InvalidInputException {
        String named = what + " " + file;
        byte[] content;
        try {
            content = readAtMost(file, maxBytes);
        } catch (IOException e) {
            throw unusable(e, field, named);
        }
        if (content == null) {
            throw new InvalidInputException(field, named + " is larger than " + size(maxBytes)
                    + "; it is not a " + lowerFirst(what));
        }
        return content;
    }

    /**
     * Checks, without opening it, that an input file could be read now: it exists, is a
     * regular file and is readable. For inputs read later (a batch checks every row's PIN
     * file before it touches a token), with the messages {@link #read} gives.
     *
     * @param file the file
     * @param field the option or column that named it
     * @param what what the file should be, e.g. "PIN file"
     * @throws InvalidInputException if it is missing, not a regular file or not readable
     */
    public static void requireReadable(Path file, String field, String what) throws InvalidInputException {
        String named = what + " " + file;
        try {
            requireRegular(file);
        } catch (IOException e) {
            throw unusable(e, field, named);
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(field, named + " is not readable (permission denied)");
        }
    }

    /** The one wording of why an input file cannot be used; never the file's content. */
    private static InvalidInputException unusable(IOException e, String field, String named) {
        if (e instanceof NotRegularFileException n) {
            return new InvalidInputException(field, named + " is " + n.kind() + ", not a regular file", e);
        }
        if (e instanceof NoSuchFileException) {
            return new InvalidInputException(field, named + " does not exist", e);
        }
        if (e instanceof AccessDeniedException) {
            return new InvalidInputException(field, named + " is not readable (permission denied)", e);
        }
        // the JDK's reason is strerror(3) text ("Not a directory"), never the content
        String reason = e instanceof FileSystemException f ? f.getReason() : null;
        return new InvalidInputException(field, "Cannot read " + named + (reason == null ? "" : ": " + reason), e);
    }

    private static void requireRegular(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new NotRegularFileException(file, FileKinds.of(file, attributes));
        }
    }

    /** @return e.g. "1024 bytes", "64 KiB", "1 MiB" */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    /** "Certificate file" becomes "certificate file"; an acronym ("PIN file") stays as it is. */
    private static String lowerFirst(String what) {
        if (what.length() < 2 || Character.isUpperCase(what.charAt(1))) {
            return what;
        }
        return Character.toLowerCase(what.charAt(0)) + what.substring(1);
    }

    /**
     * Reads a file, but never more than one byte past a limit. This is the one way
     * tokenctl opens an input file: PIN, password and secret files, certificates,
     * keys, CA material, the configuration, profiles, manifests and the attempt
     * guard's state all come through here.
     *
     * <p>Only a regular file (or a symbolic link to one) is opened. A FIFO with no
     * writer blocks {@code open(2)} for ever, a terminal or a device such as
     * {@code /dev/zero} blocks or never ends; none of them is a file tokenctl reads,
     * so the type is checked from {@code stat(2)} before the file is opened and the
     * caller gets {@link NotRegularFileException} at once instead of a hang that only
     * the {@code --timeout} watchdog ends. (Secrets that come from a pipe have their
     * own source: standard input.) The limit still applies to what is read, since a
     * regular file can grow between the check and the read.
     *
     * @param file a regular file
     * @param maxBytes the most it may hold
     * @return its bytes, or null when it holds more than {@code maxBytes}
     * @throws NotRegularFileException if it exists but is not a regular file (directory, FIFO, device, socket)
     * @throws IOException if it cannot be opened or read ({@link java.nio.file.NoSuchFileException},
     *                     {@link java.nio.file.AccessDeniedException}, ...)
     */
    public static byte[] readAtMost(Path file, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("limit " + maxBytes);
        }
        requireRegular(file);
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
