// SPDX-License-Identifier: GPL-2.0
/*
 * Ptrace scope 1 (relational): a process may trace its descendants and the
 * processes that named it with PR_SET_PTRACER, nothing else; every path
 * that needs PTRACE_MODE_ATTACH obeys the same rule.
 *
 * The scope comes from pinscope when it is active, else from Yama, so the
 * rules both share are checked on both; the cases where pinscope differs
 * from Yama (setuid exec, user namespaces) say so.  The actors run as uid
 * 1000; the test itself stays root only to set the scope and to arrange
 * setuid binaries and pid reuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"
#include "agents.h"

#define USER 1000
#define OTHER_USER 1001

/* The scope sysctl of the LSM that decides, or NULL. */
static const char *scope_sysctl(void)
{
	if (lsm_is_active("pinscope"))
		return "/proc/sys/kernel/pinscope/ptrace_scope";
	if (lsm_is_active("yama"))
		return "/proc/sys/kernel/yama/ptrace_scope";
	return NULL;
}

/*
 * Put the scope at @want: 0 when done, else why not (the scope only rises
 * under pinscope, and scope 3 is final under Yama too).
 */
static const char *set_scope(int want)
{
	static char why[128];
	const char *path = scope_sysctl();
	char buf[16], val[16];

	if (!path)
		return "neither pinscope nor Yama is active";
	if (read_file(path, buf, sizeof(buf)))
		return "the ptrace_scope sysctl cannot be read";
	if (atoi(buf) > want) {
		snprintf(why, sizeof(why), "ptrace_scope is %d and cannot go down to %d",
			 atoi(buf), want);
		return why;
	}
	snprintf(val, sizeof(val), "%d", want);
	if (write_file(path, val))
		return "the ptrace_scope sysctl refused the write";
	return NULL;
}

FIXTURE(scope1) {
	struct agents a;
};

FIXTURE_SETUP(scope1)
{
	const char *why = set_scope(1);

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, agents_init(&self->a));
}

FIXTURE_TEARDOWN(scope1)
{
	agents_kill(&self->a);
}

#define pid_of(i) (self->a.pid[i])
#define act(i, op, arg) agent_call(&self->a, (i), (op), (long)(arg))

TEST_F(scope1, parent_attaches_child_and_grandchild)
{
	int parent = agent_spawn(&self->a, -1, USER);
	int child = agent_spawn(&self->a, parent, -1);
	int grandchild = agent_spawn(&self->a, child, -1);

	ASSERT_LE(0, grandchild);
	EXPECT_EQ(0, act(parent, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(0, act(parent, OP_ATTACH, pid_of(grandchild)));
}

TEST_F(scope1, child_attaching_parent_refused)
{
	int parent = agent_spawn(&self->a, -1, USER);
	int child = agent_spawn(&self->a, parent, -1);

	ASSERT_LE(0, child);
	EXPECT_EQ(EPERM, act(child, OP_ATTACH, pid_of(parent)));
}

TEST_F(scope1, sibling_refused)
{
	int parent = agent_spawn(&self->a, -1, USER);
	int a = agent_spawn(&self->a, parent, -1);
	int b = agent_spawn(&self->a, parent, -1);

	ASSERT_LE(0, b);
	EXPECT_EQ(EPERM, act(b, OP_ATTACH, pid_of(a)));
	EXPECT_EQ(EPERM, act(a, OP_ATTACH, pid_of(b)));
}

TEST_F(scope1, cousin_refused)
{
	int root = agent_spawn(&self->a, -1, USER);
	int x = agent_spawn(&self->a, root, -1);
	int y = agent_spawn(&self->a, root, -1);
	int a = agent_spawn(&self->a, x, -1);
	int b = agent_spawn(&self->a, y, -1);

	ASSERT_LE(0, b);
	EXPECT_EQ(EPERM, act(b, OP_ATTACH, pid_of(a)));
}

TEST_F(scope1, init_refused)
{
	int p = agent_spawn(&self->a, -1, USER);

	ASSERT_LE(0, p);
	EXPECT_EQ(EPERM, act(p, OP_ATTACH, 1));
}

/* At scope 1 a child may ask any parent to trace it: no capability needed. */
TEST_F(scope1, traceme_allowed_without_cap_sys_ptrace)
{
	int user = agent_spawn(&self->a, -1, USER);

	ASSERT_LE(0, user);
	EXPECT_EQ(0, act(user, OP_TRACEME_CHILD, 0));
}

TEST_F(scope1, ptracer_pid_allows_tracer_and_its_descendants_only)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);
	int tracer_child = agent_spawn(&self->a, tracer, -1);
	int other = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, other);
	ASSERT_EQ(EPERM, act(tracer, OP_ATTACH, pid_of(tracee)));
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	EXPECT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
	EXPECT_EQ(0, act(tracer_child, OP_ATTACH, pid_of(tracee)));
	EXPECT_EQ(EPERM, act(other, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope1, ptracer_any_allows_any_same_uid_process)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int other = agent_spawn(&self->a, root, -1);
	int stranger = agent_spawn(&self->a, -1, OTHER_USER);

	ASSERT_LE(0, stranger);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, PR_SET_PTRACER_ANY));
	EXPECT_EQ(0, act(other, OP_ATTACH, pid_of(tracee)));
	/* ANY widens the scope, not DAC */
	EXPECT_EQ(EPERM, act(stranger, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope1, ptracer_zero_clears_the_exception)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	ASSERT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, 0));
	EXPECT_EQ(EPERM, act(tracer, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope1, ptracer_unknown_pid_is_einval)
{
	int root = agent_spawn(&self->a, -1, USER);
	int gone = agent_spawn(&self->a, root, -1);
	pid_t gone_pid;

	ASSERT_LE(0, gone);
	gone_pid = pid_of(gone);
	ASSERT_EQ(0, act(gone, OP_EXIT, 0));
	/* its parent reaps it within a few polls */
	for (int i = 0; i < 1000 && !(kill(gone_pid, 0) && errno == ESRCH); i++)
		usleep(1000);
	ASSERT_EQ(ESRCH, kill(gone_pid, 0) ? errno : 0);
	EXPECT_EQ(EINVAL, act(root, OP_SET_PTRACER, gone_pid));
}

TEST_F(scope1, ptracer_set_by_a_thread_covers_the_thread_group)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER_THREAD, pid_of(tracer)));
	EXPECT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope1, ptracer_survives_plain_exec)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	ASSERT_EQ(0, act(tracee, OP_EXEC, 0));
	ASSERT_EQ(pid_of(tracee), self->a.box[tracee].val);
	EXPECT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
}

