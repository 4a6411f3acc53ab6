package org.tokenctl.cli.output;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes one JSON object per command to stdout. */
public final class Json {

    /** Bumped only when a field changes meaning or disappears; new fields do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** One compact line per object (JSON Lines); immutable and thread-safe, like the mapper. */
    private static final ObjectWriter LINE = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /**
     * @param out stdout
     * @param value a view record (with a schemaVersion field)
     */
    public static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Prints one compact JSON object on one line (JSON Lines: {@code batch-enroll}
     * prints one per token as each finishes, then a summary).
     *
     * @param out stdout
     * @param value a view record (with a schemaVersion field)
     */
    public static void printLine(PrintWriter out, Object value) {
        String line = line(value);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /**
     * @param value a view
     * @return it as one line of JSON (JSON Lines), without the line end
     */
    public static String line(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** @return the shared mapper (for tests that parse our output) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
