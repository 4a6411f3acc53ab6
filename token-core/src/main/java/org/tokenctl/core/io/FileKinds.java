package org.tokenctl.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Names the type of a file that is not a regular one, for messages that say what a path is instead. */
final class FileKinds {

    private FileKinds() {
    }

    /**
     * @param file a path
     * @param attributes its attributes, read with {@code how}
     * @param how the link options the attributes were read with, so the mode is read the same way
     * @return "a directory", "a FIFO", "a character device", "a block device", "a socket",
     *         "a symbolic link" or "a special file"
     */
    static String of(Path file, BasicFileAttributes attributes, LinkOption... how) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", how);
            switch (mode & 0170000) { // S_IFMT, POSIX sys/stat.h
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: return "a special file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }
}
