// SPDX-License-Identifier: GPL-2.0
/*
 * The myos of the Cloudflare sandbox post with its own raw filter (uname
 * fails with EPERM), but without the PR_SET_NO_NEW_PRIVS call the post's
 * sandbox() makes first: the minijail0 run of the LSS-EU 2018 slides that
 * failed with "prctl(seccomp_filter) failed: Permission denied".
 *
 * seccomp(2) accepts a filter from a thread with CAP_SYS_ADMIN in its user
 * namespace or with no_new_privs set; anyone else gets EACCES, because a
 * filter could otherwise make a setuid program fail in ways it does not
 * expect.  So this works for root, fails for an unprivileged user, and
 * works again for that user under a launcher that set no_new_privs first.
 *
 * Prints no_new_privs, the outcome of the load and, once loaded, what uname
 * gets.  Exit status: 0 when the filter is in force, 1 when it was refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_uname, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};
	struct utsname name;

	printf("uid %d, no_new_privs %d\n", (int)getuid(),
	       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		printf("seccomp(SECCOMP_SET_MODE_FILTER): %s (%s)\n",
		       strerrorname_np(errno), strerror(errno));
		return 1;
	}
	printf("seccomp(SECCOMP_SET_MODE_FILTER): loaded\n");
	if (uname(&name))
		printf("uname failed: %s\n", strerror(errno));
	else
		printf("My OS is %s!\n", name.sysname);
	return 0;
}
