package org.tokenctl.core.pin;

/**
 * Which characters a PIN may contain. Bank token PIN pads and middleware accept
 * printable ASCII; some vendor profiles allow digits only.
 */
public enum PinCharacters {
    /** '0'..'9' */
    DIGITS("digits"),
    /** letters and digits, ASCII */
    ALPHANUMERIC("ASCII letters and digits"),
    /** ' ' (0x20) to '~' (0x7E) */
    PRINTABLE_ASCII("printable ASCII characters");

    private final String description;

    PinCharacters(String description) {
        this.description = description;
    }

    /** @return e.g. "printable ASCII characters", for messages */
    public String description() {
        return description;
    }

    /**
     * @param c a character
     * @return whether it is allowed
     */
    public boolean allows(char c) {
        switch (this) {
            case DIGITS:
                return c >= '0' && c <= '9';
            case ALPHANUMERIC:
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            default:
                return c >= 0x20 && c <= 0x7E;
        }
    }
}
