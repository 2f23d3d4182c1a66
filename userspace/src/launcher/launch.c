// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exec-mode launcher.
 *
 * The child is cloned with CLONE_FILES, so the seccomp listener it creates
 * when it loads the filter lands in the launcher's own file table: the
 * child makes no syscall between loading the filter and execve (no
 * sendmsg to hand the listener over, which the policy might refuse, and
 * no pidfd_getfd, which ptrace scope 2 refuses). execve unshares the
 * table, so the confined program never holds the listener.
 *
 * Where the launcher need not answer the child's own execve (the exec
 * gate sends it only when the policy does not allow every execve), the
 * child also shares its memory until that execve, as posix_spawn's does
 * (CLONE_VM | CLONE_VFORK, on a stack of its own): no page tables are
 * copied and no page of the launcher's is copied on write, which a fork
 * paid on every run, and the launcher sleeps until the execve has passed
 * or failed. Elsewhere the child is a copy, which may run beside it.
 * Either way it makes nothing but syscalls before its execve, and reports
 * its progress in a shared mapping, which costs no syscall. Until then it
 * has the launcher's signal handlers, which forward nothing yet (and whose
 * raise() glibc sends to the caller's own tid, even after a vfork).
 */
#include <elf.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argnames.h"
#include "complain.h"
#include "refusals.h"
#include "decode.h"
#include "kernlog.h"
#include "common/install.h"
#include "common/memfd.h"
#include "landlock_apply.h"
#include "launch.h"
#include "syscalls.h"

extern char **environ;

enum child_stage {
	STAGE_STARTED,
	STAGE_LOADED, /* the filter is in; the listener is in fd */
	STAGE_LOAD_FAILED,
	STAGE_EXEC_FAILED,
	STAGE_LANDLOCK_FAILED, /* landlock_restrict_self() refused */
};

struct shared {
	volatile int stage;
	volatile int fd;
	volatile int err;
	/* 1 once the launcher is confined, -1 if it could not be */
	volatile int go;
	/* the kernel clears it when the child's execve (or exit) lets go of the stack */
	volatile pid_t ctid;
};

/* PATH search in the launcher, so the child makes exactly one execve. */
char *ps_resolve_command(const char *cmd)
{
	char found[PATH_MAX];

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) ? NULL : xstrdup(cmd);
	if (!ps_path_find(getenv("PATH"), cmd, found, sizeof(found))) {
		errno = ENOENT;
		return NULL;
	}
	return xstrdup(found);
}

/* The child's stack, and the progress it reports (struct shared) */
#define CHILD_MAP_SIZE (64 * 1024)

struct child_args {
	struct shared *sh;
	const struct sock_fprog *prog;
	unsigned int flags;
	char *path;
	char **argv;
	int landlock_fd; /* a ruleset to restrict itself with, or -1 */
	unsigned int landlock_flags;
};

/*
 * The command never holds CAP_SYS_PTRACE: with it, a root command would
 * reach the undumpable launcher all the same (ptrace, /proc/PID/mem,
 * pidfd_getfd of the exec gate's listener). Out of the effective,
 * permitted, inheritable and ambient sets and, where the process may
 * (CAP_SETPCAP), the bounding set; under no_new_privs an execve gives
 * back no capability that was not permitted before it (security/commoncap.c).
 * Raw syscalls: the exec-mode child shares the launcher's memory.
 * 0, or -1 with errno if CAP_SYS_PTRACE could not be dropped.
 */
__attribute__((no_sanitize_address)) int ps_drop_ptrace_capability(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	unsigned int i = CAP_TO_INDEX(CAP_SYS_PTRACE);
	__u32 bit = CAP_TO_MASK(CAP_SYS_PTRACE);

	syscall(SYS_prctl, PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0);
	syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_SYS_PTRACE,
		0, 0);
	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	if (!((d[i].effective | d[i].permitted | d[i].inheritable) & bit))
		return 0;
	d[i].effective &= ~bit;
	d[i].permitted &= ~bit;
	d[i].inheritable &= ~bit;
	return syscall(SYS_capset, &h, d) < 0 ? -1 : 0;
}

/*
 * In the launcher's memory, on a stack the sanitizers do not know: not
 * instrumented, and raw syscalls, which no sanitizer intercepts. It
 * shares the launcher's thread area too, so it leaves errno to its exit
 * paths.
 */
__attribute__((no_sanitize_address)) static int child(void *arg)
{
	const struct child_args *c = arg;
	struct shared *sh = c->sh;
	unsigned int flags = c->flags;
	long fd;

	/* if the launcher dies, nobody would answer: die with it */
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* nothing of the command runs beside an unconfined launcher */
	while (!sh->go)
		syscall(SYS_futex, &sh->go, FUTEX_WAIT, 0, NULL, NULL, 0);
	if (sh->go < 0)
		syscall(SYS_exit_group, EXIT_CANNOT_EXEC);
	if (ps_drop_ptrace_capability() < 0 ||
	    syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		sh->err = errno;
		sh->stage = STAGE_LOAD_FAILED;
		syscall(SYS_exit_group, EXIT_CANNOT_EXEC);
	}
	/* before the filter, which need not allow landlock_restrict_self */
	if (c->landlock_fd >= 0 &&
	    syscall(SYS_landlock_restrict_self, c->landlock_fd,
		    c->landlock_flags) < 0) {
		sh->err = errno;
		sh->stage = STAGE_LANDLOCK_FAILED;
		syscall(SYS_exit_group, EXIT_CANNOT_EXEC);
	}
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, c->prog);
	/* before 5.19: the gate's waits may be interrupted, which only refuses */
	if (fd < 0 && errno == EINVAL &&
	    (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
			     c->prog);
	}
	if (fd < 0) {
		sh->err = errno;
		sh->stage = STAGE_LOAD_FAILED;
		syscall(SYS_exit_group, EXIT_CANNOT_EXEC);
	}
	sh->fd = (int)fd;
	sh->stage = STAGE_LOADED;
	syscall(SYS_execve, c->path, c->argv, environ);
	sh->err = errno;
	sh->stage = STAGE_EXEC_FAILED;
	syscall(SYS_exit_group, ps_exec_status(errno));
	return 0;
}

