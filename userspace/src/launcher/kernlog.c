// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the kernel's seccomp records (kernlog.h): from the audit
 * multicast group where the launcher may join it (root), else from
 * /dev/kmsg. Each read() of /dev/kmsg returns one whole record; EPIPE
 * says the ring overwrote records since the last read, and the next read
 * goes on from the oldest one left.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernlog.h"
#include "util.h"

/* the sources ps_kernlog_open() found: the audit group, /dev/kmsg */
static int audit_fd = -1, kmsg_fd = -1;
/* the serial numbers of the last records taken, read twice otherwise */
static unsigned long seen[64];
static unsigned int n_seen;

static int next_kmsg(int fd, struct ps_seccomp_record *r);

/* Landlock's records read on the way, for ps_kernlog_landlock_next() */
static struct ps_landlock_record ll_queue[32];
static unsigned int ll_head, ll_n;
/* the last denial's event: its SYSCALL record is kept too */
static unsigned long ll_last_serial;

/*
 * The audit subsystem's read-only multicast group gets every record, with
 * or without auditd, and none is lost to the console's rate limit (ten
 * records in five seconds, printk_ratelimit): root's way (CAP_AUDIT_READ).
 */
static int audit_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = 1U
						 << (AUDIT_NLGRP_READLOG - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_AUDIT);

	int size = 4 << 20;

	if (fd < 0)
		return -1;
	/*
	 * The group carries every process's records: a busy machine's could
	 * fill the default buffer (ENOBUFS) before the sandbox's is read.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* /dev/kmsg from now on, or -1 */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The group where it can be had (root), else /dev/kmsg. The group misses
 * nothing but hears only the initial network namespace's records (not a
 * container's); /dev/kmsg shows every namespace's, ten in five seconds,
 * and its open() alone costs a launch some 70 us, so it is the fallback.
 * (Code reading both counts a record once, by its serial number.)
 */
