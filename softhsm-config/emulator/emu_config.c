/*
 * Reads the emulator's config: a Java-properties-style file ("key = value",
 * '#' or '!' comments, blank lines) named by TOKENCTL_EMULATOR_CONF.
 *
 * Strict on purpose: an unknown or repeated key, or a value that does not
 * parse, fails C_Initialize.  A typo such as "pin.retry = 3" silently
 * ignored would make a lockout test pass without testing anything.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define DEFAULT_SOFTHSM "/usr/lib/softhsm/libsofthsm2.so"
#define DEFAULT_STATE_NAME "emulator-state"
#define FAILS "(C_Initialize returns CKR_GENERAL_ERROR)"

typedef const char *(*key_handler)(struct emu_config *cfg, const char *value);

static const char *dup_into(char **field, const char *value)
{
	*field = strdup(value);
	return *field ? NULL : "out of memory";
}

static int parse_ulong(const char *value, unsigned long *out)
{
	if (value[0] < '0' || value[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static const char *set_softhsm_module(struct emu_config *cfg, const char *v)
{
	free(cfg->softhsm_module);
	return dup_into(&cfg->softhsm_module, v);
}

static const char *set_manufacturer(struct emu_config *cfg, const char *v)
{
	return dup_into(&cfg->manufacturer, v);
}

static const char *set_model(struct emu_config *cfg, const char *v)
{
	return dup_into(&cfg->model, v);
}

static const char *set_pin_len(long *field, const char *v)
{
	unsigned long n;
	if (parse_ulong(v, &n) != 0 || n > LONG_MAX)
		return "not a non-negative decimal number";
	*field = (long)n;
	return NULL;
}

static const char *set_pin_min(struct emu_config *cfg, const char *v)
{
	return set_pin_len(&cfg->pin_min, v);
}

static const char *set_pin_max(struct emu_config *cfg, const char *v)
{
	return set_pin_len(&cfg->pin_max, v);
}

static const char *set_pin_retries(struct emu_config *cfg, const char *v)
{
	return parse_ulong(v, &cfg->pin_retries) ? "not a non-negative decimal number" : NULL;
}

static const char *set_so_pin_retries(struct emu_config *cfg, const char *v)
{
	return parse_ulong(v, &cfg->so_pin_retries) ? "not a non-negative decimal number" : NULL;
}

static const char *set_init_token(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "allow") == 0)
		cfg->refuse_init_token = 0;
	else if (strcmp(v, "refuse") == 0)
		cfg->refuse_init_token = 1;
	else
		return "must be allow or refuse";
	return NULL;
}

static const char *set_keygen_ignore(struct emu_config *cfg, const char *v)
{
	return emu_keygen_parse(v, &cfg->keygen_ignore);
}

static const char *set_fault_function(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "any") == 0) {
		cfg->fault_fn = EMU_FAULT_ANY;
		return NULL;
	}
	int fn = emu_fn_by_name(v);
	if (fn < 0)
		return "not a PKCS#11 v2.40 function name (C_Login, C_GenerateKeyPair, ...) nor any";
	/* C_GetFunctionList is how a caller finds the module, before any
	 * C_Initialize has read this file: it is never counted. */
	if (fn == EMU_FN_C_GetFunctionList)
		return "C_GetFunctionList cannot be faulted";
	cfg->fault_fn = fn;
	return NULL;
}

static const char *set_fault_call(struct emu_config *cfg, const char *v)
{
	if (parse_ulong(v, &cfg->fault_call) != 0 || cfg->fault_call == 0)
		return "must be a decimal number >= 1";
	return NULL;
}

static const char *set_fault_rv(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "none") == 0) {
		cfg->fault_has_rv = 0;
		return NULL;
	}
	if (emu_ckr_parse(v, &cfg->fault_rv) != 0)
		return "not a CKR_ name from pkcs11.h, a decimal or 0x-hex number, nor none";
	cfg->fault_has_rv = 1;
	return NULL;
}

static const char *set_fault_repeat(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "once") == 0)
		cfg->fault_always = 0;
	else if (strcmp(v, "always") == 0)
		cfg->fault_always = 1;
	else
		return "must be once or always";
	return NULL;
}

static const char *set_fault_delay(struct emu_config *cfg, const char *v)
{
	return parse_ulong(v, &cfg->fault_delay_ms) ? "not a non-negative decimal number" : NULL;
}

static const char *set_trace_file(struct emu_config *cfg, const char *v)
{
	return dup_into(&cfg->trace_file, v);
}

static const char *set_state_file(struct emu_config *cfg, const char *v)
{
	return dup_into(&cfg->state_file, v);
}

/* A PKCS#11 constant: 0x-hex or decimal. */
static const char *set_constant(unsigned long *field, const char *v)
{
	if (v[0] < '0' || v[0] > '9')
		return "not a number (0x-hex or decimal)";
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 0);
	if (errno != 0 || *end != '\0' || n == 0)
		return "not a non-zero number (0x-hex or decimal)";
	*field = n;
	return NULL;
}

