package org.tokenctl.core.csr;

import java.util.Locale;

/**
 * Finds characters a name must not hold: control characters (C0, DEL, C1), the
 * Unicode line and paragraph separators, and U+FFFD, which is what Java makes of
 * invalid UTF-8 in argv or a file. A newline in a subject would print as a line of
 * its own in {@code tokenctl list} and in {@code openssl x509 -text} (a forged
 * "issuer:" line), so these are refused, and never echoed back in a message.
 */
final class NameCharacters {

    private static final int REPLACEMENT = 0xFFFD;

    private NameCharacters() {
    }

    /**
     * @param text a name or part of one
     * @return the char index of the first forbidden character, or -1 when there is none
     */
    static int firstForbidden(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (forbidden(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /**
     * @param text a name holding a forbidden character at {@code index}
     * @param index what {@link #firstForbidden} returned
     * @return what it is, e.g. "a control character (U+000A)", printable on one line
     */
    static String describe(String text, int index) {
        int cp = text.codePointAt(index);
        if (cp == REPLACEMENT) {
            return "U+FFFD, the replacement for invalid UTF-8 (give the name in valid UTF-8)";
        }
        String code = String.format(Locale.ROOT, "U+%04X", cp);
        return Character.isISOControl(cp) ? "a control character (" + code + ")" : "a line separator (" + code + ")";
    }

    private static boolean forbidden(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || cp == REPLACEMENT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
