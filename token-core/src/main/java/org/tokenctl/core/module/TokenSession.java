package org.tokenctl.core.module;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.pin.InitialPinException;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;

/**
 * One PKCS#11 session on a {@link Token}. Confined to one thread; close it with
 * try-with-resources (which logs out if this session logged in, and closes it).
 *
 * <p>Every PIN attempt goes through {@link PinVerification}, which owns the login
 * protocol's order: flags first, then the PIN, then the attempt guard, then the token.
 */
public final class TokenSession implements AutoCloseable {

    private final Token token;
    private final Session session;
    private final boolean readWrite;
    private UserType loggedInAs;
    private String tokenSerial;
    private boolean closed;

    TokenSession(Token token, Session session, boolean readWrite) {
        this.token = token;
        this.session = session;
        this.readWrite = readWrite;
    }

    /** @return the token this session is on */
    public Token token() {
        return token;
    }

    /** @return whether this is a read-write session */
    public boolean readWrite() {
        return readWrite;
    }

    /** @return the user type this session logged in as, or null */
    public UserType loggedInAs() {
        return loggedInAs;
    }

    /**
     * Logs in, carefully (see the class comment).
     *
     * @param userType user or SO
     * @param pin the PIN; null only when the token has a protected authentication path (PIN pad)
     * @param options final-try permission, initial-PIN refusal, guard, observer
     * @throws InitialPinException if a user login presents the initial PIN or the token demands a change
     * @throws org.tokenctl.core.pin.PinLockedException if the PIN is locked
     * @throws org.tokenctl.core.pin.PinFinalTryException if one try remains and it was not allowed
     * @throws org.tokenctl.core.pin.PinIncorrectException if the token refused the PIN
     * @throws org.tokenctl.core.pin.AttemptGuardException if the guard refused
     * @throws Pkcs11CallException for other failures
     */
    public void login(UserType userType, Pin pin, LoginOptions options) throws TokenctlException {
        if (loggedInAs != null) {
            throw new IllegalStateException("session already logged in as " + loggedInAs);
        }
        TokenInfo info = PinVerification.login(token, userType, pin, options,
                () -> session.login(userType.cku(), PinVerification.chars(pin)));
        loggedInAs = userType;
        tokenSerial = info.serial();
    }

    /**
     * The serial number of the token this session is open on. A session lives no longer
     * than the token's insertion (a token pulled, or another one put in its slot, ends it:
     * PKCS#11 v2.40 section 5.6), so the serial read once, or by the login, stays true.
     *
     * @return the token's serial number
     * @throws Pkcs11CallException if the module fails or the token was removed
     */
    public String tokenSerial() throws Pkcs11CallException {
        if (tokenSerial == null) {
            tokenSerial = token.info().serial();
        }
        return tokenSerial;
    }

    /**
     * Changes a PIN with {@code C_SetPIN}. For the user PIN the session need not be
     * logged in (the call verifies the old PIN); for the SO PIN it must be logged in as SO.
     *
     * @param userType whose PIN
     * @param oldPin the current PIN
     * @param newPin the new PIN (policy is the caller's to check, before calling)
     * @param options as for {@link #login}; the initial-PIN refusal does not apply here
     * @throws TokenctlException as for {@link #login}
     */
    public void setPin(UserType userType, Pin oldPin, Pin newPin, LoginOptions options) throws TokenctlException {
        requireReadWrite("C_SetPIN");
        try {
            PinVerification.verify(token, userType, oldPin, options, "C_SetPIN",
                    () -> session.setPIN(PinVerification.chars(oldPin), PinVerification.chars(newPin)));
        } catch (Pkcs11CallException e) {
            throw refusedPin(e, userType);
        }
    }

    /**
     * Sets the user PIN with {@code C_InitPIN}; the session must be logged in as SO.
     *
     * @param newPin the new user PIN
     * @throws Pkcs11CallException if the token refuses
     */
    public void initUserPin(Pin newPin) throws TokenctlException {
        requireReadWrite("C_InitPIN");
        if (loggedInAs != UserType.SO) {
            throw new IllegalStateException("C_InitPIN needs an SO login");
        }
        try {
            token.run("C_InitPIN", () -> session.initPIN(PinVerification.chars(newPin)));
        } catch (Pkcs11CallException e) {
            throw refusedPin(e, UserType.USER);
        }
    }

    /** The token's refusal of a new PIN is a policy matter; anything else stays as it is. */
    static TokenctlException refusedPin(Pkcs11CallException e, UserType whose) {
        PinPolicyException p = PinPolicyException.fromToken(e, whose);
        return p != null ? p : e;
    }

