/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Agents: processes that a test arranges into a tree and then asks to do one
 * thing at a time (attach to a pid, set a ptracer exception, fork a child,
 * exec).  Ptrace scope is decided by who is whose ancestor, so the tests need
 * real trees of real processes, and a way to ask any one of them to act.
 *
 * Each agent serves one mailbox in a memfd shared by the whole tree; the
 * memfd survives exec (its number is passed in argv), so an agent can exec
 * this same binary and go on serving.  A test binary that uses agents calls
 * agent_main() first thing in main().
 */
#ifndef PINSCOPE_AGENTS_H
#define PINSCOPE_AGENTS_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_AGENTS 32
#define AGENT_TIMEOUT_MS 10000

enum agent_op {
	OP_NONE,
	OP_SPAWN,		/* arg: the new agent's mailbox; val: its pid */
	OP_ATTACH,		/* PTRACE_ATTACH, wait for the stop, detach */
	OP_SEIZE,		/* PTRACE_SEIZE, then detach */
	OP_OPEN_MEM,		/* open /proc/PID/mem */
	OP_VM_READV,		/* process_vm_readv of a word the target has */
	OP_PIDFD_GETFD,		/* pidfd_getfd of the target's fd 0 */
	OP_SET_PTRACER,		/* prctl(PR_SET_PTRACER, arg) */
	OP_SET_PTRACER_THREAD,	/* the same, from a second thread */
	OP_TRACEME_CHILD,	/* fork a child that does PTRACE_TRACEME */
	OP_EXEC,		/* exec this binary (or the path in text) */
	OP_EXEC_THREAD,		/* the same, from a second thread */
	OP_UNSHARE_USERNS,	/* move into a new user namespace */
	OP_SETNS_USERNS,	/* setns() into the user namespace of pid arg */
	OP_GETPID,
	OP_EXIT,
};

struct mailbox {
	int seq;		/* a request is pending while seq != ack */
	int ack;
	int op;
	long arg;
	char text[256];
	long val;
	int err;		/* 0 or the errno of the operation */
};

struct agents {
	struct mailbox *box;
	int memfd;
	pid_t pid[MAX_AGENTS];
	int count;
};

/* Any mapped word: static, non-PIE test binaries have it at one address. */
static long agent_probe_word = 0x70696e73;

static noreturn void agent_serve(struct mailbox *boxes, int memfd, int idx);

static int agent_exec(int memfd, int idx, const char *path)
{
	char fd_s[16], idx_s[16];
	char *const argv[] = { "pinscope-agent", "--agent", fd_s, idx_s, NULL };

	snprintf(fd_s, sizeof(fd_s), "%d", memfd);
	snprintf(idx_s, sizeof(idx_s), "%d", idx);
	execv(path[0] ? path : "/proc/self/exe", argv);
	return errno;
}

struct thread_req {
	long arg;
	int err;
};

struct exec_req {
	int memfd, idx, err;
	const char *path;
};

static void *exec_thread(void *p)
{
	struct exec_req *req = p;

	req->err = agent_exec(req->memfd, req->idx, req->path);
	return NULL;
}

static void *set_ptracer_thread(void *p)
{
	struct thread_req *req = p;

	req->err = prctl(PR_SET_PTRACER, req->arg, 0, 0, 0) ? errno : 0;
	return NULL;
}

static int attach_and_detach(pid_t pid, int request)
{
	int status;

	if (ptrace(request, pid, NULL, NULL))
		return errno;
	if (request == PTRACE_ATTACH)
		waitpid(pid, &status, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

static int vm_readv(pid_t pid)
{
	long word = 0;
	struct iovec local = { &word, sizeof(word) };
	struct iovec remote = { &agent_probe_word, sizeof(word) };

	if (syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0) < 0)
		return errno;
	return word == agent_probe_word ? 0 : EIO;
}

static int pidfd_getfd_of(pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), fd, err = 0;

	if (pidfd < 0)
		return errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	if (fd < 0)
		err = errno;
	else
		close(fd);
	close(pidfd);
	return err;
}

