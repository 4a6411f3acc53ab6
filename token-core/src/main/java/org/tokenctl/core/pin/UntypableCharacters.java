package org.tokenctl.core.pin;

import org.tokenctl.core.NameCharacters;

/**
 * Characters no PIN pad or keyboard types into a PIN: control characters (a second
 * line in a PIN file, a stray carriage return), Unicode format characters (a
 * byte-order mark U+FEFF, bidirectional controls such as U+202E, zero-width
 * characters), line and paragraph separators, spaces other than U+0020 (no-break,
 * ideographic, thin), unpaired surrogates, private-use and unassigned code points,
 * and U+FFFD, which is what Java makes of invalid UTF-8.
 *
 * <p>It is {@link NameCharacters}' rule and more: a name may hold a no-break space or
 * a private-use character, a PIN may not.
 *
 * <p>A PIN holding one is a mistake in how it was stored or pasted, never the PIN the
 * token holds: sending it would burn one of the token's tries. Every PIN and
 * password source (files, variables, standard input, the prompt) and the library's
 * own login are checked with this one rule before anything reaches the token.
 */
public final class UntypableCharacters {

    private UntypableCharacters() {
    }

    /**
     * @param chars a PIN or password
     * @return the index of the first character no PIN pad can type, or -1 when there is none
     */
    public static int first(char[] chars) {
        for (int i = 0; i < chars.length; ) {
            int cp = Character.codePointAt(chars, i);
            if (untypable(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /**
     * @param cp a Unicode code point
     * @return whether no PIN pad can type it (see the class comment)
     */
    public static boolean untypable(int cp) {
        if (NameCharacters.forbidden(cp)) {
            return true; // what no name may hold, no PIN pad types either
        }
        switch (Character.getType(cp)) {
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return true;
            case Character.SPACE_SEPARATOR:
                return cp != ' ';
            default:
                return false;
        }
    }
}
