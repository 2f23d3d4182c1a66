// SPDX-License-Identifier: GPL-2.0-only
/*
 * The syscall tables generated from the kernel trees' syscall_64.tbl and
 * syscall_32.tbl (syscalls.h, data/syscalls.tsv), against two independent
 * truths: libseccomp's own tables, for every name and number either side
 * knows, and the running kernel, for the (arch, nr) a seccomp filter sees
 * for a native, an x32 and an i386 call.
 *
 * Where only one side knows a name, the difference is allowed only at the
 * end of that arch's table: syscalls are appended, so a newer libseccomp
 * (Debian's 2.5.4 knows cachestat..futex_requeue, 451-456) or newer
 * kernel tables (6.12: up to mseal, 462) may know numbers past the other's
 * last one, and nothing else, but for the slots a kernel filled after
 * libseccomp's data was taken (late_slots below, each with its commit).
 * x32's 512-547 are a closed block ("Do not add new syscalls to this
 * range", syscall_64.tbl): x32 grows below 512, with x86_64. A name one
 * side lacks anywhere else is a real disagreement (a typo in the
 * generator, a renumbered arch) and fails.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ours first: the harness defines ARRAY_SIZE only where none is */
#include "policy.h"
#include "syscalls.h"

#include "kselftest_harness.h"

/* numbers past the base any table may use; the generator's own bound */
#define MAX_INDEX 4096
/* x32's closed block of its own numbers (see the top) */
#define X32_LEGACY_FIRST 512
#define X32_LEGACY_LAST 547

static const uint32_t scmp_arch[PS_N_ARCH] = {
	[PS_ARCH_X86_64] = SCMP_ARCH_X86_64,
	[PS_ARCH_I386] = SCMP_ARCH_X86,
	[PS_ARCH_X32] = SCMP_ARCH_X32,
};

static int table_base(enum ps_arch arch)
{
	return arch == PS_ARCH_X32 ? __X32_SYSCALL_BIT : 0;
}

/*
 * Names the kernel gave a number below its newest after libseccomp 2.5.4's
 * table was made: a one-sided name there is history, not a typo.
 */
static const struct {
	enum ps_arch arch;
	const char *name;
} late_slots[] = {
	/* 6.11, "uprobe: Add uretprobe syscall to speed up return probe":
	 * 335, a slot left free since 2.6 */
	{ PS_ARCH_X86_64, "uretprobe" },
	{ PS_ARCH_X32, "uretprobe" },
	/* libseccomp 2.5.4 gives it an x86_64 number only; the 6.12
	 * syscall_64.tbl lists 453 as "common", so x32 has it too */
	{ PS_ARCH_X32, "map_shadow_stack" },
};

static bool late_slot(enum ps_arch arch, const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(late_slots); i++)
		if (late_slots[i].arch == arch &&
		    !strcmp(late_slots[i].name, name))
			return true;
	return false;
}

/* Is index I (nr - base) where ARCH's new syscalls are appended? */
static bool growing(enum ps_arch arch, int i)
{
	return arch != PS_ARCH_X32 || i < X32_LEGACY_FIRST ||
	       i > X32_LEGACY_LAST;
}

/* libseccomp's name for NR on ARCH, copied to BUF; NULL if none */
static const char *scmp_name(enum ps_arch arch, int nr, char *buf, size_t len)
{
	char *name = seccomp_syscall_resolve_num_arch(scmp_arch[arch], nr);

	if (!name)
		return NULL;
	snprintf(buf, len, "%s", name);
	free(name);
	return buf;
}

/* the highest growing index (nr - base) libseccomp knows on ARCH, or -1 */
static int scmp_max_index(enum ps_arch arch)
{
	char buf[64];
	int i, max = -1;

	for (i = 0; i < MAX_INDEX; i++)
		if (growing(arch, i) &&
		    scmp_name(arch, table_base(arch) + i, buf, sizeof(buf)))
			max = i;
	return max;
}

/* the same in our table */
static int table_max_index(enum ps_arch arch)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[arch];
	unsigned int k;
	int i, max = -1;

	for (k = 0; k < t->n; k++) {
		i = t->by_name[k].nr - t->base;
		if (growing(arch, i) && i > max)
			max = i;
	}
	return max;
}

/*
 * Every name of our table against libseccomp's, then every number
 * libseccomp resolves against ours; one-sided names are logged and
 * allowed only past the other side's last number (see the top).
 */
