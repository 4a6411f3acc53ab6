/*
 * hotplug.*: tokens plugged in and pulled out, as at a provisioning desk.
 *
 * SoftHSM cannot remove a token.  With hotplug.present = FILE the emulator
 * presents a fixed row of reader slots (hotplug.ports, default 4: USB ports,
 * numbered 1..N) instead of SoftHSM's slots.  FILE lists, one per line, the
 * labels of the SoftHSM tokens that are plugged in; an initialised SoftHSM
 * token whose label is listed sits in a port (the first free one, kept while
 * it stays listed), the others are absent.  Blank lines and lines starting
 * with '#' are ignored.  A missing FILE means nothing is plugged in.
 *
 * FILE is looked at (stat: device, inode, size, modification time) at every
 * call that names a slot or a session, and every 20 ms while a caller waits
 * in C_WaitForSlotEvent; a change is seen within that.  Each plug and each
 * pull is an event C_WaitForSlotEvent reports, once, by port (what is present
 * when C_Initialize returns is not an event).  A pulled token's SoftHSM
 * sessions are closed; calls on them answer CKR_DEVICE_REMOVED while the port
 * is empty and CKR_SESSION_HANDLE_INVALID once a token is back in it; calls
 * naming an empty port answer CKR_TOKEN_NOT_PRESENT.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emu.h"

#define MAX_PORTS 32
#define DEFAULT_PORTS 4
#define LABEL_BYTES 32

struct port {
	char label[LABEL_BYTES + 1]; /* "" when empty */
	CK_SLOT_ID softhsm_slot;
	unsigned long generation;    /* changes at every plug and pull */
};

struct hp_session {
	CK_SESSION_HANDLE handle;
	unsigned long port;          /* index into ports */
	unsigned long generation;    /* the port's when the session was opened */
	struct hp_session *next;
};

static pthread_mutex_t hp_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct port ports[MAX_PORTS];
static unsigned long pending;        /* bit i: port i changed, not yet reported */
static struct hp_session *sessions;
static struct {
	int valid;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
} seen;

int emu_hotplug_enabled(void)
{
	return emu_cfg.hotplug_present != NULL;
}

static unsigned long port_count(void)
{
	return emu_cfg.hotplug_ports ? emu_cfg.hotplug_ports : DEFAULT_PORTS;
}

/* The SoftHSM slot of the initialised token with this label; 0 with *found 0 if none. */
static CK_SLOT_ID softhsm_slot_of(const char *label, int *found)
{
	*found = 0;
	CK_ULONG n = 0;
	if (emu_softhsm->C_GetSlotList(CK_TRUE, NULL, &n) != CKR_OK || n == 0)
		return 0;
	CK_SLOT_ID *list = calloc(n, sizeof(CK_SLOT_ID));
	if (!list)
		return 0;
	CK_SLOT_ID out = 0;
	if (emu_softhsm->C_GetSlotList(CK_TRUE, list, &n) == CKR_OK) {
		for (CK_ULONG i = 0; i < n && !*found; i++) {
			CK_TOKEN_INFO info;
			if (emu_softhsm->C_GetTokenInfo(list[i], &info) != CKR_OK ||
			    !(info.flags & CKF_TOKEN_INITIALIZED))
				continue;
			size_t len = LABEL_BYTES;
			while (len > 0 && info.label[len - 1] == ' ')
				len--;
			if (len == strlen(label) && memcmp(info.label, label, len) == 0) {
				out = list[i];
				*found = 1;
			}
		}
	}
	free(list);
	return out;
}

