// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument values named from their own family (argnames.h), against the
 * system headers' own macros: the commands, options and flags a test
 * writes as F_SETFD or CLONE_VM here must come back as those names, and
 * the other constants that share their values (F_SEAL_SHRINK, F_EXLCK,
 * PR_SET_MM_MAP_SIZE, TIOCINQ, TCP_MAXWIN, AF_LOCAL) never. Syscall numbers
 * come from <sys/syscall.h>, not from pinscope's tables.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>

#include "argnames.h"
#include "policy.h"

#include "kselftest_harness.h"

struct named {
	uint64_t value;
	const char *name;
};

#define N(x)                      \
	{                         \
		(uint64_t)(x), #x \
	}

/* ps_arg_name's answer, or "(none)" */
static const char *name_of(int nr, unsigned int arg, uint64_t v)
{
	static char buf[PS_ARG_NAME_MAX];
	const char *s = ps_arg_name(nr, arg, v, buf, sizeof(buf));

	return s ? s : "(none)";
}

static void expect_all(struct __test_metadata *_metadata, int nr,
		       unsigned int arg, const struct named *n, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		EXPECT_STREQ(n[i].name, name_of(nr, arg, n[i].value))
		{
			TH_LOG("syscall %d arg%u value %#llx", nr, arg,
			       (unsigned long long)n[i].value);
		}
}

TEST(fcntl_commands_not_seals_or_lock_types)
{
	static const struct named cmds[] = {
		N(F_DUPFD),	 N(F_GETFD),	  N(F_SETFD),
		N(F_GETFL),	 N(F_SETFL),	  N(F_GETLK),
		N(F_SETLK),	 N(F_SETLKW),	  N(F_SETOWN),
		N(F_GETOWN),	 N(F_SETSIG),	  N(F_GETSIG),
		N(F_SETOWN_EX),	 N(F_GETOWN_EX),  N(F_OFD_GETLK),
		N(F_OFD_SETLK),	 N(F_OFD_SETLKW), N(F_SETLEASE),
		N(F_GETLEASE),	 N(F_NOTIFY),	  N(F_DUPFD_CLOEXEC),
		N(F_SETPIPE_SZ), N(F_GETPIPE_SZ), N(F_ADD_SEALS),
		N(F_GET_SEALS),
	};

	/* the values the issue saw misnamed, and why they could be */
	ASSERT_EQ(F_SETFD, F_SEAL_SHRINK);
	ASSERT_EQ(F_SETFL, F_EXLCK);
	expect_all(_metadata, SYS_fcntl, 1, cmds, ARRAY_SIZE(cmds));
	/* F_GETLK64 is F_GETLK on x86_64: the command's own name wins */
	EXPECT_STREQ("F_GETLK", name_of(SYS_fcntl, 1, F_GETLK64));
	EXPECT_STREQ("(none)", name_of(SYS_fcntl, 1, 4096));
	/* the fd, arg0, is no command */
	EXPECT_STREQ("(none)", name_of(SYS_fcntl, 0, F_SETFD));
}

TEST(prctl_options_not_sub_options)
{
	static const struct named opts[] = {
		N(PR_SET_PDEATHSIG),
		N(PR_GET_PDEATHSIG),
		N(PR_GET_DUMPABLE),
		N(PR_SET_NAME),
		N(PR_GET_NAME),
		N(PR_SET_MM),
		N(PR_CAP_AMBIENT),
		N(PR_SET_NO_NEW_PRIVS),
		N(PR_GET_NO_NEW_PRIVS),
		N(PR_SET_PTRACER),
		N(PR_SET_SECCOMP),
		N(PR_CAPBSET_READ),
		N(PR_SET_CHILD_SUBREAPER),
		N(PR_SET_VMA),
		N(PR_SET_TIMERSLACK),
		N(PR_GET_SECUREBITS),
	};

	ASSERT_EQ(PR_SET_NAME, PR_SET_MM_MAP_SIZE);
	ASSERT_EQ(PR_GET_PDEATHSIG, PR_CAP_AMBIENT_RAISE);
	expect_all(_metadata, SYS_prctl, 0, opts, ARRAY_SIZE(opts));
	/* a sub-option's value that is no option is no name at all */
	EXPECT_STREQ("(none)", name_of(SYS_prctl, 0, 0));
	EXPECT_STREQ("(none)", name_of(SYS_prctl, 0, 1000));
	/* PR_SET_MM's sub-option is arg1: not a family of ours */
	EXPECT_STREQ("(none)", name_of(SYS_prctl, 1, PR_SET_MM_MAP_SIZE));
}

