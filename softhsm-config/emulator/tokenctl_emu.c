/*
 * tokenctl vendor emulator: the module's entry point, its lifecycle
 * (C_Initialize / C_Finalize), fault injection and the forwarding of every
 * other PKCS#11 v2.40 function to SoftHSM2 (through emu_pin.c for the PIN
 * calls, emu_keygen.c for C_GenerateKeyPair, emu_sm2.c for the calls SM2
 * keys change).
 *
 * Locking: a read-write lock guards the lifecycle.  Every call holds it for
 * reading while it runs, so calls from many threads (CKF_OS_LOCKING_OK)
 * proceed in parallel, as they do in SoftHSM; C_Initialize and C_Finalize
 * hold it for writing, so SoftHSM is never unloaded under a running call.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "emu.h"

#define EMU_EXPORT __attribute__((visibility("default")))

CK_FUNCTION_LIST_PTR emu_softhsm;
struct emu_config emu_cfg;

static pthread_rwlock_t life_lock = PTHREAD_RWLOCK_INITIALIZER;
static int initialized;
static void *softhsm_handle;

/* Fault counters since the last C_Initialize.  The lifecycle read lock is
 * shared, so they need their own mutex. */
static pthread_mutex_t fault_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned long calls_of[EMU_FN_COUNT];
static unsigned long calls_any;

void emu_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf so the line reaches stderr whole. */
	fprintf(stderr, "tokenctl-emu: %s\n", line);
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Counts this call and says whether the configured fault hits it.
 * fault.call K is 1-based: the K-th call of fault.function since
 * C_Initialize, or for "any" the K-th call of any function after
 * C_Initialize (C_Initialize itself is call 0 and never hit by "any").
 */
static int fault_hits(int fn)
{
	pthread_mutex_lock(&fault_mutex);
	unsigned long own = ++calls_of[fn];
	unsigned long any = fn == EMU_FN_C_Initialize ? 0 : ++calls_any;
	pthread_mutex_unlock(&fault_mutex);

	unsigned long n;
	if (emu_cfg.fault_fn == EMU_FAULT_ANY)
		n = any;
	else if (emu_cfg.fault_fn == fn)
		n = own;
	else
		return 0;
	if (n == 0)
		return 0;
	return n == emu_cfg.fault_call || (emu_cfg.fault_always && n > emu_cfg.fault_call);
}

/*
 * Start of every call but C_Initialize, C_Finalize and C_GetFunctionList.
 * Returns 1 with *rv set when the call must not be forwarded (not
 * initialised, or faulted); the lock is then released.  Returns 0 with
 * the read lock held; the caller forwards and ends with call_end().
 */
static int call_begin(int fn, CK_RV *rv)
{
	pthread_rwlock_rdlock(&life_lock);
	if (!initialized) {
		pthread_rwlock_unlock(&life_lock);
		*rv = CKR_CRYPTOKI_NOT_INITIALIZED;
		return 1;
	}
	if (!fault_hits(fn))
		return 0;
	if (emu_cfg.fault_delay_ms) {
		/* A hanging token: sleep without the lock, so that a caller
		 * giving up can still C_Finalize. */
		unsigned long delay = emu_cfg.fault_delay_ms;
		pthread_rwlock_unlock(&life_lock);
		sleep_ms(delay);
		pthread_rwlock_rdlock(&life_lock);
		if (!initialized) {
			pthread_rwlock_unlock(&life_lock);
			*rv = CKR_CRYPTOKI_NOT_INITIALIZED;
			return 1;
		}
	}
	if (!emu_cfg.fault_has_rv)
		return 0;
	*rv = emu_cfg.fault_rv;
	emu_trace_write(fn, *rv);
	pthread_rwlock_unlock(&life_lock);
	return 1;
}

static CK_RV call_end(int fn, CK_RV rv)
{
	emu_trace_write(fn, rv);
	pthread_rwlock_unlock(&life_lock);
	return rv;
}

