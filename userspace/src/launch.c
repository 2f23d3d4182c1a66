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
#include <linux/filter.h>
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
#include "common/install.h"
#include "launch.h"
#include "syscalls.h"

extern char **environ;

enum child_stage {
	STAGE_STARTED,
	STAGE_LOADED,		/* the filter is in; the listener is in fd */
	STAGE_LOAD_FAILED,
	STAGE_EXEC_FAILED,
};

struct shared {
	volatile int stage;
	volatile int fd;
	volatile int err;
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
};

/*
 * Perhaps in the launcher's memory, on a stack the sanitizers do not know:
 * not instrumented, and raw syscalls, which no sanitizer intercepts.
 */
__attribute__((no_sanitize_address)) static int child(void *arg)
{
	const struct child_args *c = arg;
	struct shared *sh = c->sh;
	long fd;

	/* if the launcher dies, nobody would answer: die with it */
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		sh->err = errno;
		sh->stage = STAGE_LOAD_FAILED;
		syscall(SYS_exit_group, EXIT_CANNOT_EXEC);
	}
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, c->flags, c->prog);
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
	bool own_exec_done;
	bool reaped;		/* status already collected */
	int status;
	/* the refused call that made the launcher kill the command */
	bool killed;
	int killed_nr;
	char killed_name[64];
	const char *cmd;
};

/* The hex or decimal value of "KEY:" in /proc/TID/status, or DEF. */
static unsigned long long proc_status(pid_t tid, const char *key, int base,
				      unsigned long long def)
{
	char value[64];

	return ps_proc_status(tid, key, value, sizeof(value)) > 0 ?
		       strtoull(value, NULL, base) : def;
}

/* Is SIGSYS deliverable with its default (fatal) action to TID? */
static bool sigsys_is_fatal(pid_t tid)
{
	unsigned long long bit = 1ULL << (SIGSYS - 1);

	return !((proc_status(tid, "SigBlk", 16, 0) |
		  proc_status(tid, "SigIgn", 16, 0) |
		  proc_status(tid, "SigCgt", 16, 0)) & bit);
}

static pid_t tgid_of(pid_t tid)
{
	return (pid_t)proc_status(tid, "Tgid", 10, (unsigned long long)tid);
}

/* A notified call's name in its own ABI's table; NULL if none knows it. */
static const char *call_name(const struct seccomp_notif *n)
{
	enum ps_arch arch;

	if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
		return NULL;
	return ps_syscall_name_arch(arch, n->data.nr);
}

static int native_nr(const struct seccomp_notif *n);