/* The labels FILE lists (at most MAX_PORTS), in order; returns how many. */
static int read_labels(char labels[MAX_PORTS][LABEL_BYTES + 1])
{
	FILE *f = fopen(emu_cfg.hotplug_present, "re");
	if (!f)
		return 0;
	int n = 0;
	char line[256];
	while (n < MAX_PORTS && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		len = strlen(s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		if (len == 0 || s[0] == '#' || len > LABEL_BYTES)
			continue;
		memcpy(labels[n], s, len + 1);
		n++;
	}
	fclose(f);
	return n;
}

static void pull(unsigned long i)
{
	/* the token's SoftHSM sessions end with it (and any SM2 operation in them) */
	emu_sm2_close_all_sessions(ports[i].softhsm_slot);
	ports[i].label[0] = '\0';
	ports[i].softhsm_slot = 0;
	ports[i].generation++;
	pending |= 1UL << i;
}

/* Reads FILE again if it changed, and plugs and pulls accordingly.  hp_mutex held. */
static void refresh(void)
{
	struct stat st;
	int exists = stat(emu_cfg.hotplug_present, &st) == 0;
	if (seen.valid && exists && st.st_dev == seen.dev && st.st_ino == seen.ino &&
	    st.st_size == seen.size && st.st_mtim.tv_sec == seen.mtime.tv_sec &&
	    st.st_mtim.tv_nsec == seen.mtime.tv_nsec)
		return;
	if (seen.valid && !exists && seen.size == -1)
		return;
	seen.valid = 1;
	if (exists) {
		seen.dev = st.st_dev;
		seen.ino = st.st_ino;
		seen.size = st.st_size;
		seen.mtime = st.st_mtim;
	} else {
		seen.size = -1;
	}
	static char labels[MAX_PORTS][LABEL_BYTES + 1];
	int n = exists ? read_labels(labels) : 0;
	unsigned long count = port_count();
	for (unsigned long i = 0; i < count; i++) {
		if (ports[i].label[0] == '\0')
			continue;
		int listed = 0;
		for (int k = 0; k < n && !listed; k++)
			listed = strcmp(labels[k], ports[i].label) == 0;
		if (!listed)
			pull(i);
	}
	for (int k = 0; k < n; k++) {
		int in = 0;
		for (unsigned long i = 0; i < count && !in; i++)
			in = strcmp(labels[k], ports[i].label) == 0;
		if (in)
			continue;
		int found;
		CK_SLOT_ID slot = softhsm_slot_of(labels[k], &found);
		if (!found)
			continue; /* no such initialised token: nothing is plugged in */
		for (unsigned long i = 0; i < count; i++) {
			if (ports[i].label[0] == '\0') {
				memcpy(ports[i].label, labels[k], sizeof(ports[i].label));
				ports[i].softhsm_slot = slot;
				ports[i].generation++;
				pending |= 1UL << i;
				break;
			}
		}
	}
}

void emu_hotplug_init(void)
{
	if (!emu_hotplug_enabled())
		return;
	pthread_mutex_lock(&hp_mutex);
	refresh();
	pending = 0; /* what is there at C_Initialize is not an event */
	pthread_mutex_unlock(&hp_mutex);
}

void emu_hotplug_reset(void)
{
	pthread_mutex_lock(&hp_mutex);
	while (sessions) {
		struct hp_session *gone = sessions;
		sessions = gone->next;
		free(gone);
	}
	memset(ports, 0, sizeof(ports));
	memset(&seen, 0, sizeof(seen));
	pending = 0;
	pthread_mutex_unlock(&hp_mutex);
}

CK_RV emu_hotplug_slot(CK_SLOT_ID *slot)
{
	if (!emu_hotplug_enabled())
		return CKR_OK;
	CK_RV rv = CKR_OK;
	pthread_mutex_lock(&hp_mutex);
	refresh();
	if (*slot < 1 || *slot > port_count())
		rv = CKR_SLOT_ID_INVALID;
	else if (ports[*slot - 1].label[0] == '\0')
		rv = CKR_TOKEN_NOT_PRESENT;
	else
		*slot = ports[*slot - 1].softhsm_slot;
	pthread_mutex_unlock(&hp_mutex);
	return rv;
}

CK_RV emu_hotplug_session(CK_SESSION_HANDLE s)
{
	if (!emu_hotplug_enabled())
		return CKR_OK;
	CK_RV rv = CKR_OK;
	pthread_mutex_lock(&hp_mutex);
	refresh();
	for (struct hp_session *p = sessions; p; p = p->next) {
		if (p->handle == s && p->generation != ports[p->port].generation) {
			rv = ports[p->port].label[0] == '\0' ? CKR_DEVICE_REMOVED : CKR_SESSION_HANDLE_INVALID;
			break;
		}
	}
	pthread_mutex_unlock(&hp_mutex);
	return rv;
}

void emu_hotplug_opened(CK_SLOT_ID port, CK_SESSION_HANDLE s)
{
	if (!emu_hotplug_enabled())
		return;
	pthread_mutex_lock(&hp_mutex);
	struct hp_session *p = sessions;
	while (p && p->handle != s)
		p = p->next;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p) {
			pthread_mutex_unlock(&hp_mutex);
			return;
		}
		p->next = sessions;
		sessions = p;
	}
	/* SoftHSM may reuse a closed session's handle: the record is the new session's */
	p->handle = s;
	p->port = port - 1;
	p->generation = ports[port - 1].generation;
	pthread_mutex_unlock(&hp_mutex);
}

