// SPDX-License-Identifier: GPL-2.0
/*
 * The PR_SET_PTRACER helpers under a real ptrace scope: pinscope ptracer,
 * the crash handler (libpinscope-crash, pinscope catch, pinscope
 * crash-report) and pinscope status. The programs under test run as an
 * unprivileged user, as a crashing program would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define USER 1000
#define PINSCOPE "/usr/local/bin/pinscope"
#define HELPERS "/opt/pinscope/selftests"
#define OUTPUT "/tmp/crash_test.out"

static int current_scope(void)
{
	char buf[16];

	if (read_file("/proc/sys/kernel/pinscope/ptrace_scope", buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

static void become_user(void)
{
	if (setresgid(USER, USER, USER) || setresuid(USER, USER, USER))
		_exit(99);
}

/*
 * Runs argv as the user (or as root) with extra environment, output in
 * OUTPUT; returns the wait status.
 */
static int run_as(bool user, char *const argv[], const char *env1, const char *env2)
{
	int status, fd;
	pid_t pid;

	/*
	 * A fresh file for each run: fs.protected_regular=2 (the guest's
	 * sysctls) refuses an O_CREAT open of another user's file in /tmp,
	 * even to root.
	 */
	unlink(OUTPUT);
	pid = fork();
	if (pid == 0) {
		if (user)
			become_user();
		fd = open(OUTPUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(98);
		dup2(fd, 1);
		dup2(fd, 2);
		if (env1)
			putenv((char *)env1);
		if (env2)
			putenv((char *)env2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int run_user(char *const argv[], const char *env1, const char *env2)
{
	return run_as(true, argv, env1, env2);
}

static bool output_has(const char *needle)
{
	static char buf[65536];

	if (read_file(OUTPUT, buf, sizeof(buf)))
		return false;
	return strstr(buf, needle) != NULL;
}

static int output_count(const char *needle)
{
	static char buf[65536];
	const char *p;
	int n = 0;

	if (read_file(OUTPUT, buf, sizeof(buf)))
		return -1;
	for (p = buf; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* the output, as TAP comments */
static void show_output(void)
{
	static char buf[8192];
	char *line, *save;

	if (read_file(OUTPUT, buf, sizeof(buf)))
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "#   output: %s\n", line);
}

/* A user process that waits, then attaches to the pid it is sent. */
struct attacher {
	pid_t pid;
	int to, from;
};

static int attacher_start(struct attacher *a)
{
	int in[2], out[2];

	if (pipe(in) || pipe(out))
		return -1;
	a->pid = fork();
	if (a->pid == 0) {
		pid_t target;
		int err;

		become_user();
		close(in[1]);
		close(out[0]);
		while (read(in[0], &target, sizeof(target)) == sizeof(target)) {
			err = ptrace(PTRACE_ATTACH, target, 0, 0) ? errno : 0;
			if (!err) {
				waitpid(target, NULL, __WALL);
				ptrace(PTRACE_DETACH, target, 0, 0);
			}
			if (write(out[1], &err, sizeof(err)) != sizeof(err))
				break;
		}
		_exit(0);
	}
	close(in[0]);
	close(out[1]);
	a->to = in[1];
	a->from = out[0];
	return a->pid > 0 ? 0 : -1;
}

static int attacher_try(struct attacher *a, pid_t target)
{
	int err = -1;

	if (write(a->to, &target, sizeof(target)) != sizeof(target) ||
	    read(a->from, &err, sizeof(err)) != sizeof(err))
		return -1;
	return err;
}

static void attacher_stop(struct attacher *a)
{
	close(a->to);
	close(a->from);
	kill(a->pid, SIGKILL);
	waitpid(a->pid, NULL, 0);
}

/* pinscope ptracer MODE [ARG] -- sleep 30, as the user; waits for the exec */
static pid_t start_named(const char *mode, const char *arg)
{
	char comm[32] = "";
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		char *argv[] = { PINSCOPE, "ptracer", (char *)mode, (char *)arg,
				 "--", "/bin/sleep", "30", NULL };

		if (!arg)
			memmove(&argv[3], &argv[4], 4 * sizeof(char *));
		become_user();
		execv(PINSCOPE, argv);
		_exit(127);
	}
	for (i = 0; i < 200 && strncmp(comm, "sleep", 5); i++) {
		char path[64];

		usleep(10000);
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (read_file(path, comm, sizeof(comm)))
			break;
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

FIXTURE(scope1) {
	struct attacher named, other;
};

/*
 * The 6.1 harness runs a test's body even when its setup skipped, so each
 * body checks the scope itself.
 */
#define NEED_SCOPE1()							\
	do {								\
		if (current_scope() != 1)				\
			SKIP(return, "this boot runs ptrace scope %d, not 1", \
			     current_scope());				\
	} while (0)

FIXTURE_SETUP(scope1)
{
	ASSERT_EQ(0, attacher_start(&self->named));
	ASSERT_EQ(0, attacher_start(&self->other));
}

FIXTURE_TEARDOWN(scope1)
{
	if (self->named.pid > 0)
		attacher_stop(&self->named);
	if (self->other.pid > 0)
		attacher_stop(&self->other);
}

TEST_F(scope1, ptracer_allow_lets_the_named_tracer_attach_only)
{
	char tracer[16];
	pid_t target;

	NEED_SCOPE1();
	snprintf(tracer, sizeof(tracer), "%d", self->named.pid);
	target = start_named("--allow", tracer);
	ASSERT_LT(0, target);
	EXPECT_EQ(0, attacher_try(&self->named, target));
	EXPECT_EQ(EPERM, attacher_try(&self->other, target));
	stop(target);
}

TEST_F(scope1, ptracer_any_lets_any_process_of_the_user_attach)
{
	pid_t target;

	NEED_SCOPE1();
	target = start_named("--any", NULL);
	ASSERT_LT(0, target);
	EXPECT_EQ(0, attacher_try(&self->other, target));
	stop(target);
}

TEST_F(scope1, ptracer_none_clears_the_exception)
{
	pid_t target;

	NEED_SCOPE1();
	target = start_named("--none", NULL);
	ASSERT_LT(0, target);
	EXPECT_EQ(EPERM, attacher_try(&self->other, target));
	stop(target);
}

TEST_F(scope1, crash_report_names_the_crashing_function)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	EXPECT_TRUE(output_has("got SIGSEGV (signal 11) at address 0, SEGV_MAPERR")) show_output();
	EXPECT_TRUE(output_has("<signal handler called>")) show_output();
	EXPECT_TRUE(output_has(" crash_here+")) show_output();
	EXPECT_TRUE(output_has(" main+")) show_output();
}

TEST_F(scope1, crash_report_of_an_abort_keeps_sigabrt)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", "abort", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGABRT, WTERMSIG(status));
	EXPECT_TRUE(output_has("got SIGABRT (signal 6), SI_TKILL")) show_output();
	EXPECT_TRUE(output_has(" crash_here+")) show_output();
}

TEST_F(scope1, catch_arms_an_unmodified_program)
{
	char *argv[] = { PINSCOPE, "catch", "--", HELPERS "/crasher-dyn", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, NULL, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	EXPECT_TRUE(output_has(" crash_here+")) show_output();
}

TEST_F(scope1, without_ptracer_the_reporter_is_refused_and_says_so)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE,
			  "PINSCOPE_CRASH_NO_PTRACER=1");
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	EXPECT_TRUE(output_has("cannot attach to")) show_output();
	EXPECT_TRUE(output_has("Operation not permitted (EPERM)")) show_output();
	/* "pinscope", or "pinscope and Yama" when both are at scope 1 */
	EXPECT_TRUE(output_has(" ptrace scope 1: the crashed process did not name this reporter with PR_SET_PTRACER")) show_output();
	EXPECT_TRUE(output_has("PINSCOPE_CRASH_NO_PTRACER")) show_output();
	EXPECT_FALSE(output_has(" crash_here+")) show_output();
}

TEST_F(scope1, crash_report_covers_every_thread)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", "--threads", "2", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	EXPECT_EQ(3, output_count("\n  thread ")) show_output();
	EXPECT_EQ(2, output_count(" idle_thread+")) show_output();
	EXPECT_EQ(1, output_count(", crashed\n")) show_output();
	EXPECT_TRUE(output_has("registers at the fault")) show_output();
}

TEST_F(scope1, crash_report_of_a_stack_overflow)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", "overflow", NULL };
	int status;

	NEED_SCOPE1();
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	/* the handler ran on its own stack: the overflowed one had no room */
	EXPECT_TRUE(output_has(" overflow+")) show_output();
}

TEST_F(scope1, ptracer_parent_records_an_exception)
{
	long before = pinscope_stat("ptracer_set");
	pid_t target;

	NEED_SCOPE1();
	if (before < 0)
		SKIP(return, "no pinscope stats");
	target = start_named("--parent", NULL);
	ASSERT_LT(0, target);
	EXPECT_EQ(before + 1, pinscope_stat("ptracer_set"));
	stop(target);
}

TEST_F(scope1, a_hung_reporter_does_not_hang_the_crash)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", NULL };
	struct timespec a, b;
	int status;

	NEED_SCOPE1();
	clock_gettime(CLOCK_MONOTONIC, &a);
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" HELPERS "/hang-reporter", NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	/* the handler's bound is 10 s; the reporter would sleep 600 */
	EXPECT_GT(60, b.tv_sec - a.tv_sec);
}

