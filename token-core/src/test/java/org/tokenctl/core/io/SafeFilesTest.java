package org.tokenctl.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
