package org.tokenctl.cli.output;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * The one place text leaves tokenctl for a terminal: every character that would
 * act on the terminal rather than show is written as an escape instead.
 *
 * <p>Much of what tokenctl prints comes from outside: token labels, serials and
 * manufacturer ids read from a module, profile names from files, subjects from
 * certificates, messages naming paths. A label holding {@code ESC ] 0 ; ... BEL}
 * retitles the window, {@code ESC [ 2 J} clears the screen, a carriage return
 * overwrites the start of a line, and a right-to-left override (U+202E) makes a name
 * read backwards. So C0 controls other than newline and tab, DEL and C1 controls
 * become {@code \xHH}, and Unicode format characters (bidirectional controls,
 * zero-width characters) become {@code \}{@code uHHHH}. JSON is unaffected: its
 * encoder already escapes control characters.
 */
public final class TerminalSafeWriter extends FilterWriter {

    /**
     * @param out where the text goes
     */
    public TerminalSafeWriter(Writer out) {
        super(out);
    }

    /**
     * @param text any text
     * @return it as this writer would write it
     */
    public static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String e = escape(c);
            if (e != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (e != null) {
                    sb.append(e);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** @return the escape for a character that acts on a terminal, or null for one that shows */
    static String escape(char c) {
        if (c == '\n' || c == '\t') {
            return null;
        }
        if (Character.isISOControl(c)) {
            return String.format(Locale.ROOT, "\\x%02x", (int) c);
        }
        if (Character.getType(c) == Character.FORMAT) {
            return String.format(Locale.ROOT, "\\u%04x", (int) c);
        }
        return null;
    }

    @Override
    public void write(int c) throws IOException {
        String e = escape((char) c);
        if (e == null) {
            out.write(c);
        } else {
            out.write(e);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        String s = escape(str.substring(off, off + len));
        out.write(s, 0, s.length());
    }
}
