/*
 * sm2.*: SM2 keys and signatures under a vendor's PKCS#11 constants.
 *
 * PKCS#11 has no SM2: each vendor defines its own key type and mechanisms,
 * and tokens differ in whether C_Sign takes the message (the token computes
 * Z and SM3 itself, GM/T 0009 with the default user ID) or the digest
 * e = SM3(Z || M), and in how the signature is encoded (r || s, or DER).
 * SoftHSM has no SM2 either; this file gives the emulator one, with
 * OpenSSL 3's SM2, so that a vendor profile's SM2 path can be driven for real.
 *
 * Storage: SoftHSM keeps an SM2 key as a CKK_EC key whose CKA_EC_PARAMS is
 * the sm2p256v1 OID.  The private key is stored readable (CKA_SENSITIVE
 * false in SoftHSM) so that the emulator can sign with it; to every caller
 * of the emulator it is the vendor's key type, CKA_SENSITIVE and
 * CKA_ALWAYS_SENSITIVE true, CKA_EXTRACTABLE false, CKA_NEVER_EXTRACTABLE
 * and CKA_LOCAL true, and its CKA_VALUE is CKR_ATTRIBUTE_SENSITIVE.  (Read
 * through SoftHSM directly, without the emulator, it is an ordinary EC key:
 * this is a test fixture, not a token.)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "emu.h"

/* DER of OID 1.2.156.10197.1.301 (sm2p256v1) */
static const CK_BYTE SM2_OID[] = { 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d };
/* GM/T 0009's default user ID */
static const char SM2_DEFAULT_ID[] = "1234567812345678";
#define SM2_FIELD_BYTES 32
#define SM2_POINT_BYTES (1 + 2 * SM2_FIELD_BYTES)
/* SEQUENCE { INTEGER r, INTEGER s }, each at most 33 bytes */
#define SM2_DER_MAX 72

static int enabled(void)
{
	return emu_cfg.sm2_key_type != 0;
}

/* ---- sessions with an SM2 signing operation ---- */

struct sm2_op {
	CK_SESSION_HANDLE session;
	EVP_PKEY *key;
	unsigned char *data; /* message (or digest) collected so far */
	size_t len, cap;
	int multi;           /* C_SignUpdate was called */
	struct sm2_op *next;
};

static pthread_mutex_t ops_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct sm2_op *ops;

static void op_free(struct sm2_op *op)
{
	if (op == NULL)
		return;
	EVP_PKEY_free(op->key);
	if (op->data)
		OPENSSL_clear_free(op->data, op->cap);
	free(op);
}

/* Removes and returns the session's operation, or NULL. */
static struct sm2_op *op_take(CK_SESSION_HANDLE s)
{
	pthread_mutex_lock(&ops_mutex);
	struct sm2_op **p = &ops;
	while (*p && (*p)->session != s)
		p = &(*p)->next;
	struct sm2_op *op = *p;
	if (op)
		*p = op->next;
	pthread_mutex_unlock(&ops_mutex);
	return op;
}

static void op_put(struct sm2_op *op)
{
	pthread_mutex_lock(&ops_mutex);
	op->next = ops;
	ops = op;
	pthread_mutex_unlock(&ops_mutex);
}

void emu_sm2_reset(void)
{
	pthread_mutex_lock(&ops_mutex);
	struct sm2_op *op = ops;
	ops = NULL;
	pthread_mutex_unlock(&ops_mutex);
	while (op) {
		struct sm2_op *next = op->next;
		op_free(op);
		op = next;
	}
}

CK_RV emu_sm2_close_session(CK_SESSION_HANDLE s)
{
	CK_RV rv = emu_softhsm->C_CloseSession(s);
	if (rv == CKR_OK)
		op_free(op_take(s));
	return rv;
}

