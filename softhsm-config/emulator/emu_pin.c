/*
 * What a vendor's token does with PINs that SoftHSM does not: a retry
 * counter per token serial and PIN kind that locks the PIN after
 * pin.retries / so_pin.retries wrong tries, the PIN flags a real token
 * reports (PKCS#11 v2.40 section 3.2, CK_TOKEN_INFO flags), a PIN length
 * range, and the vendor's manufacturer and model strings.
 *
 * Counting happens only when SoftHSM itself answers CKR_PIN_INCORRECT, so
 * the PIN check stays SoftHSM's; the emulator only remembers and refuses.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

/* A token serial as stored in the state file: the 16 blank-padded bytes of
 * CK_TOKEN_INFO.serialNumber without the padding, with any byte that is
 * not printable ASCII (or is '%') written as %XX so the file stays one
 * whitespace-separated record per line. */
#define SERIAL_KEY_LEN (16 * 3 + 1)

static void serial_key(const CK_TOKEN_INFO *info, char out[SERIAL_KEY_LEN])
{
	size_t len = sizeof(info->serialNumber);
	while (len > 0 && (info->serialNumber[len - 1] == ' ' || info->serialNumber[len - 1] == '\0'))
		len--;
	char *p = out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = info->serialNumber[i];
		if (isgraph(c) && c != '%')
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	*p = '\0';
}

/* The serial of the token in a slot; "" when the token is uninitialised
 * (SoftHSM reports a blank serial then) or cannot be asked: no state is
 * kept for such a token. */
static void slot_serial(CK_SLOT_ID slot, char out[SERIAL_KEY_LEN])
{
	CK_TOKEN_INFO info;
	out[0] = '\0';
	if (emu_softhsm->C_GetTokenInfo(slot, &info) == CKR_OK)
		serial_key(&info, out);
}

/* Serial and state of a session's token.  Returns -1 when SoftHSM does not
 * know the session; the caller then forwards and lets SoftHSM answer. */
static int session_serial(CK_SESSION_HANDLE session, char out[SERIAL_KEY_LEN], CK_STATE *state)
{
	CK_SESSION_INFO info;
	out[0] = '\0';
	if (emu_softhsm->C_GetSessionInfo(session, &info) != CKR_OK)
		return -1;
	if (state)
		*state = info.state;
	slot_serial(info.slotID, out);
	return 0;
}

static unsigned long retries_of(enum emu_pin_kind kind)
{
	return kind == EMU_PIN_SO ? emu_cfg.so_pin_retries : emu_cfg.pin_retries;
}

/* A PIN outside [pin.min, pin.max] is refused before the token sees it, as
 * a vendor's middleware does.  A NULL PIN means the protected
 * authentication path: no length to check. */
static int pin_len_ok(CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	if (pin == NULL)
		return 1;
	if (emu_cfg.pin_min >= 0 && len < (CK_ULONG)emu_cfg.pin_min)
		return 0;
	if (emu_cfg.pin_max >= 0 && len > (CK_ULONG)emu_cfg.pin_max)
		return 0;
	return 1;
}

struct forwarded {
	CK_RV (*call)(const struct forwarded *f);
	CK_SESSION_HANDLE session;
	CK_SLOT_ID slot;
	CK_USER_TYPE user;
	CK_UTF8CHAR_PTR pin, new_pin, label;
	CK_ULONG pin_len, new_len;
};

/* Runs one PIN-verifying call against a counter: refused with
 * CKR_PIN_LOCKED when the counter is used up; counted when SoftHSM says
 * CKR_PIN_INCORRECT; reset when the PIN was accepted.  The state lock is
 * held across the forwarded call, as a card serialises PIN verification:
 * two processes racing on the last try cannot both get a try. */
