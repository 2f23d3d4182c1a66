// SPDX-License-Identifier: GPL-2.0-only
/*
 * Refused calls as messages show them (decode.h): only the arguments the
 * call has, strings read from the caller's memory, flags, modes, signals
 * and AT_FDCWD by name. The expected texts are written out here, the
 * values come from the system's headers: an oracle apart from the tables
 * the decoder reads.
 */
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode.h"

#include "kselftest_harness.h"

static const char *decode(int nr, uint64_t a0, uint64_t a1, uint64_t a2,
			  uint64_t a3, uint64_t a4, uint64_t a5)
{
	static char buf[PS_DECODE_MAX];
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };

	return ps_decode_call(PS_ARCH_X86_64, nr, args, PS_DECODE_SELF, buf,
			      sizeof(buf));
}

#define P(s) ((uint64_t)(uintptr_t)(s))

TEST(a_call_without_arguments_shows_none)
{
	EXPECT_STREQ("getpid()", decode(SYS_getpid, 2, 3, 4, 5, 6, 7));
}

TEST(a_path_is_read_and_a_mode_is_octal)
{
	/* umode_t keeps 16 bits: the upper ones never reach mkdir */
	EXPECT_STREQ("mkdir(\"/tmp/x\", 0755)",
		     decode(SYS_mkdir, P("/tmp/x"), 0xabcd0000 | 0755, 9, 9, 9,
			    9));
}

TEST(openat_names_the_current_directory_and_its_flags)
{
	EXPECT_STREQ(
		"openat(AT_FDCWD, \"/etc/x\", O_WRONLY|O_CREAT|O_CLOEXEC, 0644)",
		decode(SYS_openat, (uint32_t)AT_FDCWD, P("/etc/x"),
		       O_WRONLY | O_CREAT | O_CLOEXEC, 0644, 0, 0));
	EXPECT_STREQ("openat(3, \"a\", O_RDONLY|O_NONBLOCK|O_DIRECTORY, 0)",
		     decode(SYS_openat, 3, P("a"),
			    O_RDONLY | O_NONBLOCK | O_DIRECTORY, 0, 0, 0));
	/* O_TMPFILE holds O_DIRECTORY's bit: one name, not two */
	EXPECT_STREQ("openat(AT_FDCWD, \"/tmp\", O_RDWR|O_TMPFILE, 0600)",
		     decode(SYS_openat, (uint32_t)AT_FDCWD, P("/tmp"),
			    O_RDWR | O_TMPFILE, 0600, 0, 0));
	EXPECT_STREQ("unlinkat(AT_FDCWD, \"f\", 0)",
		     decode(SYS_unlinkat, 0xffffff9c, P("f"), 0, 0, 0, 0));
}

TEST(signals_are_named)
{
	EXPECT_STREQ("kill(1234, SIGTERM)",
		     decode(SYS_kill, 1234, SIGTERM, 0, 0, 0, 0));
	EXPECT_STREQ("tgkill(1, 2, SIGKILL)",
		     decode(SYS_tgkill, 1, 2, SIGKILL, 0, 0, 0));
	/* a pid is an int: -1 is every process, not 4294967295 */
	EXPECT_STREQ("kill(-1, 0)",
		     decode(SYS_kill, 0xffffffff, 0, 0, 0, 0, 0));
}

TEST(mmap_names_protections_and_flags)
{
	EXPECT_STREQ(
		"mmap(0, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, 0xffffffffffffffff, 0)",
		decode(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0));
	EXPECT_STREQ(
		"mprotect(0x7f0000000000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC)",
		decode(SYS_mprotect, 0x7f0000000000, 4096,
		       PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0));
}

TEST(ioctl_requests_and_clone_flags_are_named)
{
	EXPECT_STREQ("ioctl(1, TIOCGWINSZ, 0x7ffd5e2c)",
		     decode(SYS_ioctl, 1, TIOCGWINSZ, 0x7ffd5e2c, 0, 0, 0));
	EXPECT_STREQ("ioctl(7, 21657, 0)",
		     decode(SYS_ioctl, 7, 0x5499, 0, 0, 0, 0));
	EXPECT_STREQ(
		"clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, 0x7f1234560000, NULL, NULL, 0x7f1234567640)",
		decode(SYS_clone,
		       CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			       CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
			       CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		       0x7f1234560000, 0, 0, 0x7f1234567640, 0));
}

TEST(execve_names_the_program_and_its_arguments)
{
	const char *argv[] = { "id", "-u", "a \"quoted\"\n", NULL };
	const char *envp[] = { "SECRET=1", NULL };
	char want[256];

	snprintf(
		want, sizeof(want),
		"execve(\"/usr/bin/id\", [\"id\", \"-u\", \"a \\\"quoted\\\"\\n\"], %p)",
		(void *)envp);
	EXPECT_STREQ(want, decode(SYS_execve, P("/usr/bin/id"), P(argv),
				  P(envp), 0, 0, 0));
	/* the environment is not shown: it may hold secrets */
	EXPECT_EQ(NULL, strstr(decode(SYS_execve, P("/usr/bin/id"), P(argv),
				      P(envp), 0, 0, 0),
			       "SECRET"));
}