struct session {
	struct ps_filter *f;
	struct shared *sh;
	pid_t child;
	int listener;
	int kmsg; /* the kernel's log, or -1 (kernlog.h) */
	bool own_exec_done;
	bool released; /* the child's execve left the shared stack */
	bool reaped; /* status already collected */
	int status;
	/* the refused call that killed the command, as the kernel or the gate says */
	bool killed;
	int killed_nr;
	char killed_name[64];
	/* ... from the kernel's record, which has no arguments (decode.h) */
	bool killed_unknown_args;
	/* a Landlock domain whose denials the kernel logs (ABI 7): -1 none */
	int landlock_logs;
	const char *cmd;
	/* the kernel's last kill records of other processes (orphans) */
	struct ps_seccomp_record kills[16];
	bool kills_written[16]; /* to --refusals already */
	unsigned int n_kills;
	/* the gate's buffers, made before the launcher is confined */
	struct seccomp_notif *notif;
	size_t notif_size;
	struct seccomp_notif_resp *resp;
	struct ps_complain *complain; /* run --complain, else NULL */
	struct ps_refusals *refusals; /* run --refusals, else NULL */
	struct ps_watch *watch; /* learn --via notify, else NULL */
	/* run --complain with Landlock rules, else NULL */
	const struct ps_complain_hook *hook;
	/* RECV itself may wait for the next notification (serve_watch()) */
	bool recv_waits;
};

/* A notified call's name in its own ABI's table; NULL if none knows it. */
static const char *call_name(const struct seccomp_notif *n)
{
	enum ps_arch arch;

	if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
		return NULL;
	return ps_syscall_name_arch(arch, n->data.nr);
}

/* The native number for a call of any architecture the filter admits. */
static int native_nr(const struct seccomp_notif *n)
{
	enum ps_arch arch;
	const char *name;

	if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
		return -1;
	if (arch == PS_ARCH_NATIVE)
		return n->data.nr;
	/* the same call by name: i386's socketcall, say, has none */
	name = ps_syscall_name_arch(arch, n->data.nr);
	return name ? ps_syscall_lookup(name) : -1;
}

/*
 * "refused execve("/bin/sh", ["sh", "-c", "id"], 0x7ffd...) in pid N:
 * ACTION": the caller waits in the notification, so its memory is there
 * to read (decode.h). Read after the kernel says the notification is
 * still pending: else the pid may be another process's by now.
 */
static void report_call(const struct session *s, const struct seccomp_notif *n,
			const char *what)
{
	char call[PS_DECODE_MAX];
	enum ps_arch arch;
	uint64_t args[6];

	memcpy(args, n->data.args, sizeof(args));
	if (!ps_arch_of(n->data.arch, n->data.nr, &arch)) {
		fprintf(stderr,
			"%s: refused syscall %d of arch %#x in pid %d: %s\n",
			ps_progname, n->data.nr, n->data.arch, n->pid, what);
		return;
	}
	ps_decode_call(arch, n->data.nr, args, (pid_t)n->pid, call,
		       sizeof(call));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0)
		ps_decode_call(arch, n->data.nr, args, PS_DECODE_NO_MEMORY,
			       call, sizeof(call));
	fprintf(stderr, "%s: refused %s in pid %d: %s\n", ps_progname, call,
		n->pid, what);
}

static void set_killed(struct session *s, int nr, const char *name)
{
	if (s->killed)
		return;
	s->killed = true;
	s->killed_nr = nr;
	snprintf(s->killed_name, sizeof(s->killed_name), "%s",
		 name ? name : "?");
}

/*
 * Kills the process of notification N's caller, and nothing else: a
 * pidfd taken before the notification is checked still valid cannot
 * name another process that reused the pid since. (A thread that is not
 * its process's leader has no pidfd before 6.9: killed by its tid.)
 */
static void kill_caller(struct session *s, const struct seccomp_notif *n)
{
	int pidfd = (int)syscall(SYS_pidfd_open, n->pid, 0);

	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) == 0) {
		if (pidfd < 0 ||
		    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
			kill(n->pid, SIGKILL);
	}
	if (pidfd >= 0)
		close(pidfd);
}

/*
 * The exec gate (DESIGN 3.3), the only call the launcher answers: the
 * child's own execve passes, and every later one as the policy says.
 * Whatever happens to the launcher, the kernel refuses an unanswered
 * notification (ENOSYS), so the gate fails closed.
 */
static void handle_notice(struct session *s, struct seccomp_notif *n,
			  struct seccomp_notif_resp *r)
{
	int nr = native_nr(n);
	enum ps_arch arch;
	struct ps_action a;
	char buf[64];
	uint64_t args[6];

	memcpy(args, n->data.args, sizeof(args));
	r->id = n->id;
	r->val = 0;
	r->error = 0;
	r->flags = 0;