/* "refused ioctl(0x1, TIOCGWINSZ, 0x7ffd...) in pid N: ACTION" */
static void report_call(const struct seccomp_notif *n, const char *what)
{
	const char *name = call_name(n);
	char call[PS_CALL_MAX];
	uint64_t args[6];
	int nr = native_nr(n);

	memcpy(args, n->data.args, sizeof(args));
	if (nr >= 0 && name) {
		ps_call_format(nr, args, call, sizeof(call));
		fprintf(stderr, "%s: refused %s in pid %d: %s\n", ps_progname,
			call, n->pid, what);
		return;
	}
	fprintf(stderr,
		"%s: refused %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) in pid %d: %s\n",
		ps_progname, name ? name : "?",
		(unsigned long long)args[0], (unsigned long long)args[1],
		(unsigned long long)args[2], (unsigned long long)args[3],
		(unsigned long long)args[4], (unsigned long long)args[5],
		n->pid, what);
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

static void handle_notice(struct session *s, struct seccomp_notif *n,
			  struct seccomp_notif_resp *r)
{
	int execve_nr = ps_syscall_lookup("execve");
	int nr = native_nr(n);
	enum ps_arch arch;
	struct ps_action a;
	char buf[64];
	uint64_t args[6];
	pid_t target;
	int sig;

	memcpy(args, n->data.args, sizeof(args));
	r->id = n->id;
	r->val = 0;
	r->error = 0;
	r->flags = 0;

	if (s->sh->stage == STAGE_EXEC_FAILED && (pid_t)n->pid == s->child) {
		/* our own code after a failed exec: it only wants to exit */
		kill(s->child, SIGKILL);
		r->error = -ENOSYS;
		return;
	}
	if (nr == execve_nr && (pid_t)n->pid == s->child && !s->own_exec_done) {
		s->own_exec_done = true;
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return;
	}
	if (nr == execve_nr && s->f->opt.no_exec) {
		report_call(n, "no exec after start (--no-exec): EPERM");
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
		report_call(n, "logged, allowed");
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return;
	case PS_ACT_ERRNO:
		if (s->f->opt.report)
			report_call(n, ps_action_name(&a, buf, sizeof(buf)));
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
		return;		/* gone already: its pid may be reused */
	report_call(n, ps_action_name(&a, buf, sizeof(buf)));
	sig = sigsys_is_fatal(n->pid) ? SIGSYS : SIGKILL;
	if (a.type == PS_ACT_KILL_PROCESS) {
		target = tgid_of(n->pid);
		if (target == s->child && !s->killed) {
			const char *name = call_name(n);

			s->killed = true;
			s->killed_nr = n->data.nr;
			snprintf(s->killed_name, sizeof(s->killed_name), "%s",
				 name ? name : "?");
		}
		kill(target, sig);
	} else {
		/*
		 * Only a call the launcher decides (a later execve under the
		 * exec gate) gets here. A signal cannot end one thread alone:
		 * kill-thread ends the process, which refuses at least as much.
		 */
		syscall(SYS_tgkill, tgid_of(n->pid), n->pid,
			a.type == PS_ACT_TRAP ? SIGSYS : sig);
	}
}

static int wait_loaded(struct session *s)
{
	int status;

	while (s->sh->stage == STAGE_STARTED) {
		pid_t w = waitpid(s->child, &status, WNOHANG);

		if (w == s->child) {
			s->reaped = true;
			s->status = status;
			if (s->sh->stage != STAGE_STARTED)
				break;	/* loaded, then exited: handled later */
			ps_warn("the child exited before the filter was loaded");
			return -1;
		}
		sched_yield();
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

/* The command's end, said and passed on (ps_die_like()). */
static int exit_status(struct session *s, int status)
{
	if (s->sh->stage == STAGE_EXEC_FAILED) {
		return ps_cannot_run(s->cmd, "cannot execute", s->sh->err);
	}
	if (s->killed) {
		ps_warn("%s killed: refused syscall %s (%d)", s->cmd,
			s->killed_name, s->killed_nr);
		return ps_die_like(SIGSYS);	/* whether SIGSYS or SIGKILL did it */
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		ps_warn("%s killed by SIGSYS: a refused syscall (one of another architecture, or a kill-thread/trap rule; --report names them)",
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
			       sizes.seccomp_notif_resp : sizeof(**r));
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
		}
	}
	return !(w < 0 && errno == ECHILD);
}

/*
 * Answers notifications for as long as any process of the sandbox lives,
 * so a refused call is killed and named whoever makes it and whenever (a
 * daemon that outlived the command too), then ends as the command did.
 */
static int event_loop(struct session *s, int child_fd)
{
	struct seccomp_notif *n = NULL;
	struct seccomp_notif_resp *r = NULL;
	size_t n_size = 0;

	if (s->listener >= 0 && notify_alloc(&n, &n_size, &r) < 0) {
		ps_warn("cannot allocate seccomp notification buffers: %s",
			strerror(errno));
		kill(s->child, SIGKILL);
		/* nothing to receive into: only wait for the child */
		close(s->listener);
		s->listener = -1;
	}
	while (reap(s)) {
		struct pollfd p[2] = {
			{ .fd = child_fd, .events = POLLIN },
			{ .fd = s->listener, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ps_warn("poll: %s", strerror(errno));
			break;
		}
		if (p[0].revents & POLLIN)
			ps_signals_drain();
		if (p[1].revents & POLLIN) {
			memset(n, 0, n_size);
			if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, n) == 0) {
				handle_notice(s, n, r);
				/* ENOENT: the caller died or was interrupted */
				ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, r);
			}
		} else if (p[1].revents & (POLLHUP | POLLERR)) {
			/* no process holds the filter any more */
			close(s->listener);
			s->listener = -1;
		}
	}
	if (!s->reaped)
		waitpid(s->child, &s->status, 0);
	free(n);
	free(r);
	return exit_status(s, s->status);
}

int ps_launch(struct ps_filter *f, char **argv)
{
	struct session s = { .f = f, .listener = -1, .cmd = argv[0] };
	struct child_args c = { .prog = &f->prog, .argv = argv };
	char *map;
	int ret, child_fd;

	c.path = ps_resolve_command(argv[0]);
	if (!c.path) {
		return ps_cannot_run(argv[0], NULL, errno);
	}
	if (f->uses_notify)
		c.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	/* shared: a child that is a copy reports in it too */
	map = mmap(NULL, CHILD_MAP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED) {
		ps_warn("mmap: %s", strerror(errno));
		free(c.path);
		return EXIT_USAGE;
	}
	/* the progress at the bottom, the stack growing down from the top */
	s.sh = c.sh = (struct shared *)map;
	s.sh->stage = STAGE_STARTED;
	s.sh->fd = -1;
	/*
	 * Caught before the clone: the child (and so the command, after its
	 * execve) has no signal ignored that the launcher forwards.
	 */
	child_fd = ps_signals_take();
	/* orphans of the sandbox become ours: it lasts as long as they do */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	fflush(NULL);
	s.child = clone(child, map + CHILD_MAP_SIZE,
			CLONE_FILES | SIGCHLD |
				(f->execve_notify ? 0 : CLONE_VM | CLONE_VFORK),
			&c);
	if (s.child < 0) {
		ps_warn("clone: %s", strerror(errno));
		ret = EXIT_USAGE;
		goto out;
	}
	ps_signals_forward_to(s.child);
	if (wait_loaded(&s) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (f->uses_notify)
		s.listener = s.sh->fd;
	ret = event_loop(&s, child_fd);
out:
	if (s.listener >= 0)
		close(s.listener);
	munmap(map, CHILD_MAP_SIZE);
	free(c.path);
	return ret;
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
		return 1;	/* a script: its interpreter decides */
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return 0;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize)) !=
		    sizeof(ph))
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