static const char *set_sm2_key_type(struct emu_config *cfg, const char *v)
{
	return set_constant(&cfg->sm2_key_type, v);
}

static const char *set_sm2_keygen(struct emu_config *cfg, const char *v)
{
	return set_constant(&cfg->sm2_keygen, v);
}

static const char *set_sm2_sign(struct emu_config *cfg, const char *v)
{
	return set_constant(&cfg->sm2_sign, v);
}

static const char *set_sm2_sign_input(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "message") == 0)
		cfg->sm2_sign_digest = 0;
	else if (strcmp(v, "digest") == 0)
		cfg->sm2_sign_digest = 1;
	else
		return "must be message (the token computes Z and SM3) or digest (it signs e as given)";
	return NULL;
}

static const char *set_sm2_signature(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "raw") == 0)
		cfg->sm2_signature_der = 0;
	else if (strcmp(v, "der") == 0)
		cfg->sm2_signature_der = 1;
	else
		return "must be raw (r || s) or der";
	return NULL;
}

static const char *set_sm2_private_ec_point(struct emu_config *cfg, const char *v)
{
	if (strcmp(v, "true") == 0)
		cfg->sm2_private_ec_point = 1;
	else if (strcmp(v, "false") == 0)
		cfg->sm2_private_ec_point = 0;
	else
		return "must be true or false";
	return NULL;
}

static const char *set_hotplug_present(struct emu_config *cfg, const char *v)
{
	return dup_into(&cfg->hotplug_present, v);
}

static const char *set_hotplug_ports(struct emu_config *cfg, const char *v)
{
	if (parse_ulong(v, &cfg->hotplug_ports) != 0 || cfg->hotplug_ports < 1 || cfg->hotplug_ports > 32)
		return "expected a number of reader slots from 1 to 32";
	return NULL;
}

