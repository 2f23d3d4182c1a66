// SPDX-License-Identifier: GPL-2.0-only
/*
 * preinit-rewrite: code that runs before libpinscope-preload.so's
 * constructor (this program's preinit_array) rewrites the filter the
 * launcher handed over (PINSCOPE_FILTER_FD) into one that allows
 * everything, then main() makes a call the policy refuses. Prints
 * "rewrite: ok|ERRNO" and then the call's "ok N" or "errno N".
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int rewrite_err = -1;

static void rewrite(int argc, char **argv, char **envp)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	char **e;
	int fd = -1;

	(void)argc;
	(void)argv;
	for (e = envp; *e; e++)
		if (!strncmp(*e, "PINSCOPE_FILTER_FD=", 19))
			fd = atoi(*e + 19);
	if (fd < 0)
		return;
	/* one instruction, allow, and nothing after it */
	if (pwrite(fd, &allow, sizeof(allow), 0) != sizeof(allow))
		rewrite_err = errno;
	else if (ftruncate(fd, sizeof(allow)) < 0)
		rewrite_err = errno;
	else
		rewrite_err = 0;
}

__attribute__((section(".preinit_array"),
	       used)) static void (*pre)(int, char **, char **) = rewrite;

int main(void)
{
	long ret;

	printf("rewrite: %s\n", rewrite_err < 0 ? "no fd" :
				rewrite_err	? strerror(rewrite_err) :
						  "ok");
	ret = syscall(SYS_getrandom, NULL, 0, 0);
	if (ret < 0)
		printf("getrandom: errno %d\n", errno);
	else
		printf("getrandom: ok\n");
	return 0;
}
