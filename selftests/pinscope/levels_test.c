// SPDX-License-Identifier: GPL-2.0
/*
 * Ptrace scopes 2 (admin-only) and 3 (no attach), and the scope sysctl:
 * set at boot by pinscope.ptrace_scope=, only ever raised, only by
 * CAP_SYS_PTRACE. Each boot of boots.list starts at a scope; the tests
 * that belong to another scope skip, saying which.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"
#include "agents.h"

#define USER 1000
#define SCOPE_SYSCTL "/proc/sys/kernel/pinscope/ptrace_scope"

static int current_scope(void)
{
	char buf[16];

	if (read_file(SCOPE_SYSCTL, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

/* pinscope.ptrace_scope= on the kernel command line, or -1 */
static int boot_scope(void)
{
	char cmdline[4096], *p;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)))
		return -1;
	p = strstr(cmdline, "pinscope.ptrace_scope=");
	return p ? atoi(p + strlen("pinscope.ptrace_scope=")) : -1;
}

/* In a child: drop CAP_SYS_PTRACE, write @val, report the errno. */
static int write_scope_without_cap(const char *val)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (syscall(SYS_capget, &h, d))
			_exit(100);
		d[CAP_SYS_PTRACE / 32].effective &= ~(1u << (CAP_SYS_PTRACE % 32));
		if (syscall(SYS_capset, &h, d))
			_exit(101);
		_exit(write_file(SCOPE_SYSCTL, val));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(scope) {
	struct agents a;
	int scope;
};

FIXTURE_SETUP(scope)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active");
	self->scope = current_scope();
	ASSERT_LE(0, self->scope);
	ASSERT_EQ(0, agents_init(&self->a));
}

FIXTURE_TEARDOWN(scope)
{
	agents_kill(&self->a);
}

#define pid_of(i) (self->a.pid[i])
#define act(i, op, arg) agent_call(&self->a, (i), (op), (long)(arg))

TEST_F(scope, boot_parameter_sets_the_starting_scope)
{
	int want = boot_scope();

	if (want < 0)
		SKIP(return, "no pinscope.ptrace_scope= on this boot's command line");
	EXPECT_EQ(want, self->scope);
}