static void forget(int (*match)(const struct hp_session *, unsigned long), unsigned long value)
{
	struct hp_session **p = &sessions;
	while (*p) {
		if (match(*p, value)) {
			struct hp_session *gone = *p;
			*p = gone->next;
			free(gone);
		} else {
			p = &(*p)->next;
		}
	}
}

static int by_handle(const struct hp_session *p, unsigned long handle)
{
	return p->handle == handle;
}

static int by_port(const struct hp_session *p, unsigned long port)
{
	return p->port == port;
}

void emu_hotplug_closed(CK_SESSION_HANDLE s)
{
	if (!emu_hotplug_enabled())
		return;
	pthread_mutex_lock(&hp_mutex);
	forget(by_handle, s);
	pthread_mutex_unlock(&hp_mutex);
}

void emu_hotplug_closed_all(CK_SLOT_ID port)
{
	if (!emu_hotplug_enabled())
		return;
	pthread_mutex_lock(&hp_mutex);
	forget(by_port, port - 1);
	pthread_mutex_unlock(&hp_mutex);
}

CK_RV emu_hotplug_get_slot_list(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
	if (count == NULL)
		return CKR_ARGUMENTS_BAD;
	pthread_mutex_lock(&hp_mutex);
	refresh();
	CK_SLOT_ID ids[MAX_PORTS];
	CK_ULONG n = 0;
	for (unsigned long i = 0; i < port_count(); i++)
		if (!present || ports[i].label[0] != '\0')
			ids[n++] = i + 1;
	pthread_mutex_unlock(&hp_mutex);
	CK_RV rv = CKR_OK;
	if (list != NULL) {
		if (*count < n)
			rv = CKR_BUFFER_TOO_SMALL;
		else
			memcpy(list, ids, n * sizeof(CK_SLOT_ID));
	}
	*count = n;
	return rv;
}

static void pad(CK_UTF8CHAR *field, size_t size, const char *text)
{
	memset(field, ' ', size);
	size_t len = strlen(text);
	memcpy(field, text, len < size ? len : size);
}

CK_RV emu_hotplug_get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
	if (info == NULL)
		return CKR_ARGUMENTS_BAD;
	pthread_mutex_lock(&hp_mutex);
	refresh();
	CK_RV rv = CKR_OK;
	if (slot < 1 || slot > port_count()) {
		rv = CKR_SLOT_ID_INVALID;
	} else {
		char description[64];
		snprintf(description, sizeof(description), "tokenctl emulator reader, port %lu", (unsigned long)slot);
		pad(info->slotDescription, sizeof(info->slotDescription), description);
		pad(info->manufacturerID, sizeof(info->manufacturerID), "tokenctl emulator");
		info->flags = CKF_REMOVABLE_DEVICE | CKF_HW_SLOT |
			      (ports[slot - 1].label[0] != '\0' ? CKF_TOKEN_PRESENT : 0);
		info->hardwareVersion.major = 1;
		info->hardwareVersion.minor = 0;
		info->firmwareVersion.major = 1;
		info->firmwareVersion.minor = 0;
	}
	pthread_mutex_unlock(&hp_mutex);
	return rv;
}

int emu_hotplug_next_event(CK_SLOT_ID *slot)
{
	pthread_mutex_lock(&hp_mutex);
	refresh();
	int got = 0;
	for (unsigned long i = 0; i < port_count() && !got; i++) {
		if (pending & (1UL << i)) {
			pending &= ~(1UL << i);
			*slot = i + 1;
			got = 1;
		}
	}
	pthread_mutex_unlock(&hp_mutex);
	return got;
}
