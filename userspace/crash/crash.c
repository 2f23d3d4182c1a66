// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpinscope-crash: the crash handler of the Yama slides, done right under
 * ptrace scope 1. The handler may only make async-signal-safe calls: it
 * forks and executes the reporter, names it with PR_SET_PTRACER (the
 * reporter is a child, not an ancestor, so scope 1 would refuse it
 * otherwise), lets it attach, and waits a bounded time for its report.
 * Everything that allocates or formats is done by pinscope_crash_install().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pinscope-crash.h"

#ifndef PINSCOPE_BINDIR
#define PINSCOPE_BINDIR "/usr/local/bin"
#endif

extern char **environ;

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

static char reporter[PATH_MAX];
/* PINSCOPE_CRASH_NO_PTRACER=1 leaves the exception out, to show the refusal */
static bool name_reporter = true;
static char altstack[64 * 1024];

/* unsigned to decimal or hex text, without stdio */
static void utoa(unsigned long v, int base, char *buf)
{
	char tmp[32];
	int n = 0, i = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % (unsigned long)base];
		v /= (unsigned long)base;
	} while (v);
	if (base == 16) {
		buf[i++] = '0';
		buf[i++] = 'x';
	}
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
}

static void run_reporter(int sig, const siginfo_t *si)
{
	char pid_s[24], sig_s[24], addr_s[24], fd_s[24];
	char *argv[] = { "pinscope", "crash-report", "--sync-fd", fd_s,
			 "--signal", sig_s, "--address", addr_s, pid_s, NULL };
	struct pollfd done_poll;
	int go[2], done[2];
	long child;
	char c = 'g';

	if (pipe2(go, 0) < 0)
		return;
	if (pipe2(done, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return;
	}
	utoa((unsigned long)getpid(), 10, pid_s);
	utoa((unsigned long)sig, 10, sig_s);
	utoa((unsigned long)si->si_addr, 16, addr_s);
	utoa((unsigned long)go[0], 10, fd_s);
	/* only a fault the CPU raised has an address to tell */
	if (si->si_code <= 0) {
		argv[6] = pid_s;
		argv[7] = NULL;
	}
	/* a raw fork: no atfork handlers run inside a signal handler */
	child = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (child == 0) {
		close(go[1]);
		/* done[1] stays open (not close-on-exec) until the reporter exits */
		fcntl(done[1], F_SETFD, 0);
		execve(reporter, argv, environ);
		_exit(127);
	}
	close(go[0]);
	close(done[1]);
	if (child > 0) {
		if (name_reporter)
			prctl(PR_SET_PTRACER, (unsigned long)child, 0, 0, 0);
		/* now it may attach */
		if (write(go[1], &c, 1) < 0)
			c = 0;
		close(go[1]);
		done_poll.fd = done[0];
		done_poll.events = POLLIN;
		if (poll(&done_poll, 1, PINSCOPE_CRASH_WAIT_SECONDS * 1000) <= 0)
			kill((pid_t)child, SIGKILL);	/* a hung reporter */
		waitpid((pid_t)child, NULL, 0);
	} else {
		close(go[1]);
	}
	close(done[0]);
}

static void crash_handler(int sig, siginfo_t *si, void *ucontext)
{
	int saved = errno;

	(void)ucontext;
	run_reporter(sig, si);
	errno = saved;
	/*
	 * SA_RESETHAND restored the default action. A fault raised by the
	 * CPU happens again when the instruction re-runs, with its own
	 * si_code and address; a sent signal (abort's) is sent again.
	 */
	if (si->si_code <= 0)
		raise(sig);
}

int pinscope_crash_install(void)
{
	const char *env = getenv("PINSCOPE_CRASH_REPORTER");
	struct sigaction sa;
	stack_t ss;
	size_t i;

	if (env && *env)
		snprintf(reporter, sizeof(reporter), "%s", env);
	else
		snprintf(reporter, sizeof(reporter), "%s/pinscope", PINSCOPE_BINDIR);
	env = getenv("PINSCOPE_CRASH_NO_PTRACER");
	name_reporter = !(env && *env && strcmp(env, "0"));
	/* a stack overflow must still find a stack for the handler */
	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		if (sigaction(crash_signals[i], &sa, NULL) < 0)
			return -1;
	return 0;
}

/*
 * pinscope catch: preloaded into an unmodified program with
 * PINSCOPE_CRASH_ARM=1, the library arms itself. The variables go, so the
 * programs it starts are not armed behind their backs.
 */
__attribute__((constructor)) static void pinscope_crash_arm(void)
{
	const char *arm = getenv("PINSCOPE_CRASH_ARM");

	if (!arm || strcmp(arm, "1"))
		return;
	unsetenv("PINSCOPE_CRASH_ARM");
	unsetenv("LD_PRELOAD");
	if (pinscope_crash_install() < 0)
		fprintf(stderr, "pinscope catch: cannot arm the crash handler: %s\n",
			strerror(errno));
}
