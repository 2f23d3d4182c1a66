// SPDX-License-Identifier: GPL-2.0
/*
 * The process tree of the Yama demonstration (LSS EU 2018, slides 7-11),
 * built for real, with every ptrace attempt the slides show:
 *
 *   ptrace-tree, root
 *   |-daemon, otheruser (uid 2000)
 *   |-bash, kees (uid 1000)
 *   |  |-secret
 *   |  `-gdb
 *   |     `-program
 *   `-bash, kees (uid 1000)
 *      |-crashing-program
 *      |  `-evil-attacker
 *      `-crash-handler
 *
 * Run as root; the actors drop to their own uids.  Each attempt prints
 * "ptrace(PTRACE_ATTACH, PID) -> ok" or the errno's name, so the same
 * program shows the tree with ptrace scope 0 and with scope 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

enum step {
	STEP_START,
	STEP_ATTACKER,		/* evil-attacker tries daemon, then secret */
	STEP_GDB,		/* gdb tries its own child */
	STEP_HANDLER,		/* crash-handler tries crashing-program */
	STEP_SET_PTRACER,	/* crashing-program names crash-handler */
	STEP_HANDLER_AGAIN,	/* crash-handler tries again */
	STEP_END,
};

struct tree {
	pid_t daemon, secret, gdb, program, crashing, attacker, handler;
	int step;
	int done;
};

static struct tree *tree;

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one write per line: several processes share stdout */
	if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) < 0)
		_exit(1);
}

static void die(const char *what)
{
	say("ptrace-tree: %s: %s\n", what, strerror(errno));
	_exit(1);
}

static void become(const char *name, uid_t uid)
{
	prctl(PR_SET_NAME, name);
	if (uid && (setgroups(0, NULL) || setgid(uid) || setuid(uid))) {
		say("ptrace-tree: %s cannot become uid %u: %s\n", name, uid, strerror(errno));
		_exit(1);
	}
	/*
	 * A process that changed its uid is not dumpable, and so not
	 * traceable even by its own uid; the actors stand for programs that
	 * were exec()ed as their user, which resets that.  setuid() also
	 * cleared the death signal spawn() set.
	 */
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static void wait_for(int step)
{
	while (__atomic_load_n(&tree->step, __ATOMIC_ACQUIRE) < step)
		usleep(1000);
}

static void finish(int step)
{
	__atomic_store_n(&tree->done, step, __ATOMIC_RELEASE);
}

static void wait_pid_published(pid_t *pid)
{
	while (!__atomic_load_n(pid, __ATOMIC_ACQUIRE))
		usleep(1000);
}

static void publish(pid_t *slot, pid_t pid)
{
	__atomic_store_n(slot, pid, __ATOMIC_RELEASE);
}

static void attach(const char *who, const char *whom, pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		say("  %-16s ptrace(PTRACE_ATTACH, %d) -> ok         (%s)\n", who, pid, whom);
	} else {
		say("  %-16s ptrace(PTRACE_ATTACH, %d) -> %-10s (%s)\n", who, pid,
		    strerrorname_np(errno), whom);
	}
}

static pid_t spawn(void (*actor)(void))
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* an actor outliving the demo would confuse the next one */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		actor();
		_exit(0);
	}
	return pid;
}

static void sleeper(void)
{
	for (;;)
		pause();
}

static void daemon_actor(void)
{
	become("daemon", 2000);
	sleeper();
}

static void secret_actor(void)
{
	become("secret", 0);
	sleeper();
}

static void program_actor(void)
{
	prctl(PR_SET_NAME, "program");
	sleeper();
}

static void gdb_actor(void)
{
	prctl(PR_SET_NAME, "gdb");
	publish(&tree->program, spawn(program_actor));
	wait_for(STEP_GDB);
	attach("gdb", "its child, program", tree->program);
	finish(STEP_GDB);
	sleeper();
}

static void attacker_actor(void)
{
	prctl(PR_SET_NAME, "evil-attacker");
	wait_for(STEP_ATTACKER);
	attach("evil-attacker", "daemon, another uid", tree->daemon);
	attach("evil-attacker", "secret, same uid", tree->secret);
	finish(STEP_ATTACKER);
	sleeper();
}

