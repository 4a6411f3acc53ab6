package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;

/** Atomic, owner-only, never-clobbering writes. */
class SafeFilesTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void secretsAreOwnerOnlyAndPublicFilesAreNot() throws Exception {
        Path secret = dir.resolve("secret");
        Path open = dir.resolve("open");
        SafeFiles.write(secret, b("s"), false, true, "out");
        SafeFiles.write(open, b("o"), false, false, "out");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)).substring(0, 3));
        assertEquals("s", Files.readString(secret));
    }

    @Test
    void anExistingFileIsKeptUnlessReplacingWasAsked() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "old");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SafeFiles.write(f, b("new"), false, true, "out"));
        assertEquals("out", e.field());
        assertEquals(f + " already exists; not replacing it", e.getMessage());
        assertEquals(Optional.of(Remedy.REPLACE_EXISTING), e.remedy());
        assertEquals("old", Files.readString(f));
        SafeFiles.write(f, b("new"), true, true, "out");
        assertEquals("new", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void unusableTargetsAreNamed() throws Exception {
        assertEquals("Directory " + dir.resolve("missing") + " (for " + dir.resolve("missing/f") + ") does not exist",
                assertThrows(InvalidInputException.class,
                        () -> SafeFiles.write(dir.resolve("missing/f"), b("x"), false, true, "out")).getMessage());
        assertEquals(dir + " is a directory", assertThrows(InvalidInputException.class,
                () -> SafeFiles.write(dir, b("x"), true, true, "out")).getMessage());
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
        return f;
    }

    @Test
    void aSpecialFileIsNeverReplacedEvenWithForce() throws Exception {
        // a FIFO stands in for a device node such as /dev/full: rename(2) would replace either
        Path f = fifo("pipe");
        for (boolean force : new boolean[] {false, true}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SafeFiles.write(f, b("x"), force, false, "csr-out"), "force=" + force);
            assertEquals("csr-out", e.field());
            assertEquals(f + " is a FIFO, not a regular file; not replacing it", e.getMessage());
            assertEquals(Optional.empty(), e.remedy(), "--force would not help");
            assertThrows(InvalidInputException.class, () -> SafeFiles.requireWritable(f, force, "csr-out"));
            assertTrue(Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                    "still a FIFO");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aSymbolicLinkIsTheNameItselfAndForceReplacesTheLinkNotItsTarget() throws Exception {
        Path real = Files.writeString(dir.resolve("real"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertTrue(assertThrows(InvalidInputException.class, () -> SafeFiles.write(link, b("new"), false, true, "out"))
                .getMessage().endsWith("already exists; not replacing it"));
        SafeFiles.write(link, b("new"), true, true, "out");
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(link));
        assertEquals("old", Files.readString(real), "the link's target is not written through");
        // a link to a special file: the link is replaced, the FIFO is left alone
        Path pipe = fifo("pipe");
        Path toPipe = Files.createSymbolicLink(dir.resolve("to-pipe"), pipe);
        SafeFiles.write(toPipe, b("x"), true, false, "out");
        assertEquals("x", Files.readString(toPipe));
        assertTrue(Files.readAttributes(pipe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
    }

    @Test
    void stateIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        Path state = dir.resolve("new/deeper/guard.state");
        SafeFiles.replaceState(state, b("counts"), true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.getParent().getParent())));
        assertEquals("counts", Files.readString(state));
        SafeFiles.replaceState(state, b("again"), false);
        assertEquals("again", Files.readString(state));
        assertEquals(List.of("guard.state"), names(state.getParent()));
    }

    @Test
    void aLinkAtTheStatePathIsReplacedNeverFollowed() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Path state = Files.createSymbolicLink(dir.resolve("guard.state"), victim);
        SafeFiles.replaceState(state, b("counts"), true);
        assertEquals("keep", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(state));
        assertEquals("counts", Files.readString(state));
    }

    @Test
    void aFailedReplacementLeavesNoTemporaryFileAndTheOldStateAlone() throws Exception {
        Path state = Files.createDirectories(dir.resolve("guard.state"));
        Files.writeString(state.resolve("inside"), "x"); // a non-empty directory: rename(2) over it fails
        assertThrows(java.io.IOException.class, () -> SafeFiles.replaceState(state, b("counts"), true));
        assertEquals(List.of("guard.state"), names(dir));
        assertEquals("x", Files.readString(state.resolve("inside")));
    }

    private static List<String> names(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void deleteSaysNothingWhenTheFileIsGoneAndWhyWhenItCannotBe() throws Exception {
        Path file = Files.writeString(dir.resolve("out.pem"), "x");
        assertEquals(null, SafeFiles.delete(file));
        assertFalse(Files.exists(file));
        assertEquals(null, SafeFiles.delete(file), "already gone is not a failure");
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("inside"), "x");
        assertEquals(full.toString(), SafeFiles.delete(full), "the JDK names the path it could not delete");
    }
}
