package org.tokenctl.core.module;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.NameCharacters;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.UnsupportedByTokenException;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicyException;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenInfo;
import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * A token in a slot of an open {@link Pkcs11Module}. Thread-safe: sessions are
 * opened per operation (and per thread), and the login state, which PKCS#11
 * keeps per token and application rather than per session (v2.40 section 5.6),
 * is reference-counted here so one thread's logout does not end another's login.
 *
 * <p>The PKCS#11 calls made on one token (through any of its sessions) run one at
 * a time; different tokens run in parallel. A smart card executes one command at a
 * time anyway, and SoftHSM's file store is not safe for concurrent writers on one
 * token: a find or read racing another session's new object can see that object's
 * handle invalidated (seen in {@code LibraryConcurrencyTest}).
 */
public final class Token {

    /** CK_TOKEN_INFO.label is 32 bytes of UTF-8, blank padded. */
    public static final int LABEL_MAX_BYTES = 32;

    private final Pkcs11Module module;
    private final long slotId;
    private final Map<UserType, Integer> logins = new EnumMap<>(UserType.class);
    private volatile Set<Long> mechanisms;
    private volatile Sm2Mechanisms sm2;
    private final ReentrantLock calls = new ReentrantLock();

    Token(Pkcs11Module module, long slotId) {
        this.module = module;
        this.slotId = slotId;
    }

    /** @return the module this token belongs to */
    public Pkcs11Module module() {
        return module;
    }

    /** @return the slot id in this process */
    public long slotId() {
        return slotId;
    }

    /**
     * Says how this token's module does SM2, which PKCS#11 leaves to each vendor
     * (from the token's vendor profile). Without it, SM2 keys are refused on this
     * token. Thread-safe; set it before the token is used for SM2.
     *
     * @param mechanisms the vendor's SM2 constants, or null for none
     */
    public void useSm2(Sm2Mechanisms mechanisms) {
        this.sm2 = mechanisms;
    }

    /** @return how this token does SM2, or null when nothing says it can */
    public Sm2Mechanisms sm2() {
        return sm2;
    }

    /**
     * @param keyType a key object's {@code CKA_KEY_TYPE}, or null
     * @return whether it is this token vendor's SM2 key type (false when no SM2 constants are known)
     */
    public boolean isSm2KeyType(Long keyType) {
        Sm2Mechanisms m = sm2;
        return keyType != null && m != null && keyType == m.keyType();
    }

    /**
     * @return a fresh snapshot of the slot and its token
     * @throws Pkcs11CallException if the module fails
     */
    public Slot slot() throws Pkcs11CallException {
        return module.slot(slotId);
    }

    /**
     * @return a fresh {@code C_GetTokenInfo} snapshot (flags change with every PIN attempt)
     * @throws Pkcs11CallException if the module fails or the token was removed
     */
    public TokenInfo info() throws Pkcs11CallException {
        calls.lock();
        try {
            return TokenInfos.read(module.raw(), slotId);
        } finally {
            calls.unlock();
        }
    }

    /** Runs a PKCS#11 call on this token, one at a time (see the class comment). */
    <T> T call(String function, Calls.Call<T> call) throws Pkcs11CallException {
        calls.lock();
        try {
            return Calls.call(function, call);
        } finally {
            calls.unlock();
        }
    }

    /** Calls that belong together, e.g. C_FindObjectsInit, C_FindObjects, C_FindObjectsFinal. */
    @FunctionalInterface
    interface Sequence<T> {
        T run() throws Pkcs11CallException;
    }

    /** Runs several PKCS#11 calls on this token with no other call of this process between them. */
    <T> T exclusively(Sequence<T> sequence) throws Pkcs11CallException {
        calls.lock();
        try {
            return sequence.run();
        } finally {
            calls.unlock();
        }
    }

