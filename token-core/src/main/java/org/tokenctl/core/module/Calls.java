package org.tokenctl.core.module;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where the wrapper's exceptions become {@link Pkcs11CallException}.
 *
 * <p>Both layers of the xipki wrapper throw their own {@code PKCS11Exception}:
 * the object layer ({@code org.xipki.pkcs11.wrapper}) and the raw JNI layer
 * ({@code iaik.pkcs.pkcs11.wrapper}); both carry a CK_RV and nothing secret.
 */
public final class Calls {

    /** A PKCS#11 call that returns a value. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * @return the call's result
         * @throws Exception the wrapper's exception
         */
        T run() throws Exception;
    }

    /** A PKCS#11 call that returns nothing. */
    @FunctionalInterface
    public interface VoidCall {
        /** @throws Exception the wrapper's exception */
        void run() throws Exception;
    }

    private static final Map<Thread, String> IN_FLIGHT = new ConcurrentHashMap<>();

    private Calls() {
    }

    /**
     * Runs a call and converts the wrapper's failure.
     *
     * @param function the PKCS#11 function name, for the error
     * @param call the call
     * @param <T> its result type
     * @return its result
     * @throws Pkcs11CallException if the function returned an error
     */
    public static <T> T call(String function, Call<T> call) throws Pkcs11CallException {
        Thread me = Thread.currentThread();
        IN_FLIGHT.put(me, function);
        try {
            return call.run();
        } catch (org.xipki.pkcs11.wrapper.PKCS11Exception e) {
            throw new Pkcs11CallException(function, e.getErrorCode(), e);
        } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
            throw new Pkcs11CallException(function, e.getErrorCode(), e);
        } catch (org.xipki.pkcs11.wrapper.TokenException e) {
            // the object layer's non-CKR failures (e.g. "found more than one object")
            throw new Pkcs11CallException(function, org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Pkcs11CallException(function, org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR, e);
        } finally {
            IN_FLIGHT.remove(me);
        }
    }

    /** Pauses before each retry of a {@link #query}. */
    private static final long[] QUERY_RETRY_PAUSES_MILLIS = {10, 100};

    /**
     * Runs a call that only reads (slot list, slot or token information) and so
     * may be repeated freely: no PIN try, no object, no state depends on it. When
     * it answers {@code CKR_GENERAL_ERROR} it is tried again, twice at most after
     * a short pause. SoftHSM answers so when another process is rewriting the
     * token's files at that instant; a module that means it answers so again.
     *
     * @param function the PKCS#11 function name, for the error
     * @param call the read-only call
     * @param <T> its result type
     * @return its result
     * @throws Pkcs11CallException if the function returned an error (the last one)
     */
    public static <T> T query(String function, Call<T> call) throws Pkcs11CallException {
        for (long pause : QUERY_RETRY_PAUSES_MILLIS) {
            try {
                return call(function, call);
            } catch (Pkcs11CallException e) {
                if (e.ckr() != org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR || !sleep(pause)) {
                    throw e;
                }
            }
        }
        return call(function, call);
    }

    /**
     * @param millis how long to pause
     * @return false when interrupted (the interrupt flag is set again)
     */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The PKCS#11 functions running right now, by thread. A PKCS#11 call cannot be
     * interrupted (it is a native call into the module), so a caller that must bound
     * the time an operation takes can only give up on it; this says what it gave up on.
     *
     * @return a snapshot: thread to function name
     */
    public static Map<Thread, String> inFlight() {
        return Map.copyOf(IN_FLIGHT);
    }

    /**
     * Runs a call that returns nothing and converts the wrapper's failure.
     *
     * @param function the PKCS#11 function name, for the error
     * @param call the call
     * @throws Pkcs11CallException if the function returned an error
     */
    public static void run(String function, VoidCall call) throws Pkcs11CallException {
        call(function, () -> {
            call.run();
            return null;
        });
    }
}