static void crashing_actor(void)
{
	prctl(PR_SET_NAME, "crashing-program");
	publish(&tree->attacker, spawn(attacker_actor));
	wait_for(STEP_SET_PTRACER);
	wait_pid_published(&tree->handler);
	if (prctl(PR_SET_PTRACER, tree->handler, 0, 0, 0))
		say("  %-16s prctl(PR_SET_PTRACER, %d) -> %s\n", "crashing-program",
		    tree->handler, strerrorname_np(errno));
	else
		say("  %-16s prctl(PR_SET_PTRACER, %d) -> ok\n", "crashing-program",
		    tree->handler);
	finish(STEP_SET_PTRACER);
	sleeper();
}

static void handler_actor(void)
{
	prctl(PR_SET_NAME, "crash-handler");
	wait_for(STEP_HANDLER);
	attach("crash-handler", "crashing-program, its sibling", tree->crashing);
	finish(STEP_HANDLER);
	wait_for(STEP_HANDLER_AGAIN);
	attach("crash-handler", "crashing-program, after PR_SET_PTRACER", tree->crashing);
	finish(STEP_HANDLER_AGAIN);
	sleeper();
}

static void bash1_actor(void)
{
	become("bash", 1000);
	publish(&tree->secret, spawn(secret_actor));
	publish(&tree->gdb, spawn(gdb_actor));
	sleeper();
}

static void bash2_actor(void)
{
	become("bash", 1000);
	publish(&tree->crashing, spawn(crashing_actor));
	publish(&tree->handler, spawn(handler_actor));
	sleeper();
}

static void run_step(int step, const char *story)
{
	say("%s\n", story);
	__atomic_store_n(&tree->step, step, __ATOMIC_RELEASE);
	while (__atomic_load_n(&tree->done, __ATOMIC_ACQUIRE) < step)
		usleep(1000);
}

int main(void)
{
	pid_t bash1, bash2;

	if (geteuid() != 0) {
		fprintf(stderr, "ptrace-tree: run as root: the actors take their own uids\n");
		return 2;
	}
	tree = mmap(NULL, sizeof(*tree), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tree == MAP_FAILED)
		die("mmap");
	prctl(PR_SET_NAME, "ptrace-tree");

	tree->daemon = spawn(daemon_actor);
	bash1 = spawn(bash1_actor);
	bash2 = spawn(bash2_actor);
	wait_pid_published(&tree->program);
	wait_pid_published(&tree->secret);
	wait_pid_published(&tree->attacker);
	wait_pid_published(&tree->handler);

	say("ptrace-tree, %d, root\n", getpid());
	say("|-daemon, %d, otheruser\n", tree->daemon);
	say("|-bash, %d, kees\n", bash1);
	say("|  |-secret, %d\n", tree->secret);
	say("|  `-gdb, %d\n", tree->gdb);
	say("|     `-program, %d\n", tree->program);
	say("`-bash, %d, kees\n", bash2);
	say("   |-crashing-program, %d\n", tree->crashing);
	say("   |  `-evil-attacker, %d\n", tree->attacker);
	say("   `-crash-handler, %d\n", tree->handler);

	run_step(STEP_ATTACKER, "\n\"evil-attacker\" wants to read the memory of \"daemon\" and of \"secret\":");
	run_step(STEP_GDB, "\n\"gdb\" wants to read the memory of \"program\":");
	run_step(STEP_HANDLER, "\n\"crash-handler\" wants to read the memory of \"crashing-program\":");
	run_step(STEP_SET_PTRACER, "\nso \"crashing-program\" declares that \"crash-handler\" may:");
	run_step(STEP_HANDLER_AGAIN, "\nand \"crash-handler\" tries again:");

	/* the rest of the tree follows through PR_SET_PDEATHSIG */
	kill(tree->daemon, SIGKILL);
	kill(bash1, SIGKILL);
	kill(bash2, SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
