/*
 * The trace: one line "<function-name> <rv-name>\n" per call.
 *
 * Each line goes out in a single write() on an O_APPEND descriptor, so lines
 * from several threads or processes sharing one trace file never interleave
 * mid-line, and nothing sits in a buffer if the process dies.  Only names
 * are written: never a PIN, a handle or data.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"

/* Set at C_Initialize, closed at C_Finalize, both under the emulator's
 * write lock; written under its read lock. */
static int trace_fd = -1;

int emu_trace_open(const char *path)
{
	trace_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (trace_fd < 0) {
		emu_log("cannot open trace.file %s: %s (C_Initialize returns CKR_GENERAL_ERROR)",
			path, strerror(errno));
		return -1;
	}
	return 0;
}

void emu_trace_write(int fn, CK_RV rv)
{
	if (trace_fd < 0)
		return;
	char line[128];
	const char *name = emu_ckr_name(rv);
	int len = name ? snprintf(line, sizeof(line), "%s %s\n", emu_fn_name(fn), name)
		       : snprintf(line, sizeof(line), "%s 0x%08lX\n", emu_fn_name(fn), rv);
	if (len <= 0 || (size_t)len >= sizeof(line))
		return;
	ssize_t written;
	do {
		written = write(trace_fd, line, (size_t)len);
	} while (written < 0 && errno == EINTR);
	/* A failed trace write must not change the PKCS#11 result; the test
	 * reading the trace will see the missing line. */
}

void emu_trace_close(void)
{
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = -1;
}
