// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope learn: run a command under a tracer and write the smallest
 * policy that lets it run.
 *
 * Two ways to watch it, one record: ptrace (below), or seccomp user
 * notification (--via notify, learn_notify()), where the launcher of
 * pinscope run holds the listener, lets each call run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) and hands it to record() as the
 * tracer does. Notification needs no ptrace access, so it learns at
 * ptrace scope 3 and under profiles that refuse ptrace, and a notified
 * call costs about a third of a ptrace stop's round trip.
 *
 * The command runs under a seccomp filter that answers SECCOMP_RET_TRACE
 * for every call not yet allowed (all of them, unless --merge names a
 * policy learned before), so the tracer stops it once per new call
 * (PTRACE_O_TRACESECCOMP) instead of strace's twice, and the calls a
 * merged policy allows run in the kernel at full speed. The tracer
 * follows forks, clones, threads and execs.
 *
 * The command is attached with PTRACE_SEIZE, so it sees its signals as it
 * would untraced: every signal is delivered (SIGTRAP and SIGSTOP from
 * kill(2) included), and a group stop stays a stop (PTRACE_LISTEN) until
 * SIGCONT. SIGINT, SIGTERM and SIGHUP end learning cleanly (learn_end()).
 * --detach traces with syscall stops and no filter instead, so the tracer
 * can leave and the command go on untraced: a tracing filter would outlive
 * the tracer and fail every call with ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argnames.h"
#include "commands.h"
#include "compile.h"
#include "complain.h"
#include "formats.h"
#include "json.h"
#include "launch.h"
#include "learn_landlock.h"
#include "policy.h"
#include "progress.h"
#include "syscalls.h"

#define MAX_NR 1024
#define MAX_VALUES 64

/* The line that starts the implicit block; --merge reads up to it. */
#define IMPLICIT_MARK "# implicit:"

/*
 * The implicit set: calls a program may make at any moment, whether or
 * not one run shows them, each for a reason outside the program's own
 * logic (pinscope(1), LEARNING, says it at length). Every learned policy
 * carries them unless --strict.
 */
static const struct {
	const char *syscall;
	const char *rule;
	const char *why;
} implicit_set[] = {
	{ "rt_sigreturn", "1", "the return from any signal handler" },
	{ "restart_syscall", "1",
	  "a sleep or wait resumed after a stop (^Z, fg)" },
	{ "futex",
	  "arg1 == FUTEX_WAIT || arg1 == FUTEX_WAIT_PRIVATE || "
	  "arg1 == FUTEX_WAKE || arg1 == FUTEX_WAKE_PRIVATE || "
	  "arg1 == FUTEX_WAIT_BITSET || arg1 == FUTEX_WAIT_BITSET_PRIVATE || "
	  "arg1 == FUTEX_WAKE_BITSET || arg1 == FUTEX_WAKE_BITSET_PRIVATE || "
	  "arg1 == FUTEX_WAIT|FUTEX_CLOCK_REALTIME || "
	  "arg1 == FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME || "
	  "arg1 == FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME || "
	  "arg1 == FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME",
	  "a lock or join that had to wait, and its wake-up" },
	{ "exit", "1", "a thread's end" },
	{ "madvise", "arg2 == MADV_DONTNEED",
	  "glibc giving an ended thread's stack back" },
	{ "exit_group", "1",
	  "the end, in a run that died of a signal instead" },
	{ "getrandom", "1", "glibc: malloc's first call, mkstemp's retries" },
	{ "clock_gettime", "1",
	  "the vDSO's fallback, on a clock source without it" },
	{ "clock_getres", "1", "the same" },
	{ "gettimeofday", "1", "the same" },
	{ "time", "1", "the same" },
};

/* Which argument of which syscall is worth a filter (argnames.h names it). */
struct arg_rule {
	const char *syscall;
	unsigned int arg;
};

static const struct arg_rule arg_rules[] = {
	{ "ioctl", 1 },	   { "prctl", 0 }, { "socket", 0 }, { "mmap", 2 },
	{ "mprotect", 2 }, { "fcntl", 1 }, { "clone", 0 },  { "futex", 1 },
};

struct seen {
	unsigned long count;
	unsigned int n_values;
	uint64_t *values; /* MAX_VALUES of them, once one is seen */
	/*
	 * Flags a merged policy allowed as "argN in MASK" (0: none). A run's
	 * own values are kept exactly, each "==": the union of the flags
	 * seen would allow combinations never seen (PROT_WRITE|PROT_EXEC
	 * from PROT_READ|PROT_WRITE and PROT_READ|PROT_EXEC).
	 */
	uint64_t mask;
	bool overflow; /* too many values, or allowed outright */
	bool filtered; /* write its argument filter */
	bool rule_known; /* rule looked up (a lookup per call cost most of one) */
	const struct arg_rule *rule;
};

/* The tracees, by thread id: open addressing, 0 free, -1 a removed one. */
struct pidset {
	pid_t *slot;
	unsigned int cap, n, used;
};

/* How the calls are seen: --via. */
enum learn_via { VIA_AUTO, VIA_PTRACE, VIA_NOTIFY };

struct learner {
	struct seen calls[MAX_NR];
	enum learn_via via;
	bool args;
	bool preload;
	bool detach; /* syscall stops, no filter: --detach */
	bool strict; /* no implicit set */
	bool started; /* past the launcher's own exec */
	bool exited; /* the command (the first process) is gone */
	bool detaching;
	pid_t child;
	int status;
	unsigned long total;
	unsigned int detached;
	int end_signal; /* learning ended before the command did */
	int seize_err; /* --via auto: the command could not be traced */
	struct pidset tracees;
	/* --fs, --net: the paths and ports it used (learn_landlock.h) */
	bool fs, net;
	struct ps_fsnet *fsnet;
	struct ps_landlock
		kept; /* --merge: the merged policy's @landlock rules */
};

