/*
 * The floor of a batch enrollment (issue 18): exactly the PKCS#11 calls an
 * enrollment needs on each token, with no certificate logic and no checks
 * beyond return values, in one process, P tokens at a time.  Per token: open a
 * read-write session, log in, generate an EC P-256 key pair with the template
 * tokenctl uses, read the public point, sign a prepared request's to-be-signed
 * bytes (CKM_ECDSA over their SHA-256, computed once), create the certificate
 * object, log out, close the session.  What any tool must pay the module.
 *
 * Usage: floor MODULE LABEL_PREFIX COUNT PARALLEL CERT.der
 *   tokens are labelled LABEL_PREFIX001 .. (3 digits, as bench/floor.sh makes them)
 *   the user PIN comes from $BENCH_PIN (a throwaway benchmark token's)
 * Prints one line: tokens, parallel, wall milliseconds.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pkcs11.h>

static CK_FUNCTION_LIST_PTR p11;
static CK_SLOT_ID *slots;   /* by token index */
static int count;
static int next_index;
static int failures;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static const char *pin;
static unsigned char *cert;
static size_t cert_len;
static unsigned char *subject; /* the certificate's subject Name, DER: SoftHSM wants CKA_SUBJECT */
static size_t subject_len;

/* One DER element at p (within end): sets *body and *next; returns its tag, or -1. */
static int der(const unsigned char *p, const unsigned char *end, const unsigned char **body,
	       const unsigned char **next)
{
	if (end - p < 2)
		return -1;
	int tag = p[0];
	size_t len = p[1], hdr = 2;
	if (len & 0x80) {
		size_t n = len & 0x7f;
		if (n == 0 || n > 3 || (size_t)(end - p) < 2 + n)
			return -1;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		hdr += n;
	}
	if ((size_t)(end - p) < hdr + len)
		return -1;
	*body = p + hdr;
	*next = p + hdr + len;
	return tag;
}

/* Certificate -> tbsCertificate -> [0] version, serial, signature, issuer, validity, subject */
static int find_subject(void)
{
	const unsigned char *body, *next, *end = cert + cert_len, *p;
	if (der(cert, end, &body, &next) != 0x30 || der(body, next, &p, &next) != 0x30)
		return -1;
	end = next;
	const unsigned char *q = p;
	for (int field = 0; field < 6; field++) {
		const unsigned char *b, *n;
		int tag = der(q, end, &b, &n);
		if (tag < 0)
			return -1;
		if (field == 0 && tag != 0xa0)
			field++; /* a v1 certificate has no [0] version */
		if (field == 5) {
			subject = (unsigned char *)q;
			subject_len = (size_t)(n - q);
			return 0;
		}
		q = n;
	}
	return -1;
}
/* a fixed SHA-256 value: the floor signs what a request's hash would be */
static CK_BYTE digest[32] = { 0x5a };

static int take(void)
{
	pthread_mutex_lock(&mutex);
	int i = next_index < count ? next_index++ : -1;
	pthread_mutex_unlock(&mutex);
	return i;
}

static void failed(const char *what, CK_RV rv)
{
	pthread_mutex_lock(&mutex);
	if (failures++ < 5)
		fprintf(stderr, "floor: %s failed: 0x%lx\n", what, (unsigned long)rv);
	pthread_mutex_unlock(&mutex);
}

#define CHECK(call, what)                 \
	do {                              \
		CK_RV rv_ = (call);       \
		if (rv_ != CKR_OK) {      \
			failed(what, rv_); \
			goto out;         \
		}                         \
	} while (0)

