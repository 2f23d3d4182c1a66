// SPDX-License-Identifier: GPL-2.0
/*
 * Stress, for the debug kernel (lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP,
 * panic_on_warn): any locking, RCU or sleep-in-atomic mistake in the hooks
 * becomes a splat, which qemu/run fails on. Each test churns for
 * PINSCOPE_STRESS_SECONDS (default 60) and then checks that the work was
 * really done and that the LSM's state is clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define USER 1000
#define MAX_WORKERS 8
/* the harness's own limit per test: the churn, and time to wind down */
#define STRESS_TIMEOUT 240

struct shared {
	volatile int stop;
	long done[MAX_WORKERS];		/* operations completed */
	long odd[MAX_WORKERS];		/* an unexpected result */
	int odd_err[MAX_WORKERS];
	pid_t pids[64];			/* recent churn pids, for attackers */
};

static int stress_seconds(void)
{
	const char *s = getenv("PINSCOPE_STRESS_SECONDS");
	int n = s ? atoi(s) : 0;

	if (n <= 0)
		return 60;
	return n < STRESS_TIMEOUT - 60 ? n : STRESS_TIMEOUT - 60;
}

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

static struct shared *shared_new(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return sh == MAP_FAILED ? NULL : sh;
}

static void note_odd(struct shared *sh, int w, int err)
{
	sh->odd[w]++;
	sh->odd_err[w] = err;
}

/* Runs @fn(@sh, @w) in a child until told to stop. */
static pid_t worker(struct shared *sh, int w, void (*fn)(struct shared *, int))
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		while (!sh->stop)
			fn(sh, w);
		_exit(0);
	}
	return pid;
}

static void run_for(struct shared *sh, pid_t *pids, int n)
{
	int i;

	sleep(stress_seconds());
	sh->stop = 1;
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* Every worker did some work and saw nothing unexpected. */
#define EXPECT_WORKERS_CLEAN(sh, n)					\
	do {								\
		int w_;							\
		for (w_ = 0; w_ < (n); w_++) {				\
			EXPECT_EQ(0, (sh)->odd[w_]) {			\
				TH_LOG("worker %d: %ld unexpected results, last errno %d", \
				       w_, (sh)->odd[w_], (sh)->odd_err[w_]); \
			}						\
			EXPECT_LT(0, (sh)->done[w_]);			\
		}							\
	} while (0)

/* ---- kernel file loads while filesystems come and go ---- */

static void load_pinned(struct shared *sh, int w)
{
	int err = load_module_file(PINSCOPE_TEST_MODULE);

	if (err && err != EEXIST) {
		note_odd(sh, w, err);
		return;
	}
	unload_module("test_module");
	sh->done[w]++;
}

static void load_tmpfs(struct shared *sh, int w)
{
	int err = load_module_file("/tmp/stress_module.ko");

	if (err != EPERM)
		note_odd(sh, w, err);
	else
		sh->done[w]++;
}

/* mounts a tmpfs, tries a load from it, unmounts it: the pin's sb churns */
static void mount_cycle(struct shared *sh, int w)
{
	int err;

	if (mount("stress", "/mnt/stress", "tmpfs", 0, "size=4m")) {
		note_odd(sh, w, errno);
		return;
	}
	if (!copy_file(PINSCOPE_TEST_MODULE, "/mnt/stress/m.ko")) {
		err = load_module_file("/mnt/stress/m.ko");
		if (err != EPERM)
			note_odd(sh, w, err);
	}
	if (umount("/mnt/stress"))
		note_odd(sh, w, errno);
	else
		sh->done[w]++;
}

TEST_F_TIMEOUT(stress, loads_during_mount_churn, STRESS_TIMEOUT)
{
	struct shared *sh = shared_new();
	long denied = pinscope_stat("load_denied");
	pid_t pids[3];

	ASSERT_NE(NULL, sh);
	ASSERT_LE(0, denied);
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, "/tmp/stress_module.ko"));
	ASSERT_EQ(0, mkdir("/mnt/stress", 0755) && errno != EEXIST ? errno : 0);
	pids[0] = worker(sh, 0, load_pinned);
	pids[1] = worker(sh, 1, load_tmpfs);
	pids[2] = worker(sh, 2, mount_cycle);
	run_for(sh, pids, 3);
	EXPECT_WORKERS_CLEAN(sh, 3);
	TH_LOG("%ld pinned loads, %ld refused tmpfs loads, %ld mount cycles",
	       sh->done[0], sh->done[1], sh->done[2]);
	/* every refusal was counted (the log lines are rate-limited, not these) */
	EXPECT_LE(denied + sh->done[1] + sh->done[2], pinscope_stat("load_denied"));
	unlink("/tmp/stress_module.ko");
}

/* ---- fork, exec and exit with exceptions set and attach attempts ---- */

static void as_user(void)
{
	if (setresgid(USER, USER, USER) || setresuid(USER, USER, USER))
		_exit(99);
}

/* short-lived processes that name tracers (live, dead, any) and exit */
static void churn(struct shared *sh, int w)
{
	pid_t pid = fork();

	if (pid == 0) {
		pid_t who = sh->pids[(unsigned)rand() % 64];

		as_user();
		/* a tracer that may be alive, dead or gone; then maybe anyone */
		prctl(PR_SET_PTRACER, who > 0 ? (unsigned long)who : PR_SET_PTRACER_ANY, 0, 0, 0);
		if (rand() % 2)
			prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		if (rand() % 4 == 0)
			execl("/bin/true", "true", (char *)NULL);
		usleep(rand() % 2000);
		_exit(0);
	}
	if (pid > 0) {
		sh->pids[(unsigned)rand() % 64] = pid;
		waitpid(pid, NULL, 0);
		sh->done[w]++;
	}
}

/* attach attempts on the churners: allowed by ANY, or refused */
static void attack(struct shared *sh, int w)
{
	pid_t target = sh->pids[(unsigned)rand() % 64];

	/* on one CPU a spinning attacker would starve the churn it attacks */
	usleep(100);
	if (target <= 0)
		return;
	if (ptrace(PTRACE_SEIZE, target, 0, 0) == 0) {
		ptrace(PTRACE_DETACH, target, 0, 0);
		sh->done[w]++;
	} else if (errno == EPERM || errno == ESRCH) {
		sh->done[w]++;
	} else {
		note_odd(sh, w, errno);
	}
}

static void attacker(struct shared *sh, int w)
{
	static int dropped;

	if (!dropped) {
		as_user();
		dropped = 1;
	}
	attack(sh, w);
}

TEST_F_TIMEOUT(stress, exceptions_during_fork_exec_exit_churn, STRESS_TIMEOUT)
{
	struct shared *sh = shared_new();
	long set = pinscope_stat("ptracer_set");
	pid_t pids[4];

	ASSERT_NE(NULL, sh);
	if (set < 0)
		SKIP(return, "no pinscope stats");
	pids[0] = worker(sh, 0, churn);
	pids[1] = worker(sh, 1, churn);
	pids[2] = worker(sh, 2, attacker);
	pids[3] = worker(sh, 3, attacker);
	run_for(sh, pids, 4);
	EXPECT_WORKERS_CLEAN(sh, 4);
	TH_LOG("%ld processes churned, %ld attach attempts",
	       sh->done[0] + sh->done[1], sh->done[2] + sh->done[3]);
	EXPECT_LT(set, pinscope_stat("ptracer_set"));
	/* every exception went with its process: none leaked */
	EXPECT_EQ(0, pinscope_stat("ptracer_exceptions"));
}

TEST_HARNESS_MAIN