static int open_mem(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A child that asks its parent (this agent) to trace it. */
/* Join the user namespace of @pid, as its owner may: 0 or the errno. */
static int setns_userns(pid_t pid)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	err = setns(fd, CLONE_NEWUSER) ? errno : 0;
	close(fd);
	return err;
}

static int traceme_child(void)
{
	int status, err;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? errno : 0);
	/* a child that did not exit on its own gives no answer: EIO */
	err = waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ?
	      EIO : WEXITSTATUS(status);
	return err;
}

static void agent_handle(struct mailbox *boxes, int memfd, int idx)
{
	struct mailbox *b = &boxes[idx];
	struct thread_req req;
	pthread_t thread;
	int child_idx;
	pid_t pid;

	b->err = 0;
	switch (b->op) {
	case OP_SPAWN:
		/* read before fork: the box is reused once this call is acked */
		child_idx = (int)b->arg;
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			agent_serve(boxes, memfd, child_idx);
		}
		b->val = pid;
		b->err = pid < 0 ? errno : 0;
		break;
	case OP_ATTACH:
		b->err = attach_and_detach(b->arg, PTRACE_ATTACH);
		break;
	case OP_SEIZE:
		b->err = attach_and_detach(b->arg, PTRACE_SEIZE);
		break;
	case OP_OPEN_MEM:
		b->err = open_mem(b->arg);
		break;
	case OP_VM_READV:
		b->err = vm_readv(b->arg);
		break;
	case OP_PIDFD_GETFD:
		b->err = pidfd_getfd_of(b->arg);
		break;
	case OP_SET_PTRACER:
		b->err = prctl(PR_SET_PTRACER, b->arg, 0, 0, 0) ? errno : 0;
		break;
	case OP_SET_PTRACER_THREAD:
		req.arg = b->arg;
		req.err = EIO;
		if (pthread_create(&thread, NULL, set_ptracer_thread, &req) == 0)
			pthread_join(thread, NULL);
		b->err = req.err;
		break;
	case OP_TRACEME_CHILD:
		b->err = traceme_child();
		break;
	case OP_EXEC:
		/* acknowledged by the new image when it starts serving */
		b->err = agent_exec(memfd, idx, b->text);
		break;
	case OP_EXEC_THREAD: {
		/* de_thread() ends this thread if the exec succeeds */
		struct exec_req ereq = { memfd, idx, EIO, b->text };

		if (pthread_create(&thread, NULL, exec_thread, &ereq) == 0)
			pthread_join(thread, NULL);
		b->err = ereq.err;
		break;
	}
	case OP_UNSHARE_USERNS:
		b->err = unshare(CLONE_NEWUSER) ? errno : 0;
		break;
	case OP_SETNS_USERNS:
		b->err = setns_userns(b->arg);
		break;
	case OP_GETPID:
		b->val = getpid();
		break;
	case OP_EXIT:
		__atomic_store_n(&b->ack, b->seq, __ATOMIC_RELEASE);
		_exit(0);
	}
}

static void agent_serve(struct mailbox *boxes, int memfd, int idx)
{
	struct mailbox *b = &boxes[idx];

	for (;;) {
		int seq = __atomic_load_n(&b->seq, __ATOMIC_ACQUIRE);

		if (seq != __atomic_load_n(&b->ack, __ATOMIC_ACQUIRE)) {
			agent_handle(boxes, memfd, idx);
			__atomic_store_n(&b->ack, seq, __ATOMIC_RELEASE);
			continue;
		}
		/* reap children that exited; agents never wait otherwise */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(200);
	}
}

/*
 * In main(), before anything else: an exec'd agent goes back to serving.
 * The exec that brought it here was a request, which it now acknowledges.
 */
