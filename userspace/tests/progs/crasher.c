// SPDX-License-Identifier: GPL-2.0-only
/*
 * crasher [--armed] [segv|abort]: dies in crash_here(), of SIGSEGV (a NULL
 * write) or SIGABRT. --armed installs libpinscope-crash first (the program
 * that arms the handler itself); without it, pinscope catch can arm it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinscope-crash.h"

static volatile int *nowhere;

__attribute__((noinline)) static void crash_here(int how)
{
	if (how)
		abort();
	*nowhere = 42;
}

__attribute__((noinline)) static void on_the_way(int how)
{
	crash_here(how);
	puts("not reached");
}

int main(int argc, char **argv)
{
	int i, how = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--armed") && pinscope_crash_install()) {
			perror("pinscope_crash_install");
			return 1;
		}
		if (!strcmp(argv[i], "abort"))
			how = 1;
	}
	on_the_way(how);
	return 0;
}