TEST_F(scope, scope2_parent_without_cap_refused)
{
	int parent, child;

	if (self->scope != 2)
		SKIP(return, "this boot runs scope %d, not 2", self->scope);
	parent = agent_spawn(&self->a, -1, USER);
	child = agent_spawn(&self->a, parent, -1);
	ASSERT_LE(0, child);
	EXPECT_EQ(EPERM, act(parent, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(EPERM, act(parent, OP_SEIZE, pid_of(child)));
}

TEST_F(scope, scope2_ptracer_exception_does_not_count)
{
	int root, tracee, tracer;

	if (self->scope != 2)
		SKIP(return, "this boot runs scope %d, not 2", self->scope);
	root = agent_spawn(&self->a, -1, USER);
	tracee = agent_spawn(&self->a, root, -1);
	tracer = agent_spawn(&self->a, root, -1);
	ASSERT_LE(0, tracer);
	ASSERT_EQ(0, act(tracee, OP_SET_PTRACER, pid_of(tracer)));
	EXPECT_EQ(EPERM, act(tracer, OP_ATTACH, pid_of(tracee)));
}

TEST_F(scope, scope2_cap_sys_ptrace_allows)
{
	int owner, target, admin;

	if (self->scope != 2)
		SKIP(return, "this boot runs scope %d, not 2", self->scope);
	owner = agent_spawn(&self->a, -1, USER);
	target = agent_spawn(&self->a, owner, -1);
	admin = agent_spawn(&self->a, -1, -1);
	ASSERT_LE(0, admin);
	EXPECT_EQ(0, act(admin, OP_ATTACH, pid_of(target)));
}

TEST_F(scope, scope2_traceme_needs_the_parent_to_hold_cap_sys_ptrace)
{
	int user, admin;

	if (self->scope != 2)
		SKIP(return, "this boot runs scope %d, not 2", self->scope);
	user = agent_spawn(&self->a, -1, USER);
	admin = agent_spawn(&self->a, -1, -1);
	ASSERT_LE(0, admin);
	EXPECT_EQ(EPERM, act(user, OP_TRACEME_CHILD, 0));
	EXPECT_EQ(0, act(admin, OP_TRACEME_CHILD, 0));
}

/*
 * At scope 2 only the capability counts: the owner of a user namespace
 * that joined it with setns() holds CAP_SYS_PTRACE there, but was not
 * created there, so it is refused, by ptrace and by /proc/PID/mem.  The
 * process that created the namespace holds it there too, and attaches to
 * the child it made inside.
 */
TEST_F(scope, scope2_user_namespace_owner_joined_by_setns_refused)
{
	int root, inside, owner, child;

	if (self->scope != 2)
		SKIP(return, "this boot runs scope %d, not 2", self->scope);
	root = agent_spawn(&self->a, -1, USER);
	inside = agent_spawn(&self->a, root, -1);
	owner = agent_spawn(&self->a, root, -1);
	ASSERT_LE(0, owner);
	if (act(inside, OP_UNSHARE_USERNS, 0))
		SKIP(return, "no user namespaces (CONFIG_USER_NS)");
	child = agent_spawn(&self->a, inside, -1);
	ASSERT_LE(0, child);
	ASSERT_EQ(0, act(owner, OP_SETNS_USERNS, pid_of(inside)));
	EXPECT_EQ(EPERM, act(owner, OP_ATTACH, pid_of(inside)));
	EXPECT_EQ(EACCES, act(owner, OP_OPEN_MEM, pid_of(inside)));
	EXPECT_EQ(EPERM, act(owner, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(0, act(inside, OP_ATTACH, pid_of(child)));
	EXPECT_EQ(0, act(inside, OP_OPEN_MEM, pid_of(child)));
}

TEST_F(scope, scope3_nothing_attaches_not_even_root)
{
	int admin, target;

	if (self->scope != 3)
		SKIP(return, "this boot runs scope %d, not 3", self->scope);
	admin = agent_spawn(&self->a, -1, -1);
	target = agent_spawn(&self->a, admin, -1);
	ASSERT_LE(0, target);
	EXPECT_EQ(EPERM, act(admin, OP_ATTACH, pid_of(target)));
	EXPECT_EQ(EPERM, act(admin, OP_SEIZE, pid_of(target)));
	EXPECT_EQ(EACCES, act(admin, OP_OPEN_MEM, pid_of(target)));
}

TEST_F(scope, scope3_traceme_refused_even_for_root)
{
	int admin;

	if (self->scope != 3)
		SKIP(return, "this boot runs scope %d, not 3", self->scope);
	admin = agent_spawn(&self->a, -1, -1);
	ASSERT_LE(0, admin);
	EXPECT_EQ(EPERM, act(admin, OP_TRACEME_CHILD, 0));
}

TEST_F(scope, sysctl_lowering_refused_even_for_root)
{
	char lower[16];

	if (self->scope == 0)
		SKIP(return, "scope 0 cannot be lowered");
	snprintf(lower, sizeof(lower), "%d", self->scope - 1);
	EXPECT_EQ(EPERM, write_file(SCOPE_SYSCTL, lower));
	EXPECT_EQ(self->scope, current_scope());
}

TEST_F(scope, sysctl_invalid_value_changes_nothing)
{
	EXPECT_EQ(EINVAL, write_file(SCOPE_SYSCTL, "4"));
	EXPECT_EQ(EINVAL, write_file(SCOPE_SYSCTL, "-1"));
	EXPECT_EQ(self->scope, current_scope());
}

TEST_F(scope, sysctl_write_needs_cap_sys_ptrace)
{
	char same[16];

	snprintf(same, sizeof(same), "%d", self->scope < 3 ? self->scope + 1 : 3);
	EXPECT_EQ(EPERM, write_scope_without_cap(same));
	EXPECT_EQ(self->scope, current_scope());
}

/* Last: it changes the boot's scope for good. */
TEST_F(scope, sysctl_raise_allowed_with_cap_sys_ptrace)
{
	char higher[16];

	if (self->scope != 2)
		SKIP(return, "raised only in the scope 2 boot (it cannot be undone)");
	snprintf(higher, sizeof(higher), "%d", self->scope + 1);
	EXPECT_EQ(0, write_file(SCOPE_SYSCTL, higher));
	EXPECT_EQ(self->scope + 1, current_scope());
}

#define main harness_main
TEST_HARNESS_MAIN
#undef main

int main(int argc, char **argv)
{
	return agents_main(argc, argv);
}
