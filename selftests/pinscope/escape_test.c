// SPDX-License-Identifier: GPL-2.0
/*
 * The escape suite in the guest, at the boot's ptrace scope (0 where
 * only Yama runs, at Debian's default of 0; 1 and 2 under pinscope): a
 * program confined by `pinscope run` goes after its launcher (code
 * written through /proc/PPID/mem, or with ptrace) as root and as an
 * unprivileged user, and the test asserts that the planted code made
 * nothing outside the sandbox. The same attack against a bare parent
 * (victim) shows what the scope alone does: it works at scope 0, and for
 * root (CAP_SYS_PTRACE) at scopes 1 and 2. The attacker and the victim
 * are userspace/tests/progs/escape.c and victim.c, as on the host
 * (userspace/tests/escape.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define NOBODY 65534
#define PINSCOPE "/usr/local/bin/pinscope"
#define HELPERS "/opt/pinscope/selftests"
#define OUTPUT "/tmp/escape_test.out"

/* The stricter of pinscope's and Yama's scopes; 0 where neither runs. */
static int scope(void)
{
	const char *files[] = { "/proc/sys/kernel/pinscope/ptrace_scope",
				"/proc/sys/kernel/yama/ptrace_scope" };
	char buf[16];
	int s = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (!read_file(files[i], buf, sizeof(buf)) && atoi(buf) > s)
			s = atoi(buf);
	return s;
}

/* Runs argv (as NOBODY if asked), output in OUTPUT; the wait status. */
static int run(bool nobody, char *const argv[])
{
	int status, fd;
	pid_t pid;

	/* made anew by whoever runs: root's file would refuse nobody */
	unlink(OUTPUT);
	pid = fork();
	if (pid == 0) {
		if (nobody && (setgroups(0, NULL) ||
			       setresgid(NOBODY, NOBODY, NOBODY) ||
			       setresuid(NOBODY, NOBODY, NOBODY)))
			_exit(99);
		fd = open(OUTPUT, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0)
			_exit(98);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static const char *output(void)
{
	static char buf[16384];

	return read_file(OUTPUT, buf, sizeof(buf)) ? "" : buf;
}

static bool output_has(const char *needle)
{
	return strstr(output(), needle) != NULL;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

FIXTURE(escape) {
	char dir[64];
	char marker[128];
};

FIXTURE_SETUP(escape)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/escape.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	snprintf(self->marker, sizeof(self->marker), "%s/escaped", self->dir);
	if (!exists(PINSCOPE) || !exists(HELPERS "/escape"))
		SKIP(return, "pinscope or the escape helper is not in this image");
}

FIXTURE_TEARDOWN(escape)
{
	rmdir(self->marker);
	rmdir(self->dir);
}

/*
 * Can /proc/PID/mem write through a read-only mapping here?  The hardened
 * kernels say no to everyone (PROC_MEM_NO_FORCE,
 * proc_mem.force_override=never), which stops the "mem" attack against
 * even a bare parent; ptrace's own writes still force.
 */
static bool proc_mem_forces(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/mem", O_RDWR);
	bool forced = false;

	if (p != MAP_FAILED && fd >= 0)
		forced = pwrite(fd, "x", 1, (off_t)(unsigned long)p) == 1;
	if (fd >= 0)
		close(fd);
	if (p != MAP_FAILED)
		munmap(p, page);
	return forced;
}

/*
 * ATTACK as root or NOBODY: first against the bare parent, where the
 * scope alone decides; then against pinscope's launcher (a deny list, and
 * the start-up calls with the exec gate), where nothing may escape.
 */
static void attack(struct __test_metadata *_metadata, const char *marker,
		   const char *what, bool nobody, const char *reached)
{
	char *bare[] = { HELPERS "/victim", HELPERS "/escape", (char *)what,
			 (char *)marker, NULL };
	char *deny[] = { PINSCOPE, "run", "--deny", "reboot", "--",
			 HELPERS "/escape", (char *)what, (char *)marker, NULL };
	char *gate[] = { PINSCOPE, "run", "--allow",
			 "@critical,getppid,pwrite64,ptrace,wait4,clock_nanosleep,nanosleep,readlink,clock_gettime",
			 "--", HELPERS "/escape", (char *)what, (char *)marker,
			 NULL };
	char *const *runs[] = { deny, gate };
	/* at scopes 1 and 2, root's CAP_SYS_PTRACE reaches a non-descendant
	 * (static glibc reads /proc/self/exe at start: readlink; a guest
	 * without a vDSO clock calls clock_gettime) */
	bool bare_stopped = scope() >= (nobody ? 1 : 3) ||
			      (!strcmp(what, "mem") && !proc_mem_forces());

	run(nobody, bare);
	EXPECT_EQ(!bare_stopped, exists(marker)) {
		TH_LOG("%s as %s against a bare parent at scope %d: marker %s",
		       what, nobody ? "nobody" : "root", scope(),
		       exists(marker) ? "made" : "not made");
	}
	rmdir(marker);
	for (size_t i = 0; i < ARRAY_SIZE(runs); i++) {
		run(nobody, runs[i]);
		EXPECT_TRUE(output_has(reached)) {
			TH_LOG("%s as %s (run %zu) did not reach its door: %s",
			       what, nobody ? "nobody" : "root", i, output());
		}
		ASSERT_FALSE(exists(marker)) {
			TH_LOG("%s as %s (run %zu): code planted in the launcher ran outside the sandbox",
			       what, nobody ? "nobody" : "root", i);
		}
	}
}

TEST_F(escape, proc_mem_of_the_launcher_as_root)
{
	attack(_metadata, self->marker, "mem", false, "mem:");
}

TEST_F(escape, proc_mem_of_the_launcher_as_nobody)
{
	attack(_metadata, self->marker, "mem", true, "mem:");
}

TEST_F(escape, ptrace_of_the_launcher_as_root)
{
	attack(_metadata, self->marker, "ptrace", false, "ptrace:");
}

TEST_F(escape, ptrace_of_the_launcher_as_nobody)
{
	attack(_metadata, self->marker, "ptrace", true, "ptrace:");
}

/* the gate's notification is not the sandbox's to answer */
TEST_F(escape, exec_gate_not_answered_by_the_sandbox)
{
	char *argv[] = { PINSCOPE, "run", "--no-exec", "--deny", "reboot", "--",
			 HELPERS "/escape", "listener", NULL };
	int i;

	run(false, argv);
	/* the attacker's grandchild outlives the launcher */
	for (i = 0; i < 100 && !output_has("listener: done"); i++)
		usleep(50000);
	ASSERT_TRUE(output_has("listener: done"));
	EXPECT_TRUE(output_has("listener: killed the launcher"));
	EXPECT_FALSE(output_has("got a listener"));
	EXPECT_FALSE(output_has("exec ran"));
	EXPECT_TRUE(output_has("listener: exec: ENOSYS"));
}

/* a kill is the kernel's: no signal storm lets the refused call return */
TEST_F(escape, refused_call_dies_20_of_20)
{
	char *argv[] = { PINSCOPE, "run", "--deny", "mkdir", "--",
			 HELPERS "/escape", "eintr", self->marker, NULL };
	int i, status;

	for (i = 0; i < 20; i++) {
		status = run(false, argv);
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
			TH_LOG("run %d: status %#x", i, status);
		}
		ASSERT_FALSE(output_has("survived"));
		ASSERT_FALSE(exists(self->marker));
	}
}

TEST_HARNESS_MAIN