/*
 * A thread other than the leader execs: it takes the leader's pid and
 * place, and de_thread() releases the old leader, whose task_struct named
 * the process.  The process's exceptions stay, in both roles; Yama drops
 * them when that task_struct is freed.
 */
TEST_F(scope1, ptracer_survives_exec_from_a_thread)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);
	int other = agent_spawn(&self->a, root, -1);
	int traced, tracing;

	ASSERT_LE(0, other);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	ASSERT_EQ(0, act(other, OP_SET_PTRACER, pid_of(tracee)));
	ASSERT_EQ(0, act(tracee, OP_EXEC_THREAD, 0));
	ASSERT_EQ(pid_of(tracee), self->a.box[tracee].val);
	/*
	 * The old leader is freed after an RCU grace period; without the move
	 * its exceptions would go then.  membarrier(GLOBAL) waits for one.
	 */
	for (int i = 0; i < 5; i++) {
		syscall(SYS_membarrier, 1 /* MEMBARRIER_CMD_GLOBAL */, 0, 0);
		usleep(50000);
	}
	traced = act(tracer, OP_ATTACH, pid_of(tracee));
	tracing = act(tracee, OP_ATTACH, pid_of(other));
	if (lsm_is_active("pinscope")) {
		EXPECT_EQ(0, traced);
		EXPECT_EQ(0, tracing);
	} else {
		TH_LOG("Yama alone: attach to the exec'd process %s, by it %s",
		       traced ? strerror(traced) : "allowed",
		       tracing ? strerror(tracing) : "allowed");
	}
}

TEST_F(scope1, ptracer_dropped_by_setuid_exec)
{
	const char *suid = "/tmp/scope_test-setuid";
	int root, tracee, tracer;

	ASSERT_EQ(0, copy_file("/proc/self/exe", suid));
	ASSERT_EQ(0, chown(suid, 0, 0));
	ASSERT_EQ(0, chmod(suid, 04755));
	root = agent_spawn(&self->a, -1, USER);
	tracee = agent_spawn(&self->a, root, -1);
	tracer = agent_spawn(&self->a, root, -1);
	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	ASSERT_EQ(0, agent_call_text(&self->a, tracee, OP_EXEC, 0, suid));
	/* the new image dropped back to uid 1000: only the scope can refuse */
	if (lsm_is_active("pinscope")) {
		EXPECT_EQ(EPERM, act(tracer, OP_ATTACH, pid_of(tracee)));
	} else {
		/* the weakness pinscope fixes */
		EXPECT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
		TH_LOG("Yama alone kept the exception across the setuid exec");
	}
	unlink(suid);
}

