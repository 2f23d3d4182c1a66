// SPDX-License-Identifier: GPL-2.0-only
/*
 * crasher [--armed] [--threads N] [segv|abort|fpe|ill|bus|overflow]: dies
 * in crash_here() of the signal asked for (default: SIGSEGV, a NULL
 * write), with N more threads waiting in idle_thread(). --armed installs
 * libpinscope-crash first (the program that arms the handler itself);
 * without it, pinscope catch can arm it. overflow overflows the stack, which
 * only a handler on its own stack can report.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pinscope-crash.h"

static volatile int *nowhere;
static volatile int zero, seven = 7;

__attribute__((noinline)) static int overflow(int depth)
{
	volatile char pad[4096];

	pad[0] = (char)depth;
	/* the stack ends first; the test keeps the compiler from seeing that */
	if (depth < 0)
		return pad[0];
	return overflow(depth + 1) + pad[0];
}

__attribute__((noinline)) static void crash_here(const char *how)
{
	if (!strcmp(how, "abort")) {
		abort();
	} else if (!strcmp(how, "fpe")) {
		/* not 1 / x, which compilers turn into a comparison */
		printf("%d\n", seven / zero);
	} else if (!strcmp(how, "ill")) {
		__builtin_trap();
	} else if (!strcmp(how, "bus")) {
		/* a page past the end of an empty file */
		int fd = memfd_create("crasher", 0);
		volatile char *p =
			mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

		if (p != MAP_FAILED)
			printf("%d\n", p[0]);
	} else if (!strcmp(how, "overflow")) {
		overflow(0);
	}
	*nowhere = 42;
}

__attribute__((noinline)) static void on_the_way(const char *how)
{
	crash_here(how);
	puts("not reached");
}

/* idle threads started: the crash waits for them, so each is in idle_thread() */
static int started;

static void *idle_thread(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *how = "segv";
	pthread_t t;
	int i, threads = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--armed")) {
			if (pinscope_crash_install()) {
				perror("pinscope_crash_install");
				return 1;
			}
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			threads = atoi(argv[++i]);
		} else {
			how = argv[i];
		}
	}
	for (i = 0; i < threads; i++)
		if (pthread_create(&t, NULL, idle_thread, NULL)) {
			perror("pthread_create");
			return 1;
		}
	/* a thread still starting has no idle_thread() frame to report yet */
	while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < threads)
		sched_yield();
	on_the_way(how);
	return 0;
}
