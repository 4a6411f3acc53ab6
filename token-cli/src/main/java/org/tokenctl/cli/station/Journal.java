package org.tokenctl.cli.station;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.InvalidInputException;

/**
 * A provisioning station's audit journal: one JSON object per line
 * ({@link JournalRecord}, docs/schema/station-journal.schema.json), appended and
 * flushed to disk ({@code fsync}) before the operator is told to remove the token, so
 * that a record the operator acted on survives a crash. A crash while writing can
 * leave a torn last line: {@link #open} notices it, says so, and starts the next
 * record on a line of its own; {@link #read} reports it without failing.
 *
 * <p>Thread-safe: the station's workers append concurrently, one whole line each.
 */
public final class Journal implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens (creating it if need be) a journal to append to.
     *
     * @param file the journal file
     * @return the journal, and whether its last line was torn
     * @throws InvalidInputException if it cannot be opened for appending
     */
    public static Opened open(Path file) throws InvalidInputException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a FIFO or a device would block or swallow the records: a journal is a file
            throw new InvalidInputException("journal", "The journal " + file + " is not a regular file");
        }
        try {
            boolean torn = false;
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    read.read(last, read.size() - 1);
                    torn = last.get(0) != '\n';
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            Journal journal = new Journal(file, channel);
            if (torn) {
                // the torn line stays as it is (it is evidence); the next record starts on a line of its own
                journal.write("\n".getBytes(StandardCharsets.UTF_8));
            }
            return new Opened(journal, torn);
        } catch (IOException e) {
            throw new InvalidInputException("journal", "Cannot open the journal " + file + " for appending: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param journal the journal
     * @param tornLastLine whether it ended with a torn line (a crash while writing)
     */
    public record Opened(Journal journal, boolean tornLastLine) {
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /**
     * Appends one record as one line and forces it to disk before returning.
     *
     * @param record the record
     * @throws IOException if it cannot be written
     */
    public void append(JournalRecord record) throws IOException {
        write((Json.line(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * What a journal holds.
     *
     * @param records the records, in order
     * @param damagedLines line numbers that are not records: a torn last line (a crash while writing), or lines
     *                     damaged otherwise
     * @param tornLastLine whether the last line is torn (no line end, or not a whole record)
     */
    public record Contents(List<JsonNode> records, List<Integer> damagedLines, boolean tornLastLine) {
    }

    /**
     * Reads a journal; lines that are not whole records are counted, not fatal.
     *
     * @param file the journal
     * @return its records and damaged lines
     * @throws InvalidInputException if it cannot be read
     */
    public static Contents read(Path file) throws InvalidInputException {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("journal", "No journal " + file + " (not a regular file)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("journal", "Cannot read the journal " + file + ": " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        List<JsonNode> records = new ArrayList<>();
        List<Integer> damaged = new ArrayList<>();
        boolean torn = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n = null;
            try {
                n = Json.mapper().readTree(line);
            } catch (IOException e) {
                // counted below
            }
            if (n != null && n.isObject() && n.has("serial") && n.has("outcome")) {
                records.add(n);
            } else {
                damaged.add(i + 1);
                torn |= last || i == lines.length - 2 && lines[lines.length - 1].isEmpty();
            }
        }
        // a last line without its line end is torn even if it parses: the write did not finish
        if (!lines[lines.length - 1].isEmpty() && !damaged.contains(lines.length)) {
            damaged.add(lines.length);
            records.remove(records.size() - 1);
            torn = true;
        }
        return new Contents(records, damaged, torn);
    }
}
