// SPDX-License-Identifier: GPL-2.0-only
/*
 * syscall-loop N [A0 A1 A2]: what one syscall costs, filter included: N
 * getppid calls (with these arguments, which getppid ignores but a filter
 * may test), in 100 rounds; prints the fastest round's nanoseconds per
 * call. The fastest, because other load only ever adds time; many short
 * rounds, so that some run between two preemptions on a busy machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 100

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) / ROUNDS : 0, i;
	unsigned long a0 = 0, a1 = 0, a2 = 0;
	double ns, best = 0;
	struct timespec a, b;
	int r;

	if ((argc != 2 && argc != 5) || n <= 0) {
		fprintf(stderr, "usage: syscall-loop N [A0 A1 A2]\n");
		return 2;
	}
	if (argc == 5) {
		a0 = strtoul(argv[2], NULL, 0);
		a1 = strtoul(argv[3], NULL, 0);
		a2 = strtoul(argv[4], NULL, 0);
	}
	for (r = 0; r < ROUNDS; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < n; i++)
			syscall(SYS_getppid, a0, a1, a2);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
		if (r == 0 || ns < best)
			best = ns;
	}
	printf("%.1f\n", best);
	return 0;
}
