// SPDX-License-Identifier: GPL-2.0-only
/*
 * llprobe OP ARGS: does what a program under Landlock rules would try,
 * and prints "ok" or "errno NAME" (tests/landlock.sh).
 *   read FILE | write FILE | exec FILE | truncate FILE | ioctl DEV
 *   rename FROM TO | link FROM TO | bind PORT | connect PORT
 *   kill-parent | uconnect NAME | ulisten NAME (outside the sandbox:
 *   listens on the abstract UNIX socket NAME for 10 s, for uconnect)
 *   fds: each descriptor above 2 it holds ("fd N TARGET readable|
 *   writable"), "none" if none: what a launcher might have left open,
 *   which Landlock does not check (it checks opens, not reads)
 *   parent-fds: the same through /proc/PPID/fd, or the errno
 *   write-mapped NAME: opens for writing the first file mapped into it
 *   whose path holds NAME (a preloaded library)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strerrorname_np, pipe2: also built without -D (selftests) */
#endif
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <dirent.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int said(int ret)
{
	if (ret < 0)
		printf("errno %s\n", strerrorname_np(errno));
	else
		printf("ok\n");
	return 0;
}

static int open_read(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
		return -1;
	return close(fd);
}

static int open_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	if (fd < 0 || write(fd, "x", 1) != 1)
		return -1;
	return close(fd);
}

/* exec FILE in a child; its exec error comes back through a pipe */
static int run(const char *path)
{
	int p[2], err = 0, status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		err = errno;
		(void)!write(p[1], &err, sizeof(err));
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	waitpid(pid, &status, 0);
	errno = err;
	return err ? -1 : 0;
}

static int tcp(const char *port, bool bind_it)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)atoi(port)),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ret;

	if (fd < 0)
		return -1;
	ret = bind_it ? bind(fd, (struct sockaddr *)&a, sizeof(a)) :
			connect(fd, (struct sockaddr *)&a, sizeof(a));
	/* nobody listens: refused is the kernel letting the connect go */
	if (ret < 0 && errno == ECONNREFUSED)
		ret = 0;
	return ret;
}

static socklen_t abstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path + 1, name, sizeof(a->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(name));
}

static int unix_listen(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract(&a, name);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) < 0 ||
	    listen(fd, 4) < 0)
		return -1;
	/* the test's sandboxed connect comes within seconds, or never */
	alarm(10);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
	return 0;
}

static int unix_connect(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract(&a, name);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	return connect(fd, (struct sockaddr *)&a, len);
}

/* The descriptors above 2 in DIR (/proc/self/fd, /proc/PPID/fd). */
static int list_fds(const char *dir)
{
	char path[300], target[256];
	struct dirent *e;
	int n = 0, fd;
	DIR *d = opendir(dir);

	if (!d)
		return said(-1);
	while ((e = readdir(d))) {
		char *end;
		long v = strtol(e->d_name, &end, 10);
		ssize_t len;

		if (*end || e->d_name[0] == '.' || v <= 2 || v == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		printf("fd %ld %s", v, target);
		/* reopened through /proc (Landlock checks that) or used as is */
		fd = (int)v;
		if (strcmp(dir, "/proc/self/fd"))
			fd = open(path, O_RDONLY);
		if (fd >= 0 && fcntl(fd, F_GETFL) >= 0)
			printf("%s%s",
			       (fcntl(fd, F_GETFL) & O_ACCMODE) != O_WRONLY &&
					       !(fcntl(fd, F_GETFL) & O_PATH) ?
				       " readable" :
				       "",
			       (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY ?
				       " writable" :
				       "");
		printf("\n");
		n++;
	}
	closedir(d);
	if (!n)
		printf("none\n");
	return 0;
}

/* the first file in /proc/self/maps whose path holds NAME, opened O_WRONLY */
static int write_mapped(const char *name)
{
	char line[512], *path;
	FILE *maps = fopen("/proc/self/maps", "re");
	int ret = -1;

	errno = ENOENT;
	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, name) && (path = strchr(line, '/'))) {
			path[strcspn(path, "\n")] = '\0';
			ret = open(path, O_WRONLY);
			break;
		}
	if (maps)
		fclose(maps);
	return ret;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : "";
	const char *b = argc > 3 ? argv[3] : "";
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(op, "read"))
		return said(open_read(a));
	if (!strcmp(op, "write"))
		return said(open_write(a));
	if (!strcmp(op, "exec"))
		return said(run(a));
	if (!strcmp(op, "truncate"))
		return said(truncate(a, 0));
	if (!strcmp(op, "rename"))
		return said(rename(a, b));
	if (!strcmp(op, "link"))
		return said(link(a, b));
	if (!strcmp(op, "bind"))
		return said(tcp(a, true));
	if (!strcmp(op, "connect"))
		return said(tcp(a, false));
	if (!strcmp(op, "ioctl")) {
		struct termios t;

		fd = open(a, O_RDONLY);
		if (fd < 0)
			return said(-1);
		return said(ioctl(fd, TCGETS, &t) < 0 && errno == ENOTTY ? 0 :
									   -1);
	}
	if (!strcmp(op, "kill-parent"))
		return said(kill(getppid(), 0));
	if (!strcmp(op, "uconnect"))
		return said(unix_connect(a));
	if (!strcmp(op, "ulisten"))
		return unix_listen(a) < 0 ? 1 : 0;
	if (!strcmp(op, "write-mapped"))
		return said(write_mapped(a));
	if (!strcmp(op, "fds"))
		return list_fds("/proc/self/fd");
	if (!strcmp(op, "parent-fds")) {
		char dir[64];

		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)getppid());
		return list_fds(dir);
	}
	fprintf(stderr,
		"usage: llprobe read|write|exec|truncate|ioctl FILE, rename|link FROM TO, bind|connect PORT, kill-parent, uconnect|ulisten NAME, fds, parent-fds, write-mapped NAME\n");
	return 2;
}