/* Scopes 2 and 3: the exception is not enough, and the report says why. */
TEST(crash_report_explains_scope_2_and_3)
{
	char *argv[] = { HELPERS "/crasher-dyn", "--armed", NULL };
	int scope = current_scope();
	int status;

	if (scope < 2)
		SKIP(return, "this boot runs ptrace scope %d", scope);
	status = run_user(argv, "PINSCOPE_CRASH_REPORTER=" PINSCOPE, NULL);
	ASSERT_TRUE(WIFSIGNALED(status)) show_output();
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	/* what the handler knew is told even so */
	EXPECT_TRUE(output_has("got SIGSEGV (signal 11) at address 0")) show_output();
	EXPECT_TRUE(output_has("Operation not permitted (EPERM)")) show_output();
	if (scope == 2) {
		EXPECT_TRUE(output_has("ptrace scope 2: only a process with CAP_SYS_PTRACE")) show_output();
		EXPECT_TRUE(output_has("PR_SET_PTRACER does not count")) show_output();
	} else {
		EXPECT_TRUE(output_has("ptrace scope 3: no process may attach, not even root")) show_output();
	}
	EXPECT_FALSE(output_has(" crash_here+")) show_output();
}

/*
 * Where a user may not trace its own child (scope 3, and scope 2 without
 * CAP_SYS_PTRACE), learning goes by seccomp user notification, says so,
 * and what it learned runs the program confined.
 */
