// SPDX-License-Identifier: GPL-2.0-only
/*
 * A launcher's signals, as timeout(1) and sudo handle them: every
 * catchable signal sent to the launcher reaches the command; one the
 * terminal sends to the whole foreground group (^C, ^\) is not sent
 * twice; and when the command dies of a signal, the launcher dies of the
 * same one, so a shell, make or CI sees what happened (a ^C stops a loop).
 * The command starts with the default handlers: execve resets caught
 * signals, and none is ignored here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

static volatile pid_t forward_to;
static int child_pipe[2] = { -1, -1 };
/* SIGINT, SIGTERM and SIGHUP had, and the last of them (ps_signals_ends()) */
static volatile sig_atomic_t ends, last_end;

/*
 * Job control stays the terminal's: the launcher stops with its group.
 * The synchronous faults stay the launcher's own (and the sanitizers').
 */
static bool forwarded(int sig)
{
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGKILL:
	case SIGSTOP:
	case SIGCHLD:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
	case SIGCONT:
		return false;
	}
	return true;
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		ends++;
		last_end = sig;
	}
	if (sig == SIGCHLD) {
		if (child_pipe[1] >= 0)
			(void)!write(child_pipe[1], "", 1);
	} else if (si->si_code <= 0) {
		/* kill(), sigqueue(), tgkill(): sent to us, meant for it */
		if (forward_to > 0)
			kill(forward_to, sig);
	} else if (si->si_code != SI_KERNEL ||
		   (sig != SIGINT && sig != SIGQUIT && sig != SIGHUP &&
		    sig != SIGWINCH)) {
		/* the kernel's, for the launcher itself (SIGXCPU, ...) */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	/* else the terminal sent it to the command's group as well */
	errno = saved;
}

int ps_signals_take(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	int sig;

	if (child_pipe[0] < 0 && pipe2(child_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (forwarded(sig) || sig == SIGCHLD)
			sigaction(sig, &sa, NULL);
	return child_pipe[0];
}

void ps_signals_interrupt_ends(void)
{
	static const int end_signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(end_signals) / sizeof(end_signals[0]); i++)
		sigaction(end_signals[i], &sa, NULL);
}

unsigned int ps_signals_ends(int *sig)
{
	*sig = last_end;
	return (unsigned int)ends;
}

void ps_signals_forward_to(pid_t command)
{
	forward_to = command;
}

void ps_signals_drain(void)
{
	char buf[64];

	while (read(child_pipe[0], buf, sizeof(buf)) > 0)
		;
}

int ps_die_like(int status)
{
	struct rlimit none = { 0, 0 };
	sigset_t one;
	int sig;

	if (!WIFSIGNALED(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	sig = WTERMSIG(status);
	/* the command left its own core, if any: the launcher leaves none */
	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	/* a signal that does not kill by default cannot end a process */
	return 128 + sig;
}