static void usage(FILE *out)
{
	fputs("usage: pinscope learn -o FILE|--merge FILE [--format FMT] [--args] [--preload]\n"
	      "                      [--strict] [--detach] [--via auto|ptrace|notify]\n"
	      "                      [--fs] [--net] -- CMD [ARGS]\n"
	      "Run CMD (and everything it starts) under a tracer and write the policy\n"
	      "that lets it run: one line per syscall, most frequent first, with the\n"
	      "count as a comment, then the implicit set.\n\n"
	      "  -o, --output FILE   write the policy here (never standard output)\n"
	      "  -f, --format FMT    minijail (default), oci (a profile for Docker, Podman,\n"
	      "                      runc: execve added, which the runtime's own exec of\n"
	      "                      CMD needs) or systemd (a drop-in; argument filters\n"
	      "                      widened, each said in a comment)\n"
	      "      --merge FILE    add this run's calls to a policy learned before, and\n"
	      "                      write it back to FILE unless -o says where; what\n"
	      "                      FILE allows runs untraced\n"
	      "      --args          argument filters for ioctl requests, prctl options,\n"
	      "                      socket families, mmap/mprotect protections, fcntl\n"
	      "                      commands and clone flags\n"
	      "      --preload       learn only what CMD needs after start-up (for\n"
	      "                      pinscope run --preload)\n"
	      "      --strict        leave out the implicit set (signal return, restarted\n"
	      "                      calls, futex waits, exits...: see pinscope(1))\n"
	      "      --detach        on SIGINT, SIGTERM or SIGHUP, write the policy and let\n"
	      "                      CMD go on untraced (traced with syscall stops, slower)\n"
	      "      --via HOW       how the calls are seen: ptrace (the tracer), notify\n"
	      "                      (seccomp user notification: no ptrace access needed,\n"
	      "                      cheaper; not with --preload or --detach) or auto\n"
	      "                      (default): ptrace where this process may trace,\n"
	      "                      else notify, saying so (ptrace scope 3, a profile\n"
	      "                      that refuses ptrace). The policies are the same\n"
	      "      --fs            also the files it used, as @landlock rules (system\n"
	      "                      trees rox, /etc entries ro, the working directory\n"
	      "                      rw, elsewhere each file as used; ptrace only)\n"
	      "      --net           also the TCP ports it bound and connected to\n"
	      "  -h, --help          this help\n",
	      out);
}

/* ---- the tracees ---- */

static unsigned int pidset_find(const struct pidset *s, pid_t pid)
{
	unsigned int i = ((unsigned int)pid * 2654435761u) & (s->cap - 1);

	while (s->slot[i] && s->slot[i] != pid)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void pidset_add(struct pidset *s, pid_t pid);

static void pidset_grow(struct pidset *s)
{
	struct pidset old = *s;
	unsigned int i;

	s->cap = old.cap ? old.cap * 2 : 64;
	s->slot = xcalloc(s->cap, sizeof(*s->slot));
	s->n = s->used = 0;
	for (i = 0; i < old.cap; i++)
		if (old.slot[i] > 0)
			pidset_add(s, old.slot[i]);
	free(old.slot);
}

static bool pidset_has(const struct pidset *s, pid_t pid)
{
	return s->cap && s->slot[pidset_find(s, pid)] == pid;
}

static void pidset_add(struct pidset *s, pid_t pid)
{
	unsigned int i;

	if (pidset_has(s, pid))
		return;
	/* removed slots count as used: the probe sequences must end */
	if (2 * (s->used + 1) > s->cap)
		pidset_grow(s);
	i = pidset_find(s, pid);
	s->slot[i] = pid;
	s->n++;
	s->used++;
}

static void pidset_del(struct pidset *s, pid_t pid)
{
	unsigned int i;

	if (!pidset_has(s, pid))
		return;
	i = pidset_find(s, pid);
	s->slot[i] = -1;
	s->n--;
}

/* ---- what the command calls ---- */

static const struct arg_rule *arg_rule_for(int nr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arg_rules); i++)
		if (ps_syscall_lookup(arg_rules[i].syscall) == nr)
			return &arg_rules[i];
	return NULL;
}

static struct seen *seen_for(struct learner *l, int nr)
{
	struct seen *s = &l->calls[nr];

	if (!s->rule_known) {
		s->rule_known = true;
		if ((s->rule = arg_rule_for(nr)))
			s->filtered = l->args;
	}
	return s;
}

static void add_value(struct seen *s, uint64_t v)
{
	unsigned int i;

	/* "in" a merged policy's flags already */
	if (s->mask && !(v & ~s->mask))
		return;
	for (i = 0; i < s->n_values; i++)
		if (s->values[i] == v)
			return;
	if (s->n_values == MAX_VALUES) {
		s->overflow = true;
		return;
	}
	/* kept small: the table is read whole to write the policy */
	if (!s->values)
		s->values = xcalloc(MAX_VALUES, sizeof(*s->values));
	s->values[s->n_values++] = v;
}

static void record(struct learner *l, int nr, const uint64_t args[6])
{
	struct seen *s;

	if (nr < 0 || nr >= MAX_NR)
		return;
	s = seen_for(l, nr);
	s->count++;
	l->total++;
	if (s->rule)
		add_value(s, args[s->rule->arg]);
}

/* Is PID outside the traced processes (for a signal's target)? */
static bool outside_run(void *ctx, pid_t pid)
{
	const struct learner *l = ctx;

	return !pidset_has(&l->tracees, pid);
}