static CK_RV counted(const char *serial, enum emu_pin_kind kind, const struct forwarded *f)
{
	unsigned long retries = retries_of(kind);
	struct emu_state st;
	CK_RV rv = emu_state_open(&st, emu_cfg.state_file, 1);
	if (rv != CKR_OK)
		return rv;
	unsigned long count = emu_state_get(&st, serial, kind);
	CK_RV state_rv = CKR_OK;
	if (count >= retries) {
		rv = CKR_PIN_LOCKED;
	} else {
		rv = f->call(f);
		if (rv == CKR_PIN_INCORRECT)
			state_rv = emu_state_set(&st, serial, kind, count + 1);
		else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN)
			state_rv = emu_state_set(&st, serial, kind, 0);
	}
	CK_RV close_rv = emu_state_close(&st);
	/* Losing a count silently would make lockout tests lie. */
	if (state_rv != CKR_OK)
		return state_rv;
	return close_rv != CKR_OK ? close_rv : rv;
}

static CK_RV reset_counts(const char *serial, int user, int so)
{
	if (serial[0] == '\0')
		return CKR_OK;
	struct emu_state st;
	CK_RV rv = emu_state_open(&st, emu_cfg.state_file, 1);
	if (rv != CKR_OK)
		return rv;
	if (user)
		rv = emu_state_set(&st, serial, EMU_PIN_USER, 0);
	if (so && rv == CKR_OK)
		rv = emu_state_set(&st, serial, EMU_PIN_SO, 0);
	CK_RV close_rv = emu_state_close(&st);
	return rv != CKR_OK ? rv : close_rv;
}

static void pad(unsigned char *field, size_t size, const char *value)
{
	size_t len = strlen(value);
	if (len > size) {
		len = size;
		/* Do not cut a UTF-8 sequence in half (CK_UTF8CHAR fields). */
		while (len > 0 && ((unsigned char)value[len] & 0xC0) == 0x80)
			len--;
	}
	memset(field, ' ', size);
	memcpy(field, value, len);
}

static CK_FLAGS pin_flags(CK_FLAGS flags, unsigned long count, unsigned long retries,
			  CK_FLAGS count_low, CK_FLAGS final_try, CK_FLAGS locked)
{
	flags &= ~(count_low | final_try | locked);
	if (count >= retries)
		return flags | locked;
	if (count > 0)
		flags |= count_low;
	if (retries - count == 1)
		flags |= final_try;
	return flags;
}

CK_RV emu_pin_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	CK_RV rv = emu_softhsm->C_GetTokenInfo(slot, info);
	if (rv != CKR_OK || info == NULL)
		return rv;
	if (emu_cfg.manufacturer)
		pad(info->manufacturerID, sizeof(info->manufacturerID), emu_cfg.manufacturer);
	if (emu_cfg.model)
		pad(info->model, sizeof(info->model), emu_cfg.model);
	if (emu_cfg.pin_min >= 0)
		info->ulMinPinLen = (CK_ULONG)emu_cfg.pin_min;
	if (emu_cfg.pin_max >= 0)
		info->ulMaxPinLen = (CK_ULONG)emu_cfg.pin_max;
	if (emu_cfg.pin_retries == 0 && emu_cfg.so_pin_retries == 0)
		return CKR_OK;

	char serial[SERIAL_KEY_LEN];
	serial_key(info, serial);
	unsigned long user = 0, so = 0;
	if (serial[0] != '\0') {
		struct emu_state st;
		rv = emu_state_open(&st, emu_cfg.state_file, 0);
		if (rv != CKR_OK)
			return rv;
		user = emu_state_get(&st, serial, EMU_PIN_USER);
		so = emu_state_get(&st, serial, EMU_PIN_SO);
		emu_state_close(&st);
	}
	/* SoftHSM sets CKF_USER_PIN_COUNT_LOW after any wrong login and never
	 * locks; with a counter configured, the flags are the emulator's. */
	if (emu_cfg.pin_retries)
		info->flags = pin_flags(info->flags, user, emu_cfg.pin_retries,
					CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_FINAL_TRY, CKF_USER_PIN_LOCKED);
	if (emu_cfg.so_pin_retries)
		info->flags = pin_flags(info->flags, so, emu_cfg.so_pin_retries,
					CKF_SO_PIN_COUNT_LOW, CKF_SO_PIN_FINAL_TRY, CKF_SO_PIN_LOCKED);
	return CKR_OK;
}

static CK_RV call_login(const struct forwarded *f)
{
	return emu_softhsm->C_Login(f->session, f->user, f->pin, f->pin_len);
}