TEST(learning_where_ptrace_is_refused)
{
	const char *policy = "/tmp/crash_test-learned.policy";
	char *learn[] = { PINSCOPE, "learn", "-o", (char *)policy, "--",
			  "/bin/busybox", "true", NULL };
	char *run[] = { PINSCOPE, "run", "-S", (char *)policy, "--",
			"/bin/busybox", "true", NULL };
	char learned[8192];
	int scope = current_scope();

	if (scope < 2)
		SKIP(return, "this boot runs ptrace scope %d: the ptrace learner may attach", scope);
	unlink(policy);
	ASSERT_EQ(0, run_user(learn, NULL, NULL)) show_output();
	EXPECT_TRUE(output_has("learning by seccomp user notification")) show_output();
	ASSERT_EQ(0, read_file(policy, learned, sizeof(learned)));
	EXPECT_NE(NULL, strstr(learned, "exit_group")) TH_LOG("learned: %s", learned);
	ASSERT_EQ(0, run_user(run, NULL, NULL)) show_output();
	unlink(policy);
}

TEST(status_reports_settings_counters_and_confinement)
{
	char *argv[] = { PINSCOPE, "status", NULL };
	char *json[] = { PINSCOPE, "status", "--json", NULL };
	char *confined[] = { PINSCOPE, "run", "--deny", "reboot", "--", PINSCOPE,
			     "status", NULL };

	ASSERT_EQ(0, run_user(argv, NULL, NULL));
	EXPECT_TRUE(output_has("active                       yes")) show_output();
	EXPECT_TRUE(output_has("ptrace_scope")) show_output();
	/* the counters tell of every user's refusals: root's to read */
	EXPECT_TRUE(output_has("readable                     by root only")) show_output();
	EXPECT_FALSE(output_has("load_denied")) show_output();
	EXPECT_TRUE(output_has("NoNewPrivs                   0")) show_output();
	ASSERT_EQ(0, run_as(false, argv, NULL, NULL));
	EXPECT_TRUE(output_has("load_denied")) show_output();
	ASSERT_EQ(0, run_user(json, NULL, NULL));
	EXPECT_TRUE(output_has("\"counters\": {")) show_output();
	EXPECT_TRUE(output_has("\"active\": true")) show_output();
	EXPECT_TRUE(output_has("\"process\": { \"pid\": ")) show_output();
	ASSERT_EQ(0, run_user(confined, NULL, NULL));
	EXPECT_TRUE(output_has("Seccomp                      2")) show_output();
	EXPECT_TRUE(output_has("NoNewPrivs                   1")) show_output();
}

TEST(bad_input_exits_2)
{
	char *a[] = { PINSCOPE, "ptracer", "--allow", "nope", "--", "/bin/true", NULL };
	char *b[] = { PINSCOPE, "ptracer", "--any", NULL };
	char *c[] = { PINSCOPE, "ptracer", "--bogus", "--", "/bin/true", NULL };
	char *d[] = { PINSCOPE, "crash-report", "nope", NULL };
	char *e[] = { PINSCOPE, "status", "nope", NULL };
	char *f[] = { PINSCOPE, "catch", NULL };
	char *g[] = { PINSCOPE, "catch", "--", "/bin/busybox", "true", NULL };
	char *const *all[] = { a, b, c, d, e, f, g };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all); i++) {
		int status = run_user(all[i], NULL, NULL);

		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) {
			TH_LOG("pinscope %s %s: status %#x", all[i][1], all[i][2], status);
			show_output();
		}
	}
}

TEST_HARNESS_MAIN
