// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libpinscope-crash: the crash handler of the Yama slides, done right under
 * ptrace scope 1. The handler may only make async-signal-safe calls: it
 * forks and executes the reporter, names it with PR_SET_PTRACER (the
 * reporter is a child, not an ancestor, so scope 1 would refuse it
 * otherwise), tells it through a pipe that it may attach, and waits a
 * bounded time for it to exit. Everything that allocates, searches or
 * formats text is done by pinscope_crash_install().
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
#include <time.h>
#include <unistd.h>

#include "common/environ.h"
#include "common/exit.h"
#include "common/install.h"
#include "pinscope-crash.h"

extern char **environ;

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

static char reporter[PATH_MAX];
/* PINSCOPE_CRASH_NO_PTRACER=1 leaves the exception out, to show the refusal */
static bool name_reporter = true;
static char altstack[64 * 1024];
/* the thread whose crash is being reported; 0 before any */
static pid_t reporting_tid;

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

/* _Fork runs no atfork handlers, which are not async-signal-safe. */
static pid_t fork_for_exec(void)
{
#if defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	return _Fork();
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

static long ms_until(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 +
	       (end->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * A program that closed its standard streams gets the pipes as fds 0-2,
 * where the dup2 below would clobber them.
 */
static int above_stdio(int fd)
{
	int moved = fd > STDERR_FILENO ? fd :
					 fcntl(fd, F_DUPFD, STDERR_FILENO + 1);

	if (moved >= 0)
		fcntl(moved, F_SETFD, 0); /* kept across the exec */
	return moved;
}

static void __attribute__((noreturn))
exec_reporter(char **argv, char *fd_s, int go_fd, int done_fd)
{
	sigset_t none;

	/* the handler runs with its signal blocked, and exec keeps the mask */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	go_fd = above_stdio(go_fd);
	/* stays open until the reporter exits: the handler waits for EOF */
	above_stdio(done_fd);
	utoa((unsigned long)go_fd, 10, fd_s);
	/* the report goes where the program's own errors go */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	execve(reporter, argv, environ);
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/*
 * The reporter never writes to the done pipe: EOF means it has exited (or
 * is exiting). Past the bound it is killed, which also detaches it from
 * any thread it still holds stopped.
 */
static void wait_for_reporter(pid_t child, int done_fd)
{
	struct pollfd p = { .fd = done_fd, .events = POLLIN };
	struct timespec end, nap = { 0, 10 * 1000 * 1000 };
	long left;
	pid_t r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += PINSCOPE_CRASH_WAIT_SECONDS;
	while ((left = ms_until(&end)) > 0 && poll(&p, 1, (int)left) < 0 &&
	       errno == EINTR)
		;
	while (ms_until(&end) > 0) {
		r = waitpid(child, NULL, WNOHANG);
		/* ECHILD: SIGCHLD is ignored, or the program reaped it */
		if (r == child || (r < 0 && errno != EINTR))
			return;
		nanosleep(&nap, NULL);
	}
	kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

static void run_reporter(int sig, const siginfo_t *si, void *ucontext,
			 pid_t tid)
{
	char pid_s[24], sig_s[24], code_s[24], addr_s[24], tid_s[24], uc_s[24],
		wait_s[24], fd_s[24];
	char *argv[] = { "pinscope",  "crash-report", "--sync-fd",
			 fd_s,	      "--signal",     sig_s,
			 "--code",    code_s,	      "--address",
			 addr_s,      "--thread",     tid_s,
			 "--context", uc_s,	      "--timeout",
			 wait_s,      pid_s,	      NULL };
	struct sigaction pipe_was;
	int go[2], done[2];
	pid_t child;
	char said;

	if (pipe2(go, O_CLOEXEC) < 0)
		return;
	if (pipe2(done, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return;
	}
	utoa((unsigned long)getpid(), 10, pid_s);
	utoa((unsigned long)sig, 10, sig_s);
	/* si_code is negative for a sent signal: kept as its bit pattern */
	utoa((unsigned long)(unsigned int)si->si_code, 10, code_s);
	utoa((unsigned long)si->si_addr, 16, addr_s);
	utoa((unsigned long)tid, 10, tid_s);
	utoa((unsigned long)ucontext, 16, uc_s);
	utoa(PINSCOPE_CRASH_WAIT_SECONDS, 10, wait_s);
	child = fork_for_exec();
	if (child == 0)
		exec_reporter(argv, fd_s, go[0], done[1]);
	close(go[0]);
	close(done[1]);
	if (child < 0) {
		close(go[1]);
		close(done[0]);
		return;
	}
	/* y: named; n: left out on request; e: the prctl failed */
	said = 'n';
	if (name_reporter)
		said = prctl(PR_SET_PTRACER, (unsigned long)child, 0, 0, 0) ?
			       'e' :
			       'y';
	/*
	 * Only now may it attach: earlier, scope 1 would refuse it. A
	 * reporter that is gone already must not turn the crash into a
	 * SIGPIPE: the pipe's signal is ignored for this one write.
	 */
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN },
		  &pipe_was);
	if (write(go[1], &said, 1) < 0)
		said = 0;
	sigaction(SIGPIPE, &pipe_was, NULL);
	close(go[1]);
	wait_for_reporter(child, done[0]);
	close(done[0]);
}

static void crash_handler(int sig, siginfo_t *si, void *ucontext)
{
	struct timespec nap = { PINSCOPE_CRASH_WAIT_SECONDS + 1, 0 };
	pid_t tid = (pid_t)syscall(SYS_gettid), owner = 0;
	int saved = errno;

	if (__atomic_compare_exchange_n(&reporting_tid, &owner, tid, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		run_reporter(sig, si, ucontext, tid);
	else if (owner != tid)
		/*
		 * Another thread is reporting and its signal will end the
		 * process; this thread is in the report meanwhile.
		 */
		nanosleep(&nap, NULL);
	/* owner == tid: the handler itself crashed; no second report */
	errno = saved;
	/*
	 * SA_RESETHAND restored the default action. A fault raised by the
	 * CPU happens again when the instruction re-runs, with its own
	 * si_code and address; a sent signal (abort's) is sent again.
	 */
	if (si->si_code <= 0)
		raise(sig);
}

/*
 * The reporter: PINSCOPE_CRASH_REPORTER, else pinscope beside this library
 * or in its install, else PINSCOPE_BINDIR, else on PATH
 * (ps_find_pinscope()). Found here, as an absolute name, because the
 * handler can neither search nor allocate, and the program may change
 * directory before it crashes.
 */
static bool find_reporter(void)
{
	return ps_find_pinscope((void *)pinscope_crash_install,
				getenv("PINSCOPE_CRASH_REPORTER"),
				getenv("PATH"), reporter);
}

int pinscope_crash_install(void)
{
	const char *env = getenv("PINSCOPE_CRASH_NO_PTRACER");
	struct sigaction sa;
	stack_t ss;
	size_t i;

	if (!find_reporter()) {
		errno = ENOENT;
		return -1;
	}
	name_reporter = !(env && *env && strcmp(env, "0"));
	/* a stack overflow must still find a stack for the handler */
	if (sigaltstack(NULL, &ss) < 0)
		return -1;
	if (ss.ss_flags & SS_DISABLE) {
		ss.ss_sp = altstack;
		ss.ss_size = sizeof(altstack);
		ss.ss_flags = 0;
		if (sigaltstack(&ss, NULL) < 0)
			return -1;
	}
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
 * PINSCOPE_CRASH_ARM=1, the library arms itself. The programs an armed
 * program starts are not armed behind their backs: this library leaves
 * LD_PRELOAD, whatever else the user preloads stays. Both variables are
 * edited in environ itself (common/environ.h).
 */
__attribute__((constructor)) static void pinscope_crash_arm(void)
{
	const char *arm = ps_env_get(environ, "PINSCOPE_CRASH_ARM");

	if (!arm || strcmp(arm, "1"))
		return;
	ps_env_remove(environ, "PINSCOPE_CRASH_ARM");
	ps_env_drop_preload(environ, PS_CRASH_LIB);
	if (pinscope_crash_install() < 0)
		fprintf(stderr,
			"pinscope catch: cannot arm the crash handler: %s\n",
			errno == ENOENT ?
				"no pinscope to report with (set PINSCOPE_CRASH_REPORTER)" :
				strerror(errno));
}