/* A call at a seccomp stop, or at a syscall-entry stop (--detach). */
static void on_call(struct learner *l, pid_t pid)
{
	struct __ptrace_syscall_info info;
	const uint64_t *args;
	enum ps_arch arch;
	uint64_t nr;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <= 0)
		return;
	if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		nr = info.seccomp.nr;
		args = info.seccomp.args;
	} else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		nr = info.entry.nr;
		args = info.entry.args;
	} else {
		return; /* a syscall-exit stop */
	}
	if (!ps_arch_of(info.arch, (int)nr, &arch))
		return;
	if (!l->started) {
		/* --detach: the launcher's calls, up to its exec event */
		if (l->detach)
			return;
		/*
		 * The first seccomp stop: the launcher's own execve, which
		 * its seccomp call came just before; or, when a merged policy
		 * allows execve, already the command's first call.
		 */
		l->started = true;
		if (pid == l->child && arch == PS_ARCH_NATIVE &&
		    (int)nr == ps_syscall_lookup("execve")) {
			/* the command itself: under Landlock it needs rox too */
			if (l->fsnet)
				ps_fsnet_call(l->fsnet, pid, (int)nr, args,
					      outside_run, l);
			return;
		}
	}
	if (arch != PS_ARCH_NATIVE) {
		/* policies name native calls: the same call by name */
		const char *name = ps_syscall_name_arch(arch, (int)nr);

		if (!name || ps_syscall_lookup(name) < 0)
			return;
		nr = (uint64_t)ps_syscall_lookup(name);
	}
	record(l, (int)nr, args);
	/* another ABI's call names its arguments as the native one does */
	if (l->fsnet && arch == PS_ARCH_NATIVE)
		ps_fsnet_call(l->fsnet, pid, (int)nr, args, outside_run, l);
}

/* ---- the tracer ---- */

static volatile sig_atomic_t end_requests, end_sig, end_from_terminal;

/*
 * SIGINT, SIGTERM, SIGHUP: learn_end() acts on them in the loop. A child
 * that exits at once wakes the loop's waitpid() even when the signal came
 * just before it.
 */
static void on_end_signal(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	end_sig = sig;
	end_from_terminal = si->si_code == SI_KERNEL;
	end_requests++;
	if (syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0) == 0)
		syscall(SYS_exit_group, 0);
	errno = saved;
}

static const int end_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void catch_end_signals(bool on)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	size_t i;

	/* no SA_RESTART: a signal during waitpid() ends it (EINTR) */
	if (on) {
		sa.sa_sigaction = on_end_signal;
		sa.sa_flags = SA_SIGINFO;
	}
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(end_signals); i++)
		sigaction(end_signals[i], &sa, NULL);
}

static void child_start(struct learner *l, struct sock_fprog *prog, char *path,
			char **argv, int memfd, int go, int failed)
{
	extern char **environ;
	char buf[16], c;

	catch_end_signals(false);
	/* the tracer's death kills the traced (EXITKILL), not the detached */
	if (!l->detach)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the tracer has attached, or is gone */
	if (read(go, &c, 1) != 1)
		_exit(EXIT_CANNOT_EXEC);
	close(go);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(EXIT_CANNOT_EXEC);
	if (l->preload) {
		snprintf(buf, sizeof(buf), "%d", memfd);
		setenv("PINSCOPE_FILTER_FD", buf, 1);
	} else if (!l->detach &&
		   syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0) {
		ps_warn("cannot load the tracing filter: %s", strerror(errno));
		_exit(EXIT_CANNOT_EXEC);
	}
	execve(path, argv, environ);
	/* the tracer writes no policy for a command that never ran */
	c = (char)errno;
	(void)!write(failed, &c, 1);
	_exit(ps_cannot_run(path, "cannot execute", errno));
}

/*
 * The command PATH never ran (execve failed with ERR): a script whose #!
 * interpreter cannot be executed gets ENOENT too, which names the script
 * and not the interpreter.
 */
static void never_ran(const char *path, int err)
{
	char line[256], *end;
	FILE *f;

	if (err != ENOENT || !(f = fopen(path, "re")))
		return;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "#!", 2)) {
		end = line + 2 + strcspn(line + 2, " \t\n");
		*end = '\0';
		ps_warn("%s: its #! line names %s, which cannot be executed",
			path, line + 2 + strspn(line + 2, " \t"));
	}
	fclose(f);
}

static void resume(struct learner *l, pid_t pid, int sig)
{
	ptrace(l->detach ? PTRACE_SYSCALL : PTRACE_CONT, pid, 0, sig);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static void gone(struct learner *l, pid_t pid, int status)
{
	pidset_del(&l->tracees, pid);
	if (pid == l->child) {
		l->status = status;
		l->exited = true;
	}
}

/* A new tracee (fork, vfork, clone): known before its first stop. */
static void new_tracee(struct learner *l, pid_t parent)
{
	unsigned long pid;

	if (ptrace(PTRACE_GETEVENTMSG, parent, 0, &pid) < 0 || !pid)
		return;
	/* still ours? One met already and detached answers ESRCH */
	if (l->detaching && ptrace(PTRACE_INTERRUPT, (pid_t)pid, 0, 0) < 0)
		return;
	pidset_add(&l->tracees, (pid_t)pid);
}

/* An exec by a thread other than the leader: its old id is gone. */
static void exec_done(struct learner *l, pid_t pid)
{
	unsigned long former;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &former) == 0 &&
	    (pid_t)former != pid)
		pidset_del(&l->tracees, (pid_t)former);
	/* syscall stops saw the launcher's calls up to its exec */
	if (pid == l->child)
		l->started = true;
}

static void stopped(struct learner *l, pid_t pid, int status)
{
	int event = (unsigned int)status >> 16, sig = WSTOPSIG(status);

	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_call(l, pid);
		break;
	case PTRACE_EVENT_STOP:
		/*
		 * A group stop (SIGSTOP, ^Z): it stays stopped, and the
		 * tracer hears of the SIGCONT. Else a new tracee's first stop
		 * or our interrupt, reported as SIGTRAP.
		 */
		if (is_stop_signal(sig)) {
			ptrace(PTRACE_LISTEN, pid, 0, 0);
			return;
		}
		break;
	case PTRACE_EVENT_EXEC:
		exec_done(l, pid);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_tracee(l, pid);
		break;
	case 0:
		if (l->detach && sig == (SIGTRAP | 0x80)) {
			on_call(l, pid);
			break;
		}
		/* a signal, whoever sent it: delivered as without us */
		resume(l, pid, sig);
		return;
	}
	resume(l, pid, 0);
}

