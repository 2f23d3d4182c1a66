// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe [--x32|--int80] SYSCALL [ARG...]: makes one syscall with the given
 * arguments and prints "ok RETURN" or "errno NAME", so a test can check
 * exactly what a filter did with it. probe --print FILE prints FILE.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * All six argument registers are set: a call whose later arguments were
 * left as whatever esi, edi and ebp held answers differently run to run
 * (mmap2's flags, fd and page offset). ebp may be the frame pointer, so it
 * is saved on the stack, below the red zone the compiler may be using.
 */
static long int80(long nr, const long *a)
{
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %k[a5], %%ebp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]),
			   "D"(a[4]), [a5] "r"(a[5])
			 : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	long args[6] = { 0 };
	int i = 1, nr, x32 = 0, i386 = 0;
	long ret;

	if (argc == 3 && !strcmp(argv[1], "--print")) {
		/* stdio only: what @critical allows */
		FILE *f = fopen(argv[2], "r");
		char line[512];

		if (!f)
			return 1;
		while (fgets(line, sizeof(line), f))
			fputs(line, stdout);
		fclose(f);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--x32"))
		x32 = 1, i++;
	else if (argc > 1 && !strcmp(argv[1], "--int80"))
		i386 = 1, i++;
	if (i >= argc) {
		fprintf(stderr,
			"usage: probe [--x32|--int80] SYSCALL [ARG...]\n");
		return 2;
	}
	nr = i386 ? seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, argv[i]) :
		    seccomp_syscall_resolve_name(argv[i]);
	if (nr < 0)
		nr = atoi(argv[i]);
	for (int k = 0; k < 6 && i + 1 + k < argc; k++)
		args[k] = (long)strtoull(argv[i + 1 + k], NULL, 0);
	if (i386) {
		ret = int80(nr, args);
		if (ret < 0 && ret > -4096) {
			errno = (int)-ret;
			ret = -1;
		}
	} else {
		ret = syscall(nr | (x32 ? 0x40000000 : 0), args[0], args[1],
			      args[2], args[3], args[4], args[5]);
	}
	if (ret == -1)
		printf("errno %s\n", strerrorname_np(errno));
	else
		printf("ok %ld\n", ret);
	return 0;
}
