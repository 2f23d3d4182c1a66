// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's static usermode helper.  The test kernels are built with
 * CONFIG_STATIC_USERMODEHELPER: for every usermode helper (modprobe for
 * request_module, a core_pattern pipe, ...) the kernel runs this program,
 * and only this one, passing the program it meant as argv[0].  So root
 * pointing /proc/sys/kernel/modprobe at a script of its own no longer gets
 * that script run by the kernel, as root, on the next request_module.
 *
 * It runs the programs on its list and refuses every other, and says which
 * on the kernel log (the tests read it there; the kernel gives a helper no
 * terminal).  A binary, not a script: the kernel starts a script with the
 * script's own path as argv[0], and the program meant would be lost.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const allowed[] = { "/sbin/modprobe", NULL };

static void say(const char *what, char *const argv[])
{
	char line[1024];
	int fd, n, i;

	n = snprintf(line, sizeof(line), "usermode-helper: %s", what);
	for (i = 0; argv[i] && n < (int)sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, " %s", argv[i]);
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	/*
	 * The newline ends the record: without it the kernel keeps the
	 * record open for a continuation, and /dev/kmsg readers see it only
	 * when the next record comes.
	 */
	line[n++] = '\n';
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, line, n) < 0)
			n = 0;	/* nowhere left to say it */
		close(fd);
	}
}

int main(int argc, char *argv[])
{
	int i;

	if (argc < 1 || !argv[0])
		return 1;
	for (i = 0; allowed[i]; i++) {
		if (!strcmp(argv[0], allowed[i])) {
			say("ran", argv);
			execv(allowed[i], argv);
			say("cannot run", argv);
			return 127;
		}
	}
	say("refused", argv);
	return 1;
}