TEST_F(scope1, ptracer_dies_with_the_tracer_and_does_not_pass_to_its_pid)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, -1, USER);
	pid_t old = pid_of(tracer);
	char last[16];
	int heir;

	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, old));
	ASSERT_EQ(0, act(tracer, OP_ATTACH, pid_of(tracee)));
	ASSERT_EQ(0, act(tracer, OP_EXIT, 0));
	ASSERT_EQ(old, waitpid(old, NULL, 0));
	/* the next fork gets the dead tracer's pid */
	snprintf(last, sizeof(last), "%d", old - 1);
	if (write_file("/proc/sys/kernel/ns_last_pid", last))
		SKIP(return, "ns_last_pid is not writable (CONFIG_CHECKPOINT_RESTORE)");
	heir = agent_spawn(&self->a, -1, USER);
	ASSERT_LE(0, heir);
	if (pid_of(heir) != old)
		SKIP(return, "pid %d was not reused (got %d)", old, pid_of(heir));
	EXPECT_EQ(EPERM, act(heir, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope1, cap_sys_ptrace_in_init_namespace_allows)
{
	int owner = agent_spawn(&self->a, -1, USER);
	int target = agent_spawn(&self->a, owner, -1);
	int admin = agent_spawn(&self->a, -1, -1);	/* stays root */

	ASSERT_LE(0, admin);
	EXPECT_EQ(0, act(admin, OP_ATTACH, pid_of(target)));
}

TEST_F(scope1, user_namespace_owner_outside_refused)
{
	int root = agent_spawn(&self->a, -1, USER);
	int inside = agent_spawn(&self->a, root, -1);
	int owner = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, owner);
	if (act(inside, OP_UNSHARE_USERNS, 0))
		SKIP(return, "no user namespaces (CONFIG_USER_NS)");
	if (!lsm_is_active("pinscope")) {
		/* the hole pinscope closes: Yama counts the owner's capability */
		EXPECT_EQ(0, act(owner, OP_ATTACH, pid_of(inside)));
		TH_LOG("Yama alone let the namespace's owner attach from outside");
		return;
	}
	EXPECT_EQ(EPERM, act(owner, OP_ATTACH, pid_of(inside)));
}

/*
 * The owner joins the namespace with setns(), which gives it every
 * capability there, and tries again, by ptrace and by /proc/PID/mem: it is
 * still refused.  The process that created the namespace still attaches
 * to the child it made inside.
 */
TEST_F(scope1, user_namespace_owner_joined_by_setns_refused)
{
	int root = agent_spawn(&self->a, -1, USER);
	int inside = agent_spawn(&self->a, root, -1);
	int owner = agent_spawn(&self->a, root, -1);
	int child;

	ASSERT_LE(0, owner);
	if (act(inside, OP_UNSHARE_USERNS, 0))
		SKIP(return, "no user namespaces (CONFIG_USER_NS)");
	child = agent_spawn(&self->a, inside, -1);
	ASSERT_LE(0, child);
	ASSERT_EQ(0, act(owner, OP_SETNS_USERNS, pid_of(inside)));
	if (!lsm_is_active("pinscope")) {
		/* Yama counts the capability the owner gained by joining */
		EXPECT_EQ(0, act(owner, OP_ATTACH, pid_of(inside)));
		TH_LOG("Yama alone let the namespace's owner attach after setns()");
		return;
	}
	EXPECT_EQ(EPERM, act(owner, OP_ATTACH, pid_of(inside)));
	EXPECT_EQ(EACCES, act(owner, OP_OPEN_MEM, pid_of(inside)));
	EXPECT_EQ(EPERM, act(owner, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(0, act(inside, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(0, act(inside, OP_OPEN_MEM, pid_of(child)));
}

/* Every PTRACE_MODE_ATTACH path obeys the same scope. */
FIXTURE(attach_path) {
	struct agents a;
};

FIXTURE_VARIANT(attach_path) {
	int op;
	int denied;	/* the errno each path gives for a refusal */
};

FIXTURE_VARIANT_ADD(attach_path, ptrace_attach) { .op = OP_ATTACH, .denied = EPERM };
FIXTURE_VARIANT_ADD(attach_path, ptrace_seize) { .op = OP_SEIZE, .denied = EPERM };
/* mm_access() turns every refusal into EACCES */
FIXTURE_VARIANT_ADD(attach_path, proc_pid_mem) { .op = OP_OPEN_MEM, .denied = EACCES };
FIXTURE_VARIANT_ADD(attach_path, process_vm_readv) { .op = OP_VM_READV, .denied = EPERM };
FIXTURE_VARIANT_ADD(attach_path, pidfd_getfd) { .op = OP_PIDFD_GETFD, .denied = EPERM };

FIXTURE_SETUP(attach_path)
{
	const char *why = set_scope(1);

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, agents_init(&self->a));
}

FIXTURE_TEARDOWN(attach_path)
{
	agents_kill(&self->a);
}

TEST_F(attach_path, refused_on_a_sibling)
{
	int root = agent_spawn(&self->a, -1, USER);
	int a = agent_spawn(&self->a, root, -1);
	int b = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, b);
	EXPECT_EQ(variant->denied, act(b, variant->op, pid_of(a)));
}

TEST_F(attach_path, allowed_on_a_descendant)
{
	int parent = agent_spawn(&self->a, -1, USER);
	int child = agent_spawn(&self->a, parent, -1);

	ASSERT_LE(0, child);
	EXPECT_EQ(0, act(parent, variant->op, pid_of(child)));
}

TEST_F(attach_path, allowed_by_an_exception)
{
	int root = agent_spawn(&self->a, -1, USER);
	int tracee = agent_spawn(&self->a, root, -1);
	int tracer = agent_spawn(&self->a, root, -1);

	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	EXPECT_EQ(0, act(tracer, variant->op, pid_of(tracee)));
}

#define main harness_main
TEST_HARNESS_MAIN
#undef main

int main(int argc, char **argv)
{
	return agents_main(argc, argv);
}