CK_RV emu_sm2_close_all_sessions(CK_SLOT_ID slot)
{
	CK_RV rv = emu_softhsm->C_CloseAllSessions(slot);
	if (rv != CKR_OK)
		return rv;
	/* Forget the operations of sessions SoftHSM no longer knows. */
	pthread_mutex_lock(&ops_mutex);
	struct sm2_op **p = &ops;
	while (*p) {
		CK_SESSION_INFO info;
		if (emu_softhsm->C_GetSessionInfo((*p)->session, &info) != CKR_OK) {
			struct sm2_op *gone = *p;
			*p = gone->next;
			op_free(gone);
		} else {
			p = &(*p)->next;
		}
	}
	pthread_mutex_unlock(&ops_mutex);
	return rv;
}

/* ---- what an object is ---- */

enum kind { NOT_SM2 = 0, SM2_PUBLIC, SM2_PRIVATE };

/* Whether SoftHSM's object is one of our SM2 keys. */
static enum kind kind_of(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj)
{
	CK_OBJECT_CLASS cls = 0;
	CK_KEY_TYPE type = 0;
	CK_BYTE params[sizeof(SM2_OID) + 8];
	CK_ATTRIBUTE a[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &type, sizeof(type) },
		{ CKA_EC_PARAMS, params, sizeof(params) },
	};
	if (emu_softhsm->C_GetAttributeValue(s, obj, a, 3) != CKR_OK || type != CKK_EC ||
	    a[2].ulValueLen != sizeof(SM2_OID) || memcmp(params, SM2_OID, sizeof(SM2_OID)) != 0)
		return NOT_SM2;
	return cls == CKO_PRIVATE_KEY ? SM2_PRIVATE : cls == CKO_PUBLIC_KEY ? SM2_PUBLIC : NOT_SM2;
}

/* ---- OpenSSL ---- */

/* Q = d G on sm2p256v1, uncompressed: 04 || x || y. */
static int public_point(const BIGNUM *d, unsigned char out[SM2_POINT_BYTES])
{
	int ok = 0;
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_sm2);
	EC_POINT *q = g ? EC_POINT_new(g) : NULL;
	if (q && EC_POINT_mul(g, q, d, NULL, NULL, NULL) &&
	    EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, out, SM2_POINT_BYTES, NULL) == SM2_POINT_BYTES)
		ok = 1;
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return ok;
}

/* The EVP key for private scalar d (big-endian, as CKA_VALUE holds it). */
static EVP_PKEY *pkey_from(const CK_BYTE *value, CK_ULONG len)
{
	EVP_PKEY *key = NULL;
	unsigned char point[SM2_POINT_BYTES];
	BIGNUM *d = BN_bin2bn(value, (int)len, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
	if (d && bld && ctx && public_point(d, point) &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(d);
	return key;
}

/* DER SEQUENCE { r, s } to r || s. */
static int der_to_raw(const unsigned char *der, size_t len, unsigned char out[2 * SM2_FIELD_BYTES])
{
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &der, (long)len);
	int ok = sig && BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, SM2_FIELD_BYTES) == SM2_FIELD_BYTES &&
		 BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + SM2_FIELD_BYTES, SM2_FIELD_BYTES) == SM2_FIELD_BYTES;
	ECDSA_SIG_free(sig);
	return ok;
}

/* Signs the operation's data; out gets the signature as the vendor encodes it. */
static CK_RV sm2_sign(struct sm2_op *op, unsigned char *out, size_t *out_len)
{
	unsigned char der[SM2_DER_MAX];
	size_t der_len = sizeof(der);
	int ok = 0;
	if (emu_cfg.sm2_sign_digest) {
		/* the caller hashed: sign e as given */
		if (op->len != SM2_FIELD_BYTES)
			return CKR_DATA_LEN_RANGE;
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->key, NULL);
		ok = ctx && EVP_PKEY_sign_init(ctx) > 0 && EVP_PKEY_sign(ctx, der, &der_len, op->data, op->len) > 0;
		EVP_PKEY_CTX_free(ctx);
	} else {
		/* the token hashes: e = SM3(Z || M), Z with the default user ID */
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->key, NULL);
		if (md && pctx && EVP_PKEY_CTX_set1_id(pctx, SM2_DEFAULT_ID, strlen(SM2_DEFAULT_ID)) > 0) {
			EVP_MD_CTX_set_pkey_ctx(md, pctx);
			ok = EVP_DigestSignInit(md, NULL, EVP_sm3(), NULL, op->key) > 0 &&
			     EVP_DigestSign(md, der, &der_len, op->data ? op->data : (const unsigned char *)"", op->len) > 0;
		}
		EVP_MD_CTX_free(md);
		EVP_PKEY_CTX_free(pctx);
	}
	if (!ok)
		return CKR_FUNCTION_FAILED;
	if (emu_cfg.sm2_signature_der) {
		memcpy(out, der, der_len);
		*out_len = der_len;
		return CKR_OK;
	}
	if (!der_to_raw(der, der_len, out))
		return CKR_FUNCTION_FAILED;
	*out_len = 2 * SM2_FIELD_BYTES;
	return CKR_OK;
}