    /**
     * Logs out if this session logged in (and no other session of this process
     * still holds the login). Idempotent.
     *
     * @throws Pkcs11CallException if C_Logout fails
     */
    public void logout() throws Pkcs11CallException {
        if (loggedInAs == null) {
            return;
        }
        UserType type = loggedInAs;
        loggedInAs = null;
        synchronized (token.loginLock()) {
            if (token.releaseLogin(type)) {
                try {
                    token.run("C_Logout", session::logout);
                } catch (Pkcs11CallException e) {
                    if (e.ckr() != Pkcs11.CKR_USER_NOT_LOGGED_IN) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * @param template attributes to match
     * @return handles of every matching object visible to this session
     * @throws Pkcs11CallException if the token fails
     */
    public long[] find(Attributes template) throws Pkcs11CallException {
        // the three calls one by one, so that a failure names the one that failed
        return token.exclusively(() -> {
            token.run("C_FindObjectsInit", () -> session.findObjectsInit(template.toWrapper()));
            long[] found;
            try {
                found = token.call("C_FindObjects", () -> session.findObjects(Integer.MAX_VALUE));
            } catch (Pkcs11CallException e) {
                try {
                    token.run("C_FindObjectsFinal", session::findObjectsFinal);
                } catch (Pkcs11CallException alsoFinal) {
                    e.addSuppressed(alsoFinal);
                }
                throw e;
            }
            token.run("C_FindObjectsFinal", session::findObjectsFinal);
            return found;
        });
    }

    /**
     * Reads attributes ({@code C_GetAttributeValue}). Attributes the object lacks come
     * back absent; sensitive ones come back present without a value. {@code CKA_EC_POINT}
     * comes back as the bare point ({@code 04||X||Y}), without the DER OCTET STRING the
     * standard puts around it.
     *
     * @param handle an object handle
     * @param types CKA_ types
     * @return the values
     * @throws Pkcs11CallException if the token fails
     */
    public Attributes attributes(long handle, long... types) throws Pkcs11CallException {
        return Attributes.fromWrapper(token.call("C_GetAttributeValue", () -> session.getAttrValues(handle, types)));
    }

    /**
     * @param template the new object's attributes
     * @return its handle
     * @throws Pkcs11CallException if the token refuses
     */
    public long create(Attributes template) throws Pkcs11CallException {
        requireReadWrite("C_CreateObject");
        return token.call("C_CreateObject", () -> session.createObject(template.toWrapper()));
    }

    /**
     * Changes attributes of an existing object ({@code C_SetAttributeValue}).
     *
     * @param handle the object
     * @param template the attributes to set (all or none are changed)
     * @throws Pkcs11CallException if the token refuses
     */
    public void setAttributes(long handle, Attributes template) throws Pkcs11CallException {
        requireReadWrite("C_SetAttributeValue");
        token.run("C_SetAttributeValue", () -> session.setAttributeValues(handle, template.toWrapper()));
    }

    /**
     * @param handle the object to destroy
     * @throws Pkcs11CallException if the token refuses
     */
    public void destroy(long handle) throws Pkcs11CallException {
        requireReadWrite("C_DestroyObject");
        token.run("C_DestroyObject", () -> session.destroyObject(handle));
    }

    /**
     * Generates a key pair on the token ({@code C_GenerateKeyPair}).
     *
     * @param mechanism the key-pair generation mechanism ({@code CKM_*}, no parameter)
     * @param publicTemplate the public key's attributes
     * @param privateTemplate the private key's attributes
     * @return the new objects' handles
     * @throws Pkcs11CallException if the token refuses
     */
    public KeyPairHandles generateKeyPair(long mechanism, Attributes publicTemplate, Attributes privateTemplate)
            throws Pkcs11CallException {
        requireReadWrite("C_GenerateKeyPair");
        KeyPairTemplate template = new KeyPairTemplate(privateTemplate.toWrapper(), publicTemplate.toWrapper());
        PKCS11KeyPair pair = token.call("C_GenerateKeyPair",
                () -> session.generateKeyPair(new Mechanism(mechanism), template));
        return new KeyPairHandles(pair.getPublicKey(), pair.getPrivateKey());
    }

    /**
     * Signs in one call ({@code C_SignInit} + {@code C_Sign}). For ECDSA the token's
     * raw r||s comes back as it is.
     *
     * @param mechanism the signature mechanism ({@code CKM_*}, no parameter)
     * @param key the private key handle
     * @param data what to sign (the hash, for raw CKM_ECDSA)
     * @return the signature
     * @throws Pkcs11CallException if the token refuses
     */
    public byte[] sign(long mechanism, long key, byte[] data) throws Pkcs11CallException {
        token.run("C_SignInit", () -> session.signInit(new Mechanism(mechanism), key));
        return token.call("C_Sign", () -> session.sign(data));
    }

    private void requireReadWrite(String function) {
        if (!readWrite) {
            throw new IllegalStateException(function + " needs a read-write session");
        }
    }

    /** Logs out (if logged in here) and closes the session. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            logout();
        } catch (Pkcs11CallException e) {
            System.getLogger(TokenSession.class.getName()).log(System.Logger.Level.DEBUG, e.getMessage());
        }
        try {
            token.run("C_CloseSession", session::closeSession);
        } catch (Pkcs11CallException e) {
            System.getLogger(TokenSession.class.getName()).log(System.Logger.Level.DEBUG, e.getMessage());
        }
    }
}
