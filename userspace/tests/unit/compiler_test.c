// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compiler, proven against the oracle (oracle.c): the rule shapes of
 * issue 11, the crosvm corpus and random policies, each compiled program
 * run in the interpreter over calls made from its constants; then the
 * kernel itself, which must answer real calls as the oracle says.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argwidths.h"
#include "bpf.h"
#include "check.h"
#include "compile.h"
#include "diag.h"
#include "oracle.h"
#include "policy.h"

/* after util.h: its ARRAY_SIZE is the one both define */
#include "kselftest_harness.h"

#define ERRNO_ACT(n)                                \
	{                                           \
		.type = PS_ACT_ERRNO, .errnum = (n) \
	}

/* The option sets every shape is compiled under. */
static const struct {
	const char *name;
	struct ps_filter_options opt;
} modes[] = {
	{ "plain", { 0 } },
	{ "default errno:38",
	  { .default_set = true, .default_action = ERRNO_ACT(38) } },
	{ "arch all", { .arch_all = true } },
	{ "launcher", { .exec_gate = true } },
	{ "launcher report no-exec arch all",
	  { .exec_gate = true,
	    .report = true,
	    .no_exec = true,
	    .arch_all = true } },
	{ "preload no-exec default trap",
	  { .no_exec = true,
	    .default_set = true,
	    .default_action = { .type = PS_ACT_TRAP } } },
	{ "loader exec default errno:38",
	  { .loader_exec = true,
	    .default_set = true,
	    .default_action = ERRNO_ACT(38) } },
};

static int load_text(struct ps_policy *p, const char *text)
{
	ps_policy_init(p);
	return ps_policy_load_buffer(p, "test.policy", text, strlen(text));
}

/*
 * TEXT compiled under every mode and checked; the differences, logged.
 * -1 when it does not parse or does not compile.
 */
static int check_text(struct __test_metadata *_metadata, const char *text,
		      unsigned int limit)
{
	unsigned int m, total = 0;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct ps_policy p;
		struct ps_filter f;
		struct ps_oracle o;
		unsigned long inputs;
		unsigned int diffs;
		bool built, refuse;

		if (load_text(&p, text) < 0) {
			TH_LOG("'%s' does not parse", text);
			ps_policy_free(&p);
			return -1;
		}
		ps_oracle_init(&o, &p, &modes[m].opt, NULL);
		refuse = o.layouts;
		ps_oracle_free(&o);
		built = ps_filter_build(&f, &p, &modes[m].opt) == 0;
		if (built && refuse) {
			TH_LOG("'%s' compiles (%s), but i386 or x32 reads its arguments otherwise",
			       text, modes[m].name);
			ps_filter_free(&f);
		}
		if (!built && !refuse)
			TH_LOG("'%s' does not compile (%s)", text,
			       modes[m].name);
		if (!built || refuse) {
			ps_policy_free(&p);
			if (built == refuse)
				return -1;
			continue; /* --arch all refuses it, as it should */
		}
		diffs = ps_check_program_limit(&p, &modes[m].opt, &f.prog,
					       stderr, limit, &inputs);
		if (diffs)
			TH_LOG("'%s' (%s): %u of %lu calls differ from the oracle",
			       text, modes[m].name, diffs, inputs);
		total += diffs;
		ps_filter_free(&f);
		ps_policy_free(&p);
	}
	return (int)total;
}

#define SHAPE(test, text)                                                  \
	TEST(test)                                                         \
	{                                                                  \
		ASSERT_EQ(0, check_text(_metadata, text, PS_CHECK_INPUTS)) \
		{                                                          \
			TH_LOG("the program for '%s' is not what it says", \
			       text);                                      \
		}                                                          \
	}

/* ---- the shapes of issue 11 ---- */

SHAPE(mmap_two_ranges, "mmap: arg1 < 4096 || arg1 >= 0x1000000000")
SHAPE(range_inside_one_arg, "mmap: arg1 > 0x1000 && arg1 < 0x100000")
SHAPE(ors_of_ands_on_one_arg,
      "read: arg0 >= 3 && arg0 <= 10 || arg0 >= 100 && arg0 < 200 || arg0 > 0xfffffffff && arg0 <= 0x1000000000")
SHAPE(ranges_above_32_bits,
      "write: arg2 >= 0x100000000 && arg2 < 0x100000010 || arg2 > 0xffffffff00000000")
SHAPE(range_and_exclusions,
      "lseek: arg1 >= 0x10 && arg1 <= 0x1000 && arg1 != 0x20 && arg1 != 0x800")
SHAPE(mask_some_bit, "mprotect: arg2 & PROT_EXEC")
SHAPE(mask_across_halves, "openat: arg2 & 0x8000000100000001")
SHAPE(in_mask, "mmap: arg2 in ~PROT_EXEC")
SHAPE(in_mask_wide, "fcntl: arg1 in 0xff00ff00ff && arg2 in 0xffffffff")
SHAPE(mask_and_range,
      "fcntl: arg1 in 0xfff && arg1 > 0x10 || arg1 & 0x100000000 && arg1 < 0x100000100")
SHAPE(not_equal,
      "ioctl: arg1 != 0x5401 && arg1 != 0x80000000 && arg0 != 0xffffffffffffffff")
SHAPE(signed_looking_edges,
      "lseek: arg1 == 0x80000000 || arg1 == 0xffffffff80000000 || arg2 > 0x7fffffff && arg2 < 0xffffffff80000001")
SHAPE(signed_less_than,
      "lseek: arg1 < 0x80000000 || arg1 >= 0xffffffff80000000")
SHAPE(two_args,
      "ioctl: arg0 == 1 && arg1 == TCGETS || arg0 == 2 && arg1 in 0xffff")
SHAPE(else_errno,
      "madvise: arg2 == MADV_DONTNEED || arg2 == MADV_FREE; return EPERM")
SHAPE(return_0, "read: arg0 == 0; return 0\nwrite: return 0")
SHAPE(return_4095, "read: arg0 == 0; return 4095\nwrite: return 4095")
SHAPE(rule_actions,
      "read: arg0 < 3; kill-thread\nwrite: arg0 == 1; trap\nclose: log\ndup: arg0 > 2; errno 7\nfstat: kill")
SHAPE(allow_ifs_joined,
      "read: arg0 == 0\nread: arg0 > 0x100000000\nread: arg1 < 16")
SHAPE(rule_beats_group,
      "@basic-io: 1\nread: arg0 == 0; return EPERM\n@default: 1")
SHAPE(later_group_wins, "@basic-io: 1\n@file-system: 1\nclose: arg0 != 0")
SHAPE(execve_rules,
      "execve: arg2 == 0\nexecveat: return EACCES\nclone: arg0 & 0x10000")
