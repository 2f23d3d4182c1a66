// SPDX-License-Identifier: GPL-2.0
/*
 * What NoNewPrivs does not stop (the "Playing with prctl and seccomp"
 * post): a new user namespace hands an unprivileged process a full set of
 * capabilities over the namespaces it then creates, CAP_NET_RAW among them,
 * and with it the raw sockets of CVE-2016-8655 and its kind.
 *
 * usage: rawsock            report CAP_NET_RAW and try a raw ICMP socket
 *        rawsock --clone    start a thread (glibc's pthread_create tries
 *                           clone3 first, then clone), then clone a child
 *                           into a new user and network namespace, which
 *                           makes the same report
 * Exit status: 0 when a raw socket was opened, 1 when not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "?";
}

static int report(const char *who)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };
	int fd, raw;

	if (syscall(SYS_capget, &hdr, data)) {
		printf("%s: capget: %s\n", who, strerror(errno));
		return 1;
	}
	raw = !!(data[CAP_TO_INDEX(CAP_NET_RAW)].effective &
		 CAP_TO_MASK(CAP_NET_RAW));
	printf("%s: uid %d, CAP_NET_RAW %s\n", who, (int)getuid(),
	       raw ? "effective" : "not effective");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		printf("%s: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): %s (%s)\n",
		       who, errname(errno), strerror(errno));
		return 1;
	}
	printf("%s: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): opened\n", who);
	close(fd);
	return 0;
}

static void *thread_main(void *arg)
{
	return arg;
}

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg)
{
	return report(arg);
}

static int clone_report(void)
{
	pthread_t t;
	int err, status;
	pid_t pid;

	/* a program's ordinary threads must survive a clone policy */
	err = pthread_create(&t, NULL, thread_main, NULL);
	if (err) {
		printf("pthread_create: %s\n", strerror(err));
		return 1;
	}
	pthread_join(t, NULL);
	printf("a thread started and ended\n");

	pid = clone(child_main, child_stack + sizeof(child_stack),
		    CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD,
		    "child in a new user namespace");
	if (pid < 0) {
		printf("clone(CLONE_NEWUSER|CLONE_NEWNET|SIGCHLD): %s (%s)\n",
		       errname(errno), strerror(errno));
		return 1;
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--clone"))
		return clone_report();
	if (argc != 1) {
		fprintf(stderr, "usage: rawsock [--clone]\n");
		return 2;
	}
	return report("rawsock");
}
