package org.tokenctl.core;

/**
 * A value given to the library is unusable (a label too long for the token, a
 * malformed key id, an unparsable certificate...). Thrown before the token is
 * touched whenever the library can tell.
 */
public class InvalidInputException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #field()} */
    private final String field;

    /**
     * @param field what was wrong, in the caller's terms (e.g. "label", "subject")
     * @param message the one-line description, naming the rule
     */
    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * @param field what was wrong
     * @param message the one-line description
     * @param cause the parser's failure
     */
    public InvalidInputException(String field, String message, Throwable cause) {
        this(field, message, null, cause);
    }

    /**
     * @param field what was wrong
     * @param message the one-line description
     * @param remedy the caller's setting that mends it
     * @param cause the underlying failure, or null
     */
    public InvalidInputException(String field, String message, Remedy remedy, Throwable cause) {
        super(message, cause, remedy);
        this.field = field;
    }

    /** @return the name of the offending input */
    public String field() {
        return field;
    }

    /** @return {@link Failure#INVALID_INPUT} */
    @Override
    public Failure failure() {
        return Failure.INVALID_INPUT;
    }
}