	/* in complain mode, the child's first notice may be another call */
	if ((pid_t)n->pid == s->child && !s->own_exec_done &&
	    s->f->execve_notify) {
		s->own_exec_done = true;
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		/* the command's own exec is Landlock's to check too */
		if (s->hook)
			s->hook->call(s->hook->ctx, s->listener, n, nr);
		else if (s->watch && s->watch->own_exec)
			s->watch->own_exec(s->watch->ctx, n, nr);
		return;
	}
	/*
	 * --complain, learn --via notify: whatever the policy would do, the
	 * call runs. Only refusals are sent here (and execve, which may be
	 * allowed), and with Landlock rules the hook's calls, which it is
	 * shown whatever the policy decides.
	 */
	if (s->complain || s->watch) {
		if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
			arch = PS_ARCH_NATIVE;
		a = nr < 0 ? s->f->default_action :
			     ps_filter_decide_arch(s->f, arch, nr, args);
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (s->hook)
			s->hook->call(s->hook->ctx, s->listener, n, nr);
		if (!s->f->opt.no_exec &&
		    (a.type == PS_ACT_ALLOW || a.type == PS_ACT_LOG))
			return;
		if (s->complain)
			ps_complain_note(s->complain, s->listener, n);
		else
			s->watch->note(s->watch->ctx, n, nr);
		return;
	}
	if (s->f->opt.no_exec) {
		if (s->refusals)
			ps_refusals_gate(s->refusals, s->listener, n,
					 "errno EPERM", "--no-exec");
		report_call(s, n, "no exec after start (--no-exec): EPERM");
		r->error = -EPERM;
		return;
	}
	/* read as the call's ABI reads them: i386's registers are 32 bits */
	if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
		arch = PS_ARCH_NATIVE;
	a = nr < 0 ? s->f->default_action :
		     ps_filter_decide_arch(s->f, arch, nr, args);
	switch (a.type) {
	case PS_ACT_ALLOW:
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return;
	case PS_ACT_LOG:
		report_call(s, n, "logged, allowed");
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return;
	case PS_ACT_ERRNO:
		if (s->refusals)
			ps_refusals_gate(s->refusals, s->listener, n,
					 ps_action_name(&a, buf, sizeof(buf)),
					 NULL);
		if (s->f->opt.report)
			report_call(s, n, ps_action_name(&a, buf, sizeof(buf)));
		r->error = -a.errnum;
		return;
	case PS_ACT_TRAP:
	case PS_ACT_KILL_THREAD:
	case PS_ACT_KILL_PROCESS:
		break;
	}
	/* the call never runs: answer with an error after the signal */
	r->error = -ENOSYS;
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0)
		return; /* gone already: its pid may be reused */
	if (s->refusals)
		ps_refusals_gate(s->refusals, s->listener, n,
				 ps_action_name(&a, buf, sizeof(buf)), NULL);
	report_call(s, n, ps_action_name(&a, buf, sizeof(buf)));
	if (a.type == PS_ACT_TRAP) {
		syscall(SYS_tkill, n->pid, SIGSYS);
		return;
	}
	/*
	 * SIGKILL, to the caller's whole process: the launcher cannot know
	 * (without /proc, which it has given up) whether a handler, a mask or
	 * a tracer of the sandbox would keep SIGSYS from ending it, and the
	 * kernel's kill cannot be kept from doing so either. A shell running
	 * the process sees it killed (137); the command's own death is
	 * reported as SIGSYS's (exit_status()). A signal from outside cannot
	 * end one thread alone: kill-thread refuses at least as much.
	 */
	if (syscall(SYS_tgkill, s->child, n->pid, 0) == 0)
		set_killed(s, n->data.nr, call_name(n));
	kill_caller(s, n);
}

/*
 * Until the child's execve has replaced its memory (or it has exited),
 * it runs on the launcher's map and with the launcher's signal handlers:
 * only then may the map go, and signals be passed on to the command.
 */
static void release_child(struct session *s)
{
	pid_t v;

	if (s->released)
		return;
	while ((v = s->sh->ctid) != 0)
		syscall(SYS_futex, &s->sh->ctid, FUTEX_WAIT, v, NULL, NULL, 0);
	s->released = true;
	ps_signals_forward_to(s->child);
}

/*
 * Until the child has loaded the filter (or failed to). With the exec
 * gate it then waits in its execve for the launcher, which needs the
 * listener first, and may make no syscall to say so (the policy decides
 * them): the launcher looks. Without the gate, the launcher sleeps until
 * the execve is done (release_child()), then looks once.
 */
static int wait_loaded(struct session *s)
{
	int status;

	if (!s->f->uses_notify)
		release_child(s);
	while (s->sh->stage == STAGE_STARTED) {
		pid_t w = waitpid(s->child, &status, WNOHANG);

		if (w == s->child) {
			s->reaped = true;
			s->status = status;
			if (s->sh->stage != STAGE_STARTED)
				break; /* loaded, then exited: handled later */
			ps_warn("the child exited before the filter was loaded");
			return -1;
		}
		sched_yield();
	}
	if (s->sh->stage == STAGE_LANDLOCK_FAILED) {
		if (!s->reaped)
			waitpid(s->child, &status, 0);
		ps_warn("cannot restrict the command with its Landlock rules: %s",
			strerror(s->sh->err));
		return -1;
	}
	if (s->sh->stage == STAGE_LOAD_FAILED) {
		if (!s->reaped)
			waitpid(s->child, &status, 0);
		ps_warn("cannot load the seccomp filter: %s%s",
			strerror(s->sh->err),
			s->sh->err == EINVAL ?
				" (does this kernel have CONFIG_SECCOMP_FILTER and user notification?)" :
				"");
		return -1;
	}
	return 0;
}

/*
 * The errno the policy gives native call NR whatever its arguments; an
 * action of another type where that depends on them.
 */
static struct ps_action errno_of(const struct ps_filter *f, int nr)
{
	const struct ps_plan *plan = nr < 0 ? NULL : ps_filter_plan(f, nr);
	struct ps_action none = { PS_ACT_ALLOW, 0 };

	if (!plan || plan->n == 0)
		return f->default_action;
	if (plan->n == 1 && ps_expr_is_true(&plan->d[0].when))
		return plan->d[0].action;
	return none;
}