static void agent_main(int argc, char **argv)
{
	struct mailbox *boxes;
	int memfd, idx;

	if (argc != 4 || strcmp(argv[1], "--agent"))
		return;
	memfd = atoi(argv[2]);
	idx = atoi(argv[3]);
	boxes = mmap(NULL, sizeof(*boxes) * MAX_AGENTS, PROT_READ | PROT_WRITE,
		     MAP_SHARED, memfd, 0);
	if (boxes == MAP_FAILED || idx < 0 || idx >= MAX_AGENTS)
		_exit(127);
	/*
	 * A setuid exec: behave like a setuid program that drops back to its
	 * caller's uid, so that only the LSM, not DAC, decides who may trace.
	 */
	if (geteuid() != getuid()) {
		if (setresuid(getuid(), getuid(), getuid()))
			_exit(126);
		prctl(PR_SET_DUMPABLE, 1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	boxes[idx].val = getpid();
	boxes[idx].err = 0;
	__atomic_store_n(&boxes[idx].ack, boxes[idx].seq, __ATOMIC_RELEASE);
	agent_serve(boxes, memfd, idx);
}

static int agents_init(struct agents *a)
{
	memset(a, 0, sizeof(*a));
	a->memfd = memfd_create("pinscope-agents", 0);	/* kept across exec */
	if (a->memfd < 0 || ftruncate(a->memfd, sizeof(*a->box) * MAX_AGENTS))
		return -1;
	a->box = mmap(NULL, sizeof(*a->box) * MAX_AGENTS, PROT_READ | PROT_WRITE,
		      MAP_SHARED, a->memfd, 0);
	return a->box == MAP_FAILED ? -1 : 0;
}

/* Ask agent @idx to do @op; returns 0 or the errno it reported. */
static int agent_call_text(struct agents *a, int idx, int op, long arg, const char *text)
{
	struct mailbox *b = &a->box[idx];
	int seq = b->seq + 1, waited = 0, err;

	b->op = op;
	b->arg = arg;
	snprintf(b->text, sizeof(b->text), "%s", text ? text : "");
	__atomic_store_n(&b->seq, seq, __ATOMIC_RELEASE);
	while (__atomic_load_n(&b->ack, __ATOMIC_ACQUIRE) != seq) {
		if (op == OP_EXIT && kill(a->pid[idx], 0) && errno == ESRCH)
			return 0;
		if (++waited > AGENT_TIMEOUT_MS * 5) {
			err = ETIMEDOUT;	/* the agent is stuck or gone */
			return err;
		}
		usleep(200);
	}
	return b->err;
}

static int agent_call(struct agents *a, int idx, int op, long arg)
{
	return agent_call_text(a, idx, op, arg, NULL);
}

/*
 * A new agent: the child of agent @parent, or of the test itself when
 * @parent is -1, running as @uid (from root) when @uid is not -1.
 * Returns its index, or -1.
 */
static int agent_spawn(struct agents *a, int parent, uid_t uid)
{
	int idx = a->count;
	pid_t pid;

	if (idx >= MAX_AGENTS)
		return -1;
	if (parent < 0) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			if (uid != (uid_t)-1 &&
			    (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			     setresuid(uid, uid, uid)))
				_exit(126);
			/* what exec would have done for a login's process */
			prctl(PR_SET_DUMPABLE, 1);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			agent_serve(a->box, a->memfd, idx);
		}
	} else {
		if (agent_call(a, parent, OP_SPAWN, idx))
			return -1;
		pid = a->box[parent].val;
	}
	a->pid[idx] = pid;
	a->count++;
	return idx;
}

static void agents_kill(struct agents *a)
{
	for (int i = a->count - 1; i >= 0; i--)
		if (a->pid[i] > 0)
			kill(a->pid[i], SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* the harness's own main, renamed by the test (its internals differ between kernels) */
int harness_main(int argc, char **argv);

/*
 * main() of a test binary that uses agents: an exec'd agent goes back to
 * serving before the harness runs. The test ends with
 *
 *	#define main harness_main
 *	TEST_HARNESS_MAIN
 *	#undef main
 *
 *	int main(int argc, char **argv)
 *	{
 *		return agents_main(argc, argv);
 *	}
 */
static inline int agents_main(int argc, char **argv)
{
	agent_main(argc, argv);
	return harness_main(argc, argv);
}

#endif /* PINSCOPE_AGENTS_H */