TEST(ioctl_terminal_and_file_requests)
{
	static const struct named reqs[] = {
		N(TCGETS),     N(TCSETS),     N(TCSETSW),    N(TCSETSF),
		N(TCGETA),     N(TCSBRK),     N(TCXONC),     N(TCFLSH),
		N(TIOCGWINSZ), N(TIOCSWINSZ), N(TIOCGPGRP),  N(TIOCSPGRP),
		N(TIOCSCTTY),  N(TIOCGPTN),   N(TIOCSPTLCK), N(TIOCOUTQ),
		N(FIONREAD),   N(FIONBIO),    N(FIOCLEX),    N(FIONCLEX),
		N(FIOASYNC),
	};

	ASSERT_EQ(FIONREAD, TIOCINQ);
	expect_all(_metadata, SYS_ioctl, 1, reqs, ARRAY_SIZE(reqs));
	/* tcflush()/tcsetattr() arguments and TCP_ options are no requests */
	EXPECT_STREQ("(none)", name_of(SYS_ioctl, 1, TCSAFLUSH));
	EXPECT_STREQ("(none)", name_of(SYS_ioctl, 1, TCP_MAXWIN));
	EXPECT_STREQ("(none)", name_of(SYS_ioctl, 1, TIOCM_DSR));
	EXPECT_STREQ("(none)", name_of(SYS_ioctl, 1, 0x5499));
	EXPECT_STREQ("(none)", name_of(SYS_ioctl, 0, TIOCGWINSZ));
}

TEST(socket_families)
{
	static const struct named fams[] = {
		N(AF_UNSPEC),  N(AF_UNIX),   N(AF_INET),  N(AF_INET6),
		N(AF_NETLINK), N(AF_PACKET), N(AF_VSOCK),
	};

	/* aliases: the name man pages use */
	ASSERT_EQ(AF_UNIX, AF_LOCAL);
	ASSERT_EQ(AF_NETLINK, AF_ROUTE);
	expect_all(_metadata, SYS_socket, 0, fams, ARRAY_SIZE(fams));
	expect_all(_metadata, SYS_socketpair, 0, fams, ARRAY_SIZE(fams));
	EXPECT_STREQ("(none)", name_of(SYS_socket, 0, AF_MAX));
	/* the type, arg1, is not a family */
	EXPECT_STREQ("(none)", name_of(SYS_socket, 1, SOCK_STREAM));
}

TEST(protections_are_flags)
{
	int nrs[] = { SYS_mmap, SYS_mprotect, SYS_pkey_mprotect };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		EXPECT_STREQ("PROT_READ|PROT_WRITE",
			     name_of(nrs[i], 2, PROT_READ | PROT_WRITE));
		EXPECT_STREQ("PROT_READ|PROT_EXEC",
			     name_of(nrs[i], 2, PROT_READ | PROT_EXEC));
		EXPECT_STREQ("PROT_NONE", name_of(nrs[i], 2, PROT_NONE));
		EXPECT_STREQ("PROT_READ|0x10",
			     name_of(nrs[i], 2, PROT_READ | 0x10));
		EXPECT_STREQ("(none)", name_of(nrs[i], 2, 0x10));
		EXPECT_TRUE(ps_arg_is_flags(nrs[i], 2));
	}
	/* mmap's flags (arg3) are not PROT_ bits */
	EXPECT_STREQ("(none)", name_of(SYS_mmap, 3, MAP_PRIVATE));
	EXPECT_FALSE(ps_arg_is_flags(SYS_mmap, 3));
	EXPECT_FALSE(ps_arg_is_flags(SYS_ioctl, 1));
}

TEST(clone_flags_signal_and_leftover_bits)
{
	/* glibc's pthread_create and fork, as a tracer sees them */
	const uint64_t thread = CLONE_VM | CLONE_FS | CLONE_FILES |
				CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
				CLONE_SETTLS | CLONE_PARENT_SETTID |
				CLONE_CHILD_CLEARTID;
	const uint64_t fork = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
			      SIGCHLD;

	EXPECT_STREQ("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|"
		     "CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
		     "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID",
		     name_of(SYS_clone, 0, thread));
	EXPECT_STREQ("SIGCHLD|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID",
		     name_of(SYS_clone, 0, fork));
	/* a bit no CLONE_ has, in hex, after the named ones */
	EXPECT_STREQ("CLONE_VM|CLONE_THREAD|0x10000000000",
		     name_of(SYS_clone, 0,
			     CLONE_VM | CLONE_THREAD | (1ULL << 40)));
	/*
	 * clone's low byte is the exit signal: 0x40 is neither
	 * CLONE_ARGS_SIZE_VER0 nor a signal policies can name
	 */
	EXPECT_STREQ("CLONE_VM|0x40", name_of(SYS_clone, 0, CLONE_VM | 0x40));
	EXPECT_STREQ("SIGCHLD", name_of(SYS_clone, 0, SIGCHLD));
	EXPECT_STREQ("(none)", name_of(SYS_clone, 0, 0));
	/* unshare has no signal byte: 0x80 is CLONE_NEWTIME there */
	EXPECT_STREQ("CLONE_NEWNS|CLONE_NEWUSER",
		     name_of(SYS_unshare, 0, CLONE_NEWNS | CLONE_NEWUSER));
	EXPECT_STREQ("CLONE_NEWTIME", name_of(SYS_unshare, 0, CLONE_NEWTIME));
	EXPECT_STREQ("CLONE_NEWNET", name_of(SYS_setns, 1, CLONE_NEWNET));
}