CK_RV emu_pin_login(CK_SESSION_HANDLE session, CK_USER_TYPE user,
		    CK_UTF8CHAR_PTR pin, CK_ULONG pin_len)
{
	struct forwarded f = { .call = call_login, .session = session, .user = user,
			       .pin = pin, .pin_len = pin_len };
	enum emu_pin_kind kind;
	if (user == CKU_SO)
		kind = EMU_PIN_SO;
	else if (user == CKU_USER || user == CKU_CONTEXT_SPECIFIC)
		kind = EMU_PIN_USER; /* a context-specific login re-verifies the user PIN */
	else
		return call_login(&f);
	char serial[SERIAL_KEY_LEN];
	if (retries_of(kind) == 0 || session_serial(session, serial, NULL) != 0 || serial[0] == '\0')
		return call_login(&f);
	return counted(serial, kind, &f);
}

static CK_RV call_set_pin(const struct forwarded *f)
{
	return emu_softhsm->C_SetPIN(f->session, f->pin, f->pin_len, f->new_pin, f->new_len);
}

CK_RV emu_pin_set_pin(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR old_pin,
		      CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin, CK_ULONG new_len)
{
	if (!pin_len_ok(new_pin, new_len))
		return CKR_PIN_LEN_RANGE;
	struct forwarded f = { .call = call_set_pin, .session = session, .pin = old_pin,
			       .pin_len = old_len, .new_pin = new_pin, .new_len = new_len };
	char serial[SERIAL_KEY_LEN];
	CK_STATE state = 0;
	if (session_serial(session, serial, &state) != 0 || serial[0] == '\0')
		return call_set_pin(&f);
	/* C_SetPIN changes the SO PIN in an SO session and the user PIN
	 * otherwise (v2.40 section 5.6, C_SetPIN). */
	enum emu_pin_kind kind = state == CKS_RW_SO_FUNCTIONS ? EMU_PIN_SO : EMU_PIN_USER;
	if (retries_of(kind) == 0)
		return call_set_pin(&f);
	return counted(serial, kind, &f);
}

CK_RV emu_pin_init_pin(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len)
{
	if (!pin_len_ok(pin, pin_len))
		return CKR_PIN_LEN_RANGE;
	CK_RV rv = emu_softhsm->C_InitPIN(session, pin, pin_len);
	if (rv != CKR_OK || emu_cfg.pin_retries == 0)
		return rv;
	/* The SO setting a new user PIN is how a bank unblocks a token. */
	char serial[SERIAL_KEY_LEN];
	if (session_serial(session, serial, NULL) != 0)
		return rv;
	return reset_counts(serial, 1, 0);
}

static CK_RV call_init_token(const struct forwarded *f)
{
	return emu_softhsm->C_InitToken(f->slot, f->pin, f->pin_len, f->label);
}

CK_RV emu_pin_init_token(CK_SLOT_ID slot, CK_UTF8CHAR_PTR so_pin,
			 CK_ULONG so_pin_len, CK_UTF8CHAR_PTR label)
{
	if (emu_cfg.refuse_init_token)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (!pin_len_ok(so_pin, so_pin_len))
		return CKR_PIN_LEN_RANGE;
	struct forwarded f = { .call = call_init_token, .slot = slot, .pin = so_pin,
			       .pin_len = so_pin_len, .label = label };
	if (emu_cfg.pin_retries == 0 && emu_cfg.so_pin_retries == 0)
		return call_init_token(&f);

	char before[SERIAL_KEY_LEN];
	slot_serial(slot, before);
	/* Re-initialising an initialised token checks its SO PIN. */
	CK_RV rv = (emu_cfg.so_pin_retries && before[0] != '\0')
			   ? counted(before, EMU_PIN_SO, &f)
			   : call_init_token(&f);
	if (rv != CKR_OK)
		return rv;
	/* A fresh token has fresh counters.  SoftHSM may give the token a new
	 * serial, so clear the counters of both. */
	char after[SERIAL_KEY_LEN];
	slot_serial(slot, after);
	rv = reset_counts(before, 1, 1);
	if (rv == CKR_OK && strcmp(before, after) != 0)
		rv = reset_counts(after, 1, 1);
	return rv;
}
