package org.tokenctl.core.enroll;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import org.tokenctl.core.io.SafeFiles;

/**
 * Marks "an enrollment of this label on this token is under way" across processes,
 * so that a second enrollment of the same label can tell a pair that another
 * process is still making from one a crashed enrollment left behind: the first
 * must be waited for, the second deleted or finished.
 *
 * <p>An exclusive {@code fcntl(2)} lock on a small file, one per token serial and
 * label, in an owner-only directory under the system's temporary directory. The
 * operating system releases it when the process ends, however it ends, so a
 * killed enrollment never leaves it held. It is best effort: where the file cannot
 * be opened (another user's directory, a read-only /tmp) enrollment goes on without
 * it, as before.
 */
final class EnrollmentLock implements AutoCloseable {

    /** Held by no one: what {@link #acquire} returns when the lock file cannot be used. */
    private static final EnrollmentLock NONE = new EnrollmentLock(null, null);

    private final FileChannel channel;
    private final FileLock lock;

    private EnrollmentLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param serial the token's serial
     * @param label the label the new key pair is to get
     * @return the lock, held; or null when another process (or another enrollment in this one) holds it
     */
    static EnrollmentLock acquire(String serial, String label) {
        FileChannel ch;
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tokenctl-enroll-"
                    + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
            SafeFiles.createPrivateDirectories(dir);
            ch = FileChannel.open(dir.resolve(name(serial, label)), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return NONE;
        }
        try {
            FileLock l = ch.tryLock();
            if (l != null) {
                return new EnrollmentLock(ch, l);
            }
        } catch (OverlappingFileLockException e) {
            // held by another enrollment in this JVM
        } catch (IOException e) {
            closeQuietly(ch);
            return NONE;
        }
        closeQuietly(ch);
        return null;
    }

    /** The file's name: the serial and label hashed, so that neither needs to be a valid file name. */
    static String name(String serial, String label) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(serial.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(label.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 16) + ".lock";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing held that closing could leave behind
        }
    }
}