static void compare_with_libseccomp(struct __test_metadata *_metadata,
				    enum ps_arch arch)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[arch];
	int base = table_base(arch);
	int ours_max = table_max_index(arch);
	int theirs_max = scmp_max_index(arch);
	unsigned int k, both = 0, only_ours = 0, only_theirs = 0;
	char buf[64];
	int i;

	ASSERT_EQ(base, t->base);
	ASSERT_GT(theirs_max, 300)
	{
		TH_LOG("libseccomp resolves hardly any %s number: a broken install?",
		       ps_arch_name(arch));
	}
	for (k = 0; k < t->n; k++) {
		const struct ps_syscall_entry *e = &t->by_name[k];
		int theirs = seccomp_syscall_resolve_name_arch(scmp_arch[arch],
							       e->name);
		const char *back = scmp_name(arch, e->nr, buf, sizeof(buf));

		if (theirs >= 0) {
			EXPECT_EQ(theirs, e->nr)
			{
				TH_LOG("%s %s: headers %d, libseccomp %d",
				       ps_arch_name(arch), e->name, e->nr,
				       theirs);
			}
			both++;
		} else if (back && !strcmp(back, e->name)) {
			/*
			 * A negative pseudo-number by name, the real one by
			 * number: libseccomp's multiplexed calls (i386's
			 * socket and ipc families also reach socketcall/ipc).
			 */
			TH_LOG("%s %s: %d in both; by name libseccomp says %d (multiplexed)",
			       ps_arch_name(arch), e->name, e->nr, theirs);
			both++;
		} else if (late_slot(arch, e->name)) {
			TH_LOG("%s %s (%d): only the kernel tables know it (a late slot)",
			       ps_arch_name(arch), e->name, e->nr);
			only_ours++;
		} else {
			TH_LOG("%s %s (%d): only the kernel tables know it",
			       ps_arch_name(arch), e->name, e->nr);
			EXPECT_TRUE(growing(arch, e->nr - base));
			EXPECT_GT(e->nr - base, theirs_max)
			{
				TH_LOG("... yet libseccomp knows numbers up to %d: a hole in the middle",
				       base + theirs_max);
			}
			only_ours++;
		}
	}
	for (i = 0; i < MAX_INDEX; i++) {
		const char *theirs =
			scmp_name(arch, base + i, buf, sizeof(buf));
		const char *ours = ps_syscall_name_arch(arch, base + i);

		if (!theirs)
			continue;
		if (ours) {
			EXPECT_STREQ(theirs, ours)
			{
				TH_LOG("%s number %d", ps_arch_name(arch),
				       base + i);
			}
			continue;
		}
		TH_LOG("%s %s (%d): only libseccomp knows it",
		       ps_arch_name(arch), theirs, base + i);
		EXPECT_EQ(-1, ps_syscall_lookup_arch(arch, theirs))
		{
			TH_LOG("... and the kernel tables give it another number");
		}
		EXPECT_TRUE(growing(arch, i));
		EXPECT_GT(i, ours_max)
		{
			TH_LOG("... yet the kernel tables know numbers up to %d: a hole in the middle",
			       base + ours_max);
		}
		only_theirs++;
	}
	TH_LOG("%s: %u names in both, %u only in the kernel tables (last new %d), %u only in libseccomp (last new %d)",
	       ps_arch_name(arch), both, only_ours, base + ours_max,
	       only_theirs, base + theirs_max);
}

TEST(x86_64_matches_libseccomp)
{
	compare_with_libseccomp(_metadata, PS_ARCH_X86_64);
}

TEST(i386_matches_libseccomp)
{
	compare_with_libseccomp(_metadata, PS_ARCH_I386);
}

TEST(x32_matches_libseccomp)
{
	compare_with_libseccomp(_metadata, PS_ARCH_X32);
}

/* The shape the look-ups rely on: bsearch needs the order, by_nr the index. */
TEST(tables_sorted_and_indexed)
{
	enum ps_arch arch;

	for (arch = 0; arch < PS_N_ARCH; arch++) {
		const struct ps_syscall_table *t = &ps_syscall_tables[arch];
		unsigned int k, i, indexed = 0;

		ASSERT_GT(t->n, 300)
		{
			TH_LOG("%s: only %u syscalls", ps_arch_name(arch),
			       t->n);
		}
		for (k = 1; k < t->n; k++)
			ASSERT_LT(strcmp(t->by_name[k - 1].name,
					 t->by_name[k].name),
				  0)
			{
				TH_LOG("%s: '%s' before '%s'",
				       ps_arch_name(arch),
				       t->by_name[k - 1].name,
				       t->by_name[k].name);
			}
		for (i = 0; i < t->n_by_nr; i++) {
			if (!t->by_nr[i])
				continue;
			ASSERT_LE(t->by_nr[i], t->n);
			ASSERT_EQ(t->base + (int)i,
				  t->by_name[t->by_nr[i] - 1].nr)
			{
				TH_LOG("%s: index %u points at %s",
				       ps_arch_name(arch), i,
				       t->by_name[t->by_nr[i] - 1].name);
			}
			indexed++;
		}
		ASSERT_EQ(t->n, indexed)
		{
			TH_LOG("%s: a number shared or missing from the index",
			       ps_arch_name(arch));
		}
	}
}