/* What the kernel's action CODE for native call NR is, in the policy's words. */
static const char *ret_name(const struct ps_filter *f, int nr, uint32_t code,
			    char *buf, size_t len)
{
	struct ps_action a = { PS_ACT_KILL_PROCESS, 0 };

	switch (code & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_THREAD:
		a.type = PS_ACT_KILL_THREAD;
		break;
	case SECCOMP_RET_TRAP:
		a.type = PS_ACT_TRAP;
		break;
	case SECCOMP_RET_ERRNO:
		/* the record has no errno: the policy's, where it is one */
		a = errno_of(f, nr);
		if (a.type != PS_ACT_ERRNO)
			return "errno (as its rule says of its arguments)";
		break;
	case SECCOMP_RET_LOG:
		a.type = PS_ACT_LOG;
		break;
	case SECCOMP_RET_USER_NOTIF:
		return "sent to the exec gate";
	}
	return ps_action_name(&a, buf, len);
}

/* The call a record names, in its own ABI's table; NULL if unknown. */
static const char *record_name(const struct ps_seccomp_record *r)
{
	enum ps_arch arch;

	return ps_arch_of(r->arch, r->nr, &arch) ?
		       ps_syscall_name_arch(arch, r->nr) :
		       NULL;
}

/* Whether the call a record names takes arguments, which it lacks. */
static bool record_has_args(const struct ps_seccomp_record *r)
{
	enum ps_arch arch;

	return ps_arch_of(r->arch, r->nr, &arch) &&
	       ps_decode_n_args(arch, r->nr) != 0;
}

/*
 * One record of the kernel's log: a kill of the command is kept for its
 * end; with --report, every refusal of the command's process is named.
 */
static void take_record(struct session *s, const struct ps_seccomp_record *r)
{
	const char *name;
	uint32_t action = r->code & SECCOMP_RET_ACTION_FULL;
	char buf[64];
	int native;

	bool kill = r->sig == SIGSYS && (action == SECCOMP_RET_KILL_PROCESS ||
					 action == SECCOMP_RET_KILL_THREAD);

	if (r->pid != s->child) {
		bool written = false;

		/*
		 * --refusals: a process of the sandbox's still there to say so
		 * (its errno; a kill before its parent reaps it)
		 */
		if (s->refusals && action != SECCOMP_RET_USER_NOTIF &&
		    ps_refusals_ours(s->refusals, r->pid)) {
			name = record_name(r);
			native = name ? ps_syscall_lookup(name) : -1;
			ps_refusals_kernel(s->refusals, r,
					   ret_name(s->f, native, r->code, buf,
						    sizeof(buf)));
			written = true;
		}
		/* perhaps an orphan of the sandbox's, which reap() names */
		if (kill) {
			s->kills_written[s->n_kills % ARRAY_SIZE(s->kills)] =
				written;
			s->kills[s->n_kills++ % ARRAY_SIZE(s->kills)] = *r;
		}
		return;
	}
	if (action == SECCOMP_RET_USER_NOTIF)
		return;
	name = record_name(r);
	native = name ? ps_syscall_lookup(name) : -1;
	if (kill && !s->killed) {
		set_killed(s, r->nr, name);
		s->killed_unknown_args = record_has_args(r);
	}
	if (s->refusals)
		ps_refusals_kernel(s->refusals, r,
				   ret_name(s->f, native, r->code, buf,
					    sizeof(buf)));
	if (s->f->opt.report)
		fprintf(stderr, "%s: refused %s (%d) in pid %d: %s%s\n",
			ps_progname, name ? name : "?", r->nr, r->pid,
			ret_name(s->f, native, r->code, buf, sizeof(buf)),
			record_has_args(r) ? PS_DECODE_RECORD_ARGS : "");
}

static void read_records(struct session *s)
{
	struct ps_seccomp_record r;

	while (s->kmsg >= 0 && ps_kernlog_next(s->kmsg, &r) == 1)
		take_record(s, &r);
}

/*
 * The command died of SIGSYS: the kernel's record says why. kauditd
 * prints it a moment after the kill, so wait a little for it.
 */
static void await_kill_record(struct session *s)
{
	struct pollfd p = { .fd = s->kmsg, .events = POLLIN };
	int waited;

	for (waited = 0; s->kmsg >= 0 && !s->killed && waited < 1000;
	     waited += 20) {
		read_records(s);
		if (!s->killed)
			poll(&p, 1, 20);
	}
}

/* --report: what kauditd has yet to print of the last refusals. */
static void await_last_records(struct session *s)
{
	struct pollfd p = { .fd = s->kmsg, .events = POLLIN };

	read_records(s);
	while (s->kmsg >= 0 && poll(&p, 1, 20) > 0)
		read_records(s);
}

