/*
 * sm2-drive: a small PKCS#11 client that walks the emulator's SM2 path, for
 * valgrind-check.sh (pkcs11-tool cannot: it sends CKK_EC with a curve it
 * names, and knows no sm2p256v1).  It makes an SM2 pair under the vendor's
 * constants, checks that the private value stays hidden, finds the pair by
 * the vendor key type, signs single-part (with a length query first) and
 * multi-part, then destroys the pair.  Output: one line per step; exit 0
 * only if every step did what it should.
 *
 * Usage: sm2-drive MODULE KEY_TYPE KEYGEN_MECH SIGN_MECH INPUT
 *        (numbers as 0x hex; INPUT "message" or "digest", as sm2.sign.input)
 * The user PIN comes from $SM2_DRIVE_PIN, never from the command line.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkcs11.h>

static CK_FUNCTION_LIST_PTR p11;
static int failed;

static void check(const char *step, CK_RV rv, CK_RV want)
{
	if (rv != want) {
		printf("FAIL %s: rv 0x%lx, expected 0x%lx\n", step, (unsigned long)rv, (unsigned long)want);
		failed = 1;
	} else {
		printf("ok   %s\n", step);
	}
}

static CK_RV sign_once(CK_SESSION_HANDLE s, CK_MECHANISM *mech, CK_OBJECT_HANDLE key, CK_BYTE *in,
		       CK_ULONG in_len, int multi)
{
	CK_BYTE sig[128];
	CK_ULONG sig_len = 0;
	CK_RV rv = p11->C_SignInit(s, mech, key);
	if (rv != CKR_OK)
		return rv;
	if (!multi) {
		/* the length query first, as callers do */
		rv = p11->C_Sign(s, in, in_len, NULL, &sig_len);
		if (rv != CKR_OK || sig_len == 0 || sig_len > sizeof(sig))
			return rv != CKR_OK ? rv : CKR_GENERAL_ERROR;
		return p11->C_Sign(s, in, in_len, sig, &sig_len);
	}
	rv = p11->C_SignUpdate(s, in, in_len / 2);
	if (rv == CKR_OK)
		rv = p11->C_SignUpdate(s, in + in_len / 2, in_len - in_len / 2);
	sig_len = sizeof(sig);
	return rv == CKR_OK ? p11->C_SignFinal(s, sig, &sig_len) : rv;
}

int main(int argc, char **argv)
{
	if (argc != 6 || getenv("SM2_DRIVE_PIN") == NULL) {
		fprintf(stderr, "usage: SM2_DRIVE_PIN=... sm2-drive MODULE KEY_TYPE KEYGEN SIGN message|digest\n");
		return 2;
	}
	CK_KEY_TYPE key_type = strtoul(argv[2], NULL, 0);
	CK_MECHANISM keygen = { strtoul(argv[3], NULL, 0), NULL, 0 };
	CK_MECHANISM sign = { strtoul(argv[4], NULL, 0), NULL, 0 };
	int digest = strcmp(argv[5], "digest") == 0;
	void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		fprintf(stderr, "sm2-drive: cannot load %s\n", argv[1]);
		return 2;
	}
	CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
	if (get == NULL || get(&p11) != CKR_OK) {
		fprintf(stderr, "sm2-drive: no C_GetFunctionList\n");
		dlclose(lib);
		return 2;
	}
	check("C_Initialize", p11->C_Initialize(NULL), CKR_OK);
	CK_SLOT_ID slots[8];
	CK_ULONG n = 8;
	check("C_GetSlotList", p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
	CK_SESSION_HANDLE s = 0;
	check("C_OpenSession", n > 0 ? p11->C_OpenSession(slots[0], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)
	      : CKR_TOKEN_NOT_PRESENT, CKR_OK);
	const char *pin = getenv("SM2_DRIVE_PIN");
	check("C_Login", p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)), CKR_OK);

	CK_MECHANISM_INFO info;
	check("C_GetMechanismInfo (keygen)", p11->C_GetMechanismInfo(slots[0], keygen.mechanism, &info), CKR_OK);

	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_BYTE id[] = { 0x53, 0x4d, 0x32 };
	CK_ATTRIBUTE pub_t[] = {
		{ CKA_KEY_TYPE, &key_type, sizeof(key_type) }, { CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_VERIFY, &yes, sizeof(yes) }, { CKA_ID, id, sizeof(id) },
	};
	CK_ATTRIBUTE priv_t[] = {
		{ CKA_KEY_TYPE, &key_type, sizeof(key_type) }, { CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &yes, sizeof(yes) }, { CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &no, sizeof(no) }, { CKA_SIGN, &yes, sizeof(yes) }, { CKA_ID, id, sizeof(id) },
	};
	CK_OBJECT_HANDLE pub = 0, priv = 0;
	check("C_GenerateKeyPair (vendor SM2)", p11->C_GenerateKeyPair(s, &keygen, pub_t, 4, priv_t, 7, &pub, &priv),
	      CKR_OK);

	CK_BYTE value[64], point[80];
	CK_ATTRIBUTE secret = { CKA_VALUE, value, sizeof(value) };
	check("CKA_VALUE is sensitive", p11->C_GetAttributeValue(s, priv, &secret, 1), CKR_ATTRIBUTE_SENSITIVE);
	CK_ATTRIBUTE ec_point = { CKA_EC_POINT, point, sizeof(point) };
	check("CKA_EC_POINT of the public key", p11->C_GetAttributeValue(s, pub, &ec_point, 1), CKR_OK);

	CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE find_t[] = { { CKA_CLASS, &priv_class, sizeof(priv_class) },
				  { CKA_KEY_TYPE, &key_type, sizeof(key_type) } };
	CK_OBJECT_HANDLE found[4];
	CK_ULONG count = 0;
	check("C_FindObjectsInit (vendor key type)", p11->C_FindObjectsInit(s, find_t, 2), CKR_OK);
	check("C_FindObjects", p11->C_FindObjects(s, found, 4, &count), CKR_OK);
	check("C_FindObjectsFinal", p11->C_FindObjectsFinal(s), CKR_OK);
	check("found the pair's private key", count == 1 && found[0] == priv ? CKR_OK : CKR_GENERAL_ERROR, CKR_OK);

	CK_BYTE in[32];
	memset(in, 0x5a, sizeof(in));
	check("C_Sign", sign_once(s, &sign, priv, in, sizeof(in), 0), CKR_OK);
	if (!digest)
		check("C_SignUpdate/C_SignFinal", sign_once(s, &sign, priv, in, sizeof(in), 1), CKR_OK);
	else
		check("C_Sign over a short digest", sign_once(s, &sign, priv, in, 20, 0), CKR_DATA_LEN_RANGE);
	/* an operation begun and abandoned: closing the session must free it */
	check("C_SignInit (left open)", p11->C_SignInit(s, &sign, priv), CKR_OK);

	check("C_DestroyObject (private)", p11->C_DestroyObject(s, priv), CKR_OK);
	check("C_DestroyObject (public)", p11->C_DestroyObject(s, pub), CKR_OK);
	check("C_Logout", p11->C_Logout(s), CKR_OK);
	check("C_CloseSession", p11->C_CloseSession(s), CKR_OK);
	check("C_Finalize", p11->C_Finalize(NULL), CKR_OK);
	dlclose(lib);
	return failed;
}