static const struct {
	const char *key;
	key_handler set;
} keys[] = {
	{ "softhsm.module", set_softhsm_module },
	{ "manufacturer", set_manufacturer },
	{ "model", set_model },
	{ "pin.min", set_pin_min },
	{ "pin.max", set_pin_max },
	{ "pin.retries", set_pin_retries },
	{ "so_pin.retries", set_so_pin_retries },
	{ "init_token", set_init_token },
	{ "keygen.ignore", set_keygen_ignore },
	{ "fault.function", set_fault_function },
	{ "fault.call", set_fault_call },
	{ "fault.rv", set_fault_rv },
	{ "fault.repeat", set_fault_repeat },
	{ "fault.delay_ms", set_fault_delay },
	{ "trace.file", set_trace_file },
	{ "state.file", set_state_file },
	{ "sm2.key_type", set_sm2_key_type },
	{ "sm2.keygen", set_sm2_keygen },
	{ "sm2.sign", set_sm2_sign },
	{ "sm2.sign.input", set_sm2_sign_input },
	{ "sm2.signature", set_sm2_signature },
	{ "sm2.private_ec_point", set_sm2_private_ec_point },
	{ "hotplug.present", set_hotplug_present },
	{ "hotplug.ports", set_hotplug_ports },
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

/* "unknown key (known: a, b, ...)", listed from the table above. */
static const char *unknown_key_message(char *buf, size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "unknown key (known:");
	for (size_t i = 0; i < KEY_COUNT && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s %s", i ? "," : "", keys[i].key);
	if (used < size)
		snprintf(buf + used, size - used, ")");
	return buf;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			 s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* "dir/name" for a relative name, the name itself when absolute. */
static char *resolve(const char *dir, const char *name)
{
	if (name[0] == '/')
		return strdup(name);
	size_t len = strlen(dir) + 1 + strlen(name) + 1;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%s/%s", dir, name);
	return out;
}

/* Relative trace/state paths are taken against the config file's
 * directory, not the caller's working directory, which a JVM or a test
 * harness may set anywhere. */
static const char *finish(struct emu_config *cfg)
{
	char *slash = strrchr(cfg->conf_path, '/');
	char *dir;
	if (slash == NULL)
		dir = strdup(".");
	else if (slash == cfg->conf_path)
		dir = strdup("/");
	else
		dir = strndup(cfg->conf_path, (size_t)(slash - cfg->conf_path));
	if (!dir)
		return "out of memory";
	int want_trace = cfg->trace_file != NULL;
	int want_hotplug = cfg->hotplug_present != NULL;
	char *state = resolve(dir, cfg->state_file ? cfg->state_file : DEFAULT_STATE_NAME);
	char *trace = want_trace ? resolve(dir, cfg->trace_file) : NULL;
	char *present = want_hotplug ? resolve(dir, cfg->hotplug_present) : NULL;
	free(dir);
	free(cfg->state_file);
	free(cfg->trace_file);
	free(cfg->hotplug_present);
	cfg->state_file = state;
	cfg->trace_file = trace;
	cfg->hotplug_present = present;
	if (!state || (want_trace && !trace) || (want_hotplug && !present))
		return "out of memory";
	return NULL;
}

static const char *validate(const struct emu_config *cfg, const unsigned char *seen)
{
	if (cfg->pin_min >= 0 && cfg->pin_max >= 0 && cfg->pin_min > cfg->pin_max)
		return "pin.min is greater than pin.max";
	int fault_keys = 0;
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (seen[i] && strncmp(keys[i].key, "fault.", 6) == 0 &&
		    strcmp(keys[i].key, "fault.function") != 0)
			fault_keys = 1;
	if (cfg->fault_fn == EMU_FAULT_NONE && fault_keys)
		return "fault.call/rv/repeat/delay_ms given without fault.function";
	int sm2_keys = 0;
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (seen[i] && strncmp(keys[i].key, "sm2.", 4) == 0)
			sm2_keys = 1;
	if (sm2_keys && (cfg->sm2_key_type == 0 || cfg->sm2_keygen == 0 || cfg->sm2_sign == 0))
		return "sm2.* needs sm2.key_type, sm2.keygen and sm2.sign together";
	if (cfg->fault_fn != EMU_FAULT_NONE && !cfg->fault_has_rv && cfg->fault_delay_ms == 0)
		return "fault.function needs fault.rv or fault.delay_ms";
	if (cfg->hotplug_present == NULL && cfg->hotplug_ports != 0)
		return "hotplug.ports given without hotplug.present";
	return NULL;
}

void emu_config_free(struct emu_config *cfg)
{
	free(cfg->conf_path);
	free(cfg->softhsm_module);
	free(cfg->manufacturer);
	free(cfg->model);
	free(cfg->trace_file);
	free(cfg->state_file);
	free(cfg->hotplug_present);
	memset(cfg, 0, sizeof(*cfg));
}

/* Parses one line into cfg; on error writes the one stderr line (naming
 * the file, line, key and value) and returns -1. */
static int parse_line(struct emu_config *cfg, char *line, unsigned char *seen,
		      const char *file, unsigned line_no)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#' || *s == '!')
		return 0;
	size_t key_len = strcspn(s, "=: \t");
	char *rest = s + key_len;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest != '=' && *rest != ':') {
		emu_log("%s file %s line %u: expected key = value " FAILS, EMU_CONF_ENV, file, line_no);
		return -1;
	}
	s[key_len] = '\0';
	char *value = trim(rest + 1);
	const char *err = NULL;
	char unknown[512];
	size_t i = 0;
	while (i < KEY_COUNT && strcmp(keys[i].key, s) != 0)
		i++;
	if (i == KEY_COUNT) {
		err = unknown_key_message(unknown, sizeof(unknown));
	} else if (seen[i]) {
		err = "key given twice";
	} else {
		seen[i] = 1;
		/* An empty value means the key's default. */
		if (*value != '\0')
			err = keys[i].set(cfg, value);
	}
	if (err) {
		emu_log("%s file %s line %u: %s = %s: %s " FAILS, EMU_CONF_ENV, file, line_no, s, value, err);
		return -1;
	}
	return 0;
}

int emu_config_load(struct emu_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pin_min = -1;
	cfg->pin_max = -1;
	cfg->fault_fn = EMU_FAULT_NONE;
	cfg->fault_call = 1;

	const char *env = getenv(EMU_CONF_ENV);
	if (env == NULL || *env == '\0') {
		emu_log("%s is not set; set it to the emulator config file " FAILS, EMU_CONF_ENV);
		return -1;
	}
	FILE *f = fopen(env, "re");
	if (f == NULL) {
		emu_log("cannot read %s file %s: %s " FAILS, EMU_CONF_ENV, env, strerror(errno));
		return -1;
	}
	cfg->conf_path = strdup(env);
	cfg->softhsm_module = strdup(DEFAULT_SOFTHSM);
	unsigned char seen[KEY_COUNT] = { 0 };
	int failed = 0;
	unsigned line_no = 0;
	char *line = NULL;
	size_t cap = 0;
	if (!cfg->conf_path || !cfg->softhsm_module) {
		emu_log("out of memory reading %s file %s " FAILS, EMU_CONF_ENV, env);
		failed = 1;
	}
	while (!failed && getline(&line, &cap, f) >= 0)
		failed = parse_line(cfg, line, seen, env, ++line_no) != 0;
	if (!failed && ferror(f)) {
		emu_log("cannot read %s file %s: %s " FAILS, EMU_CONF_ENV, env, strerror(errno));
		failed = 1;
	}
	free(line);
	fclose(f);
	if (failed) {
		emu_config_free(cfg);
		return -1;
	}
	const char *err = validate(cfg, seen);
	if (!err)
		err = finish(cfg);
	if (err) {
		emu_log("%s file %s: %s " FAILS, EMU_CONF_ENV, env, err);
		emu_config_free(cfg);
		return -1;
	}
	return 0;
}