/* The command's end, said and passed on (ps_die_like()). */
static int exit_status(struct session *s, int status)
{
	if (s->sh->stage == STAGE_EXEC_FAILED) {
		return ps_cannot_run(s->cmd, "cannot execute", s->sh->err);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		await_kill_record(s);
	else if (s->f->opt.report || s->refusals ||
		 (s->landlock_logs > 0 && status))
		await_last_records(s);
	/* a command that failed: the Landlock denials, where the kernel logs them */
	if (s->landlock_logs >= 0 && status &&
	    !ps_landlock_name_denials(s->child, s->cmd))
		ps_landlock_say_unnamed(s->cmd, s->landlock_logs > 0,
					s->kmsg >= 0);
	if (s->refusals) {
		if (!s->killed && WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGSYS)
			ps_refusals_unnamed(
				s->refusals, s->child,
				"killed by SIGSYS; no record of the kernel's named the call (pinscope reads them as root, or with kernel.dmesg_restrict=0)");
		ps_refusals_close(s->refusals);
		s->refusals = NULL;
	}
	if (s->killed) {
		ps_warn("%s killed: refused syscall %s (%d)%s", s->cmd,
			s->killed_name, s->killed_nr,
			s->killed_unknown_args ? PS_DECODE_KILLED_ARGS : "");
		return ps_die_like(
			SIGSYS); /* whether SIGSYS or SIGKILL did it */
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		ps_warn("%s killed by SIGSYS: a refused syscall, which the kernel's audit log names (type=1326: pinscope reads it where it may, as root or with kernel.dmesg_restrict=0; or journalctl -k, ausearch -m SECCOMP)",
			s->cmd);
	return ps_die_like(status);
}

/*
 * Buffers for SECCOMP_IOCTL_NOTIF_RECV/SEND as seccomp_unotify(2) asks:
 * sized by the kernel, which may know larger structures than our headers
 * (never smaller: the ioctls copy our sizes). *N_SIZE is for zeroing.
 */
static int notify_alloc(struct seccomp_notif **n, size_t *n_size,
			struct seccomp_notif_resp **r)
{
	struct seccomp_notif_sizes sizes;

	*n = NULL;
	*r = NULL;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -1;
	*n_size = sizes.seccomp_notif > sizeof(**n) ? sizes.seccomp_notif :
						      sizeof(**n);
	*n = calloc(1, *n_size);
	*r = calloc(1, sizes.seccomp_notif_resp > sizeof(**r) ?
			       sizes.seccomp_notif_resp :
			       sizeof(**r));
	if (!*n || !*r) {
		free(*n);
		free(*r);
		*n = NULL;
		*r = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/*
 * A process of the sandbox orphaned to the launcher died of SIGSYS: the
 * kernel's record, which kauditd prints a moment after, names the call.
 */
static void name_orphan(struct session *s, pid_t pid)
{
	struct pollfd p = { .fd = s->kmsg, .events = POLLIN };
	const char *name;
	unsigned int i;
	int waited;

	for (waited = 0; s->kmsg >= 0 && waited < 1000; waited += 20) {
		read_records(s);
		for (i = 0; i < s->n_kills && i < ARRAY_SIZE(s->kills); i++) {
			if (s->kills[i].pid != pid)
				continue;
			name = record_name(&s->kills[i]);
			if (s->refusals && !s->kills_written[i])
				ps_refusals_kernel(s->refusals, &s->kills[i],
						   "kill-process");
			ps_warn("pid %d of %s killed: refused syscall %s (%d)%s",
				pid, s->cmd, name ? name : "?", s->kills[i].nr,
				record_has_args(&s->kills[i]) ?
					PS_DECODE_KILLED_ARGS :
					"");
			s->kills[i].pid = 0;
			return;
		}
		poll(&p, 1, 20);
	}
	if (s->refusals)
		ps_refusals_unnamed(
			s->refusals, pid,
			"killed by SIGSYS; no record of the kernel's named the call (pinscope reads them as root, or with kernel.dmesg_restrict=0)");
	ps_warn("pid %d of %s killed by SIGSYS: a refused syscall", pid,
		s->cmd);
}

/*
 * Collects every process that has ended: the command, and (the launcher
 * being the sandbox's subreaper) any descendant orphaned to it. Returns
 * false once none is left.
 */
static bool reap(struct session *s)
{
	int status;
	pid_t w;

	while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
		if (w == s->child) {
			s->reaped = true;
			s->status = status;
		} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
			name_orphan(s, w);
		}
	}
	return !(w < 0 && errno == ECHILD);
}

/* Receives, answers and sends one notification; false if none was there. */
static bool serve_one(struct session *s)
{
	memset(s->notif, 0, s->notif_size);
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, s->notif) < 0)
		return false;
	handle_notice(s, s->notif, s->resp);
	/* ENOENT: the caller died or was interrupted */
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, s->resp);
	if (s->own_exec_done)
		release_child(s);
	return true;
}

/*
 * learn --via notify: every call is a notification, so the next one is
 * waited for in RECV, not in a poll before it (a syscall in three). Only
 * where RECV ends by itself once no process holds the filter (ENOENT,
 * 6.12; on 6.1 it would wait for ever) and nothing else is read as the
 * run goes (no --report, no --refusals): a SIGCHLD restarts RECV
 * (SA_RESTART), and the poll loop reaps after.
 */
static void serve_watch(struct session *s)
{
	if (!s->recv_waits)
		return;
	while (serve_one(s))
		;
}

/*
 * learn --via notify: a second SIGINT, SIGTERM or SIGHUP, or one after
 * the command has ended, ends learning now (ps_watch's end_signal). The
 * command is killed; what else of the sandbox lives gets ENOSYS for
 * every call once the listener is closed.
 */
static bool watch_ended(struct session *s)
{
	int sig;
	unsigned int n = ps_signals_ends(&sig);

	if (!s->watch || !(n >= 2 || (n >= 1 && s->reaped)))
		return false;
	s->watch->end_signal = sig;
	/* a third signal may come meanwhile: these waits are interrupted */
	if (!s->reaped && kill(s->child, SIGKILL) == 0)
		while (waitpid(s->child, &s->status, 0) < 0 && errno == EINTR)
			;
	s->reaped = true;
	return true;
}

/*
 * Answers the exec gate for as long as any process of the sandbox lives,
 * names refusals from the kernel's log (--report), then ends as the
 * command did.
 */
