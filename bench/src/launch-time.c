// SPDX-License-Identifier: GPL-2.0-only
/*
 * launch-time N CMD [ARGS]: runs CMD N times, one after another, and prints
 * the median and mean wall time per run in microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int n, i, status;
	double *t, sum = 0;

	if (argc < 3 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: launch-time N CMD [ARGS]\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 2;
	for (i = 0; i < n; i++) {
		double start = now_us();
		pid_t pid = fork();

		if (pid == 0) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "launch-time: %s failed\n", argv[2]);
			return 1;
		}
		t[i] = now_us() - start;
		sum += t[i];
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%.0f %.0f\n", t[n / 2], sum / n);
	free(t);
	return 0;
}
