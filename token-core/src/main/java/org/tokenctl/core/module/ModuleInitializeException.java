package org.tokenctl.core.module;

import org.tokenctl.core.Failure;

import java.nio.file.Path;

/**
 * {@code C_Initialize} failed: the file is a PKCS#11 module, but it will not start.
 *
 * <p>SoftHSM answers a missing configuration file or token directory with a bare
 * {@code CKR_GENERAL_ERROR}; {@link #hint()} says what to check.
 */
public class ModuleInitializeException extends Pkcs11CallException {

    private static final long serialVersionUID = 1L;

    /** @serial see {@link #path()} */
    private final Path path;
    /** @serial see {@link #hint()} */
    private final String hint;

    /**
     * @param path the module path
     * @param ckr what C_Initialize returned
     * @param hint what to check, or null
     * @param cause the wrapper's exception
     */
    public ModuleInitializeException(Path path, long ckr, String hint, Throwable cause) {
        super("C_Initialize", ckr, cause);
        this.path = path;
        this.hint = hint;
    }

    @Override
    public String getMessage() {
        return "PKCS#11 module " + path + " failed to initialise: " + ckrName()
                + (hint == null ? "" : "; " + hint);
    }

    /** @return the module path */
    public Path path() {
        return path;
    }

    /** @return what to check, or null when there is nothing specific to say */
    public String hint() {
        return hint;
    }

    /** @return {@link Failure#MODULE} */
    @Override
    public Failure failure() {
        return Failure.MODULE;
    }
}
