package org.tokenctl.cli.batch;

/**
 * {@code {serial}} and {@code {label}} in batch-enroll's --subject, --label and
 * --san (and in manifest values), replaced by each token's serial number and
 * label, so that one command line gives every token its own names.
 */
public final class Placeholders {

    private Placeholders() {
    }

    /**
     * @param template text with placeholders, or null
     * @param serial the token's serial number
     * @param label the token's label
     * @return the text with the placeholders replaced, or null
     */
    public static String fill(String template, String serial, String label) {
        return template == null ? null : template.replace("{serial}", serial).replace("{label}", label);
    }

    /**
     * Like {@link #fill}, for a distinguished name: the values are escaped as
     * RFC 4514 section 2.4 says, so a label such as "Smith, J" stays one attribute value.
     *
     * @param template an RFC 4514 name with placeholders, or null
     * @param serial the token's serial number
     * @param label the token's label
     * @return the name with the placeholders replaced, or null
     */
    public static String fillDn(String template, String serial, String label) {
        return template == null ? null : template.replace("{serial}", escape(serial)).replace("{label}", escape(label));
    }

    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edgeSpace = c == ' ' && (i == 0 || i == value.length() - 1);
            if ("\\,+\"<>;=".indexOf(c) >= 0 || edgeSpace || (c == '#' && i == 0)) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