/* ---- mechanisms ---- */

CK_RV emu_sm2_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
	if (!enabled() || count == NULL)
		return emu_softhsm->C_GetMechanismList(slot, list, count);
	CK_ULONG own = 0;
	CK_RV rv = emu_softhsm->C_GetMechanismList(slot, NULL, &own);
	if (rv != CKR_OK)
		return rv;
	CK_ULONG total = own + 2;
	if (list == NULL) {
		*count = total;
		return CKR_OK;
	}
	if (*count < total) {
		*count = total;
		return CKR_BUFFER_TOO_SMALL;
	}
	CK_ULONG n = *count;
	rv = emu_softhsm->C_GetMechanismList(slot, list, &n);
	if (rv != CKR_OK)
		return rv;
	list[n] = emu_cfg.sm2_keygen;
	list[n + 1] = emu_cfg.sm2_sign;
	*count = n + 2;
	return CKR_OK;
}

CK_RV emu_sm2_get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
	if (!enabled() || (type != emu_cfg.sm2_keygen && type != emu_cfg.sm2_sign))
		return emu_softhsm->C_GetMechanismInfo(slot, type, info);
	/* the slot must exist, as for any mechanism */
	CK_SLOT_INFO slot_info;
	CK_RV rv = emu_softhsm->C_GetSlotInfo(slot, &slot_info);
	if (rv != CKR_OK)
		return rv;
	if (info == NULL)
		return CKR_ARGUMENTS_BAD;
	info->ulMinKeySize = 256;
	info->ulMaxKeySize = 256;
	info->flags = CKF_HW | (type == emu_cfg.sm2_keygen ? CKF_GENERATE_KEY_PAIR : CKF_SIGN);
	return CKR_OK;
}

/* ---- key generation ---- */

/* The caller's template with the given attributes replaced (or added). */
static CK_ATTRIBUTE *with(const CK_ATTRIBUTE *tmpl, CK_ULONG n, const CK_ATTRIBUTE *over, CK_ULONG m,
			  CK_ULONG *out_n)
{
	CK_ATTRIBUTE *out = malloc((n + m) * sizeof(*out));
	if (out == NULL)
		return NULL;
	CK_ULONG k = 0;
	for (CK_ULONG i = 0; i < n; i++) {
		int replaced = 0;
		for (CK_ULONG j = 0; j < m; j++)
			replaced |= tmpl[i].type == over[j].type;
		if (!replaced)
			out[k++] = tmpl[i];
	}
	for (CK_ULONG j = 0; j < m; j++)
		out[k++] = over[j];
	*out_n = k;
	return out;
}

/* Where the caller's template asks for a vendor key type, it must be ours. */
static int key_type_ok(const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
	for (CK_ULONG i = 0; i < n; i++)
		if (tmpl[i].type == CKA_KEY_TYPE &&
		    (tmpl[i].ulValueLen != sizeof(CK_KEY_TYPE) || tmpl[i].pValue == NULL ||
		     *(CK_KEY_TYPE *)tmpl[i].pValue != emu_cfg.sm2_key_type))
			return 0;
	return 1;
}

