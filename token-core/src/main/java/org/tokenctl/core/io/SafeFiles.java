package org.tokenctl.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;

/**
 * Writes files the way key material deserves: never over an existing file unless
 * asked, atomically (a reader sees the old file or the complete new one, never a
 * torn one), and, for secrets, readable by the owner only from the first byte.
 *
 * <p>How: the content goes to a temporary file in the target's directory, created
 * with its final permissions (0600 or 0644, less the umask), flushed to disk; then
 * it is hard-linked to the target name, which fails atomically if the name exists
 * ({@code link(2)}), or, to replace, renamed over it ({@code rename(2)}). File
 * systems without hard links fall back to a non-replacing move.
 *
 * <p>Only a regular file is ever replaced. rename(2) replaces whatever the name
 * points to, so {@code --force} with a device, FIFO or socket there would swap, say,
 * {@code /dev/full} for a regular file; such a target is refused with or without
 * {@code --force}. A symbolic link at the target is itself the name: it counts as an
 * existing file (refused without {@code --force}) and {@code --force} replaces the
 * link, never what it points to; a link to a directory is refused as a directory.
 */
public final class SafeFiles {

    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> WORLD_READABLE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

    private SafeFiles() {
    }

    /**
     * Checks, before any work is done, that a file may be written.
     *
     * @param target the file to write
     * @param overwrite whether an existing file may be replaced (--force)
     * @param field the option that named it, for messages
     * @throws InvalidInputException if it exists (and may not be replaced), is a directory or another
     *                               file that is not a regular file (device, FIFO, socket), or its
     *                               directory is missing or not writable
     */
    public static void requireWritable(Path target, boolean overwrite, String field) throws InvalidInputException {
        if (Files.isDirectory(target)) {
            throw new InvalidInputException(field, target + " is a directory");
        }
        requireRegularOrAbsent(target, field);
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(field, target + " already exists; not replacing it",
                    Remedy.REPLACE_EXISTING, null);
        }
        Path dir = directory(target);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(field, "Directory " + dir + " (for " + target + ") does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidInputException(field, "Directory " + dir + " (for " + target + ") is not writable");
        }
    }

    /**
     * Writes a file atomically.
     *
     * @param target the file
     * @param content its bytes
     * @param overwrite whether an existing file may be replaced
     * @param ownerOnly 0600 (secrets) rather than 0644
     * @param field the option that named it, for messages
     * @throws InvalidInputException if it exists (and may not be replaced) or cannot be written
     */
    public static void write(Path target, byte[] content, boolean overwrite, boolean ownerOnly, String field)
            throws InvalidInputException {
        requireWritable(target, overwrite, field);
        try {
            if (overwrite) {
                writeAtomically(target, content, ownerOnly, true, () -> requireRegularOrAbsent(target, field));
            } else {
                writeAtomically(target, content, ownerOnly, true, (BeforeReplace<RuntimeException>) null);
            }
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException(field, target + " already exists; not replacing it",
                    Remedy.REPLACE_EXISTING, e);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(field, "Cannot write " + target + ": permission denied", e);
        } catch (FileSystemException e) {
            throw new InvalidInputException(field, "Cannot write " + target + ": "
                    + (e.getReason() == null ? "input/output error" : e.getReason()), e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException(field, "Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a small state file that only tokenctl writes (the attempt guard's
     * counts): its directory is created owner-only (0700) when missing, the file is
     * written owner-only (0600) whatever the umask, through a unique temporary file
     * that follows no link, flushed to disk when {@code durable}, and renamed over
     * the old file, which is replaced whatever it is (a link placed there is itself
     * replaced, never what it points to). A failure (a full disk) removes the
     * temporary file.
     *
     * @param target the state file
     * @param content its new content
     * @param durable whether to fsync before the rename
     * @throws IOException if it cannot be written; the old file is then as it was
     */
    public static void replaceState(Path target, byte[] content, boolean durable) throws IOException {
        createPrivateDirectories(directory(target));
        writeAtomically(target, content, true, durable, (BeforeReplace<RuntimeException>) () -> { });
    }

    /**
     * Creates a directory and its missing parents owner-only (0700, less nothing the
     * umask could add). Existing directories are left as they are.
     *
     * @param dir the directory
     * @throws IOException if it cannot be created
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PRIVATE_DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir); // not POSIX: the directory inherits its parent's ACL
        }
    }

    /** A check made again just before an existing target is replaced. */
    private interface BeforeReplace<E extends Exception> {
        void check() throws E;
    }

    /**
     * The one write path: a unique temporary file beside the target (created
     * exclusively, so no link is followed), its content flushed, then either
     * renamed over the target ({@code replace} not null) or hard-linked to it, which
     * fails if the name exists. The temporary file never outlives the call.
     */
    private static <E extends Exception> void writeAtomically(Path target, byte[] content, boolean ownerOnly,
            boolean durable, BeforeReplace<E> replace) throws IOException, E {
        Path tmp = createTemp(directory(target), target.getFileName().toString(), ownerOnly);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            if (replace != null) {
                // again, just before the rename: the name may have changed since the first check
                replace.check();
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp = null;
            } else {
                link(tmp, target);
            }
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Deletes a file this process wrote, if it is there.
     *
     * @param file the file
     * @return null when it is gone, else why it could not be deleted
     */
    public static String delete(Path file) {
        try {
            Files.deleteIfExists(file);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Refuses a target that exists and is neither a regular file nor a symbolic link
     * (read without following links, so a link is judged as the link it is).
     */
    private static void requireRegularOrAbsent(Path target, String field) throws InvalidInputException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // absent (or unreadable: the write itself will say why)
        }
        if (attributes.isDirectory()) {
            throw new InvalidInputException(field, target + " is a directory");
        }
        if (!attributes.isRegularFile() && !attributes.isSymbolicLink()) {
            throw new InvalidInputException(field, target + " is "
                    + FileKinds.of(target, attributes, LinkOption.NOFOLLOW_LINKS) + ", not a regular file; not replacing it");
        }
    }

    private static Path createTemp(Path dir, String name, boolean ownerOnly) throws IOException {
        try {
            return Files.createTempFile(dir, "." + name + ".", ".tmp", ownerOnly ? OWNER_ONLY : WORLD_READABLE);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the new file inherits the directory's ACL
            return Files.createTempFile(dir, "." + name + ".", ".tmp");
        }
    }

    private static void link(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // no hard links here (FAT, some network file systems): a move that refuses an existing target
            Files.move(tmp, target);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            delete(tmp);
        }
    }

    private static Path directory(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        return parent == null ? target.toAbsolutePath().getRoot() : parent;
    }
}