TEST(round_trips)
{
	enum ps_arch arch;

	for (arch = 0; arch < PS_N_ARCH; arch++) {
		const struct ps_syscall_table *t = &ps_syscall_tables[arch];
		unsigned int k;

		for (k = 0; k < t->n; k++) {
			const struct ps_syscall_entry *e = &t->by_name[k];

			ASSERT_EQ(e->nr, ps_syscall_lookup_arch(arch, e->name))
			{
				TH_LOG("%s %s", ps_arch_name(arch), e->name);
			}
			/* the table's own string, not a copy */
			ASSERT_EQ(e->name, ps_syscall_name_arch(arch, e->nr))
			{
				TH_LOG("%s %d", ps_arch_name(arch), e->nr);
			}
			if (arch != PS_ARCH_NATIVE)
				continue;
			ASSERT_EQ(e->nr, ps_syscall_lookup(e->name));
			ASSERT_STREQ(e->name, ps_syscall_name(e->nr));
		}
	}
}

TEST(known_numbers)
{
	/* from syscall(2)'s tables and the kernel's syscall_*.tbl */
	EXPECT_EQ(0, ps_syscall_lookup_arch(PS_ARCH_X86_64, "read"));
	EXPECT_EQ(59, ps_syscall_lookup_arch(PS_ARCH_X86_64, "execve"));
	EXPECT_EQ(11, ps_syscall_lookup_arch(PS_ARCH_I386, "execve"));
	EXPECT_EQ(102, ps_syscall_lookup_arch(PS_ARCH_I386, "socketcall"));
	EXPECT_EQ(0x40000000 + 520,
		  ps_syscall_lookup_arch(PS_ARCH_X32, "execve"));
	EXPECT_EQ(0x40000000 + 0, ps_syscall_lookup_arch(PS_ARCH_X32, "read"));
	EXPECT_EQ(SYS_getppid, ps_syscall_lookup("getppid"));
	EXPECT_EQ(-1, ps_syscall_lookup_arch(PS_ARCH_X86_64, "socketcall"));
	EXPECT_EQ(-1, ps_syscall_lookup_arch(PS_ARCH_X32, "uselib"));
}

TEST(unknown_names_and_numbers)
{
	EXPECT_EQ(-1, ps_syscall_lookup("nosuchcall"));
	EXPECT_EQ(-1, ps_syscall_lookup(""));
	EXPECT_EQ(-1, ps_syscall_lookup("READ"));
	EXPECT_EQ(-1, ps_syscall_lookup_arch(PS_N_ARCH, "read"));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X86_64, -1));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X86_64, INT_MIN));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X86_64, MAX_INDEX));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X86_64, INT_MAX));
	/* x32 numbers carry the bit: a bare 0 is not x32's read */
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X32, 0));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X32, -1));
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_N_ARCH, 0));
	/* x86_64 has no 335..423 */
	EXPECT_EQ(NULL, ps_syscall_name_arch(PS_ARCH_X86_64, 400));
	EXPECT_STREQ("syscall_400", ps_syscall_name(400));
	EXPECT_STREQ("syscall_-1", ps_syscall_name(-1));
}

TEST(names_stay_valid)
{
	const char *a = ps_syscall_name(0);
	const char *b = ps_syscall_name(1);
	const char *u = ps_syscall_name(5000);
	const char *v = ps_syscall_name(5001);

	ASSERT_STRNE(a, b)
	{
		TH_LOG("two results share one buffer");
	}
	EXPECT_STREQ("read", a);
	EXPECT_STREQ("write", b);
	/* the comparator of cmd_learn.c holds two unknown names at once */
	ASSERT_NE(u, v);
	EXPECT_STREQ("syscall_5000", u);
	EXPECT_STREQ("syscall_5001", v);
	/* a known name never expires, however many calls follow */
	for (int i = 0; i < 100; i++)
		ps_syscall_name(6000 + i);
	EXPECT_STREQ("read", a);
}

TEST(arch_names_and_audit)
{
	EXPECT_STREQ("x86_64", ps_arch_name(PS_ARCH_X86_64));
	EXPECT_STREQ("i386", ps_arch_name(PS_ARCH_I386));
	EXPECT_STREQ("x32", ps_arch_name(PS_ARCH_X32));
	/* libseccomp's tokens are the kernel's AUDIT_ARCH values for these */
	EXPECT_EQ(SCMP_ARCH_X86_64, ps_arch_audit(PS_ARCH_X86_64));
	EXPECT_EQ(SCMP_ARCH_X86, ps_arch_audit(PS_ARCH_I386));
	/* but not for x32: the kernel reports x32 calls as x86_64 */
	EXPECT_EQ(AUDIT_ARCH_X86_64, ps_arch_audit(PS_ARCH_X32));
	EXPECT_EQ(PS_ARCH_X86_64, PS_ARCH_NATIVE);
}

