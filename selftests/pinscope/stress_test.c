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
	int stop;		/* read and written with __atomic builtins */
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
		while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
			fn(sh, w);
		_exit(0);
	}
	return pid;
}

static void run_for(struct shared *sh, pid_t *pids, int n)
{
	int i;

	sleep(stress_seconds());
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* Every worker did some work and saw nothing unexpected. */
#define EXPECT_WORKERS_CLEAN(sh, n)					\
	do {								\
		struct shared *sh_ = (sh);				\
		int w_;							\
		for (w_ = 0; w_ < (n); w_++) {				\
			EXPECT_EQ(0, sh_->odd[w_]) {			\
				TH_LOG("worker %d: %ld unexpected results, last errno %d", \
				       w_, sh_->odd[w_], sh_->odd_err[w_]); \
			}						\
			EXPECT_LT(0, sh_->done[w_]);			\
		}							\
	} while (0)

/* ---- kernel file loads while filesystems come and go ---- */

/*
 * The test's own tmpfs, mounted on a fresh directory (a farm's rootfs has
 * no /mnt/stress, and its /tmp may be the pinned root): a copy of the
 * module in it is always off the pin, and mount_cycle mounts and unmounts
 * another tmpfs inside it.
 */
static char stress_dir[64], off_pin[96], cycle_dir[96], cycle_copy[128];

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
	int err = load_module_file(off_pin);

	if (err != EPERM)
		note_odd(sh, w, err);
	else
		sh->done[w]++;
}

/* mounts a tmpfs, tries a load from it, unmounts it: the pin's sb churns */
static void mount_cycle(struct shared *sh, int w)
{
	int err;

	if (mount("stress", cycle_dir, "tmpfs", 0, "size=4m")) {
		note_odd(sh, w, errno);
		return;
	}
	if (!copy_file(PINSCOPE_TEST_MODULE, cycle_copy)) {
		err = load_module_file(cycle_copy);
		if (err != EPERM)
			note_odd(sh, w, err);
	}
	if (umount(cycle_dir))
		note_odd(sh, w, errno);
	else
		sh->done[w]++;
}

TEST_F_TIMEOUT(stress, loads_during_mount_churn, STRESS_TIMEOUT)
{
	struct shared *sh = shared_new();
	long denied = pinscope_stat("load_denied");
	char enforce[8];
	pid_t pids[3];

	ASSERT_NE(NULL, sh);
	if (denied < 0)
		SKIP(return, "no pinscope stats");
	if (access(PINSCOPE_TEST_MODULE, R_OK))
		SKIP(return, "no test module at %s (make check's guest has one)",
		     PINSCOPE_TEST_MODULE);
	if (read_key(PINSCOPE_SECURITYFS "/status", "enforce", enforce, sizeof(enforce)) ||
	    strcmp(enforce, "1"))
		SKIP(return, "load pinning is not enforced");
	snprintf(stress_dir, sizeof(stress_dir), "/tmp/pinscope-stress.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(stress_dir));
	ASSERT_EQ(0, mount("stress", stress_dir, "tmpfs", 0, "size=8m"));
	snprintf(off_pin, sizeof(off_pin), "%s/stress_module.ko", stress_dir);
	snprintf(cycle_dir, sizeof(cycle_dir), "%s/cycle", stress_dir);
	snprintf(cycle_copy, sizeof(cycle_copy), "%s/m.ko", cycle_dir);
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, off_pin));
	ASSERT_EQ(0, mkdir(cycle_dir, 0755));
	pids[0] = worker(sh, 0, load_pinned);
	pids[1] = worker(sh, 1, load_tmpfs);
	pids[2] = worker(sh, 2, mount_cycle);
	run_for(sh, pids, 3);
	EXPECT_WORKERS_CLEAN(sh, 3);
	TH_LOG("%ld pinned loads, %ld refused tmpfs loads, %ld mount cycles",
	       sh->done[0], sh->done[1], sh->done[2]);
	/* every refusal was counted (the log lines are rate-limited, not these) */
	EXPECT_LE(denied + sh->done[1] + sh->done[2], pinscope_stat("load_denied"));
	EXPECT_EQ(0, umount(stress_dir));
	rmdir(stress_dir);
}

/* ---- fork, exec and exit with exceptions set and attach attempts ---- */

static void as_user(void)
{
	if (setresgid(USER, USER, USER) || setresuid(USER, USER, USER))
		_exit(99);
}

/* argv[0] of a churner's exec of this binary: main() exits at once */
#define CHURN_EXEC "pinscope-churn-exec"

