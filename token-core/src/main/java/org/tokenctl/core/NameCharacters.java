package org.tokenctl.core;

import java.util.Locale;

/**
 * Finds characters a name an operator reads must not hold: in subjects, subject
 * alternative names, token labels and key labels. These are control characters
 * (C0, DEL, C1), Unicode format characters (bidirectional controls such as U+202E,
 * zero-width characters, the byte-order mark), the line and paragraph separators,
 * unpaired surrogates, and U+FFFD, which is what Java makes of invalid UTF-8 in argv
 * or a file.
 *
 * <p>A newline in a subject prints as a line of its own in {@code tokenctl list} and
 * in {@code openssl x509 -text} (a forged "issuer:" line); a right-to-left override
 * makes "CN=evil\u202Egro.knab" read as a bank's name. So these are refused, and
 * never echoed back in a message: {@link #describe} names the code point instead.
 */
public final class NameCharacters {

    private static final int REPLACEMENT = 0xFFFD;

    private NameCharacters() {
    }

    /**
     * @param text a name or part of one
     * @return the char index of the first forbidden character, or -1 when there is none
     */
    public static int firstForbidden(String text) {
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
    public static String describe(String text, int index) {
        int cp = text.codePointAt(index);
        if (cp == REPLACEMENT) {
            return "U+FFFD, the replacement for invalid UTF-8 (give the name in valid UTF-8)";
        }
        String code = String.format(Locale.ROOT, "U+%04X", cp);
        if (Character.isISOControl(cp)) {
            return "a control character (" + code + ")";
        }
        switch (Character.getType(cp)) {
            case Character.FORMAT:
                return "an invisible format character (" + code + ": bidirectional, zero-width or byte-order mark)";
            case Character.SURROGATE:
                return "half of a UTF-16 surrogate pair (" + code + ")";
            default:
                return "a line separator (" + code + ")";
        }
    }

    /**
     * @param cp a Unicode code point
     * @return whether a name an operator reads must not hold it (see the class comment)
     */
    public static boolean forbidden(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return true;
            default:
                return cp == REPLACEMENT;
        }
    }
}