/* A call that the emulator forwards unchanged. */
#define FORWARD(NAME, PARAMS, ARGS)                              \
	static CK_RV emu_##NAME PARAMS                           \
	{                                                        \
		CK_RV rv;                                        \
		if (call_begin(EMU_FN_##NAME, &rv))              \
			return rv;                               \
		return call_end(EMU_FN_##NAME, emu_softhsm->NAME ARGS); \
	}

/* A call whose behaviour emu_pin.c or emu_keygen.c changes. */
#define ROUTE(NAME, HANDLER, PARAMS, ARGS)                       \
	static CK_RV emu_##NAME PARAMS                           \
	{                                                        \
		CK_RV rv;                                        \
		if (call_begin(EMU_FN_##NAME, &rv))              \
			return rv;                               \
		return call_end(EMU_FN_##NAME, HANDLER ARGS);    \
	}

/* A call naming a slot: with hot-plug, the port is translated to its token's SoftHSM slot first. */
#define SLOT_ROUTE(NAME, HANDLER, PARAMS, ARGS)                  \
	static CK_RV emu_##NAME PARAMS                           \
	{                                                        \
		CK_RV rv;                                        \
		if (call_begin(EMU_FN_##NAME, &rv))              \
			return rv;                               \
		rv = emu_hotplug_slot(&slot);                    \
		if (rv != CKR_OK)                                \
			return call_end(EMU_FN_##NAME, rv);      \
		return call_end(EMU_FN_##NAME, HANDLER ARGS);    \
	}

/* A call on a session: with hot-plug, one whose token was pulled is refused first. */
#define SESSION_ROUTE(NAME, HANDLER, PARAMS, ARGS)               \
	static CK_RV emu_##NAME PARAMS                           \
	{                                                        \
		CK_RV rv;                                        \
		if (call_begin(EMU_FN_##NAME, &rv))              \
			return rv;                               \
		rv = emu_hotplug_session(s);                     \
		if (rv != CKR_OK)                                \
			return call_end(EMU_FN_##NAME, rv);      \
		return call_end(EMU_FN_##NAME, HANDLER ARGS);    \
	}
#define SESSION_FORWARD(NAME, PARAMS, ARGS) SESSION_ROUTE(NAME, emu_softhsm->NAME, PARAMS, ARGS)

static void unload_softhsm(void)
{
	if (softhsm_handle)
		dlclose(softhsm_handle);
	softhsm_handle = NULL;
	emu_softhsm = NULL;
}

static CK_RV load_softhsm(void)
{
	/* RTLD_LOCAL: SoftHSM's symbols must not leak into the global scope
	 * the caller (or another module) resolves against. */
	softhsm_handle = dlopen(emu_cfg.softhsm_module, RTLD_NOW | RTLD_LOCAL);
	if (!softhsm_handle) {
		emu_log("cannot load softhsm.module %s: %s (C_Initialize returns CKR_GENERAL_ERROR)",
			emu_cfg.softhsm_module, dlerror());
		return CKR_GENERAL_ERROR;
	}
	CK_C_GetFunctionList get_list;
	*(void **)&get_list = dlsym(softhsm_handle, "C_GetFunctionList");
	CK_FUNCTION_LIST_PTR list = NULL;
	if (!get_list || get_list(&list) != CKR_OK || !list) {
		emu_log("softhsm.module %s has no usable C_GetFunctionList (C_Initialize returns CKR_GENERAL_ERROR)",
			emu_cfg.softhsm_module);
		unload_softhsm();
		return CKR_GENERAL_ERROR;
	}
	emu_softhsm = list;
	return CKR_OK;
}

static void reset_fault_counters(void)
{
	pthread_mutex_lock(&fault_mutex);
	for (int i = 0; i < EMU_FN_COUNT; i++)
		calls_of[i] = 0;
	calls_any = 0;
	pthread_mutex_unlock(&fault_mutex);
}

/* Undoes a C_Initialize that got as far as reading the config. */
static void teardown(void)
{
	emu_trace_close();
	emu_config_free(&emu_cfg);
}

static CK_RV emu_C_Initialize(CK_VOID_PTR init_args)
{
	pthread_rwlock_wrlock(&life_lock);
	if (initialized) {
		emu_trace_write(EMU_FN_C_Initialize, CKR_CRYPTOKI_ALREADY_INITIALIZED);
		pthread_rwlock_unlock(&life_lock);
		return CKR_CRYPTOKI_ALREADY_INITIALIZED;
	}
	/* Tests change the config between C_Finalize and C_Initialize in one
	 * process, so it is read afresh every time. */
	if (emu_config_load(&emu_cfg) != 0) {
		pthread_rwlock_unlock(&life_lock);
		return CKR_GENERAL_ERROR;
	}
	if (emu_cfg.trace_file && emu_trace_open(emu_cfg.trace_file) != 0) {
		teardown();
		pthread_rwlock_unlock(&life_lock);
		return CKR_GENERAL_ERROR;
	}
	reset_fault_counters();

	CK_RV rv = CKR_OK;
	if (fault_hits(EMU_FN_C_Initialize)) {
		if (emu_cfg.fault_delay_ms)
			sleep_ms(emu_cfg.fault_delay_ms);
		if (emu_cfg.fault_has_rv)
			rv = emu_cfg.fault_rv;
	}
	if (rv == CKR_OK)
		rv = load_softhsm();
	if (rv == CKR_OK) {
		rv = emu_softhsm->C_Initialize(init_args);
		if (rv != CKR_OK)
			unload_softhsm();
	}
	if (rv == CKR_OK)
		emu_hotplug_init();
	emu_trace_write(EMU_FN_C_Initialize, rv);
	if (rv == CKR_OK)
		initialized = 1;
	else
		teardown();
	pthread_rwlock_unlock(&life_lock);
	return rv;
}

/*
 * A faulted C_Finalize returns the fault's rv and leaves everything as it
 * was (SoftHSM initialised, trace open): a module whose C_Finalize fails
 * is still initialised, and the caller may try again.
 */
static CK_RV emu_C_Finalize(CK_VOID_PTR reserved)
{
	pthread_rwlock_wrlock(&life_lock);
	if (!initialized) {
		pthread_rwlock_unlock(&life_lock);
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	}
	CK_RV rv = CKR_OK;
	if (fault_hits(EMU_FN_C_Finalize)) {
		if (emu_cfg.fault_delay_ms)
			sleep_ms(emu_cfg.fault_delay_ms);
		if (emu_cfg.fault_has_rv)
			rv = emu_cfg.fault_rv;
	}
	if (rv == CKR_OK)
		rv = emu_softhsm->C_Finalize(reserved);
	emu_trace_write(EMU_FN_C_Finalize, rv);
	if (rv == CKR_OK) {
		emu_sm2_reset();
		emu_hotplug_reset();
		unload_softhsm();
		teardown();
		initialized = 0;
	}
	pthread_rwlock_unlock(&life_lock);
	return rv;
}

FORWARD(C_GetInfo, (CK_INFO_PTR info), (info))

SLOT_ROUTE(C_GetTokenInfo, emu_pin_get_token_info,
      (CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info), (slot, info))
SLOT_ROUTE(C_InitToken, emu_pin_init_token,
      (CK_SLOT_ID slot, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len, CK_UTF8CHAR_PTR label),
      (slot, pin, pin_len, label))
SESSION_ROUTE(C_InitPIN, emu_pin_init_pin,
      (CK_SESSION_HANDLE s, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len), (s, pin, pin_len))
SESSION_ROUTE(C_SetPIN, emu_pin_set_pin,
      (CK_SESSION_HANDLE s, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len,
       CK_UTF8CHAR_PTR new_pin, CK_ULONG new_len),
      (s, old_pin, old_len, new_pin, new_len))
SESSION_ROUTE(C_Login, emu_pin_login,
      (CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len),
      (s, user, pin, pin_len))

static CK_RV slot_list(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
	return emu_hotplug_enabled() ? emu_hotplug_get_slot_list(present, list, count)
				     : emu_softhsm->C_GetSlotList(present, list, count);
}

static CK_RV slot_info(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
	return emu_hotplug_enabled() ? emu_hotplug_get_slot_info(slot, info)
				     : emu_softhsm->C_GetSlotInfo(slot, info);
}

ROUTE(C_GetSlotList, slot_list, (CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count),
      (present, list, count))
ROUTE(C_GetSlotInfo, slot_info, (CK_SLOT_ID slot, CK_SLOT_INFO_PTR info), (slot, info))
SLOT_ROUTE(C_GetMechanismList, emu_sm2_get_mechanism_list,
      (CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count), (slot, list, count))
SLOT_ROUTE(C_GetMechanismInfo, emu_sm2_get_mechanism_info,
      (CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info), (slot, type, info))
static CK_RV emu_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
				CK_SESSION_HANDLE_PTR s)
{
	CK_RV rv;
	if (call_begin(EMU_FN_C_OpenSession, &rv))
		return rv;
	CK_SLOT_ID port = slot;
	rv = emu_hotplug_slot(&slot);
	if (rv == CKR_OK)
		rv = emu_softhsm->C_OpenSession(slot, flags, app, notify, s);
	if (rv == CKR_OK)
		emu_hotplug_opened(port, *s);
	return call_end(EMU_FN_C_OpenSession, rv);
}

static CK_RV emu_C_CloseSession(CK_SESSION_HANDLE s)
{
	CK_RV rv;
	if (call_begin(EMU_FN_C_CloseSession, &rv))
		return rv;
	rv = emu_hotplug_session(s);
	if (rv == CKR_OK)
		rv = emu_sm2_close_session(s);
	if (rv == CKR_OK || rv == CKR_DEVICE_REMOVED || rv == CKR_SESSION_HANDLE_INVALID)
		emu_hotplug_closed(s);
	return call_end(EMU_FN_C_CloseSession, rv);
}

static CK_RV emu_C_CloseAllSessions(CK_SLOT_ID slot)
{
	CK_RV rv;
	if (call_begin(EMU_FN_C_CloseAllSessions, &rv))
		return rv;
	CK_SLOT_ID port = slot;
	rv = emu_hotplug_slot(&slot);
	if (rv == CKR_OK)
		rv = emu_sm2_close_all_sessions(slot);
	if (rv == CKR_OK)
		emu_hotplug_closed_all(port);
	return call_end(EMU_FN_C_CloseAllSessions, rv);
}
SESSION_FORWARD(C_GetSessionInfo, (CK_SESSION_HANDLE s, CK_SESSION_INFO_PTR info), (s, info))
SESSION_FORWARD(C_GetOperationState, (CK_SESSION_HANDLE s, CK_BYTE_PTR state, CK_ULONG_PTR len),
	(s, state, len))
SESSION_FORWARD(C_SetOperationState,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR state, CK_ULONG len, CK_OBJECT_HANDLE enc_key,
	 CK_OBJECT_HANDLE auth_key),
	(s, state, len, enc_key, auth_key))
SESSION_FORWARD(C_Logout, (CK_SESSION_HANDLE s), (s))
SESSION_FORWARD(C_CreateObject,
	(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n, CK_OBJECT_HANDLE_PTR obj),
	(s, tmpl, n, obj))
SESSION_FORWARD(C_CopyObject,
	(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n,
	 CK_OBJECT_HANDLE_PTR new_obj),
	(s, obj, tmpl, n, new_obj))
SESSION_FORWARD(C_DestroyObject, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj), (s, obj))
SESSION_FORWARD(C_GetObjectSize, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ULONG_PTR size),
	(s, obj, size))
SESSION_ROUTE(C_GetAttributeValue, emu_sm2_get_attribute_value,
      (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n),
      (s, obj, tmpl, n))
SESSION_ROUTE(C_SetAttributeValue, emu_sm2_set_attribute_value,
      (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n),
      (s, obj, tmpl, n))
SESSION_ROUTE(C_FindObjectsInit, emu_sm2_find_objects_init,
      (CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n), (s, tmpl, n))
SESSION_FORWARD(C_FindObjects,
	(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE_PTR objs, CK_ULONG max, CK_ULONG_PTR found),
	(s, objs, max, found))
SESSION_FORWARD(C_FindObjectsFinal, (CK_SESSION_HANDLE s), (s))
SESSION_FORWARD(C_EncryptInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key),
	(s, mech, key))
SESSION_FORWARD(C_Encrypt,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_EncryptUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_EncryptFinal, (CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, out, out_len))
SESSION_FORWARD(C_DecryptInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key),
	(s, mech, key))
SESSION_FORWARD(C_Decrypt,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_DecryptUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_DecryptFinal, (CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, out, out_len))
SESSION_FORWARD(C_DigestInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech), (s, mech))
SESSION_FORWARD(C_Digest,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_DigestUpdate, (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len), (s, in, in_len))
SESSION_FORWARD(C_DigestKey, (CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key), (s, key))
SESSION_FORWARD(C_DigestFinal, (CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, out, out_len))
SESSION_ROUTE(C_SignInit, emu_sm2_sign_init,
      (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key), (s, mech, key))
SESSION_ROUTE(C_Sign, emu_sm2_sign,
      (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len),
      (s, in, in_len, sig, sig_len))
SESSION_ROUTE(C_SignUpdate, emu_sm2_sign_update,
      (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len), (s, in, in_len))
SESSION_ROUTE(C_SignFinal, emu_sm2_sign_final,
      (CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len), (s, sig, sig_len))
SESSION_FORWARD(C_SignRecoverInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key),
	(s, mech, key))
SESSION_FORWARD(C_SignRecover,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len),
	(s, in, in_len, sig, sig_len))
SESSION_FORWARD(C_VerifyInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key),
	(s, mech, key))
SESSION_FORWARD(C_Verify,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG sig_len),
	(s, in, in_len, sig, sig_len))
SESSION_FORWARD(C_VerifyUpdate, (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len), (s, in, in_len))
SESSION_FORWARD(C_VerifyFinal, (CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG sig_len),
	(s, sig, sig_len))
SESSION_FORWARD(C_VerifyRecoverInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key),
	(s, mech, key))
SESSION_FORWARD(C_VerifyRecover,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG sig_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, sig, sig_len, out, out_len))
SESSION_FORWARD(C_DigestEncryptUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_DecryptDigestUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_SignEncryptUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_DecryptVerifyUpdate,
	(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, in, in_len, out, out_len))
SESSION_FORWARD(C_GenerateKey,
	(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n,
	 CK_OBJECT_HANDLE_PTR key),
	(s, mech, tmpl, n, key))
SESSION_ROUTE(C_GenerateKeyPair, emu_sm2_generate_key_pair,
	(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_ATTRIBUTE_PTR pub_tmpl, CK_ULONG pub_n,
	 CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_n, CK_OBJECT_HANDLE_PTR pub,
	 CK_OBJECT_HANDLE_PTR priv),
	(s, mech, pub_tmpl, pub_n, priv_tmpl, priv_n, pub, priv))
SESSION_FORWARD(C_WrapKey,
	(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key,
	 CK_BYTE_PTR out, CK_ULONG_PTR out_len),
	(s, mech, wrapping, key, out, out_len))
SESSION_FORWARD(C_UnwrapKey,
	(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE unwrapping, CK_BYTE_PTR in,
	 CK_ULONG in_len, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n, CK_OBJECT_HANDLE_PTR key),
	(s, mech, unwrapping, in, in_len, tmpl, n, key))
SESSION_FORWARD(C_DeriveKey,
	(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE base, CK_ATTRIBUTE_PTR tmpl,
	 CK_ULONG n, CK_OBJECT_HANDLE_PTR key),
	(s, mech, base, tmpl, n, key))
SESSION_FORWARD(C_SeedRandom, (CK_SESSION_HANDLE s, CK_BYTE_PTR seed, CK_ULONG len), (s, seed, len))
SESSION_FORWARD(C_GenerateRandom, (CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG len), (s, out, len))
SESSION_FORWARD(C_GetFunctionStatus, (CK_SESSION_HANDLE s), (s))
SESSION_FORWARD(C_CancelFunction, (CK_SESSION_HANDLE s), (s))
/*
 * Without hot-plug, SoftHSM's answer (CKR_FUNCTION_NOT_SUPPORTED).  With it,
 * the next plug or pull not yet reported; CKF_DONT_BLOCK answers CKR_NO_EVENT
 * when there is none, else the call waits, looking every 20 ms, without the
 * lifecycle lock, so that C_Finalize from another thread ends the wait with
 * CKR_CRYPTOKI_NOT_INITIALIZED (PKCS#11 v2.40 section 5.5).
 */
static CK_RV emu_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved)
{
	CK_RV rv;
	if (call_begin(EMU_FN_C_WaitForSlotEvent, &rv))
		return rv;
	if (!emu_hotplug_enabled())
		return call_end(EMU_FN_C_WaitForSlotEvent, emu_softhsm->C_WaitForSlotEvent(flags, slot, reserved));
	if (slot == NULL || reserved != NULL)
		return call_end(EMU_FN_C_WaitForSlotEvent, CKR_ARGUMENTS_BAD);
	while (!emu_hotplug_next_event(slot)) {
		if (flags & CKF_DONT_BLOCK)
			return call_end(EMU_FN_C_WaitForSlotEvent, CKR_NO_EVENT);
		pthread_rwlock_unlock(&life_lock);
		sleep_ms(20);
		pthread_rwlock_rdlock(&life_lock);
		if (!initialized) {
			pthread_rwlock_unlock(&life_lock);
			return CKR_CRYPTOKI_NOT_INITIALIZED;
		}
	}
	return call_end(EMU_FN_C_WaitForSlotEvent, CKR_OK);
}

