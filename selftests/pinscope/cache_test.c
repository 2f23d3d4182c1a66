// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's seccomp action cache (5.11+) must serve exactly the syscalls
 * pinscope's filters answer with a constant allow, and `pinscope explain
 * --cache` must say which those are.
 *
 * For each policy the test runs itself under `pinscope run`, reads its own
 * /proc/self/seccomp_cache (CONFIG_SECCOMP_CACHE_DEBUG, the debug kernel)
 * and compares what the kernel cached with `pinscope explain --cache` of
 * the same options; it also checks the plain cases against numbers from
 * <sys/syscall.h>, so a wrong emulation in explain cannot agree with a
 * wrong filter unnoticed.
 *
 * The kernel prints one line per syscall number of each architecture it
 * caches for, "x86_64 NR ALLOW" or "x86_64 NR FILTER", NR from 0 up to
 * its table's size, then the same for "ia32" when the kernel has
 * IA32_EMULATION.  explain may print either the whole table or only its
 * ALLOW lines: the whole table must then be identical, the ALLOW lines
 * always are.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define PINSCOPE	"/usr/local/bin/pinscope"
#define CACHE_FILE	"/proc/self/seccomp_cache"
/* argv[1] that makes this binary the reader instead of the harness */
#define DUMP_ARG	"--dump-own-seccomp-cache"
#define ARGS_POLICY	"/tmp/cache_test-args.policy"
#define RUN_OUT		"/tmp/cache_test.out"
#define RUN_ERR		"/tmp/cache_test.err"
/* 451 x86_64 and 451 ia32 lines of at most 18 bytes fit several times */
#define TABLE_MAX	65536
/* a number x86_64 leaves unassigned (335-423 are reserved for others) */
#define NR_UNASSIGNED	400
#define END		-1

/*
 * Argument filters on calls the reader never makes, and one rule whose
 * condition holds for every argument: its decision does not depend on the
 * arguments, so DESIGN 3.2 wants it cached like a plain allow.
 */
static const char args_policy[] =
	"socket: arg0 == AF_UNIX\n"
	"ioctl: arg1 == TCGETS\n"
	"kill: arg1 == 0\n"
	"getppid: arg0 == 0 || arg0 != 0\n";

/* The reader: copy the kernel's table for this process to stdout. */
static int dump_own_cache(void)
{
	char buf[4096];
	ssize_t n = 0;
	int fd = open(CACHE_FILE, O_RDONLY);

	if (fd < 0) {
		dprintf(2, "cache_test: %s: %s\n", CACHE_FILE, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return 1;
	if (n < 0)
		dprintf(2, "cache_test: reading %s: %s\n", CACHE_FILE,
			strerror(errno));
	return n < 0;
}

static int write_new_file(const char *path, const char *text)
{
	ssize_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && write(fd, text, len) == len;

	if (fd >= 0 && close(fd))
		ok = false;
	return ok ? 0 : -1;
}

/* The whole of @path in @buf, NUL-terminated; -1 if it does not fit. */
static int slurp(const char *path, char *buf, size_t len)
{
	size_t have = 0;
	ssize_t n = 1;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (have < len - 1 && (n = read(fd, buf + have, len - 1 - have)) > 0)
		have += n;
	close(fd);
	buf[have] = '\0';
	return n < 0 || have == len - 1 ? -1 : 0;
}

/*
 * Runs argv with stdout in RUN_OUT and stderr in RUN_ERR; returns the wait
 * status, or -1 if it could not start.
 */
static int run(char *const argv[])
{
	int status, out, err;
	pid_t pid = fork();

	if (pid == 0) {
		out = open(RUN_OUT, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		err = open(RUN_ERR, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* What the last run() printed on stderr, as TAP comments. */
static void show_stderr(void)
{
	static char buf[8192];
	char *line, *save;

	if (slurp(RUN_ERR, buf, sizeof(buf)) && !buf[0])
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "#   stderr: %s\n", line);
}

/* Does the newline-separated @table hold the whole line @line? */
static bool has_line(const char *table, const char *line)
{
	size_t len = strlen(line);
	const char *p;

	for (p = table; (p = strstr(p, line)); p++)
		if ((p == table || p[-1] == '\n') && p[len] == '\n')
			return true;
	return false;
}

/* The kernel's status for native syscall @nr: "ALLOW", "FILTER" or NULL. */
static const char *native_status(const char *table, int nr)
{
	char line[64];

	snprintf(line, sizeof(line), "x86_64 %d ALLOW", nr);
	if (has_line(table, line))
		return "ALLOW";
	snprintf(line, sizeof(line), "x86_64 %d FILTER", nr);
	if (has_line(table, line))
		return "FILTER";
	return NULL;
}

/*
 * Checks the kernel's format: per architecture, "ARCH NR ALLOW|FILTER" with
 * NR counting up from 0, x86_64 first.  Returns the number of x86_64 lines,
 * or -1 with the offending line in @bad.
 */
static int check_format(const char *table, char *bad, size_t len)
{
	char arch[16] = "", prev[16] = "", status[16], canon[64];
	int nr, expect = 0, native = 0;
	const char *p = table;

	while (*p) {
		const char *end = strchrnul(p, '\n');

		/* exactly "%s %d %s\n", as the kernel's seq_printf() */
		if (*end != '\n' ||
		    sscanf(p, "%15s %d %15s", arch, &nr, status) != 3 ||
		    (strcmp(status, "ALLOW") && strcmp(status, "FILTER")))
			goto bad;
		snprintf(canon, sizeof(canon), "%s %d %s", arch, nr, status);
		if (strlen(canon) != (size_t)(end - p) ||
		    strncmp(canon, p, end - p))
			goto bad;
		if (strcmp(arch, prev)) {
			/* x86_64, then ia32 if the kernel has IA32_EMULATION */
			if (!prev[0] ? strcmp(arch, "x86_64") :
				       strcmp(prev, "x86_64") || strcmp(arch, "ia32"))
				goto bad;
			snprintf(prev, sizeof(prev), "%s", arch);
			expect = 0;
		}
		if (nr != expect++)
			goto bad;
		native += !strcmp(arch, "x86_64");
		p = end + 1;
	}
	return native;
bad:
	snprintf(bad, len, "%.*s", (int)strcspn(p, "\n"), p);
	return -1;
}

/* The ALLOW lines of @table, in its order. */
static void allow_lines(const char *table, char *out, size_t len)
{
	const char *p, *end;
	size_t have = 0;

	for (p = table; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (end - p > 6 && !strncmp(end - 6, " ALLOW", 6) &&
		    have + (end - p) + 2 <= len) {
			memcpy(out + have, p, end - p + 1);
			have += end - p + 1;
		}
	}
	out[have] = '\0';
}

/* Logs, at most @max of them, the lines of @a that @b lacks. */
static int log_missing(struct __test_metadata *_metadata, const char *what,
		       const char *a, const char *b, int max)
{
	char line[64];
	const char *p, *end;
	int n = 0;

	for (p = a; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		if (has_line(b, line) || n++ >= max)
			continue;
		TH_LOG("%s: %s", what, line);
	}
	return n;
}

FIXTURE(cache) {
	bool absent;		/* the kernel has no seccomp_cache file */
	char self_exe[4096];
	char kernel[TABLE_MAX];	/* the kernel's table for the confined reader */
};

/*
 * One policy, as `pinscope run` options: syscalls its filter must answer
 * with a constant allow, and ones it must not (refused, argument-filtered
 * or sent to the launcher).  Lists end with END.
 */
FIXTURE_VARIANT(cache) {
	const char *opts[8];
	int allowed[8];
	int filtered[8];
	/* a deny list: every number not denied is cached */
	bool others_allowed;
};

/*
 * The reader is static glibc: its start-up needs readlink besides
 * @critical, and in the guest clock_gettime(CLOCK_MONOTONIC) too (glibc's
 * stand-in for getrandom() before the pool has entropy), which the vDSO
 * passes to the kernel as the guest's clock source is refined-jiffies.
 */
#define READER "@critical,readlink,clock_gettime"

FIXTURE_VARIANT_ADD(cache, allow_list) {
	.opts = { "--allow", READER ",getpid,uname" },
	/* @critical allows execve, so the launcher need not see it */
	.allowed = { SYS_read, SYS_write, SYS_openat, SYS_getpid, SYS_uname,
		     SYS_execve, END },
	.filtered = { SYS_ptrace, SYS_socket, SYS_kill, NR_UNASSIGNED, END },
};

FIXTURE_VARIANT_ADD(cache, argument_filters) {
	.opts = { "--allow", READER, "-S", ARGS_POLICY },
	.allowed = { SYS_read, SYS_getppid, END },
	.filtered = { SYS_socket, SYS_ioctl, SYS_kill, SYS_getpid, END },
};

FIXTURE_VARIANT_ADD(cache, deny_list) {
	.opts = { "--deny", "uname,ptrace,kill:EPERM" },
	.allowed = { SYS_read, SYS_getpid, SYS_execve, NR_UNASSIGNED, END },
	/*
	 * io_uring_setup too: a deny list refuses it unless named, as a ring
	 * would do what the list denies without making the syscalls
	 */
	.filtered = { SYS_uname, SYS_ptrace, SYS_kill, SYS_io_uring_setup,
		      END },
	.others_allowed = true,
};

FIXTURE_VARIANT_ADD(cache, errno_default) {
	.opts = { "--allow", READER ",getpid",
		  "--default-action", "errno:EPERM" },
	.allowed = { SYS_read, SYS_getpid, END },
	.filtered = { SYS_uname, SYS_ptrace, NR_UNASSIGNED, END },
};

/* every execve after the launcher's own goes to its listener */
FIXTURE_VARIANT_ADD(cache, no_exec) {
	.opts = { "--allow", READER, "--no-exec" },
	.allowed = { SYS_read, SYS_write, END },
	.filtered = { SYS_execve, SYS_getpid, END },
};

static const char *pinscope_path(void)
{
	const char *p = getenv("PINSCOPE_BIN");

	return p && *p ? p : PINSCOPE;
}

/* PINSCOPE @sub [--cache] OPTS... [-- reader]: the argv, in @argv */
static void build_argv(const char *argv[], size_t len, const char *sub,
		       const char *const opts[], const char *reader)
{
	size_t n = 0, i;

	argv[n++] = pinscope_path();
	argv[n++] = sub;
	if (!reader)
		argv[n++] = "--cache";
	for (i = 0; i < 8 && opts[i] && n < len - 4; i++)
		argv[n++] = opts[i];
	if (reader) {
		argv[n++] = "--";
		argv[n++] = reader;
		argv[n++] = DUMP_ARG;
	}
	argv[n] = NULL;
}

FIXTURE_SETUP(cache)
{
	const char *argv[20];
	ssize_t n;
	int status;

	if (access(CACHE_FILE, F_OK)) {
		self->absent = true;
		return;
	}
	n = readlink("/proc/self/exe", self->self_exe, sizeof(self->self_exe) - 1);
	ASSERT_LT(0, n);
	self->self_exe[n] = '\0';
	ASSERT_EQ(0, write_new_file(ARGS_POLICY, args_policy)) {
		TH_LOG("%s: %s", ARGS_POLICY, strerror(errno));
	}

	build_argv(argv, 20, "run", variant->opts, self->self_exe);
	status = run((char *const *)argv);
	if (status != 0)
		show_stderr();
	ASSERT_EQ(0, status) {
		TH_LOG("pinscope run %s ... -- reader: wait status %#x: the policy must let the reader start, open and read %s",
		       variant->opts[0], status, CACHE_FILE);
	}
	ASSERT_EQ(0, slurp(RUN_OUT, self->kernel, sizeof(self->kernel))) {
		TH_LOG("the kernel's table does not fit in %d bytes", TABLE_MAX);
	}
	ASSERT_NE('\0', self->kernel[0]) {
		TH_LOG("%s is empty: the reader ran without a filter", CACHE_FILE);
	}
}

FIXTURE_TEARDOWN(cache)
{
	unlink(RUN_OUT);
	unlink(RUN_ERR);
	unlink(ARGS_POLICY);
}

/*
 * The 6.1 harness runs a test's body even when its setup skipped, so the
 * bodies skip themselves.
 */
#define NEED_CACHE_FILE()						\
	do {								\
		if (self->absent)					\
			SKIP(return, "no %s: this kernel lacks CONFIG_SECCOMP_CACHE_DEBUG (the debug boot has it)", \
			     CACHE_FILE);				\
	} while (0)

TEST(debug_kernel_has_the_cache_file)
{
	if (strcmp(pinscope_scenario(), "debug"))
		SKIP(return, "CONFIG_SECCOMP_CACHE_DEBUG is only in the debug scenario's kernel");
	ASSERT_EQ(0, access(CACHE_FILE, R_OK)) {
		TH_LOG("%s: %s: qemu/debug.config asks for CONFIG_SECCOMP_CACHE_DEBUG=y",
		       CACHE_FILE, strerror(errno));
	}
}

TEST_F(cache, kernel_lists_each_native_syscall_once)
{
	char bad[128] = "";
	int native;

	NEED_CACHE_FILE();
	native = check_format(self->kernel, bad, sizeof(bad));
	ASSERT_LT(0, native) {
		TH_LOG("unexpected line in %s: '%s'", CACHE_FILE, bad);
	}
	/* NR_UNASSIGNED is the highest number the variants name */
	ASSERT_LT(NR_UNASSIGNED, native) {
		TH_LOG("the kernel lists only %d x86_64 syscalls", native);
	}
}

TEST_F(cache, unconditional_allows_are_cached)
{
	const char *st;

	NEED_CACHE_FILE();
	for (const int *nr = variant->allowed; *nr != END; nr++) {
		st = native_status(self->kernel, *nr);
		EXPECT_STREQ("ALLOW", st ? st : "(absent)") {
			TH_LOG("syscall %d: its decision does not depend on the arguments, yet the kernel does not cache it",
			       *nr);
		}
	}
}

TEST_F(cache, refused_and_conditional_calls_are_not_cached)
{
	char line[64];
	int native, n_allow = 0, n_filtered = 0;
	const char *st;

	NEED_CACHE_FILE();
	for (const int *nr = variant->filtered; *nr != END; nr++) {
		st = native_status(self->kernel, *nr);
		EXPECT_STREQ("FILTER", st ? st : "(absent)") {
			TH_LOG("syscall %d is cached as allowed, whatever its arguments", *nr);
		}
		n_filtered++;
	}
	if (!variant->others_allowed)
		return;
	native = check_format(self->kernel, line, sizeof(line));
	ASSERT_LT(0, native);
	for (int nr = 0; nr < native; nr++) {
		st = native_status(self->kernel, nr);
		n_allow += st && !strcmp(st, "ALLOW");
	}
	EXPECT_EQ(native - n_filtered, n_allow) {
		TH_LOG("a deny list filters %d calls, so the other %d should all be cached",
		       n_filtered, native - n_filtered);
	}
}

/*
 * Which native syscall numbers pinscope has a name for (`pinscope
 * syscalls`, from the headers it was built with): a newer kernel has
 * more, and passes some through seccomp whatever the filter says
 * (x86_64's uretprobe, 335, since 6.11), and explain cannot speak of a
 * number it does not know.
 */
#define NR_MAX 1024
static int named_numbers(bool named[NR_MAX])
{
	static char out[TABLE_MAX];
	const char *argv[] = { PINSCOPE, "syscalls", NULL };
	const char *p;
	int nr, n = 0;

	if (run((char *const *)argv) != 0 || slurp(RUN_OUT, out, sizeof(out)))
		return -1;
	memset(named, 0, NR_MAX * sizeof(bool));
	for (p = out; *p; p = strchrnul(p, '\n'), p += !!*p) {
		if (sscanf(p, "%d ", &nr) == 1 && nr >= 0 && nr < NR_MAX) {
			named[nr] = true;
			n++;
		}
	}
	return n;
}

/* Drops @table's native lines of numbers pinscope has no name for; counts them. */
static int drop_unnamed(char *table, const bool named[NR_MAX])
{
	char *p = table, *out = table, *end;
	int nr, dropped = 0;

	while (*p) {
		end = strchrnul(p, '\n');
		if (*end)
			end++;
		if (sscanf(p, "x86_64 %d ", &nr) == 1 && (nr < 0 || nr >= NR_MAX || !named[nr])) {
			dropped++;
		} else {
			memmove(out, p, end - p);
			out += end - p;
		}
		p = end;
	}
	*out = '\0';
	return dropped;
}

TEST_F(cache, explain_cache_matches_the_kernel)
{
	static char explain[TABLE_MAX], want[TABLE_MAX];
	static bool named[NR_MAX];
	const char *argv[20];
	char line[64];
	int status, dropped, native;
	bool full;

	NEED_CACHE_FILE();
	build_argv(argv, 20, "explain", variant->opts, NULL);
	status = run((char *const *)argv);
	if (status != 0)
		show_stderr();
	ASSERT_EQ(0, status) {
		TH_LOG("pinscope explain --cache %s ...: wait status %#x",
		       variant->opts[0], status);
	}
	ASSERT_EQ(0, slurp(RUN_OUT, explain, sizeof(explain)));
	/* the whole table, or only the calls it caches */
	full = strstr(explain, " FILTER\n") != NULL;
	if (full)
		snprintf(want, sizeof(want), "%s", self->kernel);
	else
		allow_lines(self->kernel, want, sizeof(want));
	ASSERT_LT(0, named_numbers(named)) TH_LOG("pinscope syscalls gave no table");
	dropped = drop_unnamed(want, named);
	/* pinscope's tables may be newer than this kernel (6.12's on 6.1) */
	native = check_format(self->kernel, line, sizeof(line));
	ASSERT_LT(0, native);
	for (int nr = native; nr < NR_MAX; nr++)
		named[nr] = false;
	drop_unnamed(explain, named);
	if (dropped)
		TH_LOG("%d of the kernel's lines are of numbers pinscope has no name for: not compared",
		       dropped);
	if (strcmp(want, explain)) {
		/* the tables are long: name the lines that differ, not all */
		int missing = log_missing(_metadata, "the kernel says, explain does not",
					  want, explain, 10);
		int extra = log_missing(_metadata, "explain says, the kernel does not",
					explain, want, 10);

		TH_LOG("explain --cache (%s) differs from %s: %d lines missing, %d extra%s",
		       full ? "whole table" : "ALLOW lines", CACHE_FILE,
		       missing, extra, missing || extra ? "" :
		       " (the same lines: order, duplicates or the final newline differ)");
	}
	ASSERT_EQ(0, strcmp(want, explain));
}

/*
 * The reader and the harness are one static binary, so the guest needs no
 * second program: TEST_HARNESS_MAIN's main is renamed and called from a
 * main that first looks for DUMP_ARG.
 */
#define main harness_main
TEST_HARNESS_MAIN
#undef main

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], DUMP_ARG))
		return dump_own_cache();
	return harness_main(argc, argv);
}
