// SPDX-License-Identifier: GPL-2.0-only
/*
 * The libseccomp example of "Linux Seccomp Learning", with the filter
 * taken out: pinscope applies the same rules from outside
 * (tests/policies/dup2.policy).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("step 1: unrestricted\n");
	printf("step 2: only the whitelist and dup2(1, 2) syscalls\n");
	dup2(1, 2);
	printf("step 3: stderr redirected to stdout\n");
	dup2(2, 42);
	printf("step 4: !! YOU SHOULD NOT SEE ME !!\n");
	return 0;
}