/* --detach: each tracee, at its next stop, leaves with what it had pending. */
static void detach_one(struct learner *l, pid_t pid, int status)
{
	int event = (unsigned int)status >> 16, sig = 0;

	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	    event == PTRACE_EVENT_CLONE)
		new_tracee(l, pid);
	else if (event == PTRACE_EVENT_EXEC)
		exec_done(l, pid);
	else if (!event && WSTOPSIG(status) != (SIGTRAP | 0x80))
		sig = WSTOPSIG(status);
	/* one in a group stop stays stopped after the detach */
	if (ptrace(PTRACE_DETACH, pid, 0, sig) == 0)
		l->detached++;
	pidset_del(&l->tracees, pid);
}

static void start_detach(struct learner *l)
{
	unsigned int i;

	l->detaching = true;
	for (i = 0; i < l->tracees.cap; i++) {
		pid_t pid = l->tracees.slot[i];

		/* one that cannot be interrupted is gone already */
		if (pid > 0 && ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
			pidset_del(&l->tracees, pid);
	}
}

/*
 * SIGINT, SIGTERM or SIGHUP to the tracer: learning ends, what was seen is
 * written. With --detach the tracees are let go. Else the first signal goes
 * on to the command, as it would to an untraced one (not when the terminal
 * sent it to the whole group: the command has it already), and learning
 * watches the command end, learning its way out too; a second one, or
 * one after the command is gone, ends learning at once, and the tracer's
 * exit kills what is left (PTRACE_O_EXITKILL). True to stop tracing now.
 */
static bool learn_end(struct learner *l, sig_atomic_t seen_requests)
{
	if (l->detach) {
		if (!l->detaching) {
			l->end_signal = end_sig;
			start_detach(l);
		}
		return false;
	}
	if (seen_requests == 1 && !l->exited) {
		if (!end_from_terminal)
			kill(l->child, end_sig);
		return false;
	}
	l->end_signal = end_sig;
	return true;
}

/*
 * Each stop is two context switches, on a busy machine two waits for a
 * CPU: with seccomp stops, the tracer attaches without stopping the
 * command and without exec events, so a run of calls the merged policy
 * allows costs nothing more than the run under that policy.
 */
/* "pinscope learn: 12 s, 48210 calls of 61 syscalls, 3 tasks traced" */
static void show_progress(const struct learner *l, struct ps_progress *p)
{
	unsigned int nr, n = 0;
	char line[160];

	for (nr = 0; nr < MAX_NR; nr++)
		n += l->calls[nr].count != 0;
	snprintf(line, sizeof(line),
		 "%s learn: %llu s, %lu calls of %u syscalls, %u tasks traced",
		 ps_progname,
		 (unsigned long long)(ps_progress_elapsed_ms(p) / 1000),
		 l->total, n, l->tracees.n);
	ps_progress_show(p, line);
}

static int trace(struct learner *l, int go)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	sig_atomic_t handled = 0;
	struct ps_progress progress;
	int status;
	pid_t pid;

	/* a detached command must not die with the tracer */
	opts |= l->detach ? PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC :
			    PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SEIZE, l->child, 0, opts) < 0) {
		int err = errno;

		/* --via auto: notification next, which learn_ptrace()'s caller says */
		if (l->via == VIA_AUTO && !l->preload && !l->detach) {
			l->seize_err = err;
			return -1;
		}
		ps_warn("cannot trace the command: %s%s", strerror(err),
			err == EPERM ? " (is ptrace scope 3 on, or is pinscope"
				       " traced itself?)" :
				       "");
		return -1;
	}
	/* --detach: stopped once, to set syscall stops before it runs */
	if (l->detach && (ptrace(PTRACE_INTERRUPT, l->child, 0, 0) < 0 ||
			  waitpid(l->child, &status, __WALL) != l->child ||
			  !WIFSTOPPED(status) ||
			  ptrace(PTRACE_SYSCALL, l->child, 0, 0) < 0)) {
		ps_warn("the command did not start");
		return -1;
	}
	pidset_add(&l->tracees, l->child);
	/*
	 * The command may not write into its tracer (/proc/PID/mem, ptrace,
	 * process_vm_writev): without CAP_SYS_PTRACE, not at all. Set once
	 * the command is seized, which needs it dumpable until then.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		ps_warn("cannot make the tracer undumpable: %s",
			strerror(errno));
		return -1;
	}
	if (write(go, "g", 1) != 1) {
		ps_warn("the command did not start: %s", strerror(errno));
		return -1;
	}
	/* a long learn says it is alive, on a terminal only */
	ps_progress_start(&progress, STDERR_FILENO);
	for (;;) {
		if (ps_progress_due(&progress))
			show_progress(l, &progress);
		if (end_requests != handled) {
			handled = end_requests;
			if (learn_end(l, handled))
				break;
		}
		if (l->detaching && !l->tracees.n)
			break;
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every tracee is gone */
		}
		if (!WIFSTOPPED(status)) {
			gone(l, pid, status);
		} else if (l->detaching) {
			detach_one(l, pid, status);
		} else {
			pidset_add(&l->tracees, pid);
			stopped(l, pid, status);
		}
	}
	ps_progress_end(&progress);
	return 0;
}

/* ---- writing the policy ---- */

static void print_value(FILE *out, int nr, const struct seen *s, uint64_t v)
{
	char name[PS_ARG_NAME_MAX];

	if (ps_arg_name(nr, s->rule->arg, v, name, sizeof(name)))
		fputs(name, out);
	else
		fprintf(out, "%#llx", (unsigned long long)v);
}

static void print_rule(FILE *out, int nr, const struct seen *s)
{
	unsigned int i;

	fprintf(out, "%s: ", ps_syscall_name(nr));
	if (!s->filtered || !s->rule || s->overflow) {
		fputs("1", out);
	} else {
		for (i = 0; i < s->n_values; i++) {
			fprintf(out, "%sarg%u == ", i ? " || " : "",
				s->rule->arg);
			print_value(out, nr, s, s->values[i]);
		}
		if (s->mask) {
			fprintf(out, "%sarg%u in ", i ? " || " : "",
				s->rule->arg);
			print_value(out, nr, s, s->mask);
		}
	}
	fprintf(out, "  # %lu\n", s->count);
}