SHAPE(many_values_one_arg,
      "ioctl: arg1 == 1 || arg1 == 2 || arg1 == 3 || arg1 == 0x5401 || arg1 == 0x5402 || arg1 == 0x40045431 || arg1 == 0x80045430 || arg1 == 0xc0105512 || arg1 == 0x100000001 || arg1 == 0xffffffff00000001")

/* `expr; return` with no errno (minijail's spelling) parses and agrees. */
SHAPE(bare_return, "read: arg0 == 0; return\nwrite: 1")

/*
 * ... and means kill where expr fails, whatever --default-action says, as
 * issue 11 puts it ("read: arg0 == 0; return: kill otherwise"). Checked
 * by hand, so the parser's reading is pinned down, not only the
 * compiler's: the oracle follows whatever rule the parser built.
 */
/* ---- arguments as the kernel reads them (DESIGN 3.2) ---- */

SHAPE(int_args_upper_halves, "socket: arg0 != AF_INET && arg1 == SOCK_STREAM")
SHAPE(signed_int_ranges,
      "openat: arg0 == -100 || arg0 > 2 && arg0 < 0x80000000\nkill: arg0 >= 0xffffffff80000000 || arg1 < 32")
SHAPE(unsigned_int_masks,
      "ioctl: arg1 != TIOCSTI && arg1 in 0xffffffff; return EPERM")
SHAPE(umode_t_16_bits,
      "fchmod: arg1 in 0777 || arg1 == 0x10000\nmkdir: arg1 > 0x700")
SHAPE(i386_registers_32_bits,
      "ioctl: arg2 == 0 || arg2 > 0x80000000\nwrite: arg2 < 0x100000000")

/* What program F gives a call of AUDIT_ARCH ARCH, number NR. */
static uint32_t run_call(const struct ps_filter *f, uint32_t arch, int nr,
			 uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = { .nr = nr,
				  .arch = arch,
				  .args = { a0, a1, a2 } };

	return ps_bpf_run(f->prog.filter, f->prog.len, &d, NULL);
}

static int build_text(struct ps_filter *f, struct ps_policy *p,
		      const char *text, bool arch_all)
{
	struct ps_filter_options opt = { .arch_all = arch_all };

	if (load_text(p, text) < 0)
		return -1;
	return ps_filter_build(f, p, &opt);
}

/*
 * The call: socket(0x100000002, ...) is AF_INET to the kernel,
 * which casts the register to int; a filter comparing 64 bits let it by.
 */
TEST(socket_upper_half_is_af_inet)
{
	static const uint64_t inet[] = { 0x100000002ULL, 0xffffffff00000002ULL,
					 0x8000000000000002ULL, 2 };
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;

	ASSERT_EQ(0, build_text(&f, &p, "socket: arg0 != AF_INET", true));
	for (i = 0; i < ARRAY_SIZE(inet); i++) {
		uint64_t args[6] = { inet[i], 1 };

		EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
			  run_call(&f, AUDIT_ARCH_X86_64, __NR_socket, inet[i],
				   1, 0))
		{
			TH_LOG("socket(%#llx, SOCK_STREAM, 0) is AF_INET to the kernel",
			       (unsigned long long)inet[i]);
		}
		EXPECT_EQ(PS_ACT_KILL_PROCESS,
			  ps_filter_decide(&f, __NR_socket, args).type);
		/* i386's socket (not socketcall): the same int */
		EXPECT_EQ(
			SECCOMP_RET_KILL_PROCESS,
			run_call(&f, AUDIT_ARCH_I386,
				 ps_syscall_lookup_arch(PS_ARCH_I386, "socket"),
				 inet[i], 1, 0));
	}
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_socket, 0x100000001ULL,
			   1, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_socket,
			   0x200000000ULL | AF_UNIX, 1, 0));
	EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/* ioctl's cmd is an unsigned int: 0x100005412 is TIOCSTI. */
TEST(ioctl_cmd_upper_half_is_tiocsti)
{
	struct ps_policy p;
	struct ps_filter f;

	ASSERT_EQ(0, build_text(&f, &p, "ioctl: arg1 != TIOCSTI", false));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl, 0, 0x100005412ULL,
			   0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl, 0,
			   0xffffffff00005412ULL, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl, 0, 0x5413, 0));
	/* the fd is an unsigned int too; the argument, an unsigned long */
	EXPECT_EQ(SECCOMP_RET_ALLOW, run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl,
					      0x100000000ULL, 0x5401, 0));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/*
 * A signed int's value is its low word sign-extended: AT_FDCWD is -100
 * whatever the upper half, and 0xffffff9c (the same int) matches too.
 */
TEST(signed_int_is_sign_extended)
{
	static const struct {
		uint64_t dfd;
		uint32_t want;
	} calls[] = {
		{ 0xffffffffffffff9cULL, SECCOMP_RET_ALLOW },
		{ 0xffffff9cULL, SECCOMP_RET_ALLOW },
		{ 0x12345ffffff9cULL, SECCOMP_RET_ALLOW },
		{ 0xffffffff0000ff9cULL, SECCOMP_RET_ALLOW }, /* 65436 */
		{ 0x12345ffffff9dULL, SECCOMP_RET_KILL_PROCESS }, /* -99 */
		{ 0xffffff9dULL, SECCOMP_RET_KILL_PROCESS },
		{ 3, SECCOMP_RET_ALLOW },
		{ 0x100000003ULL, SECCOMP_RET_ALLOW },
		{ 0x80000003ULL, SECCOMP_RET_KILL_PROCESS },
	};
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;

	ASSERT_EQ(
		0,
		build_text(
			&f, &p,
			"openat: arg0 == -100 || arg0 >= 3 && arg0 < 0x80000000",
			true));
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		uint64_t args[6] = { calls[i].dfd };

		EXPECT_EQ(calls[i].want,
			  run_call(&f, AUDIT_ARCH_X86_64, __NR_openat,
				   calls[i].dfd, 0, 0))
		{
			TH_LOG("openat(%#llx, ...)",
			       (unsigned long long)calls[i].dfd);
		}
		EXPECT_EQ(calls[i].want == SECCOMP_RET_ALLOW ?
				  PS_ACT_ALLOW :
				  PS_ACT_KILL_PROCESS,
			  ps_filter_decide(&f, __NR_openat, args).type);
		EXPECT_EQ(
			calls[i].want,
			run_call(&f, AUDIT_ARCH_I386,
				 ps_syscall_lookup_arch(PS_ARCH_I386, "openat"),
				 calls[i].dfd, 0, 0));
	}
	EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/* umode_t is an unsigned short: the kernel keeps 16 bits of the mode. */
