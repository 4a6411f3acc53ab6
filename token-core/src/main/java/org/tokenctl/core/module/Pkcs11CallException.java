package org.tokenctl.core.module;

import org.tokenctl.core.Failure;

import java.util.Set;

import org.tokenctl.core.TokenctlException;

/**
 * A PKCS#11 function returned something other than {@code CKR_OK}.
 *
 * <p>The wrapper's exceptions are converted to this once, at the boundary
 * ({@link Calls}); the CKR code and the function name travel with it.
 */
public class Pkcs11CallException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** Return values meaning the token or its session went away under us. */
    private static final Set<Long> DEVICE_GONE = Set.of(
            Pkcs11.CKR_DEVICE_REMOVED, Pkcs11.CKR_DEVICE_ERROR,
            Pkcs11.CKR_TOKEN_NOT_PRESENT, Pkcs11.CKR_SESSION_HANDLE_INVALID,
            Pkcs11.CKR_SESSION_CLOSED, Pkcs11.CKR_TOKEN_NOT_RECOGNIZED);

    /** @serial see {@link #function()} */
    private final String function;
    /** @serial see {@link #ckr()} */
    private final long ckr;

    /**
     * @param function the PKCS#11 function, e.g. {@code C_GenerateKeyPair}
     * @param ckr the CK_RV it returned
     * @param cause the wrapper's exception
     */
    public Pkcs11CallException(String function, long ckr, Throwable cause) {
        super(function + " failed: " + Pkcs11.returnValueName(ckr), cause);
        this.function = function;
        this.ckr = ckr;
    }

    /** @return the PKCS#11 function that failed */
    public String function() {
        return function;
    }

    /** @return the CK_RV value */
    public long ckr() {
        return ckr;
    }

    /** @return the CK_RV's symbolic name */
    public String ckrName() {
        return Pkcs11.returnValueName(ckr);
    }

    /** @return true when the token, its slot or the session is gone (removed, device error, invalid session) */
    public boolean isDeviceGone() {
        return DEVICE_GONE.contains(ckr);
    }

    /** @return {@link Failure#TOKEN_ERROR} */
    @Override
    public Failure failure() {
        return Failure.TOKEN_ERROR;
    }
}
