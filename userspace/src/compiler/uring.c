// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring, the door beside the filter: a ring's operations (IORING_OP_*)
 * open files, read, write, connect sockets and more as work the kernel
 * does for the ring, which seccomp never sees. A policy that allows
 * io_uring_setup allows all of them, whatever it says of the syscalls
 * (DESIGN 3.2). Deny lists refuse io_uring_setup unless named (plan.c);
 * here compile, explain and learn say so when a policy opens the door.
 */
#include <linux/io_uring.h>
#include <stdio.h>

#include "compile.h"

/*
 * The syscall that does what each ring operation does, from
 * linux/io_uring.h's IORING_OP_*: operations on the ring itself (NOP,
 * timeouts, cancelling, buffers, MSG_RING) have none.
 */
static const char *const ring_ops[] = {
	[IORING_OP_READV] = "readv",
	[IORING_OP_WRITEV] = "writev",
	[IORING_OP_FSYNC] = "fsync",
	[IORING_OP_READ_FIXED] = "pread64",
	[IORING_OP_WRITE_FIXED] = "pwrite64",
	[IORING_OP_POLL_ADD] = "poll",
	[IORING_OP_SYNC_FILE_RANGE] = "sync_file_range",
	[IORING_OP_SENDMSG] = "sendmsg",
	[IORING_OP_RECVMSG] = "recvmsg",
	[IORING_OP_ACCEPT] = "accept4",
	[IORING_OP_CONNECT] = "connect",
	[IORING_OP_FALLOCATE] = "fallocate",
	[IORING_OP_OPENAT] = "openat",
	[IORING_OP_CLOSE] = "close",
	[IORING_OP_STATX] = "statx",
	[IORING_OP_READ] = "read",
	[IORING_OP_WRITE] = "write",
	[IORING_OP_FADVISE] = "fadvise64",
	[IORING_OP_MADVISE] = "madvise",
	[IORING_OP_SEND] = "sendto",
	[IORING_OP_RECV] = "recvfrom",
	[IORING_OP_OPENAT2] = "openat2",
	[IORING_OP_EPOLL_CTL] = "epoll_ctl",
	[IORING_OP_SPLICE] = "splice",
	[IORING_OP_TEE] = "tee",
	[IORING_OP_SHUTDOWN] = "shutdown",
	[IORING_OP_RENAMEAT] = "renameat2",
	[IORING_OP_UNLINKAT] = "unlinkat",
	[IORING_OP_MKDIRAT] = "mkdirat",
	[IORING_OP_SYMLINKAT] = "symlinkat",
	[IORING_OP_LINKAT] = "linkat",
	[IORING_OP_FSETXATTR] = "fsetxattr",
	[IORING_OP_SETXATTR] = "setxattr",
	[IORING_OP_FGETXATTR] = "fgetxattr",
	[IORING_OP_GETXATTR] = "getxattr",
	[IORING_OP_SOCKET] = "socket",
	/* a driver's own commands, as an ioctl would give them */
	[IORING_OP_URING_CMD] = "ioctl",
	[IORING_OP_SEND_ZC] = "sendto",
	[IORING_OP_SENDMSG_ZC] = "sendmsg",
};

/* The call goes through: allowed, or logged and allowed. */
static bool passes(const struct ps_action *a)
{
	return a->type == PS_ACT_ALLOW || a->type == PS_ACT_LOG;
}

/* Whether F lets NR through for some arguments (WANT) or refuses it for some (!WANT). */
static bool some_call(const struct ps_filter *f, int nr, bool want)
{
	const struct ps_plan *plan = ps_filter_plan(f, nr);
	unsigned int i;

	if (plan && plan->execve_gate)
		return true; /* the launcher decides: both, in time */
	for (i = 0; plan && i < plan->n; i++) {
		if (passes(&plan->d[i].action) == want)
			return true;
		if (ps_expr_is_true(&plan->d[i].when))
			return false;
	}
	return passes(&f->default_action) == want;
}

bool ps_filter_ring_bypass(const struct ps_filter *f, char *names, size_t len)
{
	int setup = ps_syscall_lookup("io_uring_setup");
	int named[ARRAY_SIZE(ring_ops)];
	size_t i, j, n = 0, used = 0;

	if (len)
		names[0] = '\0';
	if (setup < 0 || !some_call(f, setup, true))
		return false;
	for (i = 0; i < ARRAY_SIZE(ring_ops); i++) {
		int nr = ring_ops[i] ? ps_syscall_lookup(ring_ops[i]) : -1;
		int w;

		if (nr < 0 || !some_call(f, nr, false))
			continue;
		/* SEND and SEND_ZC are both sendto: named once */
		for (j = 0; j < n && named[j] != nr; j++)
			;
		if (j < n)
			continue;
		named[n++] = nr;
		if (used < len) {
			w = snprintf(names + used, len - used, "%s%s",
				     used ? ", " : "", ring_ops[i]);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return n > 0;
}

void ps_filter_warn_io_uring(const struct ps_filter *f)
{
	char names[512];

	if (!ps_filter_ring_bypass(f, names, sizeof(names)))
		return;
	ps_warn("warning: the policy allows io_uring_setup, and a ring does what the policy refuses without making those syscalls (%s): deny io_uring_setup unless the program needs rings and may do all of that",
		names);
}