TEST(umode_t_keeps_16_bits)
{
	struct ps_policy p;
	struct ps_filter f;

	ASSERT_EQ(0, build_text(&f, &p, "fchmod: arg1 != 04755", false));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_fchmod, 3,
			   0x10000 | 04755, 0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_fchmod, 3,
			   0xffffffffffff09edULL, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_fchmod, 3, 0755, 0));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/*
 * Every i386 argument is the low half of its register, which a 64-bit
 * process's int 0x80 may fill above: ioctl's unsigned long argument is
 * 64 bits natively, 32 there.
 */
TEST(i386_reads_32_bits_of_every_register)
{
	int i386_ioctl = ps_syscall_lookup_arch(PS_ARCH_I386, "ioctl");
	uint64_t args[6] = { 0, 0x5401, 0x100000000ULL };
	struct ps_policy p;
	struct ps_filter f;

	ASSERT_EQ(0, build_text(&f, &p, "ioctl: arg2 == 0", true));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl, 0, 0x5401,
			   0x100000000ULL));
	EXPECT_EQ(SECCOMP_RET_ALLOW, run_call(&f, AUDIT_ARCH_I386, i386_ioctl,
					      0, 0x5401, 0x100000000ULL));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_I386, i386_ioctl, 0, 0x5401,
			   0x100000001ULL));
	EXPECT_EQ(PS_ACT_KILL_PROCESS,
		  ps_filter_decide(&f, __NR_ioctl, args).type);
	EXPECT_EQ(
		PS_ACT_ALLOW,
		ps_filter_decide_arch(&f, PS_ARCH_I386, __NR_ioctl, args).type);
	EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/*
 * With --arch all, a condition on an argument i386 takes otherwise is
 * refused: i386 mmap is old_mmap (one pointer), clone swaps tls and
 * child_tid, pread64 splits its offset. Without conditions, or on the
 * arguments that agree, the rule carries over.
 */
TEST(i386_layouts_refused_or_carried)
{
	static const char *const refused[] = {
		"mmap: arg2 == PROT_READ",    "select: arg0 < 10",
		"clone: arg3 == 0",	      "pread64: arg3 == 0",
		"fadvise64: arg3 == 0",	      "fallocate: arg2 == 0",
		"sync_file_range: arg3 == 1", "readahead: arg1 == 0",
	};
	static const char *const carried[] = {
		"mmap: 1",
		"clone: arg0 & CLONE_THREAD",
		"pread64: arg0 == 3",
		"fallocate: arg1 == 0",
		"socket: arg0 == AF_UNIX",
		"select: 1",
	};
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		EXPECT_EQ(-1, build_text(&f, &p, refused[i], true))
		{
			TH_LOG("'%s' compiles with --arch all", refused[i]);
			ps_filter_free(&f);
		}
		ps_policy_free(&p);
		EXPECT_EQ(0, build_text(&f, &p, refused[i], false))
		{
			TH_LOG("'%s' does not compile natively", refused[i]);
		}
		ps_filter_free(&f);
		ps_policy_free(&p);
	}
	for (i = 0; i < ARRAY_SIZE(carried); i++) {
		ASSERT_EQ(0, build_text(&f, &p, carried[i], true))
		{
			TH_LOG("'%s' does not compile with --arch all",
			       carried[i]);
		}
		EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
		ps_filter_free(&f);
		ps_policy_free(&p);
	}
	/* old_mmap itself, allowed by `mmap: 1` */
	ASSERT_EQ(0, build_text(&f, &p, "mmap: 1", true));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  run_call(&f, AUDIT_ARCH_I386,
			   ps_syscall_lookup_arch(PS_ARCH_I386, "mmap"), 0x1000,
			   0, 0));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/* A comparison the kernel's reading decides alone is worth a warning. */
TEST(unreachable_constant_warns)
{
	const struct ps_diag *d;
	struct ps_policy p;
	struct ps_filter f;
	int built;

	ps_diags_clear();
	built = build_text(
		&f, &p,
		"ioctl: arg1 == 0x100005412\nopenat: arg0 == 0xffffff9c\nsocket: arg0 == 2",
		false);
	ASSERT_EQ(0, built);
	/* the compiler's warnings come back as data, each with its place */
	d = ps_diags_find(
		"'arg1 == 0x100005412' always fails: ioctl's arg1 is a 32-bit unsigned int");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(PS_WARNING, d->severity);
	EXPECT_STREQ("test.policy", d->loc.file);
	EXPECT_EQ(1, d->loc.line);
	EXPECT_EQ(1, d->loc.col);
	d = ps_diags_find("'arg0 == 0xffffff9c' always fails");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(2, d->loc.line);
	EXPECT_NE(NULL, ps_diags_find("as an int, 0xffffff9c is -100"));
	EXPECT_EQ(NULL, ps_diags_find("arg0 == 2"));
	ps_diags_clear();
	/* and the program agrees: no ioctl, no openat passes */
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_ioctl, 0, 0x100005412ULL,
			   0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  run_call(&f, AUDIT_ARCH_X86_64, __NR_openat, 0xffffff9cULL, 0,
			   0));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

TEST(bare_return_kills_under_default_action)
{
	static const char text[] = "read: arg0 == 0; return\nwrite: 1";
	struct ps_filter_options opt = {
		.default_set = true,
		.default_action = ERRNO_ACT(38),
	};
	struct seccomp_data d = { .nr = __NR_read, .arch = AUDIT_ARCH_X86_64 };
	struct ps_policy p;
	struct ps_filter f;
	uint32_t got;

	ASSERT_EQ(0, load_text(&p, text))
	{
		TH_LOG("'%s' does not parse (minijail accepts it)", text);
	}
	ASSERT_EQ(0, ps_filter_build(&f, &p, &opt))
	{
		TH_LOG("'%s' does not compile", text);
	}
	got = ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL);
	EXPECT_EQ(SECCOMP_RET_ALLOW, got)
	{
		TH_LOG("read(0): got %#x, want allow", got);
	}
	d.args[0] = 1;
	got = ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL);
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS, got)
	{
		TH_LOG("read(1) with --default-action errno:38: got %#x, want kill-process (issue 11: a bare return kills otherwise)",
		       got);
	}
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/*
 * A loader's own needs (the options' first rules, as --preload's outer
 * filter gets them from the launcher) pass before the policy's rules,
 * with their conditions, --no-exec's refusals included; nothing else
 * changes, as the oracle holds.
 */
