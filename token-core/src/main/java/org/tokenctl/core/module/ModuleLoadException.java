package org.tokenctl.core.module;

import org.tokenctl.core.Failure;

import java.nio.file.Path;

import org.tokenctl.core.TokenctlException;

/** A PKCS#11 module file could not be loaded (before any PKCS#11 call). */
public class ModuleLoadException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** Why the module could not be loaded. */
    public enum Reason {
        /** no file at that path */
        NOT_FOUND("no such file"),
        /** the path is a directory or a device */
        NOT_A_FILE("not a regular file"),
        /** the file exists but we may not read it */
        UNREADABLE("file is not readable"),
        /** the dynamic linker refused it (not a shared library, wrong architecture, missing dependency) */
        NOT_A_LIBRARY("not a loadable shared library"),
        /** a shared library for another architecture (e.g. a 32-bit module in a 64-bit JVM) */
        WRONG_ARCHITECTURE("built for another architecture"),
        /** a shared library without {@code C_GetFunctionList} */
        NOT_PKCS11("not a PKCS#11 module (no C_GetFunctionList)"),
        /** no module file was found among the candidates */
        NOT_LOCATED("no PKCS#11 module found");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** @return a short human description */
        public String text() {
            return text;
        }
    }

    /** @serial see {@link #path()} */
    private final Path path;
    /** @serial see {@link #reason()} */
    private final Reason reason;

    /**
     * @param path the module path
     * @param reason why it failed
     * @param detail the loader's own words (may be null)
     * @param cause the loader's exception (may be null)
     */
    public ModuleLoadException(Path path, Reason reason, String detail, Throwable cause) {
        super("cannot load PKCS#11 module " + path + ": " + reason.text()
                + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"), cause);
        this.path = path;
        this.reason = reason;
    }

    /**
     * No module file was found for a profile.
     *
     * @param profile the profile id
     * @param what one line saying where was looked
     * @return the exception (reason {@link Reason#NOT_LOCATED})
     */
    public static ModuleLoadException notLocated(String profile, String what) {
        return new ModuleLoadException(Path.of(profile), Reason.NOT_LOCATED, what);
    }

    private ModuleLoadException(Path path, Reason reason, String message) {
        super(message);
        this.path = path;
        this.reason = reason;
    }

    /** @return the module path */
    public Path path() {
        return path;
    }

    /** @return why it failed */
    public Reason reason() {
        return reason;
    }

    /** @return {@link Failure#MODULE} */
    @Override
    public Failure failure() {
        return Failure.MODULE;
    }
}