static int event_loop(struct session *s, int child_fd)
{
	/*
	 * Reaped after a SIGCHLD only (its pipe readable, or before the
	 * first wait): where every call is a notification (complain mode,
	 * learning), a wait per notification would be a syscall in three.
	 */
	bool chld = true;

	while (!chld || reap(s)) {
		struct pollfd p[3] = {
			{ .fd = child_fd, .events = POLLIN },
			{ .fd = s->listener, .events = POLLIN },
			{ .fd = s->f->opt.report || s->refusals ? s->kmsg : -1,
			  .events = POLLIN },
		};

		if (watch_ended(s))
			break;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			ps_warn("poll: %s", strerror(errno));
			break;
		}
		chld = p[0].revents & POLLIN;
		if (chld)
			ps_signals_drain();
		if (p[2].revents & POLLIN)
			read_records(s);
		if (p[1].revents & POLLIN) {
			if (serve_one(s))
				serve_watch(s);
		} else if (p[1].revents & (POLLHUP | POLLERR)) {
			/* no process holds the filter any more */
			close(s->listener);
			s->listener = -1;
		}
	}
	if (!s->reaped)
		waitpid(s->child, &s->status, 0);
	release_child(s);
	if (s->complain)
		ps_complain_finish(s->complain);
	/* learning: the caller writes what it saw, then ends as the command did */
	if (s->watch && s->sh->stage != STAGE_EXEC_FAILED) {
		s->watch->ran = true;
		s->watch->status = s->status;
		return 0;
	}
	return exit_status(s, s->status);
}

static int launch(struct ps_filter *f, char **argv, struct ps_watch *w,
		  const struct ps_complain_hook *hook)
{
	struct session s = { .f = f,
			     .listener = -1,
			     .kmsg = -1,
			     .cmd = argv[0],
			     .watch = w,
			     .hook = hook,
			     .landlock_logs = -1 };
	struct child_args c = { .prog = &f->prog,
				.argv = argv,
				.landlock_fd = -1 };
	/* zeroed: out_free frees it whether or not it was built */
	struct ps_filter self = { 0 };
	char *map;
	int ret, child_fd, proc = -1;
	bool complain, resolve = false;

	c.path = ps_resolve_command(argv[0]);
	if (!c.path) {
		return ps_cannot_run(argv[0], NULL, errno);
	}
	/* a path that does not exist stops the run here */
	if (ps_landlock_build(f->opt.landlock, &c.landlock_fd,
			      &c.landlock_flags) < 0) {
		free(c.path);
		return EXIT_USAGE;
	}
	/*
	 * Complain mode checks the rules (above) and applies none: the hook
	 * is shown the calls that they would refuse, which run
	 */
	if (f->opt.complain && c.landlock_fd >= 0) {
		close(c.landlock_fd);
		c.landlock_fd = -1;
	}
	s.landlock_logs = c.landlock_fd < 0 ? -1 : c.landlock_flags != 0;
	/* learning keeps its own record of what complain mode lets run */
	complain = f->opt.complain && !w;
	/* a caller's comm and exe, read by the confined launcher */
	resolve = hook || (w && w->proc >= 0);
	if (hook)
		proc = hook->proc;
	else if (w && w->proc >= 0)
		proc = w->proc;
	else if (complain || f->opt.refusals)
		proc = ps_proc_open();
	if (complain)
		s.complain =
			ps_complain_new(f, f->opt.complain_out, proc, hook);
	if (f->opt.refusals)
		s.refusals = ps_refusals_open(f, f->opt.refusals, proc);
	if ((complain && !s.complain) || (f->opt.refusals && !s.refusals) ||
	    ps_launcher_build_proc(&self, proc, w ? w->out_fd : -1, resolve) <
		    0) {
		ret = EXIT_USAGE;
		goto out_free;
	}
	if (f->uses_notify &&
	    notify_alloc(&s.notif, &s.notif_size, &s.resp) < 0) {
		ps_warn("cannot allocate seccomp notification buffers: %s",
			strerror(errno));
		ret = EXIT_USAGE;
		goto out_free;
	}
	if (f->uses_notify)
		c.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER |
			   SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	/* --report, --refusals: the kernel logs every refusal, not only kills */
	if (f->opt.report || f->opt.refusals)
		c.flags |= SECCOMP_FILTER_FLAG_LOG;
	/* an OCI profile's flags (LOG, SPEC_ALLOW), as runc loads them */
	c.flags |= f->load_flags;
	/* the stack is shared with the child, and so is its progress */
	map = mmap(NULL, CHILD_MAP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED) {
		ps_warn("mmap: %s", strerror(errno));
		ret = EXIT_USAGE;
		goto out_free;
	}
	/* the progress at the bottom, the stack growing down from the top */
	s.sh = c.sh = (struct shared *)map;
	s.sh->stage = STAGE_STARTED;
	s.sh->fd = -1;
	s.sh->ctid = -1;
	s.kmsg = ps_kernlog_open();
	if (f->opt.refusals && s.kmsg < 0)
		ps_warn("--refusals: cannot read the kernel's log of refusals (/dev/kmsg: %s): only the exec gate's refusals and kills are recorded",
			strerror(errno));
	if (f->opt.report && s.kmsg < 0)
		ps_warn("--report: cannot read the kernel's log of refusals (/dev/kmsg: %s): refused calls go unnamed",
			strerror(errno));
	if (ps_launcher_undumpable() < 0) {
		ps_warn("cannot make the launcher undumpable: %s; not running %s",
			strerror(errno), argv[0]);
		ret = EXIT_USAGE;
		goto out;
	}
	/*
	 * Caught before the clone: the child (and so the command, after its
	 * execve) has no signal ignored that the launcher forwards.
	 */
	child_fd = ps_signals_take();
	/* learning ends on a second SIGINT: the waits must see it */
	if (w)
		ps_signals_interrupt_ends();
	/* orphans of the sandbox become ours: it lasts as long as they do */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	fflush(NULL);
	/*
	 * CLONE_VM without CLONE_VFORK: the launcher confines itself while
	 * the child waits, unconfined and before any code of the command.
	 */
	s.child = clone(child, map + CHILD_MAP_SIZE,
			CLONE_VM | CLONE_FILES | CLONE_CHILD_CLEARTID | SIGCHLD,
			&c, NULL, NULL, &s.sh->ctid);
	if (s.child < 0) {
		ps_warn("clone: %s", strerror(errno));
		s.released = true;
		ret = EXIT_USAGE;
		goto out;
	}
	if (ps_launcher_confine(&self) < 0) {
		ps_warn("cannot confine the launcher: %s; not running %s",
			strerror(errno), argv[0]);
		s.sh->go = -1;
		syscall(SYS_futex, &s.sh->go, FUTEX_WAKE, 1, NULL, NULL, 0);
		waitpid(s.child, &s.status, 0);
		release_child(&s);
		ret = EXIT_USAGE;
		goto out;
	}
	s.sh->go = 1;
	syscall(SYS_futex, &s.sh->go, FUTEX_WAKE, 1, NULL, NULL, 0);
	if (wait_loaded(&s) < 0) {
		release_child(&s);
		ret = EXIT_USAGE;
		goto out;
	}
	if (f->uses_notify) {
		s.listener = s.sh->fd;
		/*
		 * 6.6+: the caller is woken on the launcher's CPU, which then
		 * sleeps, instead of waiting for a CPU of its own: what a
		 * notification costs when every call is one (learn --via
		 * notify). Before 6.6, EINVAL, and the wake-up as it was.
		 */
		s.recv_waits = ioctl(s.listener, PS_IOCTL_NOTIF_SET_FLAGS,
				     PS_USER_NOTIF_FD_SYNC_WAKE_UP) == 0 &&
			       w && ps_kernel_at_least(6, 12);
	}
	/* complain mode without the gate: the execve is the kernel's */
	if (!f->execve_notify)
		release_child(&s);
	ret = event_loop(&s, child_fd);
out:
	if (s.listener >= 0)
		close(s.listener);
	if (s.kmsg >= 0)
		close(s.kmsg);
	if (s.released)
		munmap(map, CHILD_MAP_SIZE);
out_free:
	free(s.notif);
	free(s.resp);
	ps_complain_free(s.complain);
	ps_refusals_close(s.refusals);
	/* the hook's and the watch's are their callers' to close */
	if (proc >= 0 && !resolve)
		close(proc);
	ps_filter_free(&self);
	free(c.path);
	if (c.landlock_fd >= 0)
		close(c.landlock_fd);
	return ret;
}