static void one(int index)
{
	CK_SESSION_HANDLE s = 0;
	int logged_in = 0;
	CHECK(p11->C_OpenSession(slots[index], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s), "C_OpenSession");
	CHECK(p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)), "C_Login");
	logged_in = 1;

	static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
	CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	CK_KEY_TYPE ec = CKK_EC;
	CK_BYTE id[2] = { (CK_BYTE)(index >> 8), (CK_BYTE)index };
	char label[32];
	snprintf(label, sizeof(label), "floor-%03d", index + 1);
	CK_ATTRIBUTE pub_t[] = {
		{ CKA_KEY_TYPE, &ec, sizeof(ec) }, { CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &no, sizeof(no) }, { CKA_VERIFY, &yes, sizeof(yes) },
		{ CKA_EC_PARAMS, (CK_VOID_PTR)p256, sizeof(p256) }, { CKA_ID, id, sizeof(id) },
		{ CKA_LABEL, label, strlen(label) },
	};
	CK_ATTRIBUTE priv_t[] = {
		{ CKA_KEY_TYPE, &ec, sizeof(ec) }, { CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &yes, sizeof(yes) }, { CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &no, sizeof(no) }, { CKA_SIGN, &yes, sizeof(yes) },
		{ CKA_DECRYPT, &no, sizeof(no) }, { CKA_UNWRAP, &no, sizeof(no) }, { CKA_DERIVE, &no, sizeof(no) },
		{ CKA_ID, id, sizeof(id) }, { CKA_LABEL, label, strlen(label) },
	};
	CK_MECHANISM keygen = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_OBJECT_HANDLE pub, priv;
	CHECK(p11->C_GenerateKeyPair(s, &keygen, pub_t, sizeof(pub_t) / sizeof(pub_t[0]), priv_t,
				     sizeof(priv_t) / sizeof(priv_t[0]), &pub, &priv), "C_GenerateKeyPair");

	CK_BYTE point[80];
	CK_ATTRIBUTE ec_point = { CKA_EC_POINT, point, sizeof(point) };
	CHECK(p11->C_GetAttributeValue(s, pub, &ec_point, 1), "C_GetAttributeValue");

	CK_MECHANISM ecdsa = { CKM_ECDSA, NULL, 0 };
	CK_BYTE sig[80];
	CK_ULONG sig_len = sizeof(sig);
	CHECK(p11->C_SignInit(s, &ecdsa, priv), "C_SignInit");
	CHECK(p11->C_Sign(s, digest, sizeof(digest), sig, &sig_len), "C_Sign");

	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_CERTIFICATE_TYPE x509 = CKC_X_509;
	CK_ATTRIBUTE cert_t[] = {
		{ CKA_CLASS, &cls, sizeof(cls) }, { CKA_CERTIFICATE_TYPE, &x509, sizeof(x509) },
		{ CKA_TOKEN, &yes, sizeof(yes) }, { CKA_PRIVATE, &no, sizeof(no) },
		{ CKA_VALUE, cert, cert_len }, { CKA_SUBJECT, subject, subject_len }, { CKA_ID, id, sizeof(id) },
		{ CKA_LABEL, label, strlen(label) },
	};
	CK_OBJECT_HANDLE c;
	CHECK(p11->C_CreateObject(s, cert_t, sizeof(cert_t) / sizeof(cert_t[0]), &c), "C_CreateObject");
out:
	if (logged_in)
		p11->C_Logout(s);
	if (s)
		p11->C_CloseSession(s);
}

static void *worker(void *unused)
{
	(void)unused;
	for (int i = take(); i >= 0; i = take())
		one(i);
	return NULL;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int main(int argc, char **argv)
{
	if (argc != 6 || !getenv("BENCH_PIN")) {
		fprintf(stderr, "usage: BENCH_PIN=... floor MODULE LABEL_PREFIX COUNT PARALLEL CERT.der\n");
		return 2;
	}
	pin = getenv("BENCH_PIN");
	count = atoi(argv[3]);
	int parallel = atoi(argv[4]);
	FILE *f = fopen(argv[5], "rb");
	if (!f)
		return 2;
	cert = malloc(65536);
	cert_len = fread(cert, 1, 65536, f);
	fclose(f);
	if (find_subject() != 0) {
		fprintf(stderr, "floor: %s is not a DER certificate\n", argv[5]);
		return 2;
	}
	long start = now_ms();
	void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	CK_C_GetFunctionList get = lib ? (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList") : NULL;
	/* several threads call at once: the module must lock (tokenctl's wrapper asks the same) */
	CK_C_INITIALIZE_ARGS init = { NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL };
	if (!get || get(&p11) != CKR_OK || p11->C_Initialize(&init) != CKR_OK) {
		fprintf(stderr, "floor: cannot load %s\n", argv[1]);
		return 2;
	}
	/* the tokens' slots, by label: as any tool must find them */
	CK_ULONG n = 0;
	p11->C_GetSlotList(CK_TRUE, NULL, &n);
	CK_SLOT_ID *all = calloc(n, sizeof(CK_SLOT_ID));
	p11->C_GetSlotList(CK_TRUE, all, &n);
	slots = calloc((size_t)count, sizeof(CK_SLOT_ID));
	int found = 0;
	size_t prefix = strlen(argv[2]);
	for (CK_ULONG k = 0; k < n; k++) {
		CK_TOKEN_INFO info;
		if (p11->C_GetTokenInfo(all[k], &info) != CKR_OK || memcmp(info.label, argv[2], prefix) != 0)
			continue;
		int index = atoi((const char *)info.label + prefix) - 1;
		if (index >= 0 && index < count) {
			slots[index] = all[k];
			found++;
		}
	}
	if (found != count) {
		fprintf(stderr, "floor: found %d of %d tokens\n", found, count);
		return 2;
	}
	pthread_t *threads = calloc((size_t)parallel, sizeof(pthread_t));
	for (int t = 0; t < parallel; t++)
		pthread_create(&threads[t], NULL, worker, NULL);
	for (int t = 0; t < parallel; t++)
		pthread_join(threads[t], NULL);
	p11->C_Finalize(NULL);
	long wall = now_ms() - start;
	printf("%d %d %ld\n", count, parallel, wall);
	free(threads);
	free(slots);
	free(all);
	free(cert);
	return failures ? 1 : 0;
}