CK_RV emu_sm2_generate_key_pair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech,
				CK_ATTRIBUTE_PTR pub_tmpl, CK_ULONG pub_n,
				CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_n,
				CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv)
{
	if (!enabled() || mech == NULL || mech->mechanism != emu_cfg.sm2_keygen)
		return emu_keygen_generate_key_pair(s, mech, pub_tmpl, pub_n, priv_tmpl, priv_n, pub, priv);
	if (pub == NULL || priv == NULL || (pub_tmpl == NULL && pub_n) || (priv_tmpl == NULL && priv_n))
		return CKR_ARGUMENTS_BAD;
	if (!key_type_ok(pub_tmpl, pub_n) || !key_type_ok(priv_tmpl, priv_n))
		return CKR_TEMPLATE_INCONSISTENT;

	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	BIGNUM *d = NULL;
	CK_BYTE value[SM2_FIELD_BYTES];
	CK_BYTE point[2 + SM2_POINT_BYTES] = { 0x04, SM2_POINT_BYTES };
	size_t point_len = 0;
	CK_RV rv = CKR_FUNCTION_FAILED;
	if (key == NULL || !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) ||
	    BN_bn2binpad(d, value, sizeof(value)) != sizeof(value) ||
	    !EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point + 2, SM2_POINT_BYTES, &point_len) ||
	    point_len != SM2_POINT_BYTES)
		goto out;

	CK_OBJECT_CLASS pub_class = CKO_PUBLIC_KEY, priv_class = CKO_PRIVATE_KEY;
	CK_KEY_TYPE ec = CKK_EC;
	CK_BBOOL no = CK_FALSE, yes = CK_TRUE;
	/* the public point as PKCS#11 holds it: DER OCTET STRING */
	CK_ATTRIBUTE pub_over[] = {
		{ CKA_CLASS, &pub_class, sizeof(pub_class) },
		{ CKA_KEY_TYPE, &ec, sizeof(ec) },
		{ CKA_EC_PARAMS, (CK_VOID_PTR)SM2_OID, sizeof(SM2_OID) },
		{ CKA_EC_POINT, point, sizeof(point) },
	};
	/* readable by the emulator (see the top of this file) */
	CK_ATTRIBUTE priv_over[] = {
		{ CKA_CLASS, &priv_class, sizeof(priv_class) },
		{ CKA_KEY_TYPE, &ec, sizeof(ec) },
		{ CKA_EC_PARAMS, (CK_VOID_PTR)SM2_OID, sizeof(SM2_OID) },
		{ CKA_VALUE, value, sizeof(value) },
		{ CKA_SENSITIVE, &no, sizeof(no) },
		{ CKA_EXTRACTABLE, &yes, sizeof(yes) },
	};
	CK_ULONG pn = 0, qn = 0;
	CK_ATTRIBUTE *p = with(pub_tmpl, pub_n, pub_over, 4, &pn);
	CK_ATTRIBUTE *q = with(priv_tmpl, priv_n, priv_over, 6, &qn);
	if (p == NULL || q == NULL) {
		rv = CKR_HOST_MEMORY;
	} else {
		rv = emu_softhsm->C_CreateObject(s, p, pn, pub);
		if (rv == CKR_OK) {
			rv = emu_softhsm->C_CreateObject(s, q, qn, priv);
			if (rv != CKR_OK)
				emu_softhsm->C_DestroyObject(s, *pub);
		}
	}
	free(p);
	free(q);
out:
	OPENSSL_cleanse(value, sizeof(value));
	BN_clear_free(d);
	EVP_PKEY_free(key);
	return rv;
}

/* ---- attributes ---- */

/* Sets one attribute of the caller's template to a value, as C_GetAttributeValue does.
 * Returns CKR_OK or CKR_BUFFER_TOO_SMALL. */
static CK_RV answer(CK_ATTRIBUTE_PTR a, const void *value, CK_ULONG len)
{
	if (a->pValue == NULL) {
		a->ulValueLen = len;
		return CKR_OK;
	}
	if (a->ulValueLen < len) {
		a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
		return CKR_BUFFER_TOO_SMALL;
	}
	memcpy(a->pValue, value, len);
	a->ulValueLen = len;
	return CKR_OK;
}

