/*
 * The retry counters, persisted in state.file so that they survive across
 * processes as a real token's counter does (every pkcs11-tool run, every
 * JVM, is a new process).
 *
 * Format: one line per token serial and PIN kind,
 *     <serial> <user|so> <wrong tries since the last success>
 * plus '#' comments.  A missing file means every count is 0.
 *
 * Concurrency: a read-modify-write happens under a pthread mutex (threads of
 * this process) and an flock() on "<state.file>.lock" (other processes).
 * The lock lives on a sibling file because the state file itself is
 * replaced by rename() on every write, and a lock on a replaced inode
 * protects nothing.  rename() makes each write atomic for readers.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "emu.h"

static pthread_mutex_t state_mutex = PTHREAD_MUTEX_INITIALIZER;

static char *with_suffix(const char *path, const char *suffix)
{
	size_t len = strlen(path) + strlen(suffix) + 1;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%s%s", path, suffix);
	return out;
}

static void free_entries(struct emu_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->entries[i].serial);
	free(st->entries);
	st->entries = NULL;
	st->n = st->cap = 0;
}

static void release(struct emu_state *st)
{
	free_entries(st);
	if (st->lock_fd >= 0)
		close(st->lock_fd); /* drops the flock */
	st->lock_fd = -1;
	pthread_mutex_unlock(&state_mutex);
}

static CK_RV append(struct emu_state *st, const char *serial,
		    enum emu_pin_kind kind, unsigned long count)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 8;
		struct emu_state_entry *e = realloc(st->entries, cap * sizeof(*e));
		if (!e)
			return CKR_HOST_MEMORY;
		st->entries = e;
		st->cap = cap;
	}
	char *copy = strdup(serial);
	if (!copy)
		return CKR_HOST_MEMORY;
	st->entries[st->n].serial = copy;
	st->entries[st->n].kind = kind;
	st->entries[st->n].count = count;
	st->n++;
	return CKR_OK;
}

static CK_RV load(struct emu_state *st)
{
	FILE *f = fopen(st->path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return CKR_OK;
		emu_log("cannot read state.file %s: %s", st->path, strerror(errno));
		return CKR_GENERAL_ERROR;
	}
	CK_RV rv = CKR_OK;
	char *line = NULL;
	size_t cap = 0;
	unsigned line_no = 0;
	while (rv == CKR_OK && getline(&line, &cap, f) >= 0) {
		line_no++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char serial[128], kind[8];
		unsigned long count;
		char extra;
		if (sscanf(line, "%127s %7s %lu %c", serial, kind, &count, &extra) != 3 ||
		    (strcmp(kind, "user") != 0 && strcmp(kind, "so") != 0)) {
			emu_log("state.file %s line %u is not \"<serial> <user|so> <count>\"",
				st->path, line_no);
			rv = CKR_GENERAL_ERROR;
			break;
		}
		rv = append(st, serial, kind[0] == 's' ? EMU_PIN_SO : EMU_PIN_USER, count);
	}
	free(line);
	fclose(f);
	return rv;
}

CK_RV emu_state_open(struct emu_state *st, const char *path, int exclusive)
{
	memset(st, 0, sizeof(*st));
	st->path = path;
	st->lock_fd = -1;
	pthread_mutex_lock(&state_mutex);

	char *lock_path = with_suffix(path, ".lock");
	if (!lock_path) {
		release(st);
		return CKR_HOST_MEMORY;
	}
	st->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lock_fd < 0) {
		emu_log("cannot open state lock file %s: %s", lock_path, strerror(errno));
		free(lock_path);
		release(st);
		return CKR_GENERAL_ERROR;
	}
	int rc;
	do {
		rc = flock(st->lock_fd, exclusive ? LOCK_EX : LOCK_SH);
	} while (rc != 0 && errno == EINTR);
	if (rc != 0) {
		emu_log("cannot lock %s: %s", lock_path, strerror(errno));
		free(lock_path);
		release(st);
		return CKR_GENERAL_ERROR;
	}
	free(lock_path);

	CK_RV rv = load(st);
	if (rv != CKR_OK)
		release(st);
	return rv;
}

unsigned long emu_state_get(const struct emu_state *st, const char *serial,
			    enum emu_pin_kind kind)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->entries[i].kind == kind && strcmp(st->entries[i].serial, serial) == 0)
			return st->entries[i].count;
	return 0;
}

CK_RV emu_state_set(struct emu_state *st, const char *serial,
		    enum emu_pin_kind kind, unsigned long count)
{
	for (size_t i = 0; i < st->n; i++) {
		struct emu_state_entry *e = &st->entries[i];
		if (e->kind != kind || strcmp(e->serial, serial) != 0)
			continue;
		if (e->count == count)
			return CKR_OK;
		st->dirty = 1;
		if (count != 0) {
			e->count = count;
			return CKR_OK;
		}
		/* A zero count is no entry at all. */
		free(e->serial);
		*e = st->entries[--st->n];
		return CKR_OK;
	}
	if (count == 0)
		return CKR_OK;
	st->dirty = 1;
	return append(st, serial, kind, count);
}

static CK_RV store(const struct emu_state *st)
{
	char *tmp = with_suffix(st->path, ".tmp");
	if (!tmp)
		return CKR_HOST_MEMORY;
	/* Only one writer at a time holds the exclusive lock, so one fixed
	 * temp name is enough; O_TRUNC clears what a crashed writer left. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		emu_log("cannot write state.file temp %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		return CKR_GENERAL_ERROR;
	}
	fputs("# tokenctl vendor emulator retry counters: <serial> <user|so> <wrong tries>\n", f);
	for (size_t i = 0; i < st->n; i++)
		fprintf(f, "%s %s %lu\n", st->entries[i].serial,
			st->entries[i].kind == EMU_PIN_SO ? "so" : "user",
			st->entries[i].count);
	int failed = ferror(f);
	failed |= fclose(f) != 0;
	if (failed || rename(tmp, st->path) != 0) {
		emu_log("cannot write state.file %s: %s", st->path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return CKR_GENERAL_ERROR;
	}
	free(tmp);
	return CKR_OK;
}

CK_RV emu_state_close(struct emu_state *st)
{
	CK_RV rv = st->dirty ? store(st) : CKR_OK;
	release(st);
	return rv;
}