TEST(first_rules_pass_before_the_policy)
{
	static const char text[] = "write: 1\nprctl: arg0 == PR_SET_DUMPABLE\n"
				   "read: return EIO";
	static const char needs[] = "read: 1\nexecve: 1\n"
				    "prctl: arg0 == PR_SET_NO_NEW_PRIVS";
	struct ps_filter_options opt = { .no_exec = true };
	struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };
	struct ps_policy p, first;
	struct ps_filter f;
	unsigned long inputs;

	ASSERT_EQ(0, load_text(&p, text));
	ASSERT_EQ(0, load_text(&first, needs));
	opt.first = &first;
	ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
	d.nr = __NR_read;
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL));
	d.nr = __NR_execve;
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL));
	d.nr = __NR_execveat;
	EXPECT_EQ(SECCOMP_RET_ERRNO | EPERM,
		  ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL));
	d.nr = __NR_prctl;
	d.args[0] = PR_SET_NO_NEW_PRIVS;
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL));
	d.args[0] = PR_SET_NAME;
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL));
	EXPECT_EQ(0, ps_check_program_limit(&p, &opt, &f.prog, stderr,
					    PS_CHECK_INPUTS, &inputs));
	ps_filter_free(&f);
	ps_policy_free(&first);
	ps_policy_free(&p);
}

/*
 * compile --exec-by-loader allow: the program a loader (bwrap --seccomp)
 * loads lets execve and execveat through for the loader's own exec, and
 * nothing else the policy refuses; without it the policy decides them
 * (the command line refuses it with --preload, whose library loads after
 * every exec the start needs).
 */
TEST(loader_exec_allows_both_execs_and_nothing_more)
{
	static const char text[] = "read: 1\nexecve: arg1 == 0";
	static const struct {
		bool loader_exec;
		uint32_t execve, execveat;
	} cases[] = {
		{ true, SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW },
		{ false, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS },
	};
	struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;
	uint32_t got;

	ASSERT_EQ(0, load_text(&p, text));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ps_filter_options opt = {
			.loader_exec = cases[i].loader_exec,
		};

		ASSERT_EQ(0, ps_filter_build(&f, &p, &opt))
		{
			TH_LOG("case %u does not compile", i);
		}
		/* argv (arg1) not NULL: the policy's own rule refuses it */
		d.nr = __NR_execve;
		d.args[1] = 0x7ffd0000;
		got = ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL);
		EXPECT_EQ(cases[i].execve, got)
		{
			TH_LOG("case %u: execve got %#x, want %#x", i, got,
			       cases[i].execve);
		}
		d.nr = __NR_execveat;
		got = ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL);
		EXPECT_EQ(cases[i].execveat, got)
		{
			TH_LOG("case %u: execveat got %#x, want %#x", i, got,
			       cases[i].execveat);
		}
		d.nr = __NR_write;
		got = ps_bpf_run(f.prog.filter, f.prog.len, &d, NULL);
		EXPECT_EQ(SECCOMP_RET_KILL_PROCESS, got)
		{
			TH_LOG("case %u: write got %#x: only the execs may pass",
			       i, got);
		}
		EXPECT_EQ(cases[i].execve == SECCOMP_RET_ALLOW,
			  ps_filter_always_allows(&f, __NR_execve))
		{
			TH_LOG("case %u: ps_filter_always_allows(execve) disagrees with the program",
			       i);
		}
		ps_filter_free(&f);
	}
	ps_policy_free(&p);
}

/* ---- the oracle itself, against decisions worked out by hand ---- */

static uint32_t oracle_says(const struct ps_policy *p,
			    const struct ps_filter_options *opt, uint32_t arch,
			    int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = nr, .arch = arch, .args = { a0, a1 } };
	struct ps_oracle o;
	struct ps_verdict v;

	ps_oracle_init(&o, p, opt, NULL);
	v = ps_oracle_decide(&o, &d);
	ps_oracle_free(&o);
	return v.want;
}

TEST(oracle_precedence)
{
	static const char text[] = "mmap: arg1 < 4096 || arg1 >= 0x1000000000\n"
				   "@basic-io: 1\n"
				   "read: arg0 == 0; return 5\n"
				   "getpid: return 9\n"
				   "close: arg0 == 1\n"
				   "close: arg0 == 2\n";
	static const struct ps_loc here = { "test", 0, 0 };
	struct ps_filter_options plain = { 0 }, all = { .arch_all = true };
	struct ps_policy p;

	ASSERT_EQ(0, load_text(&p, text));
	ASSERT_EQ(0, ps_policy_add_list(&p, "getpid:7,writev", true, &here));
	/* the call: neither range */
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_mmap, 0,
			      0x1000));
	EXPECT_EQ(SECCOMP_RET_ALLOW, oracle_says(&p, &plain, AUDIT_ARCH_X86_64,
						 __NR_mmap, 0, 4095));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_mmap, 0,
			      0x1000000000ULL));
	/* a named rule beats its group; its else where it fails */
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_read, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ERRNO | 5,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_read, 1, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_write, 1, 0));
	/* --deny beats the rule, and the group */
	EXPECT_EQ(SECCOMP_RET_ERRNO | 7,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_getpid, 0,
			      0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_writev, 0,
			      0));
	/* allow-ifs joined; the default elsewhere */
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_close, 2, 0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, __NR_close, 3, 0));
	/* other ABIs: killed, or with --arch all decided by name */
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &plain, AUDIT_ARCH_I386, 3 /* read */, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &all, AUDIT_ARCH_I386, 3 /* read */, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ERRNO | 5,
		  oracle_says(&p, &all, AUDIT_ARCH_I386, 3 /* read */, 1, 0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &plain, AUDIT_ARCH_X86_64, 0x40000000, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &all, AUDIT_ARCH_X86_64, 0x40000000, 0, 0));
	EXPECT_EQ(SECCOMP_RET_KILL_PROCESS,
		  oracle_says(&p, &all, AUDIT_ARCH_AARCH64, 63, 0, 0));
	ps_policy_free(&p);
}

