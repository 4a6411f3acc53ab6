package org.tokenctl.core;

/**
 * The token or its module cannot do what was asked (a function it refuses, such
 * as {@code C_InitToken} on many vendor tokens, or a mechanism it lacks).
 */
public class UnsupportedByTokenException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #capability()} */
    private final String capability;

    /**
     * @param capability the missing function or mechanism, in PKCS#11 terms
     * @param message the one-line description, saying what to do instead
     */
    public UnsupportedByTokenException(String capability, String message) {
        super(message);
        this.capability = capability;
    }

    /** @return the missing function or mechanism, e.g. {@code C_InitToken} or {@code CKM_EC_KEY_PAIR_GEN} */
    public String capability() {
        return capability;
    }

    /** @return {@link Failure#NOT_SUPPORTED} */
    @Override
    public Failure failure() {
        return Failure.NOT_SUPPORTED;
    }
}
