// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the kernel's seccomp records from /dev/kmsg (kernlog.h). Each
 * read() of /dev/kmsg returns one whole record; EPIPE says the ring
 * overwrote records since the last read, and the next read goes on from
 * the oldest one left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernlog.h"

int ps_kernlog_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* only what happens from now on: the sandbox's records */
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* The number after " KEY=" in MSG, in BASE; false if absent. */
static bool field(const char *msg, const char *key, int base,
		  unsigned long long *out)
{
	size_t len = strlen(key);
	const char *p = msg;
	char *end;

	while ((p = strstr(p, key))) {
		if (p > msg && p[-1] == ' ' && p[len] == '=') {
			errno = 0;
			*out = strtoull(p + len + 1, &end, base);
			return !errno && end != p + len + 1;
		}
		p += len;
	}
	return false;
}

bool ps_kernlog_parse(const char *line, struct ps_seccomp_record *r)
{
	const char *msg = strchr(line, ';');
	unsigned long long pid, sig, arch, nr, code;

	if (!msg || !strstr(msg, "type=1326 "))
		return false;
	if (!field(msg, "pid", 10, &pid) || !field(msg, "sig", 10, &sig) ||
	    !field(msg, "arch", 16, &arch) ||
	    !field(msg, "syscall", 10, &nr) || !field(msg, "code", 16, &code))
		return false;
	r->pid = (pid_t)pid;
	r->sig = (int)sig;
	r->arch = (uint32_t)arch;
	r->nr = (int)nr;
	r->code = (uint32_t)code;
	return true;
}

int ps_kernlog_next(int fd, struct ps_seccomp_record *r)
{
	/* a record is at most about 1 KiB (CONSOLE_EXT_LOG_MAX is 8 KiB) */
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		if (n == 0)
			return 0;
		buf[n] = '\0';
		if (ps_kernlog_parse(buf, r))
			return 1;
	}
}
