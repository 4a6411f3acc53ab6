package org.tokenctl.core.module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import iaik.pkcs.pkcs11.wrapper.CK_INFO;
import iaik.pkcs.pkcs11.wrapper.CK_SLOT_INFO;
import iaik.pkcs.pkcs11.wrapper.PKCS11;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenSelectionException;
import org.tokenctl.core.token.TokenSelector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Module;

/**
 * A loaded and initialised PKCS#11 module.
 *
 * <p>A module may be initialised only once per process (a second
 * {@code C_Initialize} returns {@code CKR_CRYPTOKI_ALREADY_INITIALIZED}), so
 * {@link #open(Path)} shares one initialisation per library file: every handle
 * for the same file refers to it, and {@code C_Finalize} runs when the last
 * handle is closed. Handles are thread-safe.
 */
public final class Pkcs11Module implements AutoCloseable {

    private static final Map<Path, Loaded> LOADED = new HashMap<>();

    /**
     * How long the last {@link #close} waits for {@code C_Finalize}: a token does
     * its work in the calls before it, and a module that never returns from it must
     * not hold up a caller whose work is done.
     */
    public static final Duration FINALIZE_WAIT = Duration.ofSeconds(5);

    /** Pauses before each re-initialisation: a concurrent rewrite of a token's files takes milliseconds. */
    private static final long[] RESCAN_PAUSES_MILLIS = {20, 200};

    /** One initialisation of one library file, shared by its handles. */
    private static final class Loaded {
        final Path path;
        final PKCS11Module module;
        final ModuleInfo info;
        final boolean finalizeOnClose;
        final Map<Long, org.xipki.pkcs11.wrapper.Slot> slots = new ConcurrentHashMap<>();
        final Map<Long, Token> tokens = new ConcurrentHashMap<>();
        int handles;
        /** C_Finalize of the last close is running (guarded by LOADED). */
        boolean finalizing;
        /** Until when (System.nanoTime) that close waits for it; after that, the module is "still finalizing". */
        long finalizeDeadline;

        Loaded(Path path, PKCS11Module module, ModuleInfo info, boolean finalizeOnClose) {
            this.path = path;
            this.module = module;
            this.info = info;
            this.finalizeOnClose = finalizeOnClose;
        }
    }

    private final Loaded loaded;
    private boolean closed;

    private Pkcs11Module(Loaded loaded) {
        this.loaded = loaded;
    }

    /**
     * Loads and initialises a PKCS#11 module, or shares the initialisation
     * already made for the same file in this process.
     *
     * @param library the module file, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @return a handle; close it when done
     * @throws ModuleLoadException if the file is missing, not a shared library or not a PKCS#11 module
     * @throws ModuleInitializeException if {@code C_Initialize} fails
     */
    public static Pkcs11Module open(Path library) throws ModuleLoadException, ModuleInitializeException {
        Path path = checkFile(library);
        synchronized (LOADED) {
            Loaded l = awaitFinalize(path);
            if (l != null && l.finalizing) {
                throw new ModuleInitializeException(path, PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED,
                        "the module has not returned from the C_Finalize of its last close (more than "
                                + FINALIZE_WAIT.toSeconds() + " s ago); it cannot be initialised again in this"
                                + " process until it does", null);
            }
            if (l == null) {
                l = load(path);
                LOADED.put(path, l);
            }
            l.handles++;
            return new Pkcs11Module(l);
        }
    }

