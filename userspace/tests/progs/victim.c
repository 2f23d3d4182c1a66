// SPDX-License-Identifier: GPL-2.0-only
/*
 * victim CMD [ARG...]: a launcher without the launcher's protections. It
 * runs CMD as its child, sleeps in poll(2) until SIGCHLD, and exits as
 * CMD did: the shape of pinscope's launcher, dumpable and unconfined. The
 * escape suite runs each attack against it first, so a test that sees the
 * attack fail against pinscope knows the attack itself works.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static int pipe_fds[2];

static void on_child(int sig)
{
	(void)sig;
	(void)!write(pipe_fds[1], "", 1);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_child };
	struct pollfd p;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: victim CMD [ARG...]\n");
		return 2;
	}
	if (pipe2(pipe_fds, O_CLOEXEC) < 0)
		return 2;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	p.fd = pipe_fds[0];
	p.events = POLLIN;
	while (poll(&p, 1, -1) < 0)
		;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