TEST(oracle_deny_lists_and_conflicts)
{
	static const struct ps_loc here = { "test", 0, 0 };
	struct ps_filter_options eperm = {
		.default_set = true,
		.default_action = ERRNO_ACT(1),
	};
	struct ps_filter_options trace = { .trace = true };
	struct ps_oracle o;
	struct ps_policy p;

	ps_policy_init(&p);
	ASSERT_EQ(0, ps_policy_add_list(&p, "read,write:EIO", true, &here));
	/* deny-list mode: allowed, and --default-action is what denial does */
	EXPECT_EQ(SECCOMP_RET_ALLOW,
		  oracle_says(&p, &eperm, AUDIT_ARCH_X86_64, __NR_close, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ERRNO | 1,
		  oracle_says(&p, &eperm, AUDIT_ARCH_X86_64, __NR_read, 0, 0));
	EXPECT_EQ(SECCOMP_RET_ERRNO | EIO,
		  oracle_says(&p, &eperm, AUDIT_ARCH_X86_64, __NR_write, 0, 0));
	EXPECT_EQ(SECCOMP_RET_TRACE,
		  oracle_says(&p, &trace, AUDIT_ARCH_X86_64, __NR_read, 0, 0));
	ps_policy_free(&p);

	ASSERT_EQ(0, load_text(&p,
			       "read: arg0 == 0\nread: arg0 == 1; return 1\n"));
	ps_oracle_init(&o, &p, &eperm, NULL);
	EXPECT_EQ(1, o.conflicts);
	ps_oracle_free(&o);
	ps_policy_free(&p);
	ASSERT_EQ(
		0,
		load_text(
			&p,
			"read: arg0 == 0; return 1\nread: arg0 == 0; return 1\n"));
	ps_oracle_init(&o, &p, &eperm, NULL);
	EXPECT_EQ(0, o.conflicts);
	ps_oracle_free(&o);
	ps_policy_free(&p);
}

/* The long runs get more than the harness's 30 s, for a loaded machine. */
FIXTURE(long_run){};
FIXTURE_SETUP(long_run)
{
}
FIXTURE_TEARDOWN(long_run)
{
}

/* ---- the crosvm corpus ---- */

TEST_F_TIMEOUT(long_run, crosvm_corpus_agrees, 300)
{
	struct ps_filter_options opts[2] = { { 0 }, { .exec_gate = true } };
	unsigned int n = 0, failed = 0, o;
	unsigned long all_inputs = 0;
	DIR *dir = opendir(CROSVM_DIR);
	struct ps_policy p;
	char path[512];

	ASSERT_NE(NULL, dir)
	{
		TH_LOG("%s: %s (run from userspace/)", CROSVM_DIR,
		       strerror(errno));
	}
	while (ps_crosvm_next(dir, path, sizeof(path))) {
		n++;
		for (o = 0; o < ARRAY_SIZE(opts); o++) {
			struct ps_filter f;
			unsigned long inputs;
			unsigned int diffs;

			if (ps_crosvm_load(path, &p) < 0 ||
			    ps_filter_build(&f, &p, &opts[o]) < 0) {
				TH_LOG("%s does not compile", path);
				failed++;
				ps_policy_free(&p);
				continue;
			}
			diffs = ps_check_program_limit(&p, &opts[o], &f.prog,
						       stderr, 1000, &inputs);
			all_inputs += inputs;
			if (diffs) {
				TH_LOG("%s%s: %u of %lu calls differ", path,
				       o ? " (launcher)" : "", diffs, inputs);
				failed++;
			}
			ps_filter_free(&f);
			ps_policy_free(&p);
		}
	}
	closedir(dir);
	TH_LOG("crosvm: %u policies, %lu calls checked", n, all_inputs);
	EXPECT_EQ(46, n);
	EXPECT_EQ(0, failed);
}

/* ---- random policies ---- */

struct text {
	char buf[8192];
	size_t len;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(t->buf) - t->len)
		t->len += (size_t)n;
}

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int pick(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static uint64_t random_value(void)
{
	static const uint64_t edges[] = {
		0,
		1,
		2,
		3,
		0xff,
		0xfff,
		0x1000,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ULL,
		0x1000000000ULL,
		0xffffffff80000000ULL,
		0x8000000000000000ULL,
		~0ULL,
		0xffffffff00000000ULL,
		0x5401,
	};

	switch (pick(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd() & 0xffffffff;
	case 2:
		return rnd() & 0xfff;
	}
	return edges[pick(ARRAY_SIZE(edges))];
}

static void put_value(struct text *t)
{
	switch (pick(6)) {
	case 0:
		put(t, "%llu", (unsigned long long)(rnd() & 0xffff));
		break;
	case 1:
		put(t, "~%#llx", (unsigned long long)random_value());
		break;
	case 2:
		put(t, "%#llx|%#llx", (unsigned long long)random_value(),
		    (unsigned long long)(1ULL << pick(64)));
		break;
	default:
		put(t, "%#llx", (unsigned long long)random_value());
	}
}

static void put_expr(struct text *t)
{
	static const char *const ops[] = { "==", "!=", "<", "<=",
					   ">",	 ">=", "&", "in" };
	unsigned int conjs = 1 + pick(3), i, j, args = 1 + pick(3);

	for (i = 0; i < conjs; i++) {
		unsigned int atoms = 1 + pick(3);

		if (i)
			put(t, " || ");
		for (j = 0; j < atoms; j++) {
			if (j)
				put(t, " && ");
			put(t, "arg%u %s ", pick(args),
			    ops[pick(ARRAY_SIZE(ops))]);
			put_value(t);
		}
	}
}

static void put_action(struct text *t)
{
	static const char *const acts[] = { "kill-thread", "trap", "log",
					    "allow", "kill" };

	if (pick(3))
		put(t, "return %u", pick(3) ? pick(200) : pick(4096));
	else if (pick(2))
		put(t, "errno %u", pick(4096));
	else
		put(t, "%s", acts[pick(ARRAY_SIZE(acts))]);
}

static void random_policy(struct text *t)
{
	static const char *const names[] = {
		"read",	    "write",	"openat", "close",	"mmap",
		"mprotect", "ioctl",	"fcntl",  "lseek",	"getpid",
		"futex",    "madvise",	"prctl",  "clone",	"socket",
		"execve",   "execveat", "kill",	  "exit_group",
	};
	static const char *const groups[] = {
		"@basic-io",
		"@timer",
		"@signal",
		"@file-system",
	};
	unsigned int rules = 1 + pick(8), i;

	t->len = 0;
	t->buf[0] = '\0';
	for (i = 0; i < rules; i++) {
		const char *name = names[pick(ARRAY_SIZE(names))];

		if (!pick(8)) {
			put(t, "%s: 1\n", groups[pick(ARRAY_SIZE(groups))]);
			continue;
		}
		put(t, "%s: ", name);
		switch (pick(5)) {
		case 0:
			put(t, "1");
			break;
		case 1:
			put_action(t);
			break;
		case 2:
		case 3:
			put_expr(t);
			break;
		default:
			put_expr(t);
			put(t, "; ");
			put_action(t);
		}
		put(t, "\n");
		/* sometimes the same syscall again: joined, merged or a conflict */
		if (!pick(6)) {
			put(t, "%s: ", name);
			put_expr(t);
			put(t, "\n");
		}
	}
}

static void random_options(struct ps_filter_options *opt)
{
	static const struct ps_action defaults[] = {
		ERRNO_ACT(38),		{ .type = PS_ACT_TRAP },
		{ .type = PS_ACT_LOG }, { .type = PS_ACT_KILL_THREAD },
		ERRNO_ACT(0),		ERRNO_ACT(4095),
	};

	memset(opt, 0, sizeof(*opt));
	if (pick(2)) {
		opt->default_set = true;
		opt->default_action = defaults[pick(ARRAY_SIZE(defaults))];
	}
	opt->arch_all = !pick(3);
	opt->no_exec = !pick(4);
	if (pick(2)) {
		opt->exec_gate = true;
		opt->report = pick(2);
	} else {
		/* a loader's filter, or the library's (which has no exec of its own) */
		opt->loader_exec = !opt->no_exec && pick(2);
	}
}

TEST_F_TIMEOUT(long_run, random_policies_agree, 300)
{
	static const struct ps_loc here = { "test", 0, 0 };
	static const char *const denies[] = {
		"read,write:EIO",
		"getpid:7",
		"@timer",
		"close,mmap:1",
	};
	unsigned int i, parsed = 0, refused = 0, wrong = 0, diffs_all = 0;
	unsigned long inputs_all = 0;
	struct text t;

	rnd_state = 11;
	for (i = 0; i < 300; i++) {
		struct ps_filter_options opt;
		struct ps_policy p;
		struct ps_filter f;
		struct ps_oracle o;
		unsigned long inputs;
		unsigned int diffs;
		int built;
		bool deny_only = !pick(10);

		random_policy(&t);
		random_options(&opt);
		ps_policy_init(&p);
		if (!deny_only && ps_policy_load_buffer(&p, "random.policy",
							t.buf, t.len) < 0) {
			ps_policy_free(&p);
			continue;
		}
		if ((deny_only || !pick(4)) &&
		    ps_policy_add_list(&p, denies[pick(ARRAY_SIZE(denies))],
				       true, &here) < 0) {
			ps_policy_free(&p);
			continue;
		}
		parsed++;
		ps_oracle_init(&o, &p, &opt, NULL);
		built = ps_filter_build(&f, &p, &opt);
		if (o.conflicts || o.layouts) {
			refused++;
			if (built == 0) {
				TH_LOG("policy %u compiled, but its rules conflict or do not carry over to i386 or x32:\n%s",
				       i, t.buf);
				wrong++;
				ps_filter_free(&f);
			}
		} else if (built < 0) {
			TH_LOG("policy %u does not compile:\n%s", i, t.buf);
			wrong++;
		} else {
			diffs = ps_check_program_limit(&p, &opt, &f.prog,
						       stderr, 500, &inputs);
			inputs_all += inputs;
			if (diffs) {
				TH_LOG("policy %u: %u of %lu calls differ%s%s%s%s%s:\n%s",
				       i, diffs, inputs,
				       deny_only ? " (deny list only)" : "",
				       opt.exec_gate   ? " launcher" :
				       opt.loader_exec ? " loader-exec" :
							 "",
				       opt.report ? " report" : "",
				       opt.arch_all ? " arch-all" : "",
				       opt.no_exec ? " no-exec" : "", t.buf);
				wrong++;
				diffs_all += diffs;
			}
			ps_filter_free(&f);
		}
		ps_oracle_free(&o);
		ps_policy_free(&p);
	}
	TH_LOG("%u random policies parsed, %u refused as conflicts, %lu calls checked, %u policies wrong, %u calls",
	       parsed, refused, inputs_all, wrong, diffs_all);
	EXPECT_LT(250, parsed);
	EXPECT_EQ(0, wrong);
}

/* ---- the real kernel ---- */

#define MAX_CALLS 4096
#define RESULT_NONE 0xffffffffu /* not reached */

/* What the child saw, in memory it shares with the test. */
struct kernel_run {
	unsigned int next; /* the call the child is at */
	uint32_t result[MAX_CALLS]; /* as a seccomp return value */
	int load_errno; /* seccomp() failed with it */
};

/*
 * The child leaves with the raw syscall: the sanitizers' _exit() would
 * make calls of their own (sigaltstack, write, mmap) under the filter.
 * Inlined always: ASan precedes a call to a noreturn function with
 * __asan_handle_no_return(), whose sigaltstack the filter refuses.
 */
static inline __attribute__((always_inline, noreturn)) void raw_exit(int status)
{
	syscall(__NR_exit_group, status);
	__builtin_unreachable();
}

static long real_value(int nr)
{
	return syscall(nr, 0, 0, 0, 0, 0, 0);
}

/*
 * An i386 call from this 64-bit process: int 0x80 takes the registers
 * whole, upper halves and all, as seccomp_data then has them (ebp, the
 * sixth, is left alone: the frame pointer). The entry zeroes r8-r15.
 */
static long int80(const struct seccomp_data *d)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"((long)d->nr), "b"(d->args[0]), "c"(d->args[1]),
		       "d"(d->args[2]), "S"(d->args[3]), "D"(d->args[4])
		     : "memory", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
		       "r15");
	return ret;
}