int ps_launch(struct ps_filter *f, char **argv)
{
	return launch(f, argv, NULL, NULL);
}

int ps_launch_complain(struct ps_filter *f, char **argv,
		       const struct ps_complain_hook *hook)
{
	return launch(f, argv, NULL, hook);
}

int ps_launch_watch(struct ps_filter *f, char **argv, struct ps_watch *w)
{
	w->ran = false;
	return launch(f, argv, w, NULL);
}

/* ---- --preload ---- */

char *ps_self_exe(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	return xstrdup(exe);
}

/* Beside the binary (a build tree), else in its install (install.h). */
char *ps_find_library(const char *name)
{
	static const char *const rel[] = PS_LIBS_FROM_BIN;
	char *exe = ps_self_exe(), file[PATH_MAX];
	bool found;

	found = ps_install_find(exe ? dirname(exe) : NULL, rel, PINSCOPE_LIBDIR,
				name, R_OK, file, sizeof(file));
	free(exe);
	/* not found: the installed name, for the caller's message */
	return found ? xstrdup(file) : xconcat(PINSCOPE_LIBDIR, "/", name);
}

/* LD_PRELOAD only works where the dynamic loader runs: PT_INTERP. */
static int is_dynamic(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int i, dynamic = 0;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		close(fd);
		return 1; /* a script: its interpreter decides */
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return 0;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff +
				  (Elf64_Off)i * eh.e_phentsize)) != sizeof(ph))
			break;
		if (ph.p_type == PT_INTERP)
			dynamic = 1;
	}
	close(fd);
	return dynamic;
}

bool ps_is_static(const char *path)
{
	return is_dynamic(path) == 0;
}

/*
 * The LD_PRELOAD value ld.so uses: the last in the environment, where
 * getenv() finds the first. NULL if there is none.
 */
static char *ld_preload_value(void)
{
	static const char key[] = "LD_PRELOAD=";
	const char *last = NULL;
	char **e;

	for (e = environ; e && *e; e++)
		if (!strncmp(*e, key, sizeof(key) - 1))
			last = *e + sizeof(key) - 1;
	return last ? xstrdup(last) : NULL;
}

int ps_preload_library(const char *path, const char *lib)
{
	char *old = ld_preload_value();
	char *preload;

	if (is_dynamic(path) == 0) {
		ps_warn("%s is statically linked: a preloaded library cannot reach it",
			path);
		free(old);
		return -1;
	}
	if (access(lib, R_OK)) {
		ps_warn("cannot find %s (%s)", lib, strerror(errno));
		free(old);
		return -1;
	}
	preload = old && *old ? xasprintf("%s:%s", lib, old) : xstrdup(lib);
	/* one entry: glibc's unsetenv() removes every one */
	unsetenv("LD_PRELOAD");
	setenv("LD_PRELOAD", preload, 1);
	free(preload);
	free(old);
	return 0;
}

char *ps_preload_lib_path(void)
{
	const char *env = getenv("PINSCOPE_PRELOAD_LIB");

	return env && *env ? xstrdup(env) : ps_find_library(PS_PRELOAD_LIB);
}

