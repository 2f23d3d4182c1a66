// SPDX-License-Identifier: GPL-2.0
/*
 * pinscope run's Landlock rules on the guest kernel, each expectation
 * following the ABI the kernel reports (6.1: 2, 6.12: 6): a right the
 * kernel enforces refuses the probe's attempt with the exact errno; one
 * it cannot is reported dropped by pinscope and the attempt passes. The
 * probe is the host suite's llprobe, static (userspace/tests/progs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define PINSCOPE "/usr/local/bin/pinscope"
#define HELPERS "/opt/pinscope/selftests"
#define PROBE HELPERS "/llprobe"
#define DIR "/tmp/landlock_test"
#define OUT DIR ".out"
#define ERR DIR ".err"
#define SOCKET "pinscope-landlock-test"

static int kernel_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* pinscope run RULES... -- llprobe OP ARGS: its status; stdout in OUT, stderr in ERR */
static int run(const char *const *words)
{
	char *argv[40];
	int n = 0, status, out, err;
	pid_t pid;

	argv[n++] = PINSCOPE;
	argv[n++] = "run";
	argv[n++] = "--rox";
	argv[n++] = HELPERS;
	while (*words && n < 38)
		argv[n++] = (char *)*words++;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		out = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		err = open(ERR, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || err < 0)
			_exit(98);
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool file_is(const char *path, const char *want)
{
	char buf[256];

	return !read_file(path, buf, sizeof(buf)) && !strncmp(buf, want, strlen(want));
}

static bool file_has(const char *path, const char *needle)
{
	char buf[4096];

	return !read_file(path, buf, sizeof(buf)) && strstr(buf, needle);
}

/*
 * What the probe's attempt gave, under a kernel of ABI: refused (REFUSED
 * on stdout) where ABI reaches NEED, else let through, with pinscope's
 * line saying the right is DROPPED.
 */
static bool as_abi_says(int abi, int need, const char *refused,
			const char *dropped)
{
	if (abi >= need)
		return file_is(OUT, refused);
	return file_is(OUT, "ok") && file_has(ERR, dropped);
}

FIXTURE(landlock) {
	int abi;
};

FIXTURE_SETUP(landlock)
{
	self->abi = kernel_abi();
	if (!self->abi)
		SKIP(return, "this kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, lsm=)");
	if (access(PINSCOPE, X_OK) || access(PROBE, X_OK))
		SKIP(return, "pinscope or its llprobe is not in the image");
	ASSERT_EQ(0, system("rm -rf " DIR " && mkdir -p " DIR "/rw/x " DIR "/rw/y "
			    DIR "/ro " DIR "/rox " DIR "/outside && echo data > " DIR "/ro/g && "
			    "echo data > " DIR "/outside/h && echo data > " DIR "/rw/x/f && "
			    "cp " PROBE " " DIR "/ro/p && cp " PROBE " " DIR "/rox/p"));
	TH_LOG("Landlock ABI %d", self->abi);
}

FIXTURE_TEARDOWN(landlock)
{
}

TEST_F(landlock, read_outside_the_rules_refused)
{
	const char *ok[] = { "--ro", DIR "/ro", "--", PROBE, "read", DIR "/ro/g", NULL };
	const char *no[] = { "--ro", DIR "/ro", "--", PROBE, "read", DIR "/outside/h", NULL };

	ASSERT_EQ(0, run(ok));
	EXPECT_TRUE(file_is(OUT, "ok"));
	ASSERT_EQ(0, run(no));
	EXPECT_TRUE(file_is(OUT, "errno EACCES"));
}

/* ABI 1: a program under ro is read, not run; under rox it runs */
TEST_F(landlock, exec_needs_x)
{
	const char *no[] = { "--ro", DIR "/ro", "--rox", DIR "/rox", "--",
			     PROBE, "exec", DIR "/ro/p", NULL };
	const char *ok[] = { "--ro", DIR "/ro", "--rox", DIR "/rox", "--",
			     PROBE, "exec", DIR "/rox/p", NULL };
	const char *rd[] = { "--ro", DIR "/ro", "--", PROBE, "read", DIR "/ro/p", NULL };

	ASSERT_EQ(0, run(no));
	EXPECT_TRUE(file_is(OUT, "errno EACCES"));
	ASSERT_EQ(0, run(ok));
	EXPECT_TRUE(file_is(OUT, "ok"));
	ASSERT_EQ(0, run(rd));
	EXPECT_TRUE(file_is(OUT, "ok"));
}

/* ABI 2 (6.1 and later): a rename within the rw tree passes */
TEST_F(landlock, rename_across_dirs_by_abi)
{
	const char *w[] = { "--rw", DIR "/rw", "--", PROBE, "rename", DIR "/rw/x/f", DIR "/rw/y/f", NULL };

	ASSERT_EQ(0, run(w));
	if (self->abi >= 2) {
		EXPECT_TRUE(file_is(OUT, "ok"));
	} else {
		EXPECT_TRUE(file_is(OUT, "errno EXDEV"));
		EXPECT_TRUE(file_has(ERR, "refused everywhere"));
	}
}

/* ABI 3 (6.2): truncate under ro refused; below, dropped and said */
TEST_F(landlock, truncate_by_abi)
{
	const char *w[] = { "--ro", DIR "/ro", "--", PROBE, "truncate", DIR "/ro/g", NULL };

	ASSERT_EQ(0, run(w));
	EXPECT_TRUE(as_abi_says(self->abi, 3, "errno EACCES", "truncate not enforced"));
}

/* ABI 4 (6.7): a connect to another port refused; below, said */
TEST_F(landlock, tcp_connect_by_abi)
{
	const char *w[] = { "--connect-tcp", "9", "--", PROBE, "connect", "10", NULL };

	ASSERT_EQ(0, run(w));
	/* nobody listens on port 10: a connect let through is refused, "ok" */
	EXPECT_TRUE(as_abi_says(self->abi, 4, "errno EACCES", "TCP connect not enforced"));
}

/* ABI 4 (6.7): a bind to another port refused; below, said */
TEST_F(landlock, tcp_bind_by_abi)
{
	const char *ok[] = { "--bind-tcp", "9", "--", PROBE, "bind", "9", NULL };
	const char *no[] = { "--bind-tcp", "9", "--", PROBE, "bind", "10", NULL };

	ASSERT_EQ(0, run(ok));
	EXPECT_TRUE(file_is(OUT, "ok"));
	ASSERT_EQ(0, run(no));
	EXPECT_TRUE(as_abi_says(self->abi, 4, "errno EACCES", "TCP bind not enforced"));
}

/*
 * ABI 5 (6.10): an ioctl on a device needs ioctl-dev; below, said. TCGETS
 * on /dev/null reaches the driver, which answers ENOTTY: the probe's "ok".
 */
TEST_F(landlock, device_ioctl_by_abi)
{
	const char *ok[] = { "--ro", "/dev/null", "--ioctl-dev", "/dev/null", "--",
			     PROBE, "ioctl", "/dev/null", NULL };
	const char *no[] = { "--ro", "/dev/null", "--", PROBE, "ioctl", "/dev/null", NULL };

	ASSERT_EQ(0, run(ok));
	EXPECT_TRUE(file_is(OUT, "ok"));
	ASSERT_EQ(0, run(no));
	EXPECT_TRUE(as_abi_says(self->abi, 5, "errno EACCES", "ioctl on devices not enforced"));
}

/*
 * ABI 6 (6.12): the sandboxed child cannot reach an abstract UNIX socket
 * that a process outside listens on; without the scope it can.
 */
TEST_F(landlock, scope_abstract_socket_outside_by_abi)
{
	const char *ok[] = { "--ro", "/dev/null", "--", PROBE, "uconnect", SOCKET, NULL };
	const char *no[] = { "--scope", "abstract-unix-socket", "--",
			     PROBE, "uconnect", SOCKET, NULL };
	pid_t listener = fork();
	int tries;

	ASSERT_LE(0, listener);
	if (listener == 0) {
		execl(PROBE, PROBE, "ulisten", SOCKET, (char *)NULL);
		_exit(127);
	}
	/* the listener is up once a connect from outside the sandbox gets in */
	for (tries = 0; tries < 50; tries++) {
		if (!system(PROBE " uconnect " SOCKET " | grep -qx ok"))
			break;
		usleep(100000);
	}
	EXPECT_GT(50, tries);
	EXPECT_EQ(0, run(ok));
	EXPECT_TRUE(file_is(OUT, "ok"));
	EXPECT_EQ(0, run(no));
	EXPECT_TRUE(as_abi_says(self->abi, 6, "errno EPERM",
				"scope abstract-unix-socket not enforced"));
	kill(listener, SIGKILL);
	waitpid(listener, NULL, 0);
}

/* ABI 6 (6.12): the sandboxed child cannot signal its launcher */
TEST_F(landlock, scope_signal_to_launcher_by_abi)
{
	const char *w[] = { "--scope", "signal", "--", PROBE, "kill-parent", NULL };

	ASSERT_EQ(0, run(w));
	EXPECT_TRUE(as_abi_says(self->abi, 6, "errno EPERM", "scope signal not enforced"));
}

TEST_F(landlock, min_abi_above_the_kernels_refuses_to_start)
{
	char above[16];
	const char *w[] = { "--landlock-min-abi", above, "--ro", DIR, "--", PROBE, "read", DIR "/ro/g", NULL };

	snprintf(above, sizeof(above), "%d", self->abi + 1);
	EXPECT_EQ(2, run(w));
	EXPECT_TRUE(file_has(ERR, "not starting the command"));
}

TEST_HARNESS_MAIN