/*
 * Calls whose 32-bit parameters the kernel reads (pid_t, unsigned int)
 * and that are harmless whatever they get: their own failures (ESRCH,
 * EBADF, EINVAL) are below 100, the filters' errnos above.
 */
static const char *const typed[] = { "getpgid", "getsid", "fsync" };

/* Whether this kernel runs i386 calls (IA32_EMULATION, not disabled). */
static bool int80_works(void)
{
	struct seccomp_data d = { .nr = 20 }; /* i386 getpid: no table */
	int status;
	pid_t pid = fork();

	if (pid == 0)
		raw_exit(int80(&d) == syscall(__NR_getpid) ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool is_typed(const struct seccomp_data *d)
{
	return d->arch == AUDIT_ARCH_I386 || d->nr == __NR_getpgid ||
	       d->nr == __NR_getsid || d->nr == __NR_fsync;
}

/* The child: loads the filter, then makes the calls from R->next on. */
static void kernel_child(const struct sock_fprog *prog,
			 const struct seccomp_data *calls, unsigned int n,
			 struct kernel_run *r)
{
	long real[512];
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!is_typed(&calls[i]) && calls[i].nr >= 0 &&
		    calls[i].nr < 512)
			real[calls[i].nr] = real_value(calls[i].nr);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog)) {
		r->load_errno = errno;
		raw_exit(1);
	}
	for (i = r->next; i < n; i = ++r->next) {
		const struct seccomp_data *d = &calls[i];
		long ret;

		errno = 0;
		if (d->arch == AUDIT_ARCH_I386) {
			ret = int80(d);
			if ((int)ret < 0 && (int)ret > -4096) {
				errno = -(int)ret;
				ret = -1;
			}
		} else {
			ret = syscall(d->nr, d->args[0], d->args[1], d->args[2],
				      d->args[3], d->args[4], d->args[5]);
		}
		if (is_typed(d)) /* it ran, or the filter said errno */
			r->result[i] = ret == -1 && errno >= 100 ?
					       SECCOMP_RET_ERRNO |
						       (uint32_t)errno :
					       SECCOMP_RET_ALLOW;
		else if (ret == -1)
			r->result[i] = SECCOMP_RET_ERRNO | (uint32_t)errno;
		else if (ret == real[d->nr])
			r->result[i] = SECCOMP_RET_ALLOW;
		else if (ret == 0) /* errno 0: the call "succeeds" with 0 */
			r->result[i] = SECCOMP_RET_ERRNO;
		else
			r->result[i] = 0xdead;
	}
	raw_exit(0);
}