TEST(memory_out_of_reach_is_said_so)
{
	char buf[PS_DECODE_MAX];
	const uint64_t args[6] = { P("/tmp/x"), 0700, 0, 0, 0, 0 };

	EXPECT_STREQ("mkdir(<unreadable>, 0700)",
		     ps_decode_call(PS_ARCH_X86_64, SYS_mkdir, args,
				    PS_DECODE_NO_MEMORY, buf, sizeof(buf)));
	/* an address nothing is mapped at */
	EXPECT_STREQ("mkdir(<unreadable>, 0700)",
		     decode(SYS_mkdir, 8, 0700, 0, 0, 0, 0));
	EXPECT_STREQ("mkdir(NULL, 0700)",
		     decode(SYS_mkdir, 0, 0700, 0, 0, 0, 0));
}

TEST(a_string_at_the_end_of_the_memory_is_read)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, munmap(m + page, page));
	memcpy(m + page - 4, "end", 4);
	EXPECT_STREQ("mkdir(\"end\", 0)",
		     decode(SYS_mkdir, P(m + page - 4), 0, 0, 0, 0, 0));
	/* no NUL before the hole: what there is, cut */
	memcpy(m + page - 4, "abcd", 4);
	EXPECT_STREQ("mkdir(\"abcd\"..., 0)",
		     decode(SYS_mkdir, P(m + page - 4), 0, 0, 0, 0, 0));
	munmap(m, page);
}

TEST(a_long_string_is_cut)
{
	char path[1000];
	const char *s;

	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	s = decode(SYS_chdir, P(path), 0, 0, 0, 0, 0);
	EXPECT_EQ(0, strncmp(s, "chdir(\"aaaa", 11));
	EXPECT_NE(NULL, strstr(s, "a\"...)"));
	EXPECT_LT(strlen(s), 300);
}

TEST(another_process_is_read)
{
	static char path[64] = "/in/the/child";
	char buf[PS_DECODE_MAX];
	int go[2], ready[2];
	uint64_t args[6] = { P(path), 0751, 0, 0, 0, 0 };
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* the child's copy changes; the parent's does not */
		strcpy(path, "/the/child/wrote/this");
		(void)!write(ready[1], "", 1);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ps_decode_call(PS_ARCH_X86_64, SYS_mkdir, args, pid, buf, sizeof(buf));
	(void)!write(go[1], "", 1);
	waitpid(pid, NULL, 0);
	if (!strcmp(buf, "mkdir(<unreadable>, 0751)"))
		SKIP(return,
			   "no ptrace access to a child here (ptrace scope 3?)");
	EXPECT_STREQ("mkdir(\"/the/child/wrote/this\", 0751)", buf);
	/* gone: nothing is read */
	ps_decode_call(PS_ARCH_X86_64, SYS_mkdir, args, pid, buf, sizeof(buf));
	EXPECT_STREQ("mkdir(<unreadable>, 0751)", buf);
}

TEST(i386_calls_are_read_as_i386_takes_them)
{
	char buf[PS_DECODE_MAX];
	int kill32 = ps_syscall_lookup_arch(PS_ARCH_I386, "kill");
	int mmap32 = ps_syscall_lookup_arch(PS_ARCH_I386, "mmap");
	const uint64_t k[6] = { 0x100000005, 0xffffffff00000009, 0, 0, 0, 0 };
	const uint64_t m[6] = { 0xffffd000, 1, 2, 3, 4, 5 };

	ASSERT_LT(0, kill32);
	/* every i386 register is 32 bits */
	EXPECT_STREQ("kill(5, SIGKILL)",
		     ps_decode_call(PS_ARCH_I386, kill32, k,
				    PS_DECODE_NO_MEMORY, buf, sizeof(buf)));
	/* i386 mmap is old_mmap: one pointer to its arguments */
	EXPECT_STREQ("mmap(0xffffd000)",
		     ps_decode_call(PS_ARCH_I386, mmap32, m,
				    PS_DECODE_NO_MEMORY, buf, sizeof(buf)));
}

TEST(an_i386_execve_reads_32_bit_pointers)
{
	/* in the low 2 GiB, where an i386 pointer can point */
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	int nr = ps_syscall_lookup_arch(PS_ARCH_I386, "execve");
	char buf[PS_DECODE_MAX];
	uint32_t *argv;
	uint64_t args[6] = { 0 };

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_LT(0, nr);
	strcpy(m, "/bin/echo");
	strcpy(m + 16, "echo");
	strcpy(m + 32, "hi");
	argv = (uint32_t *)(m + 64);
	argv[0] = (uint32_t)(uintptr_t)(m + 16);
	argv[1] = (uint32_t)(uintptr_t)(m + 32);
	argv[2] = 0;
	args[0] = (uintptr_t)m;
	args[1] = (uintptr_t)argv;
	args[2] = 0;
	EXPECT_STREQ("execve(\"/bin/echo\", [\"echo\", \"hi\"], 0)",
		     ps_decode_call(PS_ARCH_I386, nr, args, PS_DECODE_SELF, buf,
				    sizeof(buf)));
	munmap(m, 4096);
}

TEST(an_unknown_call_shows_its_registers)
{
	char buf[PS_DECODE_MAX];
	const uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };

	EXPECT_STREQ("?(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)",
		     ps_decode_call(PS_ARCH_X86_64, 100000, args,
				    PS_DECODE_NO_MEMORY, buf, sizeof(buf)));
	/* cut, but terminated */
	ps_decode_call(PS_ARCH_X86_64, SYS_getpid, args, PS_DECODE_NO_MEMORY,
		       buf, 5);
	EXPECT_STREQ("getp", buf);
}

TEST_HARNESS_MAIN