/* Most frequent first; a tie in name order (names are table strings). */
static int by_count(const void *a, const void *b, void *ctx)
{
	const struct learner *l = ctx;
	int x = *(const int *)a, y = *(const int *)b;

	if (l->calls[x].count != l->calls[y].count)
		return l->calls[x].count < l->calls[y].count ? 1 : -1;
	return strcmp(ps_syscall_name(x), ps_syscall_name(y));
}

/* The implicit set, but for what L allows outright already (L may be NULL). */
static void print_implicit(FILE *out, const struct learner *l, bool comments)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(implicit_set); i++) {
		int nr = ps_syscall_lookup(implicit_set[i].syscall);
		const struct seen *s;

		if (nr < 0 || nr >= MAX_NR)
			continue;
		/* allowed outright above already */
		s = l ? &l->calls[nr] : NULL;
		if (s && s->count && (!s->filtered || !s->rule || s->overflow))
			continue;
		fprintf(out, "%s: %s", implicit_set[i].syscall,
			implicit_set[i].rule);
		if (comments)
			fprintf(out, "  # %s", implicit_set[i].why);
		fputc('\n', out);
	}
}

/*
 * One word of the command, in the comment line: quoted when it holds
 * blanks or quotes, and a newline (sqlite3 "create ...; select ...")
 * written as \n, so the comment stays one line.
 */
static void print_word(FILE *out, const char *w)
{
	bool quote = !*w || strpbrk(w, " \t\n'\"\\");
	const char *p;

	fputs(quote ? " '" : " ", out);
	for (p = w; *p; p++) {
		if (*p == '\n')
			fputs("\\n", out);
		else if ((unsigned char)*p < ' ' || *p == 0x7f)
			fprintf(out, "\\x%02x", (unsigned char)*p);
		else if (quote && (*p == '\'' || *p == '\\'))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
	if (quote)
		fputc('\'', out);
}

static void write_policy(FILE *out, struct learner *l, char **argv)
{
	int order[MAX_NR], n = 0, i;

	for (i = 0; i < MAX_NR; i++)
		if (l->calls[i].count)
			order[n++] = i;
	qsort_r(order, (size_t)n, sizeof(order[0]), by_count, l);
	fprintf(out, "# learned by pinscope learn%s from:",
		l->preload ? " --preload" : "");
	for (i = 0; argv[i]; i++)
		print_word(out, argv[i]);
	fprintf(out, "\n# %lu calls of %d syscalls, most frequent first\n",
		l->total, n);
	for (i = 0; i < n; i++)
		print_rule(out, order[i], &l->calls[order[i]]);
	if (l->fsnet || ps_landlock_any(&l->kept) || l->kept.min_abi) {
		fputc('\n', out);
		if (l->fsnet)
			ps_fsnet_rules(l->fsnet, &l->kept);
		ps_landlock_write(out, &l->kept);
	}
	if (l->strict)
		return;
	fputs("\n" IMPLICIT_MARK
	      " what any program may call at any moment, whether\n"
	      "# or not this run showed it (pinscope(1), LEARNING; --strict leaves it out)\n",
	      out);
	print_implicit(out, l, true);
}

/* ---- --merge ---- */

/* The "# COUNT" after the rule on LINE (1 from the top), or 1. */
static unsigned long count_on_line(const char *text, size_t len,
				   unsigned int line)
{
	const char *p = text, *end = text + len, *eol, *hash;
	unsigned long count;

	while (--line && p < end && (p = memchr(p, '\n', (size_t)(end - p))))
		p++;
	if (!p || p >= end)
		return 1;
	eol = memchr(p, '\n', (size_t)(end - p));
	hash = memchr(p, '#', (size_t)((eol ? eol : end) - p));
	count = hash ? strtoul(hash + 1, NULL, 10) : 0;
	return count ? count : 1;
}

/*
 * A rule of the merged policy, as pinscope learn writes them: "name: 1",
 * "argN == V || ...", "argN in FLAGS"; false for anything else.
 */
static bool merge_rule(struct learner *l, const struct ps_rule *r,
		       unsigned long count)
{
	struct seen *s;
	unsigned int i;

	if (r->then.type != PS_ACT_ALLOW || r->has_else || r->nr < 0 ||
	    r->nr >= MAX_NR)
		return false;
	s = seen_for(l, r->nr);
	if (ps_expr_is_true(&r->cond)) {
		s->overflow = true; /* allowed outright before */
	} else {
		if (!s->rule)
			return false;
		for (i = 0; i < r->cond.n; i++) {
			const struct ps_conj *c = &r->cond.conjs[i];

			if (c->n != 1 || c->cmps[0].arg != s->rule->arg)
				return false;
			if (c->cmps[0].op == PS_OP_EQ)
				add_value(s, c->cmps[0].value);
			else if (ps_arg_is_flags(r->nr, s->rule->arg) &&
				 c->cmps[0].op == PS_OP_MASKED_EQ &&
				 !c->cmps[0].value)
				s->mask |=
					~c->cmps[0].mask; /* an older learn's */
			else
				return false;
		}
		s->filtered = true; /* its filter stays, --args or not */
	}
	s->count += count;
	l->total += count;
	return true;
}

/*
 * --merge FILE: its rules count as seen, with their counts and values, and
 * go into P, the policy the tracing filter lets run in the kernel (with the
 * implicit set, which the output will carry anyway, unless --strict). FILE's
 * own implicit block is left out: it is written afresh.
 */
static int merge_policy(struct learner *l, const char *path,
			struct ps_policy *p)
{
	size_t len, cut;
	char *text = NULL, *mark;
	const char *why = ps_read_file(path, 4 << 20, &text, &len);
	unsigned int i;
	int ret = 0;

	if (why) {
		ps_warn("cannot read %s: %s", path, why);
		return -1;
	}
	mark = strstr(text, "\n" IMPLICIT_MARK);
	cut = mark ? (size_t)(mark - text) + 1 : len;
	if (!strncmp(text, IMPLICIT_MARK, strlen(IMPLICIT_MARK)))
		cut = 0;
	if (ps_policy_load_buffer(p, path, text, cut) < 0) {
		free(text);
		return -1;
	}
	/* its Landlock rules are written back (with this run's, under --fs) */
	l->kept = p->landlock;
	memset(&p->landlock, 0, sizeof(p->landlock));
	for (i = 0; i < p->n && !ret; i++) {
		const struct ps_rule *r = &p->rules[i];
		bool here = r->loc.file && !strcmp(r->loc.file, path);

		if (!merge_rule(l, r,
				here ? count_on_line(text, cut, r->loc.line) :
				       1)) {
			ps_error_at(
				&r->loc,
				"--merge takes the rules pinscope learn writes "
				"('name: 1', 'argN == V || ...', 'argN in FLAGS'), not '%s'",
				r->text ? r->text : ps_syscall_name(r->nr));
			ret = -1;
		}
	}
	free(text);
	if (!ret && !l->strict) {
		char *imp = NULL;
		size_t n = 0;
		FILE *mem = open_memstream(&imp, &n);

		if (!mem)
			return -1;
		print_implicit(mem, NULL, false);
		fclose(mem);
		ret = ps_policy_load_buffer(p, "<implicit set>", imp, n);
		free(imp);
	}
	return ret;
}

/*
 * --fs, --net with --merge: the calls whose paths and ports are learned
 * stop at the tracer even where the merged policy allows them (their
 * rules are counted in L already, and written back).
 */
static void trace_paths(struct learner *l, struct ps_policy *p)
{
	unsigned int i, n = 0;

	for (i = 0; i < p->n; i++) {
		if (ps_fsnet_watches(l->fsnet, p->rules[i].nr)) {
			ps_expr_free(&p->rules[i].cond);
			free(p->rules[i].text);
			continue;
		}
		p->rules[n++] = p->rules[i];
	}
	p->n = n;
}

/* ---- the output, checked before the run ---- */

/*
 * -o FILE must be writable before the command runs: an existing file is
 * left as it is until the policy is written, a new one is created (and
 * removed again if the command never ran). True on success.
 */
static bool output_ok(const char *path, bool *created)
{
	struct stat st;
	int fd;

	*created = false;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return false;
		}
		return access(path, W_OK) == 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return false;
	close(fd);
	*created = true;
	return true;
}

