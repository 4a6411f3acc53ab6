/*
 * keygen.ignore: a token that does not honour the key-generation template.
 *
 * Some tokens silently generate a private key that is extractable, not
 * sensitive, or usable for decryption, whatever the template asked
 * (PKCS#11 v2.40 section 4.9 lets a token refuse a template, not ignore
 * it, but not every token reads the spec).  tokenctl reads the key back
 * and deletes such a pair; this makes SoftHSM behave like that token so
 * the delete path can be driven for real.
 *
 * C_GenerateKeyPair gets a copy of the private-key template in which each
 * listed attribute carries the careless value (appended when the caller
 * left it out, so the key ends up that way whatever SoftHSM's default).
 * The caller's template is never written to: it may be const memory, and
 * a caller may reuse it for the next key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

static const struct {
	const char *name;
	CK_ATTRIBUTE_TYPE type;
	unsigned bit;
	CK_BBOOL careless;
} ignorable[] = {
	{ "CKA_SENSITIVE", CKA_SENSITIVE, EMU_IGNORE_SENSITIVE, CK_FALSE },
	{ "CKA_EXTRACTABLE", CKA_EXTRACTABLE, EMU_IGNORE_EXTRACTABLE, CK_TRUE },
	{ "CKA_DECRYPT", CKA_DECRYPT, EMU_IGNORE_DECRYPT, CK_TRUE },
	{ "CKA_UNWRAP", CKA_UNWRAP, EMU_IGNORE_UNWRAP, CK_TRUE },
	{ "CKA_DERIVE", CKA_DERIVE, EMU_IGNORE_DERIVE, CK_TRUE },
	{ "CKA_SIGN_RECOVER", CKA_SIGN_RECOVER, EMU_IGNORE_SIGN_RECOVER, CK_TRUE },
};
#define IGNORABLE_COUNT (sizeof(ignorable) / sizeof(ignorable[0]))

const char *emu_keygen_parse(const char *list, unsigned *mask)
{
	unsigned out = 0;
	const char *p = list;
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *end = p + len;
		const char *s = p;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		const char *e = end;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e)
			return "an empty entry; list CKA_ names separated by commas";
		size_t i = 0;
		while (i < IGNORABLE_COUNT && !(strlen(ignorable[i].name) == (size_t)(e - s) &&
						 strncmp(ignorable[i].name, s, (size_t)(e - s)) == 0))
			i++;
		if (i == IGNORABLE_COUNT)
			return "each entry must be one of CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_DECRYPT, "
			       "CKA_UNWRAP, CKA_DERIVE, CKA_SIGN_RECOVER";
		if (out & ignorable[i].bit)
			return "an attribute is listed twice";
		out |= ignorable[i].bit;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*mask = out;
	return NULL;
}

static int ignored_index(CK_ATTRIBUTE_TYPE type, unsigned mask)
{
	for (size_t i = 0; i < IGNORABLE_COUNT; i++)
		if (ignorable[i].type == type && (mask & ignorable[i].bit))
			return (int)i;
	return -1;
}

CK_RV emu_keygen_generate_key_pair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech,
				   CK_ATTRIBUTE_PTR pub_tmpl, CK_ULONG pub_n,
				   CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_n,
				   CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv)
{
	unsigned mask = emu_cfg.keygen_ignore;
	/* A NULL template with a count is the caller's error: SoftHSM
	 * answers it (CKR_ARGUMENTS_BAD) as it would without the emulator. */
	if (mask == 0 || (priv_tmpl == NULL && priv_n != 0))
		return emu_softhsm->C_GenerateKeyPair(s, mech, pub_tmpl, pub_n, priv_tmpl, priv_n, pub, priv);
	if (priv_n > SIZE_MAX / sizeof(CK_ATTRIBUTE) - IGNORABLE_COUNT)
		return CKR_HOST_MEMORY;

	/* The values the copy points at; they live until SoftHSM returns. */
	CK_BBOOL careless[IGNORABLE_COUNT];
	for (size_t i = 0; i < IGNORABLE_COUNT; i++)
		careless[i] = ignorable[i].careless;
	CK_ATTRIBUTE *copy = malloc((priv_n + IGNORABLE_COUNT) * sizeof(*copy));
	if (copy == NULL)
		return CKR_HOST_MEMORY;
	unsigned present = 0;
	CK_ULONG n = 0;
	for (CK_ULONG i = 0; i < priv_n; i++) {
		copy[n] = priv_tmpl[i];
		int a = ignored_index(priv_tmpl[i].type, mask);
		if (a >= 0) {
			copy[n].pValue = &careless[a];
			copy[n].ulValueLen = sizeof(CK_BBOOL);
			present |= ignorable[a].bit;
		}
		n++;
	}
	for (size_t a = 0; a < IGNORABLE_COUNT; a++) {
		if ((mask & ignorable[a].bit) && !(present & ignorable[a].bit)) {
			copy[n].type = ignorable[a].type;
			copy[n].pValue = &careless[a];
			copy[n].ulValueLen = sizeof(CK_BBOOL);
			n++;
		}
	}
	CK_RV rv = emu_softhsm->C_GenerateKeyPair(s, mech, pub_tmpl, pub_n, copy, n, pub, priv);
	free(copy);
	return rv;
}