/* short-lived processes that name tracers (live, dead, any) and exit */
static void churn(struct shared *sh, int w)
{
	pid_t pid = fork();

	if (pid == 0) {
		pid_t who = sh->pids[(unsigned int)rand() % 64];

		as_user();
		/* a tracer that may be alive, dead or gone; then maybe anyone */
		prctl(PR_SET_PTRACER, who > 0 ? (unsigned long)who : PR_SET_PTRACER_ANY, 0, 0, 0);
		if (rand() % 2)
			prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		if (rand() % 4 == 0)
			execl("/proc/self/exe", CHURN_EXEC, (char *)NULL);
		usleep(rand() % 2000);
		_exit(0);
	}
	if (pid > 0) {
		sh->pids[(unsigned int)rand() % 64] = pid;
		waitpid(pid, NULL, 0);
		sh->done[w]++;
	}
}

/* attach attempts on the churners: allowed by ANY, or refused */
static void attack(struct shared *sh, int w)
{
	pid_t target = sh->pids[(unsigned int)rand() % 64];

	/* on one CPU a spinning attacker would starve the churn it attacks */
	usleep(100);
	if (target <= 0)
		return;
	if (ptrace(PTRACE_SEIZE, target, 0, 0) == 0) {
		/*
		 * PTRACE_DETACH needs a stopped tracee; without it the
		 * attacker stays the tracer, and the churner's waitpid()
		 * waits for the attacker to exit, which stalls the churn.
		 * A tracee that exits meanwhile is reaped here for its
		 * parent (waitpid gives it back to the real parent).
		 */
		ptrace(PTRACE_INTERRUPT, target, 0, 0);
		if (waitpid(target, NULL, __WALL) == target)
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

/*
 * An exception goes when the task_struct of its tracee (or tracer) is freed:
 * the task_free hook, as in Yama.  Reaping a process does not free it at
 * once: release_task() drops the last reference with call_rcu(), so the
 * exceptions of the processes just reaped are withdrawn a grace period after
 * waitpid() returned (on a one-CPU guest, once this process sleeps and the
 * RCU softirq runs).  Reading ptracer_exceptions right after the reap can
 * find them still there.  So wait, sleeping, until the count is back at
 * @baseline: a grace period takes milliseconds even under lockdep in TCG,
 * and a leaked exception stays for good, so SETTLE_MS tells the two apart.
 * Returns the count at the end and the milliseconds it took in @waited_ms.
 */
#define SETTLE_MS 10000

static long exceptions_settled(long baseline, long *first, int *waited_ms)
{
	long n = pinscope_stat("ptracer_exceptions");
	int ms = 0;

	*first = n;
	while (n > baseline && ms < SETTLE_MS) {
		usleep(10 * 1000);
		ms += 10;
		n = pinscope_stat("ptracer_exceptions");
	}
	*waited_ms = ms;
	return n;
}

/* The count before a test: what others (outside this test) hold. */
static long exceptions_baseline(void)
{
	long first;
	int ms;

	return exceptions_settled(0, &first, &ms);
}

/* Reaped processes' exceptions go; live ones' stay: no churn, exact counts. */
TEST_F(stress, exceptions_go_with_their_processes)
{
	enum { N = 8 };
	long baseline = exceptions_baseline(), first, left;
	int go[2], ready[2], i, ms;
	pid_t pids[N];
	char c;

	if (baseline < 0)
		SKIP(return, "no pinscope stats");
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < N; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(go[1]);
			as_user();
			/* half name any tracer, half their parent */
			if (prctl(PR_SET_PTRACER, i % 2 ? PR_SET_PTRACER_ANY :
				  (unsigned long)getppid(), 0, 0, 0))
				_exit(1);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			/* hold the exception until the parent has counted it */
			_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
		}
	}
	close(go[0]);
	close(ready[1]);
	for (i = 0; i < N; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ(baseline + N, pinscope_stat("ptracer_exceptions")) {
		TH_LOG("%d live processes each set one exception", N);
	}
	close(go[1]);
	for (i = 0; i < N; i++) {
		int status;

		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	left = exceptions_settled(baseline, &first, &ms);
	TH_LOG("after the reap: %ld exceptions, %ld after %d ms", first, left, ms);
	EXPECT_EQ(baseline, left) {
		TH_LOG("%ld exceptions outlived their processes by %d ms: leaked",
		       left - baseline, SETTLE_MS);
	}
}

TEST_F_TIMEOUT(stress, exceptions_during_fork_exec_exit_churn, STRESS_TIMEOUT)
{
	struct shared *sh = shared_new();
	long set = pinscope_stat("ptracer_set");
	long baseline = exceptions_baseline(), first, left;
	pid_t pids[4];
	int ms;

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
	left = exceptions_settled(baseline, &first, &ms);
	TH_LOG("after the churn: %ld exceptions, %ld after %d ms (%ld before it)",
	       first, left, ms, baseline);
	EXPECT_EQ(baseline, left) {
		TH_LOG("%ld exceptions outlived their processes by %d ms: leaked",
		       left - baseline, SETTLE_MS);
	}
}

/* the harness's main, renamed: a churner's exec of this binary only exits */
#define main harness_main
TEST_HARNESS_MAIN
#undef main

int main(int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], CHURN_EXEC))
		return 0;
	return harness_main(argc, argv);
}