/*
 * The learned policy in FMT, into *TEXT (*LEN bytes): the minijail one as
 * written, another through its format's writer from the minijail one
 * compiled, so every format says what the minijail one means (an OCI
 * runtime loads the filter before its own execve of the command, which
 * must pass). Compiled either way to see what it allows: a program that
 * used io_uring gets io_uring_setup, and with it every ring operation,
 * whatever else the policy refuses (uring.c says which). 0, or -1 after a
 * message.
 */
static int learned_text(struct learner *l, char **argv, enum ps_format fmt,
			char **text, size_t *len)
{
	struct ps_filter_options fo = { 0 };
	struct ps_policy p;
	struct ps_filter f;
	FILE *mem = open_memstream(text, len);
	int ret = fmt == PS_FORMAT_MINIJAIL ? 0 : -1, ring;
	char *other = NULL;
	size_t other_len = 0;

	if (!mem)
		return -1;
	write_policy(mem, l, argv);
	if (fmt == PS_FORMAT_OCI)
		fputs("execve: 1  # the runtime's own exec of the command\n",
		      mem);
	fclose(mem);
	/* a minijail policy without io_uring_setup has nothing to warn of */
	ring = ps_syscall_lookup("io_uring_setup");
	if (fmt == PS_FORMAT_MINIJAIL &&
	    (ring < 0 || ring >= MAX_NR || !l->calls[ring].count))
		return 0;
	ps_policy_init(&p);
	fo.landlock = &p.landlock;
	if (ps_policy_load_buffer(&p, "<learned policy>", *text, *len) == 0 &&
	    ps_filter_build(&f, &p, &fo) == 0) {
		ps_filter_warn_io_uring(&f);
		if (fmt != PS_FORMAT_MINIJAIL &&
		    (mem = open_memstream(&other, &other_len))) {
			ret = ps_format_write(mem, &f, fmt, "pinscope learn");
			fclose(mem);
			if (ret < 0)
				ps_warn("nothing written: the policy cannot be said in that format");
		}
		ps_filter_free(&f);
	}
	ps_policy_free(&p);
	if (fmt != PS_FORMAT_MINIJAIL) {
		free(*text);
		*text = other;
		*len = other_len;
		if (ret < 0) {
			free(other);
			*text = NULL;
		}
	}
	return ret;
}

/*
 * TEXT into OUT, opened before the run (it is the one file the launcher
 * of --via notify may still write, confined), in place of what it held.
 */
