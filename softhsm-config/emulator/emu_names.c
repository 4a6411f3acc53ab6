/*
 * Names of PKCS#11 functions and return values, both ways: the trace writes
 * them, the config's fault.function and fault.rv keys read them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define EMU_FN_NAME(name) #name,
static const char *const fn_names[EMU_FN_COUNT] = {
	EMU_FUNCTIONS(EMU_FN_NAME)
};
#undef EMU_FN_NAME

struct ckr_name {
	CK_RV rv;
	const char *name;
};

/* ckr_names.inc is generated at build time from pkcs11.h by
 * gen-ckr-names.sh: every CKR_ the header defines, in header order. */
#define EMU_CKR(name) { name, #name },
static const struct ckr_name ckr_names[] = {
#include "ckr_names.inc"
};
#undef EMU_CKR

const char *emu_fn_name(int fn)
{
	if (fn < 0 || fn >= EMU_FN_COUNT)
		return "C_Unknown";
	return fn_names[fn];
}

int emu_fn_by_name(const char *name)
{
	for (int i = 0; i < EMU_FN_COUNT; i++)
		if (strcmp(fn_names[i], name) == 0)
			return i;
	return -1;
}

const char *emu_ckr_name(CK_RV rv)
{
	for (size_t i = 0; i < sizeof(ckr_names) / sizeof(ckr_names[0]); i++)
		if (ckr_names[i].rv == rv)
			return ckr_names[i].name;
	return NULL;
}

int emu_ckr_parse(const char *text, CK_RV *rv)
{
	for (size_t i = 0; i < sizeof(ckr_names) / sizeof(ckr_names[0]); i++) {
		if (strcmp(ckr_names[i].name, text) == 0) {
			*rv = ckr_names[i].rv;
			return 0;
		}
	}
	/* A number: decimal, or hex with 0x as pkcs11.h writes them. */
	if (text[0] < '0' || text[0] > '9')
		return -1;
	char *end;
	errno = 0;
	int hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	if (hex && !isxdigit((unsigned char)text[2]))
		return -1;
	unsigned long value = strtoul(hex ? text + 2 : text, &end, hex ? 16 : 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*rv = value;
	return 0;
}
