// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launcher's own confinement (DESIGN 3.2, "the boundary does not
 * depend on the launcher").
 *
 * Once the command runs, the launcher is the one unconfined process the
 * sandbox can name (its parent). Two locks keep it out of reach:
 *
 *  - It is not dumpable (ps_launcher_undumpable(), before the clone), and
 *    no command of pinscope run holds CAP_SYS_PTRACE, root's included
 *    (ps_drop_ptrace_capability()), so no process of the sandbox can trace
 *    it, open its /proc/PID/mem, or use process_vm_writev or pidfd_getfd
 *    on it, whatever the ptrace scope (Yama's, pinscope's or none).
 *  - It confines itself, before the command's first instruction, to what
 *    it still does: answer the exec gate, wait, pass signals on, report
 *    and exit. Should code be planted in it all the same, that code can
 *    exec nothing, open nothing, map nothing executable, trace nobody,
 *    signal no group and set no other process's limits: it may signal
 *    single processes, answer the exec gate and read (never write) a
 *    refused caller's memory for the message (decode.h), nothing more.
 *
 * The policy is pinscope's own language, compiled by pinscope's compiler,
 * so the launcher is confined by the same proven code as its command.
 * Anything not listed fails with EPERM rather than killing the launcher:
 * a refusal is enough to stop planted code, and a launcher that lived
 * on would still report the command's end.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compile.h"
#include "launch.h"

/* PS_IOCTL_NOTIF_SET_FLAGS, by number: the constants' headers may lack it */
_Static_assert(PS_IOCTL_NOTIF_SET_FLAGS == 0x40082104,
	       "the launcher policy's number for SECCOMP_IOCTL_NOTIF_SET_FLAGS");

static const char launcher_policy[] =
	"# the exec gate: receive, check, answer (and the listener's wake-up)\n"
	"poll: 1\n"
	"ppoll: 1\n"
	"ioctl: arg1 == SECCOMP_IOCTL_NOTIF_RECV || arg1 == SECCOMP_IOCTL_NOTIF_SEND || arg1 == SECCOMP_IOCTL_NOTIF_ID_VALID || arg1 == 0x40082104\n"
	"# the command's end, and the signals passed on to it\n"
	"wait4: 1\n"
	"waitid: 1\n"
	"# one process each (no group, not -1): the command's, or the launcher's\n"
	"kill: arg0 >= 1 && arg0 <= 0x7fffffff\n"
	"tkill: arg0 >= 1 && arg0 <= 0x7fffffff\n"
	"tgkill: arg0 >= 1 && arg0 <= 0x7fffffff\n"
	"pidfd_open: arg0 >= 1 && arg0 <= 0x7fffffff\n"
	"pidfd_send_signal: 1\n"
	"rt_sigaction: 1\n"
	"rt_sigprocmask: 1\n"
	"rt_sigreturn: 1\n"
	"restart_syscall: 1\n"
	"getpid: 1\n"
	"gettid: 1\n"
	"# its own core limit only (ps_die_like())\n"
	"prlimit64: arg0 == 0\n"
	"# waiting for the child's execve to release the shared stack\n"
	"futex: 1\n"
	"sched_yield: 1\n"
	"# reading a refused call's strings from the caller's memory (decode.h):\n"
	"# read-only, one local and one remote range at a time\n"
	"process_vm_readv: arg2 == 1 && arg4 == 1 && arg5 == 0\n"
	"# reporting: stderr, the kernel's log, the clock\n"
	"read: 1\n"
	"recvfrom: 1\n"
	"write: 1\n"
	"writev: 1\n"
	"lseek: 1\n"
	"fstat: 1\n"
	"newfstatat: 1\n"
	"close: 1\n"
	"clock_gettime: 1\n"
	"clock_nanosleep: 1\n"
	"nanosleep: 1\n"
	"# memory, never executable\n"
	"brk: 1\n"
	"mmap: arg2 in ~PROT_EXEC\n"
	"mprotect: arg2 in ~PROT_EXEC\n"
	"munmap: 1\n"
	"madvise: 1\n"
	"exit: 1\n"
	"exit_group: 1\n"
	"@default-action errno EPERM\n";

int ps_launcher_undumpable(void)
{
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Weak: only a build with LeakSanitizer has it (see below). */
extern void __lsan_do_leak_check(void) __attribute__((weak));

int ps_launcher_build(struct ps_filter *f)
{
	return ps_launcher_build_proc(f, -1, -1, false);
}

int ps_launcher_build_proc(struct ps_filter *f, int proc_fd, int out_fd,
			   bool resolve)
{
	struct ps_filter_options opt = { 0 };
	struct ps_policy p;
	char *text;
	int ret;

	/*
	 * --complain and --refusals read a caller's comm and exe: files and
	 * links under /proc's directory (PROC_FD), read-only, and nothing
	 * else (open and openat from any other directory stay refused).
	 */
	text = proc_fd < 0 ?
		       xstrdup(launcher_policy) :
		       xasprintf(
			       "%sopenat: arg0 == %d && arg2 == O_RDONLY|O_CLOEXEC\n"
			       "readlinkat: arg0 == %d\n",
			       launcher_policy, proc_fd, proc_fd);
	/*
	 * run --complain with Landlock rules: each path a file call names
	 * is resolved as the kernel is about to resolve it, by an O_PATH
	 * open under /proc/PID/root, cwd or fd (PROC_FD's), then readlinkat
	 * of self/fd/N; O_PATH reads and writes nothing. The protocol of a
	 * socket bound or connected (Landlock's port rules are TCP's) is
	 * the system.sockprotoname attribute of /proc/PID/fd/N: getxattr,
	 * which a seccomp rule cannot hold to that path, so it may read the
	 * extended attributes of any file (never its data, never a write).
	 */
	if (resolve && proc_fd >= 0) {
		char *more = xasprintf(
			"%sopenat: arg0 == %d && arg2 == O_PATH|O_CLOEXEC\n"
			"getxattr: 1\n",
			text, proc_fd);

		free(text);
		text = more;
	}
	/*
	 * learn --via notify writes its policy once the command has ended,
	 * into a file opened before (an existing one is kept until then):
	 * that file alone may be cut to the policy's length.
	 */
	if (out_fd >= 0) {
		char *more =
			xasprintf("%sftruncate: arg0 == %d\n", text, out_fd);

		free(text);
		text = more;
	}
	ps_policy_init(&p);
	ret = ps_policy_load_buffer(&p, "<launcher policy>", text,
				    strlen(text));
	if (ret == 0)
		ret = ps_filter_build(f, &p, &opt);
	ps_policy_free(&p);
	free(text);
	return ret;
}

int ps_launcher_confine(const struct ps_filter *f)
{
	/*
	 * LeakSanitizer checks at exit from a thread that traces the
	 * others, which the filter refuses: check now, which also turns the
	 * exit check off. What is allocated later goes unchecked.
	 */
	if (__lsan_do_leak_check)
		__lsan_do_leak_check();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f->prog) < 0 ?
		       -1 :
		       0;
}