/*
 * Runs CALLS under PROG in children (a new one after each kill) and
 * fills R. 0, or -1 when the kernel refused the filter.
 */
static int kernel_answers(const struct sock_fprog *prog,
			  const struct seccomp_data *calls, unsigned int n,
			  struct kernel_run *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++)
		r->result[i] = RESULT_NONE;
	while (r->next < n) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			kernel_child(prog, calls, n, r);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return -1;
		if (r->load_errno)
			return -1;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
			r->result[r->next] = SECCOMP_RET_KILL_PROCESS;
			r->next++;
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return -1;
	}
	return 0;
}

/* Calls of native NR (or, with I386, its i386 namesake) from P's constants. */
static void add_calls(const struct ps_policy *p, int nr, unsigned int limit,
		      struct seccomp_data *calls, unsigned int *n, bool i386)
{
	uint64_t(*args)[6] = xcalloc(limit, sizeof(*args));
	unsigned int i, k = ps_inputs_args(p, nr, limit, 42, args);

	for (i = 0; i < k && *n < MAX_CALLS; i++) {
		struct seccomp_data *d = &calls[(*n)++];

		memset(d, 0, sizeof(*d));
		d->nr = nr;
		d->arch = AUDIT_ARCH_X86_64;
		memcpy(d->args, args[i], sizeof(d->args));
		if (i386) {
			d->arch = AUDIT_ARCH_I386;
			d->nr = ps_syscall_lookup_arch(PS_ARCH_I386,
						       ps_syscall_name(nr));
			d->args[5] = 0; /* ebp: not set, see int80() */
		}
	}
	free(args);
}

/* The harmless calls: they ignore their arguments. */
static const int harmless[] = {
	__NR_getppid, __NR_getpid,  __NR_getuid, __NR_getgid,
	__NR_geteuid, __NR_getegid, __NR_gettid,
};

/*
 * TEXT (plus what the child needs to exit) compiled in plain mode; the
 * harmless syscalls called with arguments made from its constants; the
 * kernel's answer held against the oracle's, and the interpreter's. With
 * TYPED, the calls with 32-bit parameters too, natively and (if the
 * kernel runs i386 calls) through int 0x80, upper halves and all.
 */
static void kernel_check_typed(struct __test_metadata *_metadata,
			       const char *text,
			       const struct ps_filter_options *opt,
			       unsigned int per_syscall, bool with_typed)
{
	struct seccomp_data *calls = xcalloc(MAX_CALLS, sizeof(*calls));
	struct kernel_run *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *full = xasprintf("%s\nexit_group: 1\nexit: 1\n", text);
	unsigned int n = 0, i, differ = 0;
	struct ps_policy p;
	struct ps_filter f;
	struct ps_oracle o;

	ASSERT_NE(MAP_FAILED, r);
	ASSERT_EQ(0, load_text(&p, full))
	{
		TH_LOG("'%s' does not parse", text);
	}
	ASSERT_EQ(0, ps_filter_build(&f, &p, opt))
	{
		TH_LOG("'%s' does not compile", text);
	}
	for (i = 0; i < ARRAY_SIZE(harmless); i++)
		add_calls(&p, harmless[i], per_syscall, calls, &n, false);
	for (i = 0; with_typed && i < ARRAY_SIZE(typed); i++) {
		int nr = ps_syscall_lookup(typed[i]);

		add_calls(&p, nr, per_syscall, calls, &n, false);
		if (opt->arch_all && int80_works())
			add_calls(&p, nr, per_syscall, calls, &n, true);
	}
	if (kernel_answers(&f.prog, calls, n, r) < 0 && r->load_errno == ENOSYS)
		SKIP(goto out, "this kernel has no seccomp filters");
	ASSERT_EQ(0, kernel_answers(&f.prog, calls, n, r))
	{
		TH_LOG("the kernel refused the filter for '%s': %s", text,
		       strerror(r->load_errno));
	}
	ps_oracle_init(&o, &p, opt, NULL);
	for (i = 0; i < n; i++) {
		struct ps_verdict v = ps_oracle_decide(&o, &calls[i]);
		uint32_t bpf =
			ps_bpf_run(f.prog.filter, f.prog.len, &calls[i], NULL);
		char call[256], w[32], k[32], b[32];

		if (ps_verdict_ok(&v, r->result[i]) && bpf == r->result[i])
			continue;
		if (differ++ < 8)
			TH_LOG("%s: kernel %s, oracle %s, interpreter %s",
			       ps_call_name(&calls[i], call, sizeof(call)),
			       ps_ret_name(r->result[i], k, sizeof(k)),
			       ps_ret_name(v.want, w, sizeof(w)),
			       ps_ret_name(bpf, b, sizeof(b)));
	}
	ps_oracle_free(&o);
	EXPECT_EQ(0, differ)
	{
		TH_LOG("'%s': %u of %u real calls differ", text, differ, n);
	}
out:
	ps_filter_free(&f);
	ps_policy_free(&p);
	munmap(r, sizeof(*r));
	free(calls);
	free(full);
}

static void kernel_check(struct __test_metadata *_metadata, const char *text,
			 const struct ps_filter_options *opt,
			 unsigned int per_syscall)
{
	kernel_check_typed(_metadata, text, opt, per_syscall, false);
}

static const struct ps_filter_options errno_default = {
	.default_set = true,
	.default_action = ERRNO_ACT(4000),
};

TEST(kernel_mmap_shape)
{
	kernel_check(
		_metadata,
		"getppid: arg1 < 4096 || arg1 >= 0x1000000000; return 101\n"
		"getpid: arg0 >= 0x1000 && arg0 < 0x100000 || arg0 > 0xffffffff; return 102",
		&errno_default, 400);
}

TEST(kernel_signed_edges)
{
	kernel_check(
		_metadata,
		"getppid: arg0 < 0x80000000 && arg1 > 0xffffffff7fffffff || arg2 == 0xffffffff80000000; return 111\n"
		"getuid: arg0 <= 0x7fffffff || arg0 >= 0xffffffff80000000; return 112\n"
		"getgid: arg3 > 0x7fffffff && arg3 < 0x80000001; return 113",
		&errno_default, 400);
}

TEST(kernel_both_halves)
{
	kernel_check(
		_metadata,
		"getppid: arg0 == 0x100000001 || arg1 == 0xffffffff || arg2 == 0xffffffff00000000; return 121\n"
		"getpid: arg4 != 0x100000000 && arg5 != 0x1; return 122\n"
		"geteuid: arg0 >= 0x100000000 && arg0 <= 0x1ffffffff; return 123",
		&errno_default, 400);
}

