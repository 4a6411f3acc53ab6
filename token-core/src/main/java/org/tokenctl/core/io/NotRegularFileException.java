package org.tokenctl.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input path that exists but is not a regular file: a directory, a FIFO, a
 * device or a socket. {@link InputFiles#readAtMost} refuses these before opening
 * them, since opening a FIFO with no writer, or reading a terminal, never returns.
 */
public final class NotRegularFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** @serial see {@link #kind()} */
    private final String kind;

    /**
     * @param file the path
     * @param kind what it is, e.g. "a FIFO"
     */
    public NotRegularFileException(Path file, String kind) {
        super(file + " is " + kind + ", not a regular file");
        this.file = file;
        this.kind = kind;
    }

    /** @return the path */
    public Path file() {
        return file;
    }

    /** @return what it is, e.g. "a directory", "a FIFO", "a character device" */
    public String kind() {
        return kind;
    }
}