/*
 * What a seccomp filter sees for one call, as the kernel reports it: the
 * call is trapped and the SIGSYS handler records si_arch and si_syscall.
 */
struct seen {
	int trapped;
	uint32_t arch;
	int nr;
};

static struct seen *seen;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	seen->arch = si->si_arch;
	seen->nr = si->si_syscall;
	seen->trapped = 1;
	_exit(0);
}

static long int80(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

/*
 * Forks a child that traps (only) number TRAP_NR and then makes the call
 * NR, through int 0x80 if I386; 0 once the kernel reported it in *OUT, -1
 * if the child died otherwise (no i386 entry: SIGSEGV).
 */
static int kernel_view(int trap_nr, long nr, bool i386, struct seen *out)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)trap_nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = 4, .filter = prog };
	int status, ret = -1;
	pid_t pid;

	seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (seen == MAP_FAILED)
		return -1;
	memset(seen, 0, sizeof(*seen));
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_sigsys,
					.sa_flags = SA_SIGINFO };

		sigaction(SIGSYS, &sa, NULL);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog))
			_exit(3);
		if (i386)
			int80(nr);
		else
			syscall(nr);
		_exit(4); /* not trapped */
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid) {
		*out = *seen;
		if (WIFEXITED(status) && !WEXITSTATUS(status) && out->trapped)
			ret = 0;
	}
	munmap(seen, sizeof(*seen));
	return ret;
}

/* the (arch, nr) the kernel reports for ARCH's getppid, classified */
static void check_arch_of(struct __test_metadata *_metadata, enum ps_arch arch)
{
	int nr = ps_syscall_lookup_arch(arch, "getppid");
	enum ps_arch got;
	struct seen s;

	ASSERT_GE(nr, 0);
	if (kernel_view(nr, nr, arch == PS_ARCH_I386, &s) < 0) {
		if (arch == PS_ARCH_I386)
			SKIP(return,
				   "this kernel runs no i386 syscalls (int 0x80)");
		ASSERT_TRUE(false)
		{
			TH_LOG("%s getppid (%d) was not trapped",
			       ps_arch_name(arch), nr);
		}
	}
	EXPECT_EQ(nr, s.nr);
	ASSERT_TRUE(ps_arch_of(s.arch, s.nr, &got))
	{
		TH_LOG("AUDIT_ARCH %#x not recognised", s.arch);
	}
	EXPECT_EQ(arch, got)
	{
		TH_LOG("the kernel's (%#x, %#x) classified as %s, wanted %s",
		       s.arch, s.nr, ps_arch_name(got), ps_arch_name(arch));
	}
	EXPECT_EQ(ps_arch_audit(arch), s.arch);
	EXPECT_STREQ("getppid", ps_syscall_name_arch(got, s.nr));
}

TEST(arch_of_native_from_kernel)
{
	check_arch_of(_metadata, PS_ARCH_X86_64);
}

/* seccomp runs before the x32 dispatch, so this works without the x32 ABI */
TEST(arch_of_x32_from_kernel)
{
	check_arch_of(_metadata, PS_ARCH_X32);
}

TEST(arch_of_i386_from_kernel)
{
	check_arch_of(_metadata, PS_ARCH_I386);
}

TEST(arch_of_others)
{
	enum ps_arch got = PS_ARCH_I386;

	EXPECT_FALSE(ps_arch_of(AUDIT_ARCH_AARCH64, 0, &got));
	EXPECT_FALSE(ps_arch_of(SCMP_ARCH_X32, __X32_SYSCALL_BIT, &got))
	{
		TH_LOG("libseccomp's x32 token is no AUDIT_ARCH the kernel reports");
	}
	EXPECT_EQ(PS_ARCH_I386, got); /* untouched when false */
	ASSERT_TRUE(
		ps_arch_of(AUDIT_ARCH_X86_64, __X32_SYSCALL_BIT | 520, &got));
	EXPECT_EQ(PS_ARCH_X32, got);
	ASSERT_TRUE(ps_arch_of(AUDIT_ARCH_X86_64, 59, &got));
	EXPECT_EQ(PS_ARCH_X86_64, got);
	ASSERT_TRUE(ps_arch_of(AUDIT_ARCH_I386, 11, &got));
	EXPECT_EQ(PS_ARCH_I386, got);
}

TEST_HARNESS_MAIN