static int write_out(int out, const char *path, const char *text, size_t len)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;

	/* ESPIPE: a pipe or a terminal, written from where it is */
	if (lseek(out, 0, SEEK_SET) < 0 && errno != ESPIPE)
		goto fail;
	while (done < len) {
		n = write(out, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	/* -o /dev/null, a pipe: nothing to cut */
	if (fstat(out, &st) == 0 &&
	    (!S_ISREG(st.st_mode) || ftruncate(out, (off_t)len) == 0))
		return 0;
fail:
	ps_warn("cannot write %s: %s", path, strerror(errno));
	return -1;
}

static int write_learned(struct learner *l, char **argv, enum ps_format fmt,
			 int out, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int ret = learned_text(l, argv, fmt, &text, &len);

	if (ret == 0)
		ret = write_out(out, path, text, len);
	free(text);
	return ret;
}

static const char *end_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* What the tracer says when learning ended other than by the command's end. */
static void report_end(const struct learner *l, const char *output)
{
	const char *where = output ? output : "standard output";

	if (l->detach && l->end_signal)
		ps_warn("learning ended by %s: policy written to %s; "
			"%u thread(s) detached, pid %d goes on untraced",
			end_name(l->end_signal), where, l->detached, l->child);
	else if (l->end_signal)
		ps_warn("learning ended by %s before the command: policy written to %s",
			end_name(l->end_signal), where);
}

/* learn --via notify: a call the policy learned so far does not allow. */
/*
 * Is PID outside the run, for a signal's target? Under the launcher, the
 * run is its descendants (it is their subreaper); the launcher is not.
 */
static bool outside_launcher(void *ctx, pid_t pid)
{
	const struct learner *l = ctx;

	return pid == getpid() ||
	       !ps_proc_descends(ps_fsnet_proc(l->fsnet), pid, getpid());
}

/* --fs --net: the paths and ports of a native call, read while it waits */
static void notice_fsnet(struct learner *l, const struct seccomp_notif *n,
			 int native)
{
	enum ps_arch arch;
	uint64_t args[6];

	if (!l->fsnet || native < 0 ||
	    !ps_arch_of(n->data.arch, n->data.nr, &arch) ||
	    arch != PS_ARCH_NATIVE)
		return;
	memcpy(args, n->data.args, sizeof(args));
	ps_fsnet_call(l->fsnet, (pid_t)n->pid, native, args, outside_launcher,
		      l);
}

static void on_notice(void *ctx, const struct seccomp_notif *n, int native)
{
	uint64_t args[6];

	/* policies name native calls; a call without a native name has none */
	if (native < 0)
		return;
	memcpy(args, n->data.args, sizeof(args));
	record(ctx, native, args);
	notice_fsnet(ctx, n, native);
}

/* the command itself: under Landlock it needs rox too */
static void on_own_exec(void *ctx, const struct seccomp_notif *n, int native)
{
	notice_fsnet(ctx, n, native);
}

/*
 * learn --via notify: ARGV under the launcher of pinscope run in complain
 * mode (launch.h's ps_launch_watch()), POLICY (a merged one, or nothing)
 * its policy: every call it does not allow goes to on_notice() and runs.
 * A listener of the command's own stays refused (EPERM, in the kernel),
 * as it is under pinscope run: it could answer the launcher's
 * notifications. Returns 0 with *STATUS the command's wait status, or the
 * exit status of a command that never started.
 */
static int learn_notify(struct learner *l, struct ps_policy *policy,
			char **argv, int out, int *status)
{
	struct ps_filter_options fo = { .complain = true };
	struct ps_watch w = { .note = on_notice,
			      .own_exec = on_own_exec,
			      .ctx = l,
			      .out_fd = out,
			      .proc = l->fsnet ? ps_fsnet_proc(l->fsnet) : -1 };
	struct ps_filter f;
	int ret;

	ps_launch_needs(&fo);
	/* the OCI writer hashes keys once the launcher is confined */
	ps_json_seed();
	/* nothing is allowed but what --merge names: the rest is learned */
	policy->any_allow_source = true;
	if (ps_filter_build(&f, policy, &fo) < 0)
		return EXIT_USAGE;
	ret = ps_launch_watch(&f, argv, &w);
	ps_filter_free(&f);
	*status = w.status;
	l->end_signal = w.end_signal;
	return w.ran ? 0 : (ret ? ret : EXIT_USAGE);
}

/*
 * learn --via ptrace: ARGV forked, traced (trace()) under POLICY's
 * tracing filter. Returns 0 with L's status set, the exit status of a
 * command that never ran (*NEVER_RAN_OUT set once its execve failed), or
 * EXIT_USAGE; with --via auto, -1 where the command, not started yet,
 * could not be traced (L's seize_err).
 */
static int learn_ptrace(struct learner *l, struct ps_policy *policy,
			char **argv, bool *never_ran_out)
{
	/* in exec and in preload mode alike: to the tracer */
	struct ps_filter_options fo = { .trace = true };
	struct ps_filter f;
	char *path, exec_err;
	int memfd = -1, go[2], failed[2], ret;

	*never_ran_out = false;
	if (ps_filter_build(&f, policy, &fo) < 0)
		return EXIT_USAGE;
	path = ps_resolve_command(argv[0]);
	if (!path) {
		ps_filter_free(&f);
		return ps_cannot_run(argv[0], NULL, errno);
	}
	if (l->preload && (memfd = ps_preload_prepare(&f, path)) < 0) {
		ps_filter_free(&f);
		free(path);
		return EXIT_USAGE;
	}
	if (pipe2(go, O_CLOEXEC) < 0 ||
	    pipe2(failed, O_CLOEXEC | O_NONBLOCK) < 0) {
		ps_warn("pipe: %s", strerror(errno));
		ps_filter_free(&f);
		free(path);
		return EXIT_USAGE;
	}
	fflush(NULL);
	catch_end_signals(true);
	l->child = fork();
	if (l->child == 0) {
		close(go[1]);
		close(failed[0]);
		child_start(l, &f.prog, path, argv, memfd, go[0], failed[1]);
	}
	close(go[0]);
	close(failed[1]);
	if (memfd >= 0)
		close(memfd);
	ret = l->child < 0 ? -1 : trace(l, go[1]);
	close(go[1]);
	ps_filter_free(&f);
	if (ret == 0 && read(failed[0], &exec_err, 1) == 1) {
		/* nothing ran that a policy could be learned from */
		close(failed[0]);
		never_ran(path, exec_err);
		free(path);
		*never_ran_out = true;
		return ps_exec_status(exec_err);
	}
	close(failed[0]);
	free(path);
	if (ret < 0) {
		if (l->child > 0) {
			kill(l->child, SIGKILL);
			waitpid(l->child, NULL, 0);
		}
		return l->seize_err ? -1 : EXIT_USAGE;
	}
	return 0;
}

/* The options; 0, or an exit status after a message. */
static int learn_options(struct learner *l, int argc, char **argv,
			 const char **output, const char **merge,
			 enum ps_format *format)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "merge", required_argument, NULL, 'm' },
		{ "args", no_argument, NULL, 'a' },
		{ "preload", no_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, 's' },
		{ "detach", no_argument, NULL, 'd' },
		{ "via", required_argument, NULL, 'v' },
		{ "fs", no_argument, NULL, 'F' },
		{ "net", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = ps_getopt("learn", argc, argv, "+o:f:h", opts)) != -1) {
		switch (c) {
		case 'o':
			*output = optarg;
			break;
		case 'f':
			if (ps_format_parse(optarg, format) < 0) {
				ps_warn("learn: unknown --format '%s' (minijail, oci or systemd)",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			*merge = optarg;
			break;
		case 'a':
			l->args = true;
			break;
		case 'p':
			l->preload = true;
			break;
		case 's':
			l->strict = true;
			break;
		case 'd':
			l->detach = true;
			break;
		case 'F':
			l->fs = true;
			break;
		case 'N':
			l->net = true;
			break;
		case 'v':
			if (!strcmp(optarg, "auto") ||
			    !strcmp(optarg, "ptrace") ||
			    !strcmp(optarg, "notify")) {
				l->via = optarg[0] == 'a' ? VIA_AUTO :
					 optarg[0] == 'p' ? VIA_PTRACE :
							    VIA_NOTIFY;
				break;
			}
			ps_warn("learn: unknown --via '%s' (auto, ptrace or notify)",
				optarg);
			return EXIT_USAGE;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ps_warn("learn: no command to run (after --)");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (l->detach && l->preload) {
		/* the library's tracing filter would outlive the tracer */
		ps_warn("learn: --detach cannot be used with --preload: the "
			"command could not go on untraced");
		return EXIT_USAGE;
	}
	if (l->via == VIA_NOTIFY && (l->detach || l->preload)) {
		ps_warn("learn: --via notify cannot be used with %s: %s",
			l->detach ? "--detach" : "--preload",
			l->detach ?
				"the filter would outlive its listener, and the command's calls fail with ENOSYS once nobody answers" :
				"the library loads its filter after start-up, where the launcher cannot hold its listener (use --via ptrace)");
		return EXIT_USAGE;
	}
	/* the loader's opens and the command's exec come before the library */
	if ((l->fs || l->net) && l->preload) {
		ps_warn("learn: --fs and --net cannot be used with --preload: the start-up's files are opened before the library's filter sees anything (learn without --preload: the rules are the same for run --preload)");
		return EXIT_USAGE;
	}
	/*
	 * The policy goes to a file, never to standard output, where the
	 * command's own output goes: -o, or back into the --merge file.
	 */
	if (!*output && *merge && *format == PS_FORMAT_MINIJAIL) {
		/* written back only once read: it must be there already */
		if (access(*merge, R_OK) < 0) {
			ps_warn("learn: cannot read %s: %s", *merge,
				strerror(errno));
			return EXIT_USAGE;
		}
		*output = *merge;
	}
	if (!*output) {
		ps_warn("learn: give -o FILE%s: the policy does not go to standard output, which is the command's",
			*merge ?
				" (--merge writes back only a minijail policy)" :
				" (or --merge FILE)");
		usage(stderr);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_learn(int argc, char **argv)
{
	struct learner *l = xcalloc(1, sizeof(*l));
	const char *output = NULL, *merge = NULL;
	enum ps_format format = PS_FORMAT_MINIJAIL;
	struct ps_policy policy;
	bool created = false, not_run = false;
	int c, ret, out = -1;

	ret = learn_options(l, argc, argv, &output, &merge, &format);
	if (ret) {
		free(l);
		return ret < 0 ? 0 : ret;
	}
	/* the library loads the tracing filter after start-up: no exec seen */
	l->started = l->preload;
	if (l->fs || l->net)
		l->fsnet = ps_fsnet_new(l->fs, l->net);
	/*
	 * Opened now, kept as it is until the policy is written: the
	 * launcher of --via notify may open nothing once the command runs.
	 */
	if (!output_ok(output, &created) ||
	    (out = open(output, O_WRONLY | O_CLOEXEC)) < 0) {
		ps_warn("cannot write %s: %s", output, strerror(errno));
		ret = EXIT_USAGE;
		goto out;
	}
	/* every native call to the learner, except what a merged policy allows */
	ps_policy_init(&policy);
	if (merge && merge_policy(l, merge, &policy) < 0) {
		ps_policy_free(&policy);
		ret = EXIT_USAGE;
		goto out;
	}
	if (l->fsnet)
		trace_paths(l, &policy);
	/*
	 * --via auto: ptrace where this process may trace; where the seize
	 * is refused (before the command has started), notification
	 */
	if (l->via != VIA_NOTIFY &&
	    (ret = learn_ptrace(l, &policy, argv + optind, &not_run)) < 0) {
		ps_warn("learn: the command cannot be traced here (%s: ptrace scope 3, or a profile that refuses ptrace): learning by seccomp user notification (--via notify)",
			strerror(l->seize_err));
		catch_end_signals(false);
		l->via = VIA_NOTIFY;
	}
	if (l->via == VIA_NOTIFY) {
		char *path = ps_resolve_command(argv[optind]);

		/* found before the launcher confines itself, which may unlink nothing */
		if (!path) {
			ret = ps_cannot_run(argv[optind], NULL, errno);
			ps_policy_free(&policy);
			goto out;
		}
		free(path);
		ret = learn_notify(l, &policy, argv + optind, out, &l->status);
		/* the confined launcher may remove nothing: an empty file stays */
		not_run = ret != 0;
		if (not_run && created)
			ps_warn("%s is left empty", output);
		created = false;
	}
	ps_policy_free(&policy);
	if (ret) {
		if (not_run && !created)
			ps_warn("%s is left as it was", output);
		goto out;
	}
	/* the command started: whatever happens now, the policy is written */
	created = false;
	if (write_learned(l, argv + optind, format, out, output) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	report_end(l, output);
	if (l->detach && l->end_signal) {
		ret = 0;
	} else if (l->end_signal) {
		ret = ps_die_like(W_EXITCODE(0, l->end_signal));
	} else {
		if (WIFSIGNALED(l->status))
			ps_warn("%s died of signal %d", argv[optind],
				WTERMSIG(l->status));
		ret = ps_die_like(l->status);
	}
out:
	if (out >= 0)
		close(out);
	if (created)
		unlink(output);
	for (c = 0; c < MAX_NR; c++)
		free(l->calls[c].values);
	free(l->tracees.slot);
	ps_fsnet_free(l->fsnet);
	ps_landlock_free(&l->kept);
	free(l);
	return ret;
}
