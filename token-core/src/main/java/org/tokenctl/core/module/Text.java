package org.tokenctl.core.module;

/** Blank-padded PKCS#11 text fields. */
final class Text {

    private Text() {
    }

    /**
     * @param padded a blank-padded CK_UTF8CHAR field (may be null)
     * @return the text without trailing blanks and NULs
     */
    static String trim(char[] padded) {
        if (padded == null) {
            return "";
        }
        int end = padded.length;
        while (end > 0 && (padded[end - 1] == ' ' || padded[end - 1] == '\0')) {
            end--;
        }
        return new String(padded, 0, end);
    }
}