/* The private key's public point, computed from its value (private_ec_point). */
static int private_point(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_BYTE out[2 + SM2_POINT_BYTES])
{
	CK_BYTE value[SM2_FIELD_BYTES + 1];
	CK_ATTRIBUTE a = { CKA_VALUE, value, sizeof(value) };
	if (emu_softhsm->C_GetAttributeValue(s, obj, &a, 1) != CKR_OK || a.ulValueLen > SM2_FIELD_BYTES)
		return 0;
	BIGNUM *d = BN_bin2bn(value, (int)a.ulValueLen, NULL);
	OPENSSL_cleanse(value, sizeof(value));
	out[0] = 0x04;
	out[1] = SM2_POINT_BYTES;
	int ok = d && public_point(d, out + 2);
	BN_clear_free(d);
	return ok;
}

CK_RV emu_sm2_get_attribute_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n)
{
	enum kind k = enabled() ? kind_of(s, obj) : NOT_SM2;
	if (k == NOT_SM2 || tmpl == NULL)
		return emu_softhsm->C_GetAttributeValue(s, obj, tmpl, n);
	/* SoftHSM answers what it can; the emulator then answers as the vendor's token */
	CK_RV rv = emu_softhsm->C_GetAttributeValue(s, obj, tmpl, n);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_SENSITIVE && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
	    rv != CKR_BUFFER_TOO_SMALL)
		return rv;
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_RV out = CKR_OK;
	for (CK_ULONG i = 0; i < n; i++) {
		CK_ATTRIBUTE_PTR a = &tmpl[i];
		CK_RV r = CKR_OK;
		if (a->type == CKA_KEY_TYPE) {
			r = answer(a, &emu_cfg.sm2_key_type, sizeof(CK_KEY_TYPE));
		} else if (a->type == CKA_KEY_GEN_MECHANISM) {
			r = answer(a, &emu_cfg.sm2_keygen, sizeof(CK_MECHANISM_TYPE));
		} else if (a->type == CKA_LOCAL) {
			r = answer(a, &yes, sizeof(yes));
		} else if (k == SM2_PRIVATE && (a->type == CKA_SENSITIVE || a->type == CKA_ALWAYS_SENSITIVE ||
						a->type == CKA_NEVER_EXTRACTABLE)) {
			r = answer(a, &yes, sizeof(yes));
		} else if (k == SM2_PRIVATE && a->type == CKA_EXTRACTABLE) {
			r = answer(a, &no, sizeof(no));
		} else if (k == SM2_PRIVATE && a->type == CKA_VALUE) {
			a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
			r = CKR_ATTRIBUTE_SENSITIVE;
		} else if (k == SM2_PRIVATE && a->type == CKA_EC_POINT) {
			CK_BYTE point[2 + SM2_POINT_BYTES];
			if (!emu_cfg.sm2_private_ec_point) {
				a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
				r = CKR_ATTRIBUTE_TYPE_INVALID;
			} else if (!private_point(s, obj, point)) {
				return CKR_FUNCTION_FAILED;
			} else {
				r = answer(a, point, sizeof(point));
			}
		} else {
			if (a->ulValueLen == CK_UNAVAILABLE_INFORMATION)
				r = a->pValue == NULL ? CKR_ATTRIBUTE_TYPE_INVALID : CKR_BUFFER_TOO_SMALL;
		}
		/* PKCS#11 5.7: one of the errors is returned; sensitive and invalid before too small */
		if (r != CKR_OK && (out == CKR_OK || out == CKR_BUFFER_TOO_SMALL))
			out = r;
	}
	/* an attribute SoftHSM left unanswered and the emulator did not answer keeps SoftHSM's error */
	if (out == CKR_OK && rv != CKR_OK) {
		for (CK_ULONG i = 0; i < n; i++)
			if (tmpl[i].ulValueLen == CK_UNAVAILABLE_INFORMATION)
				return rv;
	}
	return out;
}

