// SPDX-License-Identifier: GPL-2.0-only
/*
 * libthreader.so: starts a thread from its constructor, so the thread
 * exists before libpinscope-preload.so installs the filter (preloaded
 * libraries listed later are initialised earlier). The thread then asks
 * whether it was confined too: TSYNC's job. It calls getrandom, which the
 * outer filter of --preload allows (start-up needs it): only the library's
 * own filter, reaching this thread through TSYNC, can refuse it.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *late_call(void *arg)
{
	long r;

	(void)arg;
	usleep(300000);
	r = syscall(SYS_getrandom, &r, 1, 1 /* GRND_NONBLOCK */);
	if (r < 0)
		printf("thread: errno %s\n", strerrorname_np(errno));
	else
		printf("thread: ok\n");
	fflush(stdout);
	return NULL;
}

__attribute__((constructor)) static void start_thread(void)
{
	char line[256];
	FILE *f;
	pthread_t t;

	/* the launcher inherits LD_PRELOAD too: only its command counts */
	if (!strncmp(program_invocation_short_name, "pinscope", 8))
		return;
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Seccomp_filters:", 16))
			printf("before the filter: %s", line);
	if (f)
		fclose(f);
	fflush(stdout);
	pthread_create(&t, NULL, late_call, NULL);
	pthread_detach(t);
}
