// SPDX-License-Identifier: GPL-2.0-only
/*
 * libpinscope-preload.so: installs the filter `pinscope run --preload`
 * compiled, after the dynamic loader and libc have initialised, so a policy
 * need not allow what only start-up uses (the libsandbox.so approach).
 *
 * The launcher passes the BPF program in a memfd named by
 * PINSCOPE_FILTER_FD. Nothing here links libseccomp: the target's address
 * space gets only this small constructor. If the filter cannot be loaded
 * the program must not run unconfined, so it exits.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FD_ENV "PINSCOPE_FILTER_FD"
#define LIB_NAME "libpinscope-preload.so"

static void die(const char *what)
{
	fprintf(stderr, "pinscope preload: %s: %s\n", what, strerror(errno));
	_exit(126);
}

/*
 * Children inherit the filter with the process; they must not load the
 * library again (its loading would itself be subject to the filter).
 */
static void scrub_ld_preload(void)
{
	const char *v = getenv("LD_PRELOAD");
	char *copy, *tok, *save = NULL;
	size_t len, out = 0;

	if (!v)
		return;
	len = strlen(v);
	copy = strdup(v);
	if (!copy)
		return;
	char kept[len + 1];

	kept[0] = '\0';
	for (tok = strtok_r(copy, " :", &save); tok;
	     tok = strtok_r(NULL, " :", &save)) {
		const char *base = strrchr(tok, '/');

		if (!strcmp(base ? base + 1 : tok, LIB_NAME))
			continue;
		out += (size_t)snprintf(kept + out, len + 1 - out, "%s%s",
					out ? ":" : "", tok);
	}
	free(copy);
	if (out)
		setenv("LD_PRELOAD", kept, 1);
	else
		unsetenv("LD_PRELOAD");
}

__attribute__((constructor)) static void pinscope_preload(void)
{
	const char *s = getenv(FD_ENV);
	struct sock_fprog prog;
	struct stat st;
	char *end;
	long fd;

	if (!s)
		return;
	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno || *end || fd < 0)
		die("bad " FD_ENV);
	if (fstat((int)fd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size % sizeof(struct sock_filter))
		die("reading the filter");
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = malloc((size_t)st.st_size);
	if (!prog.filter)
		die("reading the filter");
	if (pread((int)fd, prog.filter, (size_t)st.st_size, 0) != st.st_size)
		die("reading the filter");
	close((int)fd);
	unsetenv(FD_ENV);
	scrub_ld_preload();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
	/* TSYNC: threads started by earlier constructors are confined too */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
		die("loading the seccomp filter");
	/* the program stays: freeing it could call brk, which may be refused */
}