CK_RV emu_sm2_set_attribute_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n)
{
	if (enabled() && tmpl != NULL && kind_of(s, obj) != NOT_SM2) {
		/* what makes a key SM2, sensitive or local is the token's, not the caller's */
		for (CK_ULONG i = 0; i < n; i++) {
			CK_ATTRIBUTE_TYPE t = tmpl[i].type;
			if (t == CKA_KEY_TYPE || t == CKA_EC_PARAMS || t == CKA_EC_POINT || t == CKA_VALUE ||
			    t == CKA_SENSITIVE || t == CKA_EXTRACTABLE || t == CKA_CLASS)
				return CKR_ATTRIBUTE_READ_ONLY;
		}
	}
	return emu_softhsm->C_SetAttributeValue(s, obj, tmpl, n);
}

CK_RV emu_sm2_find_objects_init(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG n)
{
	CK_ULONG i = 0;
	if (enabled() && tmpl != NULL)
		while (i < n && !(tmpl[i].type == CKA_KEY_TYPE && tmpl[i].pValue != NULL &&
				  tmpl[i].ulValueLen == sizeof(CK_KEY_TYPE) &&
				  *(CK_KEY_TYPE *)tmpl[i].pValue == emu_cfg.sm2_key_type))
			i++;
	if (!enabled() || tmpl == NULL || i == n)
		return emu_softhsm->C_FindObjectsInit(s, tmpl, n);
	/* the vendor's key type is an EC key on sm2p256v1 in SoftHSM */
	CK_KEY_TYPE ec = CKK_EC;
	CK_ATTRIBUTE over[] = {
		{ CKA_KEY_TYPE, &ec, sizeof(ec) },
		{ CKA_EC_PARAMS, (CK_VOID_PTR)SM2_OID, sizeof(SM2_OID) },
	};
	CK_ULONG m = 0;
	CK_ATTRIBUTE *copy = with(tmpl, n, over, 2, &m);
	if (copy == NULL)
		return CKR_HOST_MEMORY;
	CK_RV rv = emu_softhsm->C_FindObjectsInit(s, copy, m);
	free(copy);
	return rv;
}

/* ---- signing ---- */

CK_RV emu_sm2_sign_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
	if (!enabled())
		return emu_softhsm->C_SignInit(s, mech, key);
	enum kind k = kind_of(s, key);
	if (mech == NULL || mech->mechanism != emu_cfg.sm2_sign) {
		/* an SM2 key signs only with the vendor's SM2 mechanism */
		return k == NOT_SM2 ? emu_softhsm->C_SignInit(s, mech, key) : CKR_KEY_TYPE_INCONSISTENT;
	}
	/* the session must be valid and its state allow signing: SoftHSM says so for its own keys */
	CK_SESSION_INFO info;
	CK_RV rv = emu_softhsm->C_GetSessionInfo(s, &info);
	if (rv != CKR_OK)
		return rv;
	if (k == NOT_SM2) {
		/* an existing object that is not an SM2 private key, or no object */
		CK_OBJECT_CLASS cls;
		CK_ATTRIBUTE a = { CKA_CLASS, &cls, sizeof(cls) };
		rv = emu_softhsm->C_GetAttributeValue(s, key, &a, 1);
		return rv == CKR_OK ? CKR_KEY_TYPE_INCONSISTENT : CKR_KEY_HANDLE_INVALID;
	}
	if (k != SM2_PRIVATE)
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	if (info.state != CKS_RO_USER_FUNCTIONS && info.state != CKS_RW_USER_FUNCTIONS)
		return CKR_USER_NOT_LOGGED_IN;
	CK_BBOOL sign = CK_FALSE;
	CK_BYTE value[SM2_FIELD_BYTES + 1];
	CK_ATTRIBUTE a[] = {
		{ CKA_SIGN, &sign, sizeof(sign) },
		{ CKA_VALUE, value, sizeof(value) },
	};
	rv = emu_softhsm->C_GetAttributeValue(s, key, a, 2);
	if (rv != CKR_OK || a[1].ulValueLen > SM2_FIELD_BYTES) {
		OPENSSL_cleanse(value, sizeof(value));
		return rv != CKR_OK ? rv : CKR_KEY_HANDLE_INVALID;
	}
	if (!sign) {
		OPENSSL_cleanse(value, sizeof(value));
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	}
	struct sm2_op *old = op_take(s);
	if (old) {
		op_put(old);
		OPENSSL_cleanse(value, sizeof(value));
		return CKR_OPERATION_ACTIVE;
	}
	struct sm2_op *op = calloc(1, sizeof(*op));
	if (op == NULL) {
		OPENSSL_cleanse(value, sizeof(value));
		return CKR_HOST_MEMORY;
	}
	op->session = s;
	op->key = pkey_from(value, a[1].ulValueLen);
	OPENSSL_cleanse(value, sizeof(value));
	if (op->key == NULL) {
		op_free(op);
		return CKR_FUNCTION_FAILED;
	}
	op_put(op);
	return CKR_OK;
}

