// SPDX-License-Identifier: GPL-2.0-only
/* SECCOMP_MODE_STRICT, as in "Linux Seccomp Learning": dup2 is fatal. */
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("step 1: unrestricted\n");
	prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
	printf("step 2: only 'read', 'write', 'exit' and 'sigreturn' syscalls\n");
	dup2(1, 2);
	printf("step 3: !! YOU SHOULD NOT SEE ME !!\n");
	return 0;
}
