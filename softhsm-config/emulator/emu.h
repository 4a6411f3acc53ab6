/*
 * tokenctl vendor emulator: a PKCS#11 module that forwards every call to
 * SoftHSM2 and, per a config file, makes it behave like a vendor's token
 * (PIN retry counter and lock, vendor token info, refusal of C_InitToken,
 * a key-generation template partly ignored, injected faults).  See softhsm-config/README.md, "Vendor emulator".
 *
 * Declarations shared by the emulator's translation units.
 */
#ifndef TOKENCTL_EMU_H
#define TOKENCTL_EMU_H

#include <stddef.h>
#include <pkcs11.h>

#include "emu_functions.h"

#define EMU_CONF_ENV "TOKENCTL_EMULATOR_CONF"

/* fault.function = any */
#define EMU_FAULT_ANY (-2)
/* no fault.function configured */
#define EMU_FAULT_NONE (-1)

/* keygen.ignore: private-key template attributes C_GenerateKeyPair sets
 * to a careless token's value (emu_keygen.c). */
#define EMU_IGNORE_SENSITIVE (1u << 0)   /* -> CK_FALSE */
#define EMU_IGNORE_EXTRACTABLE (1u << 1) /* -> CK_TRUE */
#define EMU_IGNORE_DECRYPT (1u << 2)     /* -> CK_TRUE */
#define EMU_IGNORE_UNWRAP (1u << 3)      /* -> CK_TRUE */
#define EMU_IGNORE_DERIVE (1u << 4)      /* -> CK_TRUE */
#define EMU_IGNORE_SIGN_RECOVER (1u << 5) /* -> CK_TRUE */

/* Everything the config file says, read at each C_Initialize. */
struct emu_config {
	char *conf_path;
	char *softhsm_module;
	char *manufacturer;       /* NULL: pass SoftHSM's through */
	char *model;              /* NULL: pass SoftHSM's through */
	long pin_min;             /* -1: pass through, no length check */
	long pin_max;             /* -1: pass through, no length check */
	unsigned long pin_retries;     /* 0: no counter */
	unsigned long so_pin_retries;  /* 0: no counter */
	int refuse_init_token;
	unsigned keygen_ignore;   /* EMU_IGNORE_* bits; 0: forward the template */
	int fault_fn;             /* enum emu_fn, EMU_FAULT_ANY or EMU_FAULT_NONE */
	unsigned long fault_call;
	int fault_has_rv;
	CK_RV fault_rv;
	int fault_always;
	unsigned long fault_delay_ms;
	char *trace_file;         /* NULL: no trace */
	char *state_file;
	/* sm2.*: a vendor's SM2 (emu_sm2.c); sm2_key_type 0: no SM2 */
	CK_KEY_TYPE sm2_key_type;
	CK_MECHANISM_TYPE sm2_keygen;
	CK_MECHANISM_TYPE sm2_sign;
	int sm2_sign_digest;      /* 1: C_Sign takes e = SM3(Z || M); 0: the message (the token does Z and SM3) */
	int sm2_signature_der;    /* 1: DER SEQUENCE { r, s }; 0: r || s, 32 bytes each */
	int sm2_private_ec_point; /* 1: the private key answers CKA_EC_POINT */
	/* hotplug.*: reader slots whose tokens are plugged and pulled (emu_hotplug.c) */
	char *hotplug_present;    /* NULL: no hot-plug, SoftHSM's slots as they are */
	unsigned long hotplug_ports;
};

/* emu_config.c */
/* Reads the file named by TOKENCTL_EMULATOR_CONF.  On failure writes one
 * line to stderr and returns -1 (cfg then holds nothing to free). */
int emu_config_load(struct emu_config *cfg);
void emu_config_free(struct emu_config *cfg);

/* emu_names.c */
const char *emu_fn_name(int fn);
/* Returns the enum emu_fn for a name, or -1. */
int emu_fn_by_name(const char *name);
/* CKR name for rv, or NULL when the header has none. */
const char *emu_ckr_name(CK_RV rv);
/* Parses a CKR name or a decimal / 0x-hex number; 0 on success. */
int emu_ckr_parse(const char *text, CK_RV *rv);

/* emu_trace.c */
int emu_trace_open(const char *path);
void emu_trace_write(int fn, CK_RV rv);
void emu_trace_close(void);

