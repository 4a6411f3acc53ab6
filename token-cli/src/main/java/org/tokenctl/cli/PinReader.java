package org.tokenctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.util.Arrays;

import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.io.InputFiles;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UntypableCharacters;

/**
 * Reads PINs from their sources into {@link Pin}s. No PIN ever becomes a String
 * here: files and stdin are read as bytes, decoded straight into a char[], and
 * every intermediate buffer is wiped. (An environment variable is a String in
 * the JVM before we see it; that copy is out of our hands.)
 */
final class PinReader {

    /** A PIN (password, secret) file larger than this is not one. */
    static final int MAX_PIN_FILE_BYTES = 1024;

    private final CliContext ctx;

    PinReader(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param source where the PIN comes from
     * @return the PIN; close it when done
     * @throws CliException if the source is unusable
     */
    Pin read(PinSource source) throws CliException {
        return read(source, false);
    }

    /**
     * Reads a PIN that is about to be set: when prompted, it is asked twice.
     *
     * @param source where the PIN comes from
     * @return the PIN; close it when done
     * @throws CliException if the source is unusable or the two entries differ
     */
    Pin readNew(PinSource source) throws CliException {
        return read(source, true);
    }

    private Pin read(PinSource source, boolean confirm) throws CliException {
        Pin pin;
        switch (source.kind()) {
            case FILE:
                pin = fromBytes(readFile(source), source, source.fileKind() + " " + source.file());
                break;
            case ENV:
                pin = fromEnv(source);
                break;
            case STDIN:
                pin = fromBytes(readStdinLine(source), source, "standard input");
                break;
            default:
                return prompt(source, confirm);
        }
        if (pin.isEmpty()) {
            pin.close();
            throw new CliException(ExitCode.INVALID_INPUT, "The " + source.role() + " from " + where(source)
                    + " is empty");
        }
        refuseUntypable(pin, source);
        return pin;
    }

    /**
     * No PIN pad can type a control or invisible character ({@link UntypableCharacters}):
     * one in a PIN (a second line in a PIN file, a stray CR, a byte-order mark, a
     * bidirectional or zero-width character pasted with it) is a mistake, and trying
     * it would burn a try. Every source (file, variable, stdin, prompt) comes through here.
     */
    private static void refuseUntypable(Pin pin, PinSource source) throws CliException {
        if (UntypableCharacters.first(pin.chars()) >= 0) {
            pin.close();
            // which character it is stays unsaid: it is part of the secret
            throw new CliException(ExitCode.INVALID_INPUT, "The " + source.role() + " from " + where(source)
                    + " contains a control or invisible character that no PIN pad can type (a second line, a stray"
                    + " carriage return, a byte-order mark, a zero-width or bidirectional character?);"
                    + " nothing was sent to the token");
        }
    }

    private static String where(PinSource s) {
        switch (s.kind()) {
            case FILE:
                return s.fileKind() + " " + s.file();
            case ENV:
                return "environment variable " + s.variable();
            case STDIN:
                return "standard input";
            default:
                return "the prompt";
        }
    }

    private byte[] readFile(PinSource source) throws CliException {
        String kind = source.fileKind();
        try {
            return InputFiles.read(source.file(), source.role(), Character.toUpperCase(kind.charAt(0))
                    + kind.substring(1), MAX_PIN_FILE_BYTES);
        } catch (InvalidInputException e) {
            throw new CliException(ExitCode.INVALID_INPUT, e.getMessage(), e);
        }
    }

    private byte[] readStdinLine(PinSource source) throws CliException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        InputStream in = ctx.stdin();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                buf.write(b);
                if (buf.size() > MAX_PIN_FILE_BYTES) {
                    throw new CliException(ExitCode.INVALID_INPUT, "The " + source.role()
                            + " line on standard input is longer than " + MAX_PIN_FILE_BYTES + " bytes");
                }
            }
            byte[] line = buf.toByteArray();
            if (b == -1 && line.length == 0) {
                throw new CliException(ExitCode.INVALID_INPUT, "No " + source.role() + " on standard input");
            }
            // the line terminator is not part of the PIN: stdin gets the same trimming as a file
            byte[] withNewline = Arrays.copyOf(line, line.length + 1);
            withNewline[line.length] = '\n';
            Arrays.fill(line, (byte) 0);
            return withNewline;
        } catch (IOException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "cannot read standard input: " + e.getMessage(), e);
        } finally {
            wipe(buf);
        }
    }

    /** Strips exactly one trailing line terminator ("\n" or "\r\n"), as ssh-agent and pass(1) files end. */
    private static Pin fromBytes(byte[] raw, PinSource source, String what) throws CliException {
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\n') {
            len--;
            if (len > 0 && raw[len - 1] == '\r') {
                len--;
            }
        }
        byte[] pin = Arrays.copyOf(raw, len);
        Arrays.fill(raw, (byte) 0);
        try {
            return Pin.fromUtf8(pin);
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.INVALID_INPUT, "The " + source.role() + " in " + what
                    + " is not valid UTF-8", e);
        }
    }

    private Pin fromEnv(PinSource source) throws CliException {
        String value = ctx.getenv(source.variable());
        if (value == null) {
            throw new CliException(ExitCode.INVALID_INPUT, "Environment variable " + source.variable()
                    + " (for the " + source.role() + ") is not set or empty");
        }
        return Pin.wrap(value.toCharArray());
    }

    private Pin prompt(PinSource source, boolean confirm) throws CliException {
        Terminal t = ctx.terminal();
        if (!t.interactive()) {
            throw new CliException(ExitCode.USAGE, "No " + source.role() + " given and no terminal to ask on;"
                    + " use " + source.sourceOptions());
        }
        Pin first = Pin.wrap(orEmpty(t.readSecret(source.prompt())));
        if (!confirm) {
            return checkPrompted(first, source);
        }
        try (Pin second = Pin.wrap(orEmpty(t.readSecret("Repeat the " + source.role() + ": ")))) {
            if (!first.sameAs(second)) {
                first.close();
                throw new CliException(ExitCode.PIN_POLICY, "The two entries of the " + source.role()
                        + " do not match; nothing was changed");
            }
        }
        return checkPrompted(first, source);
    }

    private static Pin checkPrompted(Pin pin, PinSource source) throws CliException {
        if (pin.isEmpty()) {
            throw new CliException(ExitCode.INVALID_INPUT, "No " + source.role() + " entered");
        }
        refuseUntypable(pin, source);
        return pin;
    }

    private static char[] orEmpty(char[] c) {
        return c == null ? new char[0] : c;
    }

    private static void wipe(ByteArrayOutputStream buf) {
        // ByteArrayOutputStream keeps its array private; overwrite it through reset + zero writes
        int n = buf.size();
        buf.reset();
        for (int i = 0; i < n; i++) {
            buf.write(0);
        }
    }
}