int ps_preload_prepare(struct ps_filter *f, const char *path)
{
	size_t size = f->prog.len * sizeof(struct sock_filter);
	char *lib = ps_preload_lib_path();
	int fd;

	if (ps_preload_library(path, lib) < 0) {
		if (is_dynamic(path) == 0)
			ps_warn("run it without --preload: exec mode confines static programs");
		free(lib);
		return -1;
	}
	free(lib);
	fd = ps_sealed_memfd("pinscope-filter", f->prog.filter, size);
	if (fd < 0)
		ps_warn("cannot hand the filter over: %s", strerror(errno));
	return fd;
}

/*
 * --preload: until the command ends. The library's filter refuses in the
 * kernel and tells the launcher nothing, so with --refusals the kernel's
 * records are read as they come (a process of the sandbox is known as the
 * launcher's descendant only while it lives).
 */
static int preload_wait(struct session *s, int child_fd)
{
	struct pollfd p[2] = {
		{ .fd = child_fd, .events = POLLIN },
		{ .fd = s->refusals ? s->kmsg : -1, .events = POLLIN },
	};
	int status = 0;
	pid_t w;

	while ((w = waitpid(s->child, &status, WNOHANG)) == 0) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			ps_signals_drain();
		if (p[1].revents & POLLIN)
			read_records(s);
	}
	while (w == 0 && (w = waitpid(s->child, &status, 0)) < 0 &&
	       errno == EINTR)
		w = 0;
	return status;
}

int ps_launch_preload(struct ps_filter *f, const struct ps_filter *outer,
		      char **argv)
{
	/* no exec gate: the command's end is said as exec mode says it */
	struct shared no_gate = { .stage = STAGE_STARTED };
	struct session s = { .f = f,
			     .sh = &no_gate,
			     .listener = -1,
			     .cmd = argv[0],
			     .landlock_logs = -1 };
	struct ps_filter self = { 0 };
	char *path, fdbuf[16], go;
	int fd = -1, status, gate[2], child_fd, proc = -1, ret = EXIT_USAGE;
	int landlock = -1;
	unsigned int landlock_flags;
	/* --refusals: the kernel logs every refusal of both filters, not only kills */
	unsigned int flags = f->opt.refusals ? SECCOMP_FILTER_FLAG_LOG : 0;

	path = ps_resolve_command(argv[0]);
	if (!path) {
		return ps_cannot_run(argv[0], NULL, errno);
	}
	if (f->opt.refusals) {
		proc = ps_proc_open();
		if (!(s.refusals = ps_refusals_open(f, f->opt.refusals, proc)))
			goto out;
	}
	if (ps_landlock_build(f->opt.landlock, &landlock, &landlock_flags) <
		    0 ||
	    ps_launcher_build_proc(&self, proc, -1, false) < 0)
		goto out;
	s.landlock_logs = landlock < 0 ? -1 : landlock_flags != 0;
	fd = ps_preload_prepare(f, path);
	if (fd < 0 || pipe2(gate, O_CLOEXEC) < 0 ||
	    ps_launcher_undumpable() < 0) {
		if (fd >= 0)
			ps_warn("cannot start %s: %s", path, strerror(errno));
		goto out;
	}
	snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
	/* opened before the launcher confines itself, which forbids open */
	s.kmsg = ps_kernlog_open();
	if (s.refusals && s.kmsg < 0)
		ps_warn("--refusals: cannot read the kernel's log of refusals (/dev/kmsg: %s): only kills are recorded, unnamed",
			strerror(errno));
	child_fd = ps_signals_take();
	fflush(NULL);
	s.child = fork();
	if (s.child == 0) {
		close(gate[1]);
		/* nothing of the command runs beside an unconfined launcher */
		if (read(gate[0], &go, 1) != 1)
			_exit(EXIT_CANNOT_EXEC);
		setenv("PINSCOPE_FILTER_FD", fdbuf, 1);
		if (flags)
			setenv("PINSCOPE_FILTER_LOG", "1", 1);
		/*
		 * The outer filter: whatever happens to the library (a static
		 * interpreter, a failed preload), the program is confined.
		 * no_new_privs also keeps a set-id exec from dropping it.
		 */
		if (ps_drop_ptrace_capability() < 0 ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    (landlock >= 0 && syscall(SYS_landlock_restrict_self,
					      landlock, landlock_flags) < 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
			    &outer->prog) < 0) {
			ps_warn("cannot load the outer filter: %s; not running %s unconfined",
				strerror(errno), path);
			_exit(EXIT_CANNOT_EXEC);
		}
		execve(path, argv, environ);
		_exit(ps_cannot_run(path, "cannot execute", errno));
	}
	close(fd);
	fd = -1;
	if (landlock >= 0)
		close(landlock);
	landlock = -1;
	close(gate[0]);
	if (s.child < 0) {
		ps_warn("fork: %s", strerror(errno));
		close(gate[1]);
		goto out;
	}
	if (ps_launcher_confine(&self) < 0) {
		ps_warn("cannot confine the launcher: %s; not running %s",
			strerror(errno), path);
		close(gate[1]);
		waitpid(s.child, &status, 0);
		goto out;
	}
	(void)!write(gate[1], "", 1);
	close(gate[1]);
	ps_signals_forward_to(s.child);
	status = preload_wait(&s, child_fd);
	ps_filter_free(&self);
	free(path);
	/* the kill named from the kernel's record, as in exec mode */
	return exit_status(&s, status);
out:
	if (fd >= 0)
		close(fd);
	if (landlock >= 0)
		close(landlock);
	if (s.kmsg >= 0)
		close(s.kmsg);
	ps_refusals_close(s.refusals);
	if (proc >= 0)
		close(proc);
	ps_filter_free(&self);
	free(path);
	return ret;
}