static CK_RV append(struct sm2_op *op, const CK_BYTE *in, CK_ULONG len)
{
	if (len == 0)
		return CKR_OK;
	if (in == NULL)
		return CKR_ARGUMENTS_BAD;
	if (op->len + len > op->cap) {
		size_t cap = op->cap ? op->cap : 256;
		while (cap < op->len + len)
			cap *= 2;
		unsigned char *bigger = OPENSSL_malloc(cap);
		if (bigger == NULL)
			return CKR_HOST_MEMORY;
		if (op->data) {
			memcpy(bigger, op->data, op->len);
			OPENSSL_clear_free(op->data, op->cap);
		}
		op->data = bigger;
		op->cap = cap;
	}
	memcpy(op->data + op->len, in, len);
	op->len += len;
	return CKR_OK;
}

/* C_Sign / C_SignFinal: a size query or a short buffer keeps the operation; anything else ends it. */
static CK_RV finish(CK_SESSION_HANDLE s, struct sm2_op *op, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
	if (sig_len == NULL) {
		op_free(op);
		return CKR_ARGUMENTS_BAD;
	}
	CK_ULONG most = emu_cfg.sm2_signature_der ? SM2_DER_MAX : 2 * SM2_FIELD_BYTES;
	if (sig == NULL) {
		*sig_len = most;
		op_put(op);
		return CKR_OK;
	}
	unsigned char out[SM2_DER_MAX];
	size_t len = 0;
	CK_RV rv = sm2_sign(op, out, &len);
	if (rv == CKR_OK && *sig_len < len) {
		*sig_len = len;
		op_put(op);
		return CKR_BUFFER_TOO_SMALL;
	}
	if (rv == CKR_OK) {
		memcpy(sig, out, len);
		*sig_len = len;
	}
	op_free(op);
	(void)s;
	return rv;
}

CK_RV emu_sm2_sign(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
	struct sm2_op *op = enabled() ? op_take(s) : NULL;
	if (op == NULL)
		return emu_softhsm->C_Sign(s, in, in_len, sig, sig_len);
	if (op->multi) {
		op_free(op);
		return CKR_OPERATION_ACTIVE;
	}
	/* a size query (sig NULL) must not collect the data twice */
	if (op->len == 0) {
		CK_RV rv = append(op, in, in_len);
		if (rv != CKR_OK) {
			op_free(op);
			return rv;
		}
	}
	return finish(s, op, sig, sig_len);
}

CK_RV emu_sm2_sign_update(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG in_len)
{
	struct sm2_op *op = enabled() ? op_take(s) : NULL;
	if (op == NULL)
		return emu_softhsm->C_SignUpdate(s, in, in_len);
	op->multi = 1;
	CK_RV rv = append(op, in, in_len);
	if (rv != CKR_OK) {
		op_free(op);
		return rv;
	}
	op_put(op);
	return CKR_OK;
}

CK_RV emu_sm2_sign_final(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
	struct sm2_op *op = enabled() ? op_take(s) : NULL;
	if (op == NULL)
		return emu_softhsm->C_SignFinal(s, sig, sig_len);
	return finish(s, op, sig, sig_len);
}
