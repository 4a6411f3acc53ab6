package org.tokenctl.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
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
        Path dir = directory(target);
        Path tmp = null;
        try {
            tmp = createTemp(dir, target.getFileName().toString(), ownerOnly);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (overwrite) {
                // again, just before the rename: the name may have changed since the first check
                requireRegularOrAbsent(target, field);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
            } else {
                link(tmp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException(field, target + " already exists; not replacing it",
                    Remedy.REPLACE_EXISTING, e);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(field, "Cannot write " + target + ": permission denied", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException(field, "Cannot write " + target + ": " + e.getMessage(), e);
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