TEST(futex_operations)
{
	static const struct named ops[] = {
		N(FUTEX_WAIT),
		N(FUTEX_WAKE),
		N(FUTEX_WAIT_PRIVATE),
		N(FUTEX_WAKE_PRIVATE),
		N(FUTEX_WAIT_BITSET_PRIVATE),
		N(FUTEX_CMP_REQUEUE_PRIVATE),
		N(FUTEX_LOCK_PI),
	};

	expect_all(_metadata, SYS_futex, 1, ops, ARRAY_SIZE(ops));
	/* with the clock flag it is no single constant: the number */
	EXPECT_STREQ("(none)",
		     name_of(SYS_futex, 1,
			     FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME));
}

/*
 * Whatever is named must read back, in a policy, as the value it names:
 * learned policies are written with these names.
 */
TEST(every_name_is_a_constant_of_that_value)
{
	static const struct {
		int nr;
		unsigned int arg;
	} args[] = {
		{ SYS_fcntl, 1 },  { SYS_prctl, 0 }, { SYS_ioctl, 1 },
		{ SYS_socket, 0 }, { SYS_futex, 1 },
	};
	char buf[PS_ARG_NAME_MAX];
	unsigned int named = 0;
	size_t i;
	uint64_t v, back;

	for (i = 0; i < ARRAY_SIZE(args); i++)
		for (v = 0; v < 0x10000; v++) {
			const char *s = ps_arg_name(args[i].nr, args[i].arg, v,
						    buf, sizeof(buf));

			if (!s)
				continue;
			named++;
			ASSERT_TRUE(ps_constant_lookup(s, &back))
			{
				TH_LOG("%s is no constant", s);
			}
			ASSERT_EQ(v, back)
			{
				TH_LOG("%s names %#llx, but is %#llx", s,
				       (unsigned long long)v,
				       (unsigned long long)back);
			}
		}
	/* about 30 commands, 60 options, 70 requests, 45 families */
	EXPECT_GT(named, 150);
}

TEST(cut_names_stay_terminated)
{
	char small[8];
	const char *s = ps_arg_name(SYS_mmap, 2, PROT_READ | PROT_WRITE, small,
				    sizeof(small));

	ASSERT_NE(NULL, s);
	EXPECT_STREQ("PROT_RE", s);
	s = ps_arg_name(SYS_ioctl, 1, TIOCGWINSZ, small, sizeof(small));
	EXPECT_STREQ("TIOCGWI", s);
	EXPECT_EQ(NULL, ps_arg_name(SYS_ioctl, 1, TIOCGWINSZ, small, 0));
}

TEST(a_refused_call_reads_as_written)
{
	const uint64_t ioctl_args[6] = { 1, TIOCGWINSZ, 0x7ffd5e2c, 0, 0, 0 };
	const uint64_t mmap_args[6] = {
		0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, 3, 0
	};
	const uint64_t raw[6] = { 7, 0x5499, 0, 0, 0, 0 };
	char buf[PS_CALL_MAX];

	EXPECT_STREQ("ioctl(0x1, TIOCGWINSZ, 0x7ffd5e2c, 0, 0, 0)",
		     ps_call_format(SYS_ioctl, ioctl_args, buf, sizeof(buf)));
	EXPECT_STREQ("mmap(0, 0x1000, PROT_READ|PROT_EXEC, 0x2, 0x3, 0)",
		     ps_call_format(SYS_mmap, mmap_args, buf, sizeof(buf)));
	EXPECT_STREQ("ioctl(0x7, 0x5499, 0, 0, 0, 0)",
		     ps_call_format(SYS_ioctl, raw, buf, sizeof(buf)));
	/* too small: cut, but terminated */
	EXPECT_STREQ("ioctl(0x1, T",
		     ps_call_format(SYS_ioctl, ioctl_args, buf, 13));
}

TEST_HARNESS_MAIN
