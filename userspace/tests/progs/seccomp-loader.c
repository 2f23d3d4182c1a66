// SPDX-License-Identifier: GPL-2.0-only
/*
 * seccomp-loader [--fexecve] FILE CMD [ARG...]: what bwrap --seccomp FD
 * does with a program that pinscope compile -o wrote: sets NoNewPrivs,
 * loads FILE (raw struct sock_filter) with PR_SET_SECCOMP and executes
 * CMD, an absolute path, with execve; --fexecve executes it as systemd
 * does, through an fd (execveat). The exec is the loader's own, made
 * under the filter. Exit 126 if the filter cannot be loaded, 127 if the
 * exec fails (a kill-process refusal kills it with SIGSYS instead).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct sock_fprog prog;
	struct stat st;
	int i = 1, fd, cmd_fd = -1, by_fd = 0;

	if (argc > 1 && !strcmp(argv[1], "--fexecve"))
		by_fd = i++;
	if (argc - i < 2) {
		fprintf(stderr,
			"usage: seccomp-loader [--fexecve] FILE CMD [ARG...]\n");
		return 2;
	}
	fd = open(argv[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size % sizeof(struct sock_filter)) {
		fprintf(stderr, "seccomp-loader: %s: not a BPF program\n",
			argv[i]);
		return 126;
	}
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = malloc((size_t)st.st_size);
	if (!prog.filter ||
	    read(fd, prog.filter, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "seccomp-loader: cannot read %s\n", argv[i]);
		return 126;
	}
	close(fd);
	if (by_fd) {
		cmd_fd = open(argv[i + 1], O_RDONLY | O_CLOEXEC);
		if (cmd_fd < 0) {
			fprintf(stderr, "seccomp-loader: %s: %s\n", argv[i + 1],
				strerror(errno));
			return 127;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "seccomp-loader: cannot load the filter: %s\n",
			strerror(errno));
		return 126;
	}
	if (by_fd)
		fexecve(cmd_fd, argv + i + 1, environ);
	else
		execve(argv[i + 1], argv + i + 1, environ);
	/* only what the filter allows from here: write and exit */
	fprintf(stderr, "seccomp-loader: cannot execute %s: %s\n", argv[i + 1],
		strerror(errno));
	return 127;
}
