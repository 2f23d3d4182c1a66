// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's seccomp records as the launcher reads them from /dev/kmsg
 * (kernlog.h): the kernel's own record is taken whole, and nothing a
 * process of the sandbox can put in the log passes for one (a line it
 * writes to /dev/kmsg, or a kernel line quoting a file name it chose).
 */
#include <string.h>

#include "kernlog.h"

#include "kselftest_harness.h"

TEST(the_kernels_record_is_read_whole)
{
	struct ps_seccomp_record r;
	const char *line =
		"5,880,1467493499,-;audit: type=1326 audit(1796620642.539:12045): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=30569 comm=\"myos\" exe=\"/x/myos\" sig=31 arch=c000003e syscall=63 compat=0 ip=0x7f48d5e2fb07 code=0x80000000\n";

	ASSERT_TRUE(ps_kernlog_parse(line, &r));
	EXPECT_EQ(30569, r.pid);
	EXPECT_EQ(31, r.sig);
	EXPECT_EQ(0xc000003eU, r.arch);
	EXPECT_EQ(63, r.nr);
	EXPECT_EQ(0x80000000U, r.code);
	EXPECT_STREQ("myos", r.comm);
	EXPECT_STREQ("/x/myos", r.exe);
}

/* audit writes a comm with a space or a quote in hex: it cannot forge exe= */
TEST(a_hex_comm_is_decoded_and_forges_nothing)
{
	struct ps_seccomp_record r;
	const char *line =
		"5,880,1467493499,-;audit: type=1326 audit(1796620642.539:12046): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=7 comm=6120657865223D2278 exe=\"/bin/true\" sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x50001\n";

	ASSERT_TRUE(ps_kernlog_parse(line, &r));
	EXPECT_STREQ("a exe\"=\"x", r.comm);
	EXPECT_STREQ("/bin/true", r.exe);
}

TEST(a_line_a_process_writes_is_not_a_record)
{
	struct ps_seccomp_record r;
	/* written to /dev/kmsg: LOG_USER (12 = facility 1, level 4) */
	const char *user =
		"12,1439,2673432170,-;audit: type=1326 audit(1.1:1): pid=1 sig=31 arch=c000003e syscall=101 compat=0 ip=0x1 code=0x80000000\n";
	/* the kernel's segfault line, quoting a file name the process chose */
	const char *quoted =
		"6,881,1467733264,-;x[30559]: segfault at 0 ip 1 sp 2 error 6 in x type=1326 pid=30559 sig=31 arch=c000003e syscall=101 code=0x80000000 y[2912,557bfa330000+2000]\n";

	EXPECT_FALSE(ps_kernlog_parse(user, &r));
	EXPECT_FALSE(ps_kernlog_parse(quoted, &r));
	EXPECT_FALSE(ps_kernlog_parse("garbage", &r));
	EXPECT_FALSE(ps_kernlog_parse(
		"0,1,2,-;audit: type=1326 audit(1.1:1): pid=7\n", &r));
}

/*
 * Landlock's records (6.15+) as Documentation/admin-guide/LSM/landlock.rst
 * shows them: the denial, who made the domain, and the call of the same
 * event; a process's own line is none of them.
 */
TEST(landlock_records_are_read)
{
	struct ps_landlock_record r;
	const char *access =
		"5,900,1,-;audit: type=1423 audit(1729738800.268:30): domain=1a6fdc66f blockers=fs.write_file,fs.read_file path=\"/dev/tty\" dev=\"devtmpfs\" ino=11\n";
	const char *domain =
		"5,901,1,-;audit: type=1424 audit(1729738800.268:30): domain=1a6fdc66f status=allocated mode=enforcing pid=286 uid=0 exe=\"/root/sandboxer\" comm=\"sandboxer\"\n";
	const char *call =
		"5,902,1,-;audit: type=1300 audit(1729738800.268:30): arch=c000003e syscall=257 success=no exit=-13 a0=ffffffffffffff9c ppid=272 pid=286 auid=0 uid=0\n";
	const char *other_call =
		"5,903,1,-;audit: type=1300 audit(1729738800.300:31): arch=c000003e syscall=2 success=yes pid=9\n";
	const char *forged =
		"14,904,1,-;audit: type=1424 audit(1729738800.268:30): domain=1a6fdc66f status=allocated mode=enforcing pid=1 uid=0\n";

	ASSERT_TRUE(ps_kernlog_parse_landlock(access, &r));
	EXPECT_EQ(PS_AUDIT_LANDLOCK_ACCESS, r.type);
	EXPECT_EQ(0x1a6fdc66fULL, r.domain);
	EXPECT_EQ(30UL, r.serial);
	EXPECT_STREQ("fs.write_file,fs.read_file", r.blockers);
	EXPECT_STREQ("path=\"/dev/tty\" dev=\"devtmpfs\" ino=11", r.object);
	ASSERT_TRUE(ps_kernlog_parse_landlock(domain, &r));
	EXPECT_EQ(PS_AUDIT_LANDLOCK_DOMAIN, r.type);
	EXPECT_EQ(286, r.pid);
	EXPECT_EQ(0x1a6fdc66fULL, r.domain);
	ASSERT_TRUE(ps_kernlog_parse_landlock(call, &r));
	EXPECT_EQ(257, r.nr);
	/* a call of another event is not a denial's */
	EXPECT_FALSE(ps_kernlog_parse_landlock(other_call, &r));
	/* LOG_USER: what a process writes to /dev/kmsg */
	EXPECT_FALSE(ps_kernlog_parse_landlock(forged, &r));
}

TEST_HARNESS_MAIN
