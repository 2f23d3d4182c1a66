// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for Postfix's postdrop, the setgid helper of the "Playing with
 * prctl and seccomp" post: mail(1) runs it to drop a message into the
 * maildrop directory, which only its group may write.  Installed setgid to
 * that group, it works for any user; under no_new_privs execve ignores the
 * set-group-ID bit, the helper keeps the caller's group and the create
 * fails with EACCES, as the post's postdrop did.
 *
 * usage: postdrop MAILDROP-DIR
 * Prints the ids it runs with and the outcome; exit status 0 when the
 * message was dropped, 1 when not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: postdrop MAILDROP-DIR\n");
		return 2;
	}
	printf("postdrop: uid %d gid %d, effective gid %d\n", (int)getuid(),
	       (int)getgid(), (int)getegid());
	snprintf(path, sizeof(path), "%s/%d", argv[1], (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0) {
		printf("postdrop: warning: mail_queue_enter: create file %s: %s\n",
		       path, strerror(errno));
		return 1;
	}
	if (write(fd, "hi\n", 3) != 3) {
		printf("postdrop: write %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("postdrop: queued %s\n", path);
	return 0;
}