int ps_preload_library(const char *path, const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *preload;

	if (is_dynamic(path) == 0) {
		ps_warn("%s is statically linked: a preloaded library cannot reach it",
			path);
		return -1;
	}
	if (access(lib, R_OK)) {
		ps_warn("cannot find %s (%s)", lib, strerror(errno));
		return -1;
	}
	preload = old && *old ? xasprintf("%s:%s", lib, old) : xstrdup(lib);
	setenv("LD_PRELOAD", preload, 1);
	free(preload);
	return 0;
}

int ps_preload_prepare(struct ps_filter *f, const char *path)
{
	size_t size = f->prog.len * sizeof(struct sock_filter);
	const char *env = getenv("PINSCOPE_PRELOAD_LIB");
	char *lib = env && *env ? xstrdup(env) : ps_find_library(PS_PRELOAD_LIB);
	int fd;

	if (ps_preload_library(path, lib) < 0) {
		if (is_dynamic(path) == 0)
			ps_warn("run it without --preload: exec mode confines static programs");
		free(lib);
		return -1;
	}
	free(lib);
	/* inherited by the command, read and closed by the library */
	fd = memfd_create("pinscope-filter", 0);
	if (fd < 0 || write(fd, f->prog.filter, size) != (ssize_t)size) {
		ps_warn("cannot hand the filter over: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int ps_launch_preload(struct ps_filter *f, const struct ps_filter *outer,
		      char **argv)
{
	char *path, fdbuf[16];
	int fd, status;
	pid_t pid;

	path = ps_resolve_command(argv[0]);
	if (!path) {
		return ps_cannot_run(argv[0], NULL, errno);
	}
	fd = ps_preload_prepare(f, path);
	if (fd < 0) {
		free(path);
		return EXIT_USAGE;
	}
	snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
	ps_signals_take();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		setenv("PINSCOPE_FILTER_FD", fdbuf, 1);
		/*
		 * The outer filter: whatever happens to the library (a static
		 * interpreter, a failed preload), the program is confined.
		 * no_new_privs also keeps a set-id exec from dropping it.
		 */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &outer->prog) < 0) {
			ps_warn("cannot load the outer filter: %s; not running %s unconfined",
				strerror(errno), path);
			_exit(EXIT_CANNOT_EXEC);
		}
		execve(path, argv, environ);
		_exit(ps_cannot_run(path, "cannot execute", errno));
	}
	close(fd);
	if (pid < 0) {
		ps_warn("fork: %s", strerror(errno));
		free(path);
		return EXIT_USAGE;
	}
	ps_signals_forward_to(pid);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(path);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		ps_warn("%s killed by SIGSYS: a refused syscall (--preload cannot name it: the kernel kills without asking; run in exec mode to see which)",
			argv[0]);
	return ps_die_like(status);
}