/* emu_state.c: retry counters persisted in the state file. */
enum emu_pin_kind { EMU_PIN_USER = 0, EMU_PIN_SO = 1 };
struct emu_state_entry {
	char *serial;
	enum emu_pin_kind kind;
	unsigned long count;
};
struct emu_state {
	const char *path;
	int lock_fd;
	int dirty;
	size_t n, cap;
	struct emu_state_entry *entries;
};
/* Takes the in-process mutex and an flock on "<path>.lock", then loads the
 * file.  Every successful emu_state_open must be paired with
 * emu_state_close. */
CK_RV emu_state_open(struct emu_state *st, const char *path, int exclusive);
unsigned long emu_state_get(const struct emu_state *st, const char *serial,
			    enum emu_pin_kind kind);
CK_RV emu_state_set(struct emu_state *st, const char *serial,
		    enum emu_pin_kind kind, unsigned long count);
/* Writes the file if changed (temp file + rename), unlocks, frees. */
CK_RV emu_state_close(struct emu_state *st);

/* emu_pin.c: the calls the PIN rules change.  Called with the emulator
 * initialised and its read lock held. */
CK_RV emu_pin_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info);
CK_RV emu_pin_login(CK_SESSION_HANDLE session, CK_USER_TYPE user,
		    CK_UTF8CHAR_PTR pin, CK_ULONG pin_len);
CK_RV emu_pin_set_pin(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR old_pin,
		      CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin,
		      CK_ULONG new_len);
CK_RV emu_pin_init_pin(CK_SESSION_HANDLE session, CK_UTF8CHAR_PTR pin,
		       CK_ULONG pin_len);
CK_RV emu_pin_init_token(CK_SLOT_ID slot, CK_UTF8CHAR_PTR so_pin,
			 CK_ULONG so_pin_len, CK_UTF8CHAR_PTR label);

/* emu_keygen.c */
/* Parses keygen.ignore's comma-separated CKA_ names into EMU_IGNORE_* bits;
 * returns NULL, or why the list is refused. */
const char *emu_keygen_parse(const char *list, unsigned *mask);
/* C_GenerateKeyPair with keygen.ignore applied to a copy of the private-key
 * template.  Called with the emulator initialised and its read lock held. */
CK_RV emu_keygen_generate_key_pair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech,
				   CK_ATTRIBUTE_PTR pub_tmpl, CK_ULONG pub_n,
				   CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_n,
				   CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv);

/* emu_sm2.c: SM2 under the vendor's constants (sm2.* keys), with OpenSSL.
 * SoftHSM stores an SM2 key as a CKK_EC key on curve sm2p256v1 (the private
 * value readable by the emulator only); the emulator presents it as the
 * vendor's key type, sensitive and never extractable, and signs with it.
 * Each function is called with the emulator initialised and its read lock
 * held; with no sm2.key_type each one forwards to SoftHSM unchanged. */
CK_RV emu_sm2_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count);
CK_RV emu_sm2_get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info);
CK_RV emu_sm2_generate_key_pair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech,
				CK_ATTRIBUTE_PTR pub_tmpl, CK_ULONG pub_n,
				CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_n,
				CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv);
CK_RV emu_sm2_get_attribute_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n);
CK_RV emu_sm2_set_attribute_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n);
CK_RV emu_sm2_find_objects_init(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n);
CK_RV emu_sm2_sign_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key);
CK_RV emu_sm2_sign(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len);
CK_RV emu_sm2_sign_update(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len);
CK_RV emu_sm2_sign_final(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len);
CK_RV emu_sm2_close_session(CK_SESSION_HANDLE s);
CK_RV emu_sm2_close_all_sessions(CK_SLOT_ID slot);
/* Forgets every SM2 operation (C_Finalize). */
void emu_sm2_reset(void);

/* tokenctl_emu.c: valid between a successful C_Initialize and C_Finalize. */
int emu_hotplug_enabled(void);
void emu_hotplug_init(void);
void emu_hotplug_reset(void);
CK_RV emu_hotplug_slot(CK_SLOT_ID *slot);
CK_RV emu_hotplug_session(CK_SESSION_HANDLE s);
void emu_hotplug_opened(CK_SLOT_ID port, CK_SESSION_HANDLE s);
void emu_hotplug_closed(CK_SESSION_HANDLE s);
void emu_hotplug_closed_all(CK_SLOT_ID port);
CK_RV emu_hotplug_get_slot_list(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count);
CK_RV emu_hotplug_get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info);
int emu_hotplug_next_event(CK_SLOT_ID *slot);

extern CK_FUNCTION_LIST_PTR emu_softhsm;
extern struct emu_config emu_cfg;

/* One line to stderr, prefixed "tokenctl-emu: ". */
void emu_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