static CK_RV emu_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

/* Every slot of the v2.40 list, filled from the one list in
 * emu_functions.h: a function missing there is a missing emu_ wrapper,
 * which fails the build. */
#define EMU_FN_SLOT(name) .name = emu_##name,
static CK_FUNCTION_LIST function_list = {
	.version = { CRYPTOKI_VERSION_MAJOR, CRYPTOKI_VERSION_MINOR },
	EMU_FUNCTIONS(EMU_FN_SLOT)
};
#undef EMU_FN_SLOT

_Static_assert(sizeof(CK_FUNCTION_LIST) ==
		       offsetof(CK_FUNCTION_LIST, C_Initialize) + EMU_FN_COUNT * sizeof(CK_C_Initialize),
	       "emu_functions.h must list every function of the header's CK_FUNCTION_LIST");

static CK_RV emu_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	if (list == NULL)
		return CKR_ARGUMENTS_BAD;
	*list = &function_list;
	return CKR_OK;
}

/*
 * The only exported symbol.  Exporting C_Initialize & co. as well would be
 * dangerous here: SoftHSM's own function list refers to its C_* functions
 * by symbol (R_X86_64_64 relocations), so if this module were loaded
 * RTLD_GLOBAL or preloaded, SoftHSM's table would bind to the emulator's
 * functions and every forwarded call would recurse.  Callers (pkcs11-tool,
 * p11-kit, the xipki JNI wrapper) all go through C_GetFunctionList; the
 * xipki wrapper also looks for C_GetInterfaceList and, finding none, uses
 * this v2.40 list.
 */
EMU_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	return emu_C_GetFunctionList(list);
}