TEST(kernel_masks)
{
	kernel_check(
		_metadata,
		"getppid: arg0 & 0x8000000100000001 && arg1 in 0xffff0000ffff; return 131\n"
		"getegid: arg2 in ~0x80000000 || arg3 & 0xf0; return 132\n"
		"gettid: arg0 in 0xfff && arg0 > 0x10 || arg0 & 0x100000000 && arg0 < 0x100000100; return 133",
		&errno_default, 400);
}

TEST(kernel_ranges_and_merges)
{
	kernel_check(
		_metadata,
		"getppid: arg3 >= 0x10 && arg3 <= 0x20 || arg3 > 0xfffffffff && arg3 < 0x1000000010\n"
		"getppid: arg4 == 7\n"
		"getpid: arg0 >= 3 && arg0 <= 10 || arg0 >= 100 && arg0 < 200 || arg0 != 0x5 && arg1 == 2; return 141\n"
		"getuid: arg1 != 0x5401 && arg1 != 0x80000000 && arg0 != 0xffffffffffffffff; return 142",
		&errno_default, 400);
}

TEST(kernel_return_0_and_4095)
{
	kernel_check(_metadata,
		     "getppid: arg0 == 0; return 0\n"
		     "getpid: arg0 == 0; return 4095\n"
		     "gettid: return 0",
		     &errno_default, 100);
}

/* kill-process where a rule fails: each kill costs a child, so few calls */
TEST(kernel_default_kill)
{
	struct ps_filter_options kill = { 0 };

	kernel_check(_metadata,
		     "getppid: arg1 < 4096 || arg1 >= 0x1000000000\n"
		     "getpid: arg0 & 0x100000000",
		     &kill, 40);
}

/*
 * Arguments as the kernel reads them: pid_t (int) and unsigned int
 * parameters with garbage above their low halves, natively and as i386
 * calls from this 64-bit process, whose registers int 0x80 passes whole.
 */
TEST(kernel_int_args_upper_halves)
{
	kernel_check_typed(
		_metadata,
		"getpgid: arg0 == 0 || arg0 == -1; return 151\n"
		"getsid: arg0 != 0 && arg0 < 0x80000000\n"
		"fsync: arg0 == 0x7fffffff || arg0 > 0xfffffff0; return 153",
		&errno_default, 300, true);
}

TEST(kernel_i386_registers)
{
	static const struct ps_filter_options all = {
		.default_set = true,
		.default_action = ERRNO_ACT(4000),
		.arch_all = true,
	};

	if (!int80_works())
		SKIP(return, "this kernel runs no i386 calls (int 0x80)");
	kernel_check_typed(
		_metadata,
		"getpgid: arg0 == 0 || arg0 >= 0xffffffff80000000; return 161\n"
		"getsid: arg0 == 0\n"
		"fsync: arg0 != 2 && arg0 <= 0x7fffffff; return 163",
		&all, 300, true);
}

/*
 * The effect, not only the filter's answer: getpgid(0x100000000) is
 * getpgid(0) to the kernel, which a rule refusing pid 0 must refuse too,
 * natively and through int 0x80 (a compare on 64 bits let both run and
 * return the caller's own group).
 */
TEST(kernel_upper_half_is_no_bypass)
{
	static const char text[] =
		"getpgid: arg0 != 0\nexit_group: 1\nexit: 1\n";
	static const uint64_t pids[] = { 0x100000000ULL,
					 0xffffffff00000000ULL };
	struct ps_filter_options opt = {
		.default_set = true,
		.default_action = ERRNO_ACT(77),
		.arch_all = true,
	};
	long *got = mmap(NULL, 2 * ARRAY_SIZE(pids) * sizeof(*got),
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
			 0);
	bool i386 = int80_works();
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, got);
	ASSERT_EQ(0, load_text(&p, text));
	ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f.prog))
			raw_exit(1);
		for (i = 0; i < ARRAY_SIZE(pids); i++) {
			struct seccomp_data d = { .nr = ps_syscall_lookup_arch(
							  PS_ARCH_I386,
							  "getpgid"),
						  .args = { pids[i] } };

			errno = 0;
			got[2 * i] = syscall(__NR_getpgid, pids[i]) == -1 ?
					     -errno :
					     0;
			got[2 * i + 1] = i386 ? (int)int80(&d) : -77;
		}
		raw_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < ARRAY_SIZE(pids); i++) {
		EXPECT_EQ(-77, got[2 * i])
		{
			TH_LOG("getpgid(%#llx) ran: the kernel took it as getpgid(0)",
			       (unsigned long long)pids[i]);
		}
		EXPECT_EQ(-77, got[2 * i + 1])
		{
			TH_LOG("i386 getpgid(%#llx) ran: %ld",
			       (unsigned long long)pids[i], got[2 * i + 1]);
		}
	}
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/*
 * The issue's own call: mmap(NULL, 0x1000) under that rule gets the
 * default action from the kernel; sizes in either range are mapped.
 */
TEST(kernel_mmap_refused)
{
	static const char text[] = "mmap: arg1 < 4096 || arg1 >= 0x1000000000\n"
				   "munmap: 1\nexit_group: 1\nexit: 1\n";
	static const uint64_t sizes[] = { 0x1000, 0xfff, 0x1000000000ULL,
					  0x10000 };
	static const uint32_t want[] = {
		SECCOMP_RET_ERRNO | 77,
		SECCOMP_RET_ALLOW,
		SECCOMP_RET_ALLOW,
		SECCOMP_RET_ERRNO | 77,
	};
	/* the default action refuses: errno 77 tells it from a real failure */
	struct ps_filter_options opt = {
		.default_set = true,
		.default_action = ERRNO_ACT(77),
	};
	uint32_t *got = mmap(NULL, ARRAY_SIZE(sizes) * sizeof(*got),
			     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			     -1, 0);
	struct ps_policy p;
	struct ps_filter f;
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, got);
	ASSERT_EQ(0, load_text(&p, text));
	ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f.prog))
			raw_exit(1);
		/* raw calls: the sanitizers intercept mmap() */
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			long m = syscall(__NR_mmap, NULL, sizes[i], PROT_NONE,
					 MAP_PRIVATE | MAP_ANONYMOUS |
						 MAP_NORESERVE,
					 -1, 0);

			got[i] = m == -1 ? SECCOMP_RET_ERRNO | (uint32_t)errno :
					   SECCOMP_RET_ALLOW;
			if (m != -1)
				syscall(__NR_munmap, m, sizes[i]);
		}
		raw_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
	{
		TH_LOG("the child did not finish: status %#x", status);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char w[32], g[32];

		EXPECT_EQ(want[i], got[i])
		{
			TH_LOG("mmap(NULL, %#llx): want %s, got %s",
			       (unsigned long long)sizes[i],
			       ps_ret_name(want[i], w, sizeof(w)),
			       ps_ret_name(got[i], g, sizeof(g)));
		}
	}
	ps_filter_free(&f);
	ps_policy_free(&p);
}

TEST_HARNESS_MAIN
