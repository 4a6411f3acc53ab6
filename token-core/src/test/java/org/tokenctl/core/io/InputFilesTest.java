package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.InvalidInputException;

/** The one way input files are opened: regular files only, never past a limit, messages without content. */
class InputFilesTest {

    @TempDir
    Path dir;

    private Path fifo;

    @BeforeEach
    void makeFifo() throws Exception {
        fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
    }

    @Test
    void aFifoWithNoWriterIsRefusedAtOnceNotOpened() {
        // opening it would block for ever: the refusal must come from stat(2), before open(2)
        NotRegularFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(NotRegularFileException.class, () -> InputFiles.readAtMost(fifo, 100)));
        assertEquals("a FIFO", e.kind());
        assertEquals(fifo, e.file());
        InvalidInputException i = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(InvalidInputException.class, () -> InputFiles.read(fifo, "cert", "Certificate file")));
        assertEquals("Certificate file " + fifo + " is a FIFO, not a regular file", i.getMessage());
        assertEquals("cert", i.field());
    }

    @Test
    void aLinkToAFifoIsJudgedByWhatItPointsTo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(InvalidInputException.class, () -> InputFiles.read(link, "f", "PIN file")));
        assertTrue(e.getMessage().endsWith("is a FIFO, not a regular file"), e.getMessage());
    }

    @Test
    void aCharacterDeviceIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> InputFiles.read(Path.of("/dev/zero"), "f", "Key file"));
        assertEquals("Key file /dev/zero is a character device, not a regular file", e.getMessage());
    }

    @Test
    void aDirectoryIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputFiles.read(dir, "f", "Manifest"));
        assertEquals("Manifest " + dir + " is a directory, not a regular file", e.getMessage());
    }

    @Test
    void aMissingFileSaysSoAndKeepsTheCause() {
        Path missing = dir.resolve("missing");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> InputFiles.read(missing, "f", "Profile"));
        assertEquals("Profile " + missing + " does not exist", e.getMessage());
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    @Test
    void aPathThroughAFileGivesTheSystemsReasonNotTheContent() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "24681357");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> InputFiles.read(file.resolve("x"), "f", "PIN file"));
        assertEquals("Cannot read PIN file " + file.resolve("x") + ": Not a directory", e.getMessage());
        assertFalse(e.getMessage().contains("24681357"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamedSo() throws Exception {
        Path file = Files.writeString(dir.resolve("locked"), "x");
        Files.setPosixFilePermissions(file, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "root reads every file");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputFiles.read(file, "f", "X"));
        assertTrue(e.getMessage().endsWith("is not readable (permission denied)"), e.getMessage());
    }

    @Test
    void aFileOfExactlyTheLimitIsReadAndOneByteMoreIsNot() throws Exception {
        Path exact = Files.write(dir.resolve("exact"), new byte[1024]);
        Path over = Files.write(dir.resolve("over"), new byte[1025]);
        assertEquals(1024, InputFiles.readAtMost(exact, 1024).length);
        assertNull(InputFiles.readAtMost(over, 1024));
        assertEquals(1024, InputFiles.read(exact, "f", "PIN file", 1024).length);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> InputFiles.read(over, "f", "PIN file", 1024));
        assertEquals("PIN file " + over + " is larger than 1 KiB; it is not a PIN file", e.getMessage());
    }

    @Test
    void anEmptyFileIsReadAsEmpty() throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertArrayEquals(new byte[0], InputFiles.readAtMost(empty, 0));
        assertNull(InputFiles.readAtMost(Files.write(dir.resolve("one"), new byte[1]), 0));
    }

    @Test
    void limitsOutsideAnArrayAreAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> InputFiles.readAtMost(dir, -1));
        assertThrows(IllegalArgumentException.class, () -> InputFiles.readAtMost(dir, Integer.MAX_VALUE - 8));
    }

    @Test
    void sizesAreSaidInTheLargestWholeUnit() {
        assertEquals("1 MiB", InputFiles.size(1024 * 1024));
        assertEquals("16 MiB", InputFiles.size(16L * 1024 * 1024));
        assertEquals("64 KiB", InputFiles.size(64 * 1024));
        assertEquals("1025 KiB", InputFiles.size(1025 * 1024));
        assertEquals("1025 bytes", InputFiles.size(1025));
        assertEquals("1023 bytes", InputFiles.size(1023));
        assertEquals("1 KiB", InputFiles.size(1024));
        assertEquals("0 bytes", InputFiles.size(0));
    }

    @Test
    void requireReadableChecksWithoutOpening() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok"), "x");
        InputFiles.requireReadable(ok, "pinFile", "pinFile");
        InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                InvalidInputException.class, () -> InputFiles.requireReadable(fifo, "pinFile", "pinFile")));
        assertEquals("pinFile " + fifo + " is a FIFO, not a regular file", e.getMessage());
        assertThrows(InvalidInputException.class, () -> InputFiles.requireReadable(dir.resolve("no"), "p", "p"));
    }

    @Test
    void firstNonUtf8LineCountsLinesUpToTheBadByte() {
        assertEquals(0, InputFiles.firstNonUtf8Line("a\nb\u00e9\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, InputFiles.firstNonUtf8Line(new byte[] {(byte) 0xFF}));
        assertEquals(3, InputFiles.firstNonUtf8Line(new byte[] {'a', '\n', '\n', 'b', (byte) 0xC3, '('}));
        assertEquals(0, InputFiles.firstNonUtf8Line(new byte[0]));
    }

    @Test
    void pemIsFoundAnywhereAsBytes() {
        assertTrue(InputFiles.isPem("junk\n-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(InputFiles.isPem("-----BEGIN X".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(InputFiles.isPem("-----BEGIN ".getBytes(StandardCharsets.US_ASCII)), "the marker at the very end");
        assertTrue(InputFiles.isPem("x-----BEGIN ".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(InputFiles.isPem("-----BEGIN".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(InputFiles.isPem("----BEGIN X".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(InputFiles.isPem(new byte[] {0x30, (byte) 0x82}));
    }

    @Test
    void theSizeMessageLowersOnlyAPlainWord() throws Exception {
        Path over = Files.write(dir.resolve("big"), new byte[2]);
        assertEquals("Certificate file " + over + " is larger than 1 bytes; it is not a certificate file",
                assertThrows(InvalidInputException.class, () -> InputFiles.read(over, "f", "Certificate file", 1))
                        .getMessage());
        assertEquals("SO PIN file " + over + " is larger than 1 bytes; it is not a SO PIN file",
                assertThrows(InvalidInputException.class, () -> InputFiles.read(over, "f", "SO PIN file", 1))
                        .getMessage());
        assertEquals("Ab " + over + " is larger than 1 bytes; it is not a ab",
                assertThrows(InvalidInputException.class, () -> InputFiles.read(over, "f", "Ab", 1)).getMessage());
        assertEquals("X " + over + " is larger than 1 bytes; it is not a X",
                assertThrows(InvalidInputException.class, () -> InputFiles.read(over, "f", "X", 1)).getMessage());
    }

    @Test
    void everyKindOfSpecialFileIsNamed() throws Exception {
        java.nio.file.attribute.BasicFileAttributes a;
        Path sock = dir.resolve("s");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            assertEquals("a socket", kind(sock));
            assertEquals("pinFile " + sock + " is a socket, not a regular file", assertThrows(
                    InvalidInputException.class, () -> InputFiles.requireReadable(sock, "p", "pinFile")).getMessage());
        }
        assertEquals("a FIFO", kind(fifo));
        assertEquals("a character device", kind(Path.of("/dev/null")));
        assertEquals("a directory", kind(dir));
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertEquals("a symbolic link", FileKinds.of(link, Files.readAttributes(link,
                java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Path regular = Files.writeString(dir.resolve("r"), "x");
        assertEquals("a special file", kind(regular), "a type FileKinds is never asked about");
        assertEquals("a special file", FileKinds.of(dir.resolve("gone"), Files.readAttributes(regular,
                java.nio.file.attribute.BasicFileAttributes.class)), "the mode cannot be read");
        Path block = Path.of("/dev/loop0");
        if (Files.exists(block)) {
            assertEquals("a block device", kind(block));
        }
    }

    private static String kind(Path p) throws java.io.IOException {
        return FileKinds.of(p, Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class));
    }
}