    private static Path checkFile(Path library) throws ModuleLoadException {
        Path abs = library.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new ModuleLoadException(abs, ModuleLoadException.Reason.NOT_FOUND, null, null);
        }
        if (!Files.isRegularFile(abs)) {
            throw new ModuleLoadException(abs, ModuleLoadException.Reason.NOT_A_FILE, null, null);
        }
        if (!Files.isReadable(abs)) {
            throw new ModuleLoadException(abs, ModuleLoadException.Reason.UNREADABLE, null, null);
        }
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            throw new ModuleLoadException(abs, ModuleLoadException.Reason.UNREADABLE, e.getMessage(), e);
        }
    }

    private static Loaded load(Path path) throws ModuleLoadException, ModuleInitializeException {
        ElfCheck.Result elf = ElfCheck.check(path);
        if (elf.reason() != null) {
            throw new ModuleLoadException(path, elf.reason(), elf.detail(), null);
        }
        WrapperLogging.install();
        PKCS11Module module;
        try {
            module = PKCS11Module.getInstance(path.toString());
        } catch (IOException e) {
            throw loadFailure(path, e);
        } catch (UnsatisfiedLinkError e) {
            throw new ModuleLoadException(path, ModuleLoadException.Reason.NOT_A_LIBRARY,
                    "the PKCS#11 wrapper's JNI library could not be loaded: " + e.getMessage(), e);
        }
        boolean ownInit = true;
        try {
            Calls.run("C_Initialize", module::initialize);
        } catch (Pkcs11CallException e) {
            if (e.ckr() == PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                // Someone else in this process (e.g. SunPKCS11) initialised it; it is
                // usable, but finalising it is theirs to do.
                ownInit = false;
            } else {
                throw new ModuleInitializeException(path, e.ckr(), InitHints.hint(path, e.ckr()), e.getCause());
            }
        }
        return new Loaded(path, module, readInfo(module.getPKCS11Module()), ownInit);
    }

    /**
     * Classifies what the JNI layer reported. dlopen() failures come back as
     * glibc's "PATH: reason"; a library without C_GetFunctionList comes back with
     * no message, or with a stale, unprintable one, so anything else means "not
     * PKCS#11".
     */
    private static ModuleLoadException loadFailure(Path path, IOException e) {
        String detail = e.getMessage();
        boolean fromLoader = detail != null && detail.startsWith(path.toString() + ":");
        if (!fromLoader) {
            return new ModuleLoadException(path, ModuleLoadException.Reason.NOT_PKCS11, null, e);
        }
        String reason = detail.substring(path.toString().length() + 1).trim();
        ModuleLoadException.Reason r = reason.contains("wrong ELF class") || reason.contains("ELF file")
                ? ModuleLoadException.Reason.WRONG_ARCHITECTURE : ModuleLoadException.Reason.NOT_A_LIBRARY;
        return new ModuleLoadException(path, r, reason, e);
    }

    private static ModuleInfo readInfo(PKCS11 raw) {
        try {
            CK_INFO i = raw.C_GetInfo();
            return new ModuleInfo(version(i.cryptokiVersion.major, i.cryptokiVersion.minor),
                    Text.trim(i.manufacturerID), Text.trim(i.libraryDescription),
                    version(i.libraryVersion.major, i.libraryVersion.minor));
        } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
            return new ModuleInfo("", "", "", "");
        }
    }

    static String version(byte major, byte minor) {
        return (major & 0xff) + "." + (minor & 0xff);
    }

    /** @return the module file (absolute, symlinks resolved) */
    public Path path() {
        return loaded.path;
    }

    /** @return what C_GetInfo said */
    public ModuleInfo info() {
        return loaded.info;
    }

    /**
     * Reads every slot and the token in it.
     *
     * @return snapshots of all slots, in the module's order
     * @throws Pkcs11CallException if the module fails
     */
    public List<Slot> slots() throws Pkcs11CallException {
        PKCS11 raw = raw();
        long[] ids = Calls.query("C_GetSlotList", () -> raw.C_GetSlotList(false));
        List<Slot> slots = new ArrayList<>(ids.length);
        for (long id : ids) {
            slots.add(slot(id));
        }
        return slots;
    }

    /**
     * Waits for a slot event: a token put in or taken out of one of the module's
     * slots ({@code C_WaitForSlotEvent}). A module reports each event once. Calling
     * {@link #close()} from another thread ends a wait (the module answers
     * {@code CKR_CRYPTOKI_NOT_INITIALIZED}).
     *
     * <p>Not counted among the calls in flight ({@link Calls#inFlight()}): waiting is
     * what it is for, and a watchdog bounding token calls must not take it for a
     * token that hangs.
     *
     * @param dontBlock answer at once ({@code CKF_DONT_BLOCK}) instead of waiting
     * @return the id of the slot whose state changed; empty when there was no event (dontBlock)
     * @throws org.tokenctl.core.UnsupportedByTokenException if the module has no slot events: poll {@link #slots()}
     *         instead. (SoftHSM 2.6 answers a blocking call {@code CKR_FUNCTION_NOT_SUPPORTED}, but a non-blocking
     *         one {@code CKR_NO_EVENT}: ask a blocking one to find out.)
     * @throws Pkcs11CallException if the module fails
     */
    public java.util.OptionalLong waitForSlotEvent(boolean dontBlock) throws org.tokenctl.core.TokenctlException {
        PKCS11 raw = raw();
        try {
            return java.util.OptionalLong.of(raw.C_WaitForSlotEvent(dontBlock ? PKCS11Constants.CKF_DONT_BLOCK : 0L,
                    null));
        } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
            if (e.getErrorCode() == PKCS11Constants.CKR_NO_EVENT) {
                return java.util.OptionalLong.empty();
            }
            if (e.getErrorCode() == PKCS11Constants.CKR_FUNCTION_NOT_SUPPORTED) {
                throw new org.tokenctl.core.UnsupportedByTokenException("slot-events", "The module " + loaded.path
                        + " reports no slot events (C_WaitForSlotEvent: CKR_FUNCTION_NOT_SUPPORTED); poll its slots"
                        + " instead");
            }
            throw new Pkcs11CallException("C_WaitForSlotEvent", e.getErrorCode(), e);
        }
    }

    /**
     * Reads one slot and its token.
     *
     * @param slotId a slot id of this process
     * @return its snapshot
     * @throws Pkcs11CallException if the module fails (CKR_SLOT_ID_INVALID for an unknown id)
     */
    public Slot slot(long slotId) throws Pkcs11CallException {
        PKCS11 raw = raw();
        CK_SLOT_INFO si = Calls.query("C_GetSlotInfo", () -> raw.C_GetSlotInfo(slotId));
        boolean present = (si.flags & PKCS11Constants.CKF_TOKEN_PRESENT) != 0;
        return new Slot(slotId, Text.trim(si.slotDescription), Text.trim(si.manufacturerID), present,
                (si.flags & PKCS11Constants.CKF_REMOVABLE_DEVICE) != 0,
                (si.flags & PKCS11Constants.CKF_HW_SLOT) != 0,
                present ? TokenInfos.read(raw, slotId) : null);
    }

    /**
     * Finds the token a selector names.
     *
     * <p>Some modules read their token list once, at {@code C_Initialize}: SoftHSM
     * does, and it skips a token whose files another process is rewriting at
     * that moment, or that another process initialised since. So when a label or
     * serial matches nothing, or {@link TokenSelector#onlyInitializedToken()} finds no
     * initialised token, and this handle is the only one on a module this
     * process initialised and no token handle has been taken from it yet (so no
     * session can be cut off), the module is finalised and initialised again
     * and the selection retried, twice at most, before giving up. Slot ids mean
     * something only within one initialisation, so a slot is not looked for again;
     * nor is an ambiguous selection.
     *
     * @param selector by slot, label, serial, the only token present or the only initialised one
     * @return a handle on that token
     * @throws TokenSelectionException if none or several match (listing what was found)
     * @throws Pkcs11CallException if the module fails
     */
    public Token token(TokenSelector selector) throws TokenSelectionException, Pkcs11CallException {
        TokenSelectionException missed;
        try {
            return token(selector.select(slots()));
        } catch (TokenSelectionException e) {
            missed = e;
        }
        for (long pauseMillis : RESCAN_PAUSES_MILLIS) {
            if (!worthRescanning(selector, missed) || !Calls.sleep(pauseMillis) || !reinitialise()) {
                break;
            }
            try {
                return token(selector.select(slots()));
            } catch (TokenSelectionException e) {
                missed = e;
            }
        }
        throw missed;
    }

    private static boolean worthRescanning(TokenSelector selector, TokenSelectionException e) {
        boolean missable = selector.kind() == TokenSelector.Kind.LABEL || selector.kind() == TokenSelector.Kind.SERIAL
                || selector.kind() == TokenSelector.Kind.ONLY_INITIALIZED;
        return missable && (e.reason() == TokenSelectionException.Reason.NOT_FOUND
                || e.reason() == TokenSelectionException.Reason.NO_TOKEN_PRESENT);
    }

    /**
     * Starts a fresh initialisation of the module ({@code C_Finalize}, then
     * {@code C_Initialize}), so that its slots are numbered anew, when this handle
     * is the module's only user in the JVM. Some modules give a token its lasting
     * slot id only at {@code C_Initialize}: SoftHSM numbers an initialised token's
     * slot from its serial, so after {@code C_InitToken} the token keeps its old
     * slot id until the module is initialised again, and every other process sees
     * the new one. Call this after initialising a token to see the id others see.
     *
     * <p>Every {@link Token} handle obtained from this module before the call is
     * then stale; the caller must have closed their sessions and must look tokens up
     * again (by label or serial: slot ids may have changed).
     *
     * @return true if the module was initialised again; false when another handle
     *         (or code outside tokenctl) shares the module, which is then left as it was
     * @throws Pkcs11CallException if {@code C_Initialize} fails (the module is then
     *         closed for everyone; the next {@link #open} loads it afresh)
     */
    public boolean restart() throws Pkcs11CallException {
        return reinitialise(true);
    }

    private boolean reinitialise() throws Pkcs11CallException {
        return reinitialise(false);
    }

    /**
     * {@code C_Finalize} then {@code C_Initialize}, when nothing else can be
     * using this initialisation.
     *
     * @param dropTokens forget this handle's token handles (else: give up if there are any)
     * @return false when it is not this handle's to do (nothing was changed)
     */
    private boolean reinitialise(boolean dropTokens) throws Pkcs11CallException {
        synchronized (LOADED) {
            if (closed || loaded.handles != 1 || !loaded.finalizeOnClose
                    || (!dropTokens && !loaded.tokens.isEmpty())) {
                return false;
            }
            loaded.tokens.clear();
            try {
                Calls.run("C_Finalize", () -> loaded.module.finalize(null));
            } catch (Pkcs11CallException e) {
                return false;
            }
            loaded.slots.clear();
            try {
                Calls.run("C_Initialize", loaded.module::initialize);
            } catch (Pkcs11CallException e) {
                // Finalised and not initialised again: the next open must start afresh.
                LOADED.remove(loaded.path);
                throw e;
            }
            return true;
        }
    }

    /**
     * A handle on the token in a slot (one per slot id and module initialisation).
     *
     * @param slot a slot snapshot from {@link #slots()}
     * @return the token handle
     */
    public Token token(Slot slot) {
        ensureOpen();
        return loaded.tokens.computeIfAbsent(slot.id(), id -> new Token(this, id));
    }

    PKCS11 raw() {
        ensureOpen();
        return loaded.module.getPKCS11Module();
    }

    /** The wrapper's object-layer slot, for opening sessions. */
    org.xipki.pkcs11.wrapper.Slot wrapperSlot(long slotId) throws Pkcs11CallException {
        org.xipki.pkcs11.wrapper.Slot s = loaded.slots.get(slotId);
        if (s != null) {
            return s;
        }
        for (org.xipki.pkcs11.wrapper.Slot candidate : Calls.query("C_GetSlotList",
                () -> loaded.module.getSlotList(false))) {
            loaded.slots.putIfAbsent(candidate.getSlotID(), candidate);
        }
        s = loaded.slots.get(slotId);
        if (s == null) {
            throw new Pkcs11CallException("C_GetSlotList", PKCS11Constants.CKR_SLOT_ID_INVALID, null);
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("module handle closed");
        }
    }

    /**
     * An open that comes while the last close of the same file is in C_Finalize waits
     * for it, as long as that close does (caller holds LOADED; the wait releases it,
     * so opens and closes of other modules go on meanwhile).
     *
     * @return the registration for the file afterwards, or null
     */
    private static Loaded awaitFinalize(Path path) {
        Loaded l = LOADED.get(path);
        while (l != null && l.finalizing) {
            long left = l.finalizeDeadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                LOADED.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            l = LOADED.get(path);
        }
        return l;
    }

    /**
     * Releases this handle; the last handle for a file calls {@code C_Finalize}.
     * Idempotent, and never throws: a caller can do nothing about a failed
     * {@code C_Finalize}. The module then stays initialised, so it stays
     * registered: the next {@link #open} reuses it rather than calling
     * {@code C_Initialize} on a module that would answer "already initialised",
     * and the next last close tries {@code C_Finalize} again.
     *
     * <p>{@code C_Finalize} runs on a thread of its own, and the close waits for it
     * {@link #FINALIZE_WAIT} at most: a module that hangs there (the work all done)
     * is left to finish on its own, {@link #stillFinalizing} names it, and an
     * {@link #open} of the same file fails until it returns.
     */
    @Override
    public void close() {
        CompletableFuture<Pkcs11CallException> done;
        synchronized (LOADED) {
            if (closed) {
                return;
            }
            closed = true;
            if (--loaded.handles > 0) {
                return;
            }
            if (!loaded.finalizeOnClose) {
                LOADED.remove(loaded.path);
                return;
            }
            loaded.finalizing = true;
            loaded.finalizeDeadline = System.nanoTime() + FINALIZE_WAIT.toNanos();
            done = finalizeAsync(loaded);
        }
        // waited for without the registry's lock: other modules open and close meanwhile
        try {
            done.get(FINALIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // the finalizing thread completes the bookkeeping when C_Finalize returns
            System.getLogger(Pkcs11Module.class.getName()).log(System.Logger.Level.WARNING,
                    "C_Finalize of " + loaded.path + " did not return within " + FINALIZE_WAIT.toSeconds()
                            + " s; left to finish on its own");
        } catch (ExecutionException e) {
            // not a CKR: a fault in the wrapper itself, as a direct call would have thrown it
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /**
     * Runs {@code C_Finalize} on a daemon thread (it never holds the process up). The
     * thread settles the module's registration when the call returns, however it
     * returns (a CKR, a wrapper fault, even an {@link Error}), then completes the
     * future and wakes opens waiting for the same file.
     *
     * @return completed with null on success, with the call's failure, or exceptionally with a fault
     */
    private static CompletableFuture<Pkcs11CallException> finalizeAsync(Loaded loaded) {
        CompletableFuture<Pkcs11CallException> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Pkcs11CallException failure = null;
            Throwable broken = null;
            try {
                Calls.run("C_Finalize", () -> loaded.module.finalize(null));
            } catch (Pkcs11CallException e) {
                failure = e;
            } catch (RuntimeException | Error e) {
                broken = e; // the module stays registered and initialised, as after a failed C_Finalize
            } finally {
                synchronized (LOADED) {
                    loaded.finalizing = false;
                    if (broken == null) {
                        finalized(loaded, failure);
                    }
                    LOADED.notifyAll();
                }
            }
            if (broken != null) {
                done.completeExceptionally(broken);
            } else {
                done.complete(failure);
            }
        }, "pkcs11-finalize");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** After C_Finalize returned (caller holds LOADED): forget the module, or keep it for the next open. */
    private static void finalized(Loaded loaded, Pkcs11CallException failure) {
        if (failure == null) {
            LOADED.remove(loaded.path);
            loaded.slots.clear();
            loaded.tokens.clear();
        } else {
            System.getLogger(Pkcs11Module.class.getName()).log(System.Logger.Level.DEBUG,
                    "C_Finalize: " + failure.ckrName() + "; the module stays initialised for the next open");
        }
    }

    /**
     * @return the modules whose {@code C_Finalize} a close stopped waiting for and
     *         that have not returned from it yet
     */
    public static List<Path> stillFinalizing() {
        synchronized (LOADED) {
            List<Path> paths = new ArrayList<>();
            for (Loaded l : LOADED.values()) {
                if (l.finalizing) {
                    paths.add(l.path);
                }
            }
            return paths;
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Module[" + loaded.path + "]";
    }
}