    /** Runs a PKCS#11 call that returns nothing on this token, one at a time. */
    void run(String function, Calls.VoidCall call) throws Pkcs11CallException {
        call(function, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Opens a session; close it with try-with-resources.
     *
     * @param readWrite true for a read-write session (only to change the token)
     * @return the session
     * @throws Pkcs11CallException if the module fails
     */
    public TokenSession openSession(boolean readWrite) throws Pkcs11CallException {
        org.xipki.pkcs11.wrapper.Token t = module.wrapperSlot(slotId).getToken();
        return new TokenSession(this, call("C_OpenSession", () -> t.openSession(readWrite)), readWrite);
    }

    /**
     * @return the mechanisms the token lists ({@code C_GetMechanismList}), read once
     * @throws Pkcs11CallException if the module fails
     */
    public Set<Long> mechanisms() throws Pkcs11CallException {
        Set<Long> m = mechanisms;
        if (m == null) {
            long[] list = Calls.query("C_GetMechanismList", () -> module.raw().C_GetMechanismList(slotId));
            Set<Long> set = new HashSet<>();
            for (long code : list) {
                set.add(code);
            }
            m = Collections.unmodifiableSet(set);
            mechanisms = m;
        }
        return m;
    }

    /**
     * @return every mechanism the token lists, with its key sizes and flags ({@code C_GetMechanismInfo}), in
     *         the order of their codes
     * @throws Pkcs11CallException if the module fails
     */
    public java.util.List<MechanismInfo> mechanismInfos() throws Pkcs11CallException {
        java.util.List<Long> codes = new java.util.ArrayList<>(mechanisms());
        codes.sort(Long::compareUnsigned);
        java.util.List<MechanismInfo> out = new java.util.ArrayList<>();
        for (long code : codes) {
            iaik.pkcs.pkcs11.wrapper.CK_MECHANISM_INFO i = Calls.query("C_GetMechanismInfo",
                    () -> module.raw().C_GetMechanismInfo(slotId, code));
            out.add(MechanismInfo.of(code, i.ulMinKeySize, i.ulMaxKeySize, i.flags));
        }
        return out;
    }

    /**
     * Initialises the token ({@code C_InitToken}): every object on it is destroyed.
     * The xipki object layer has no initToken, so this goes through the raw JNI layer.
     *
     * @param soPin the SO PIN (becomes the SO PIN of a fresh token; must match on an initialised one)
     * @param label the new label, at most {@value #LABEL_MAX_BYTES} bytes of UTF-8
     * @param options how careful the SO PIN attempt must be (an initialised token verifies it)
     * @throws InvalidInputException if the label is too long
     * @throws UnsupportedByTokenException if the token refuses C_InitToken
     * @throws org.tokenctl.core.pin.PinIncorrectException for a wrong SO PIN (and the other PIN failures)
     * @throws Pkcs11CallException for other failures
     */
    public void initToken(Pin soPin, String label, LoginOptions options) throws TokenctlException {
        char[] padded = paddedLabel(label);
        try {
            PinVerification.verify(this, UserType.SO, soPin, options, "C_InitToken",
                    () -> module.raw().C_InitToken(slotId, PinVerification.chars(soPin), padded, true));
        } catch (Pkcs11CallException e) {
            if (PinPolicyException.fromToken(e, UserType.SO) != null) {
                throw PinPolicyException.fromToken(e, UserType.SO);
            }
            if (e.ckr() == PKCS11Constants.CKR_FUNCTION_NOT_SUPPORTED) {
                throw new UnsupportedByTokenException("C_InitToken",
                        "This token cannot be initialised over PKCS#11 (C_InitToken: CKR_FUNCTION_NOT_SUPPORTED);"
                                + " use the vendor's tool");
            }
            throw e;
        } finally {
            mechanisms = null;
        }
    }

    /**
     * Checks a token label and pads it to the 32 bytes CK_TOKEN_INFO.label holds.
     *
     * @param label the label
     * @return the label padded with blanks to exactly 32 UTF-8 bytes
     * @throws InvalidInputException if it is empty, too long or holds control characters
     */
    public static char[] paddedLabel(String label) throws InvalidInputException {
        checkLabel(label);
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        char[] padded = Arrays.copyOf(label.toCharArray(), label.length() + LABEL_MAX_BYTES - bytes);
        Arrays.fill(padded, label.length(), padded.length, ' ');
        return padded;
    }

    /**
     * @param label a token label
     * @throws InvalidInputException if it is empty, longer than 32 UTF-8 bytes, has
     *                               trailing blanks (they would be lost in the padding) or control characters
     */
    public static void checkLabel(String label) throws InvalidInputException {
        if (label == null || label.isEmpty()) {
            throw new InvalidInputException("label", "Token label must not be empty");
        }
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > LABEL_MAX_BYTES) {
            throw new InvalidInputException("label", "Token label must be at most " + LABEL_MAX_BYTES
                    + " bytes in UTF-8; got " + bytes);
        }
        if (label.endsWith(" ")) {
            throw new InvalidInputException("label", "Token label must not end with a blank (PKCS#11 pads labels with blanks)");
        }
        int bad = NameCharacters.firstForbidden(label);
        if (bad >= 0) {
            throw new InvalidInputException("label", "Token label holds " + NameCharacters.describe(label, bad));
        }
    }

    /** Marks a login of this user type as held by one more session; returns whether it was already held. */
    boolean acquireLogin(UserType type) {
        synchronized (logins) {
            int n = logins.getOrDefault(type, 0);
            logins.put(type, n + 1);
            return n > 0;
        }
    }

    /** Undoes {@link #acquireLogin}; returns whether this was the last holder (time to C_Logout). */
    boolean releaseLogin(UserType type) {
        synchronized (logins) {
            int n = logins.getOrDefault(type, 0);
            if (n <= 1) {
                logins.remove(type);
                return n == 1;
            }
            logins.put(type, n - 1);
            return false;
        }
    }

    /** Serialises login decisions for this token. */
    Object loginLock() {
        return logins;
    }

    @Override
    public String toString() {
        return "Token[slot " + slotId + "]";
    }
}
