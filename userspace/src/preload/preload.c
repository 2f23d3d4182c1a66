// SPDX-License-Identifier: GPL-2.0-only
/*
 * libpinscope-preload.so: installs the filter `pinscope run --preload`
 * compiled, after the dynamic loader and libc have initialised, so a policy
 * need not allow what only start-up uses (the libsandbox.so approach).
 *
 * The launcher passes the BPF program in a memfd named by
 * PINSCOPE_FILTER_FD. Used directly with LD_PRELOAD, the library reads the
 * policy from the environment instead: PINSCOPE_POLICY=FILE, or Cloudflare
 * sandbox's SECCOMP_SYSCALL_ALLOW, SECCOMP_SYSCALL_DENY (colon-separated)
 * and SECCOMP_DEFAULT_ACTION, and has `pinscope compile` build the program.
 * Nothing here links libseccomp: the target's address space gets only this
 * small constructor. If the filter cannot be loaded the program must not
 * run unconfined, so it exits.
 */
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/wait.h>
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
 * The environment is read and edited through the array the dynamic loader
 * hands the constructor, never with getenv() or unsetenv(): a program may
 * interpose those (bash exports its own, which do nothing before bash has
 * read its variables), and then the variables would reach every program
 * it runs. The array is the process's environ, so what is removed here is
 * gone for the program and for everything it executes.
 */
static char **env;

static const char *env_get(const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = env; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static void env_remove(const char *name)
{
	size_t len = strlen(name);
	char **e, **out;

	for (e = out = env; e && *e; e++)
		if (strncmp(*e, name, len) || (*e)[len] != '=')
			*out++ = *e;
	if (out)
		*out = NULL;
}

/*
 * Children inherit the filter with the process; they must not load the
 * library again (its loading would itself be subject to the filter, and
 * every exec would stack one more filter). Other preloads stay.
 */
static void scrub_ld_preload(void)
{
	const char *v = env_get("LD_PRELOAD");
	char *copy, *tok, *save = NULL, *kept;
	size_t len, out;
	char **e;

	if (!v)
		return;
	len = strlen(v);
	copy = strdup(v);
	kept = malloc(len + sizeof("LD_PRELOAD="));
	if (!copy || !kept)
		die("scrubbing LD_PRELOAD");
	out = (size_t)sprintf(kept, "LD_PRELOAD=");
	for (tok = strtok_r(copy, " :", &save); tok;
	     tok = strtok_r(NULL, " :", &save)) {
		const char *base = strrchr(tok, '/');

		if (!strcmp(base ? base + 1 : tok, LIB_NAME))
			continue;
		out += (size_t)sprintf(kept + out, "%s%s",
				       out > sizeof("LD_PRELOAD=") - 1 ? ":" : "",
				       tok);
	}
	free(copy);
	env_remove("LD_PRELOAD");
	if (out == sizeof("LD_PRELOAD=") - 1) {
		free(kept);
		return;
	}
	/* in the slot the removal freed: the array has room for it */
	for (e = env; *e; e++)
		;
	e[0] = kept;
	e[1] = NULL;
}

static void pinscope_preload(int argc, char **argv, char **envp);

/* The pinscope binary: PINSCOPE_BIN, beside us, or PREFIX/bin from PREFIX/lib/pinscope. */
static void find_pinscope(char *out, size_t len)
{
	const char *bin = env_get("PINSCOPE_BIN");
	Dl_info info;
	char lib[PATH_MAX], *dir;

	if (bin && *bin) {
		snprintf(out, len, "%s", bin);
		return;
	}
	snprintf(out, len, "pinscope");
	if (!dladdr((void *)pinscope_preload, &info) || !info.dli_fname)
		return;
	snprintf(lib, sizeof(lib), "%s", info.dli_fname);
	dir = dirname(lib);
	snprintf(out, len, "%s/pinscope", dir);
	if (!access(out, X_OK))
		return;
	snprintf(out, len, "%s/../../bin/pinscope", dir);
	if (!access(out, X_OK))
		return;
	snprintf(out, len, "pinscope");
}

/* "a:b:c" (the sandbox's lists) as "a,b,c" */
static char *commas(const char *list)
{
	char *c = strdup(list), *p;

	for (p = c; p && *p; p++)
		if (*p == ':')
			*p = ',';
	return c;
}

/*
 * Direct LD_PRELOAD use: compile the policy the environment names with
 * `pinscope compile --preload -o`, into a memfd; -1 if none is named.
 */
static int compile_from_environment(void)
{
	const char *policy = env_get("PINSCOPE_POLICY");
	const char *allow = env_get("SECCOMP_SYSCALL_ALLOW");
	const char *deny = env_get("SECCOMP_SYSCALL_DENY");
	const char *def = env_get("SECCOMP_DEFAULT_ACTION");
	char bin[PATH_MAX], out[64], *argv[16], *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", NULL };
	char *allow_c = NULL, *deny_c = NULL;
	int fd, argc = 0, status;
	pid_t pid;

	if (!policy && !allow && !deny)
		return -1;
	fd = memfd_create("pinscope-filter", 0);
	if (fd < 0)
		die("memfd_create");
	find_pinscope(bin, sizeof(bin));
	snprintf(out, sizeof(out), "/proc/self/fd/%d", fd);
	argv[argc++] = "pinscope";
	argv[argc++] = "compile";
	argv[argc++] = "-q";
	argv[argc++] = "--preload";
	argv[argc++] = "-o";
	argv[argc++] = out;
	if (policy) {
		argv[argc++] = "-S";
		argv[argc++] = (char *)policy;
	}
	if (allow) {
		argv[argc++] = "--allow";
		argv[argc++] = allow_c = commas(allow);
	}
	if (deny) {
		argv[argc++] = "--deny";
		argv[argc++] = deny_c = commas(deny);
	}
	if (def) {
		argv[argc++] = "--default-action";
		argv[argc++] = (char *)def;
	}
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		/* no LD_PRELOAD: the compiler must not load this library */
		if (strchr(bin, '/'))
			execve(bin, argv, envp);
		else
			execvpe(bin, argv, envp);
		fprintf(stderr, "pinscope preload: cannot run %s: %s\n", bin,
			strerror(errno));
		_exit(127);
	}
	free(allow_c);
	free(deny_c);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "pinscope preload: the policy in the environment does not compile: not running unconfined\n");
		_exit(2);
	}
	return fd;
}

/* glibc passes constructors the program's argc, argv and environment */
__attribute__((constructor)) static void pinscope_preload(int argc, char **argv,
							  char **envp)
{
	const char *s;
	struct sock_fprog prog;
	struct stat st;
	char *end;
	long fd;

	(void)argc;
	(void)argv;
	env = envp;
	s = env_get(FD_ENV);
	if (!s) {
		fd = compile_from_environment();
		if (fd < 0)
			return;
	} else {
		errno = 0;
		fd = strtol(s, &end, 10);
		if (errno || *end || fd < 0)
			die("bad " FD_ENV);
	}
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
	env_remove(FD_ENV);
	env_remove("PINSCOPE_POLICY");
	env_remove("SECCOMP_SYSCALL_ALLOW");
	env_remove("SECCOMP_SYSCALL_DENY");
	env_remove("SECCOMP_DEFAULT_ACTION");
	scrub_ld_preload();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
	/* TSYNC: threads started by earlier constructors are confined too */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
		die("loading the seccomp filter");
	/* the program stays: freeing it could call brk, which may be refused */
}