int ps_kernlog_open(void)
{
	audit_fd = audit_socket();
	if (audit_fd < 0)
		kmsg_fd = kmsg_open();
	if (audit_fd < 0 && kmsg_fd < 0)
		return -1;
	return audit_fd >= 0 ? audit_fd : kmsg_fd;
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

/* Was the record of SERIAL ("audit(TIME:SERIAL)") taken already? */
static unsigned long serial_of(const char *msg);

static bool taken(const char *msg)
{
	unsigned long serial = serial_of(msg);
	unsigned int i;

	if (!serial)
		return false;
	for (i = 0; i < n_seen && i < ARRAY_SIZE(seen); i++)
		if (seen[i] == serial)
			return true;
	seen[n_seen++ % ARRAY_SIZE(seen)] = serial;
	return false;
}

/*
 * The string field KEY of MSG into BUF: audit quotes a plain value
 * (comm="bash") and writes any other in hex (comm=612062), so a value
 * cannot forge the fields after it. "" if there is none.
 */
static void string_field(const char *msg, const char *key, char *buf,
			 size_t size)
{
	size_t len = strlen(key), n = 0;
	const char *p = msg;

	buf[0] = '\0';
	while ((p = strstr(p, key))) {
		if (p > msg && p[-1] == ' ' && p[len] == '=')
			break;
		p += len;
	}
	if (!p)
		return;
	p += len + 1;
	if (*p == '"') {
		for (p++; *p && *p != '"' && n + 1 < size; p++)
			buf[n++] = *p;
	} else {
		unsigned int byte;

		for (; isxdigit((unsigned char)p[0]) &&
		       isxdigit((unsigned char)p[1]) && n + 1 < size;
		     p += 2) {
			if (sscanf(p, "%2x", &byte) != 1)
				break;
			buf[n++] = (char)byte;
		}
	}
	buf[n] = '\0';
}

/* The event's serial number of "audit(TIME:SERIAL): ..." in MSG, or 0. */
static unsigned long serial_of(const char *msg)
{
	const char *p = strstr(msg, "audit(");

	p = p ? strchr(p, ':') : NULL;
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

/* MSG (a TYPE record's text) as a Landlock record into R; false if it is none. */
static bool landlock_fields(int type, const char *msg,
			    struct ps_landlock_record *r)
{
	unsigned long long v;
	const char *b;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->serial = serial_of(msg);
	r->nr = -1;
	if (type == AUDIT_SYSCALL) {
		/* only the call of a denial just read */
		if (!r->serial || r->serial != ll_last_serial ||
		    !field(msg, "syscall", 10, &v))
			return false;
		r->nr = (int)v;
		if (field(msg, "pid", 10, &v))
			r->pid = (pid_t)v;
		return true;
	}
	if (!field(msg, "domain", 16, &r->domain))
		return false;
	if (type == PS_AUDIT_LANDLOCK_DOMAIN) {
		if (!strstr(msg, " status=allocated ") ||
		    !field(msg, "pid", 10, &v))
			return false;
		r->pid = (pid_t)v;
		return true;
	}
	b = strstr(msg, " blockers=");
	if (!b)
		return false;
	b += strlen(" blockers=");
	n = strcspn(b, " ");
	snprintf(r->blockers, sizeof(r->blockers), "%.*s", (int)n, b);
	b += n;
	b += strspn(b, " ");
	snprintf(r->object, sizeof(r->object), "%s", b);
	n = strlen(r->object);
	while (n && (r->object[n - 1] == '\n' || r->object[n - 1] == ' '))
		r->object[--n] = '\0';
	ll_last_serial = r->serial;
	return true;
}

static void landlock_keep(int type, const char *msg)
{
	struct ps_landlock_record r;

	if (!landlock_fields(type, msg, &r))
		return;
	if (ll_n == ARRAY_SIZE(ll_queue)) { /* the oldest goes */
		ll_head = (ll_head + 1) % ARRAY_SIZE(ll_queue);
		ll_n--;
	}
	ll_queue[(ll_head + ll_n++) % ARRAY_SIZE(ll_queue)] = r;
}

int ps_kernlog_landlock_next(struct ps_landlock_record *r)
{
	if (!ll_n)
		return 0;
	*r = ll_queue[ll_head];
	ll_head = (ll_head + 1) % ARRAY_SIZE(ll_queue);
	ll_n--;
	return 1;
}

/* The type of a kernel /dev/kmsg line "PRI,...;audit: type=N audit(...": N, or 0. */
static int kmsg_audit_type(const char *line, const char **msg)
{
	char *end;
	unsigned long pri = strtoul(line, &end, 10);
	const char *m = strchr(line, ';');

	/* the kernel's own facility (0) only, as ps_kernlog_parse() */
	if (end == line || *end != ',' || pri >> 3 || !m ||
	    strncmp(m + 1, "audit: type=", 12))
		return 0;
	*msg = m;
	return atoi(m + 13);
}

bool ps_kernlog_parse_landlock(const char *line, struct ps_landlock_record *r)
{
	const char *msg;
	int type = kmsg_audit_type(line, &msg);

	if (type != PS_AUDIT_LANDLOCK_ACCESS &&
	    type != PS_AUDIT_LANDLOCK_DOMAIN && type != AUDIT_SYSCALL)
		return false;
	return landlock_fields(type, msg, r);
}

/* The fields of one AUDIT_SECCOMP record's text into R. */
static bool parse_fields(const char *msg, struct ps_seccomp_record *r)
{
	unsigned long long pid, sig, arch, nr, code;

	if (!field(msg, "pid", 10, &pid) || !field(msg, "sig", 10, &sig) ||
	    !field(msg, "arch", 16, &arch) || !field(msg, "syscall", 10, &nr) ||
	    !field(msg, "code", 16, &code))
		return false;
	r->pid = (pid_t)pid;
	r->sig = (int)sig;
	r->arch = (uint32_t)arch;
	r->nr = (int)nr;
	r->code = (uint32_t)code;
	string_field(msg, "comm", r->comm, sizeof(r->comm));
	string_field(msg, "exe", r->exe, sizeof(r->exe));
	return true;
}

bool ps_kernlog_parse(const char *line, struct ps_seccomp_record *r)
{
	const char *msg = strchr(line, ';');
	char *end;
	unsigned long pri = strtoul(line, &end, 10);

	/*
	 * The kernel's own facility (0) only: what a process writes to
	 * /dev/kmsg is LOG_USER's at least, so a sandbox cannot forge one.
	 */
	if (end == line || *end != ',' || pri >> 3)
		return false;
	/* the record itself, not a line that quotes one (a file name...) */
	return msg && !strncmp(msg + 1, "audit: type=1326 audit(", 23) &&
	       parse_fields(msg, r);
}

/* The next AUDIT_SECCOMP message of the multicast socket FD. */
static int next_audit(int fd, struct ps_seccomp_record *r)
{
	/* MAX_AUDIT_MESSAGE_LENGTH (libaudit.h), and the header */
	char buf[8970 + NLMSG_HDRLEN + 1];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct sockaddr_nl from;
	socklen_t len;
	ssize_t n;

	for (;;) {
		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
			     (struct sockaddr *)&from, &len);
		if (n < 0 && errno == EINTR)
			continue;
		/* ENOBUFS: records lost to a full socket; go on */
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		/* the kernel's (port 0): CAP_NET_ADMIN may send to the group */
		if ((size_t)n < NLMSG_HDRLEN || from.nl_pid != 0)
			continue;
		buf[n] = '\0';
		if (h->nlmsg_type == PS_AUDIT_LANDLOCK_ACCESS ||
		    h->nlmsg_type == PS_AUDIT_LANDLOCK_DOMAIN ||
		    h->nlmsg_type == AUDIT_SYSCALL) {
			buf[NLMSG_HDRLEN - 1] = ' ';
			landlock_keep(h->nlmsg_type, buf + NLMSG_HDRLEN - 1);
			continue;
		}
		if (h->nlmsg_type != AUDIT_SECCOMP)
			continue;
		/* " " first: the fields are matched after a space */
		buf[NLMSG_HDRLEN - 1] = ' ';
		if (parse_fields(buf + NLMSG_HDRLEN - 1, r) &&
		    !taken(buf + NLMSG_HDRLEN))
			return 1;
	}
}

int ps_kernlog_next(int fd, struct ps_seccomp_record *r)
{
	int got = 0;

	(void)fd;
	if (audit_fd >= 0)
		got = next_audit(audit_fd, r);
	if (got == 0 && kmsg_fd >= 0)
		got = next_kmsg(kmsg_fd, r);
	return got;
}

static int next_kmsg(int fd, struct ps_seccomp_record *r)
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
		if (ps_kernlog_parse(buf, r) && !taken(buf))
			return 1;
		{
			const char *msg;
			int type = kmsg_audit_type(buf, &msg);

			if (type == PS_AUDIT_LANDLOCK_ACCESS ||
			    type == PS_AUDIT_LANDLOCK_DOMAIN ||
			    type == AUDIT_SYSCALL)
				landlock_keep(type, msg);
		}
	}
}
