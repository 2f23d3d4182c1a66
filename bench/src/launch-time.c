// SPDX-License-Identifier: GPL-2.0-only
/*
 * launch-time N CMD [ARGS] [::: CMD [ARGS]]...: runs each CMD N times and
 * prints, one line per CMD, the median and mean wall time per run in
 * microseconds. The commands take turns, one run each, so that a change
 * in the machine's load falls on all of them alike and their differences
 * stay meaningful on a busy machine. Their standard output goes to
 * /dev/null.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 32

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

/* One run of ARGV; its wall time, or -1 if it did not exit 0. */
static double run_once(char **argv)
{
	double start = now_us();
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		/* the figures go to stdout: a command's own output must not */
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return now_us() - start;
}

int main(int argc, char **argv)
{
	char **cmd[MAX_CMDS];
	int n, i, c, n_cmds = 0;
	double *t;

	if (argc < 3 || (n = atoi(argv[1])) <= 0)
		goto usage;
	/* split the words at ":::", each piece a command of its own */
	for (i = 2; i < argc; i++) {
		bool sep = !strcmp(argv[i], ":::");

		if (i == 2 || !argv[i - 1]) {
			if (n_cmds == MAX_CMDS || sep)
				goto usage;
			cmd[n_cmds++] = &argv[i];
		}
		if (sep)
			argv[i] = NULL;
	}
	if (!argv[argc - 1])
		goto usage;
	t = calloc((size_t)n * n_cmds, sizeof(*t));
	if (!t)
		return 2;
	for (i = 0; i < n; i++)
		for (c = 0; c < n_cmds; c++) {
			t[c * n + i] = run_once(cmd[c]);
			if (t[c * n + i] < 0) {
				fprintf(stderr, "launch-time: %s failed\n",
					cmd[c][0]);
				free(t);
				return 1;
			}
		}
	for (c = 0; c < n_cmds; c++) {
		double sum = 0;

		for (i = 0; i < n; i++)
			sum += t[c * n + i];
		qsort(&t[c * n], (size_t)n, sizeof(*t), cmp);
		printf("%.0f %.0f\n", t[c * n + n / 2], sum / n);
	}
	free(t);
	return 0;

usage:
	fprintf(stderr, "usage: launch-time N CMD [ARGS] [::: CMD [ARGS]]...\n");
	return 2;
}
