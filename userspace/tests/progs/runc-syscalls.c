// SPDX-License-Identifier: GPL-2.0-only
/*
 * runc-syscalls test1|test2: the checks of runc's seccomp integration test
 * programs, rewritten (github.com/opencontainers/runc at
 * 76d9cf5da5683ff449ae967db58fa8c5927ca54b,
 * tests/integration/testdata/seccomp_syscall_test1.c and _test2.c), to be
 * run under their profiles (tests/oci-seccomp/runtimes/). Each call is a raw
 * syscall, so that glibc does not turn an ENOSYS into something else; each
 * failed check is printed, and the exit status is 32 if any failed.
 *
 * Changed from runc's: socket()'s expected result is "a descriptor" rather
 * than 3 and 4 (the launcher's descriptors need not be those of a fresh
 * container), and syscall 1000 is joined by 500 and the 6.12 tables' last
 * number + 1 (463), the numbers issue 22 names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int exit_code;

/* a descriptor: any non-negative result */
#define FD 0x7fffffff

static void check(const char *what, long ret, long want)
{
	long got = ret < 0 ? -errno : ret;

	if (want == FD ? got >= 0 : got == want)
		return;
	printf("%s: got %ld (%s), wanted %ld\n", what, got,
	       got < 0 ? strerror((int)-got) : "ok", want);
	exit_code = 32;
}

#define raw(...) syscall(__VA_ARGS__)

static void test1(void)
{
	/* basic permitted syscalls */
	check("write(-1)", write(-1, NULL, 0), -EBADF);
	/* a masked rule: the protocol's bits 0xf00 must be clear */
	check("socket(0x000)", raw(SYS_socket, AF_UNIX, SOCK_STREAM, 0x000),
	      FD);
	check("socket(0x0ff)", raw(SYS_socket, AF_UNIX, SOCK_STREAM, 0x0FF),
	      -EPROTONOSUPPORT);
	check("socket(0x001)", raw(SYS_socket, AF_UNIX, SOCK_STREAM, 0x001),
	      FD);
	check("socket(0x100)", raw(SYS_socket, AF_UNIX, SOCK_STREAM, 0x100),
	      -EPERM);
	check("socket(0xc00)", raw(SYS_socket, AF_UNIX, SOCK_STREAM, 0xC00),
	      -EPERM);
	/* one index twice: either comparison allows (runc: a rule each) */
	check("process_vm_readv(100)",
	      raw(SYS_process_vm_readv, 100, NULL, 0, NULL, 0, ~0UL), -EINVAL);
	check("process_vm_readv(9001)",
	      raw(SYS_process_vm_readv, 9001, NULL, 0, NULL, 0, ~0UL), -EINVAL);
	check("process_vm_readv(0)",
	      raw(SYS_process_vm_readv, 0, NULL, 0, NULL, 0, ~0UL), -EPERM);
	/* the same with an ERRNO(ENOANO) entry */
	check("process_vm_writev(1337)",
	      raw(SYS_process_vm_writev, 1337, NULL, 0, NULL, 0, ~0UL),
	      -ENOANO);
	check("process_vm_writev(2020)",
	      raw(SYS_process_vm_writev, 2020, NULL, 0, NULL, 0, ~0UL),
	      -ENOANO);
	check("process_vm_writev(0)",
	      raw(SYS_process_vm_writev, 0, NULL, 0, NULL, 0, ~0UL), -EPERM);
	/* two indexes: both must hold */
	check("ftruncate(123456789, 1337)", raw(SYS_ftruncate, 123456789, 1337),
	      -EBADF);
	check("ftruncate(123456789, 0)", raw(SYS_ftruncate, 123456789, 0),
	      -EPERM);
	check("ftruncate(500, 1337)", raw(SYS_ftruncate, 500, 1337), -EPERM);
	check("ftruncate(500, 500)", raw(SYS_ftruncate, 500, 500), -EPERM);
	/* two entries for one syscall: either allows */
	check("dup3(0)", raw(SYS_dup3, 0, -100, 0xFFFF), -EPERM);
	check("dup3(1)", raw(SYS_dup3, 1, -100, 0xFFFF), -EINVAL);
	check("dup3(2)", raw(SYS_dup3, 2, -100, 0xFFFF), -EPERM);
	check("dup3(3)", raw(SYS_dup3, 3, -100, 0xFFFF), -EINVAL);
	/* not named, below the highest named: the default, EPERM */
	check("unshare(0)", raw(SYS_unshare, 0), -EPERM);
	check("setns(0, 0)", raw(SYS_setns, 0, 0), -EPERM);
	/* above the highest named: ENOSYS (runc's stub) */
	check("syscall(1000)", raw(1000, 0xDEADBEEF, 0xCAFEFEED, 0x1337),
	      -ENOSYS);
	check("syscall(500)", raw(500, 0, 0, 0), -ENOSYS);
	check("syscall(463)", raw(463, 0, 0, 0), -ENOSYS);
}

static void test2(void)
{
	/* defaultErrnoRet 6: chdir is not named */
	check("chdir(/)", raw(SYS_chdir, "/"), -ENXIO);
}

int main(int argc, char **argv)
{
	if (argc != 2 ||
	    (strcmp(argv[1], "test1") && strcmp(argv[1], "test2"))) {
		fprintf(stderr, "usage: runc-syscalls test1|test2\n");
		return 2;
	}
	if (!strcmp(argv[1], "test1"))
		test1();
	else
		test2();
	if (!exit_code)
		printf("all passed\n");
	return exit_code;
}
