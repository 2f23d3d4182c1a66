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
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/environ.h"
#include "common/exit.h"
#include "common/install.h"
#include "common/memfd.h"

#define FD_ENV "PINSCOPE_FILTER_FD"
#define LOG_ENV "PINSCOPE_FILTER_LOG"

static void die(const char *what)
{
	fprintf(stderr, "pinscope preload: %s: %s\n", what, strerror(errno));
	_exit(EXIT_CANNOT_EXEC);
}

/* the constructor's environment (common/environ.h says why not getenv) */
static char **env;
/* the pinscope that compiled the policy, which also names the kills */
static char pinscope_bin[PATH_MAX];

static void pinscope_preload(int argc, char **argv, char **envp);

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
	const char *policy = ps_env_get(env, "PINSCOPE_POLICY");
	const char *allow = ps_env_get(env, "SECCOMP_SYSCALL_ALLOW");
	const char *deny = ps_env_get(env, "SECCOMP_SYSCALL_DENY");
	const char *def = ps_env_get(env, "SECCOMP_DEFAULT_ACTION");
	const char *bin_env = ps_env_get(env, "PINSCOPE_BIN");
	char bin[PATH_MAX], out[64], *argv[16];
	char *envp[] = { "PATH=" PS_DEFAULT_PATH, NULL };
	char *allow_c = NULL, *deny_c = NULL;
	int fd, argc = 0, status;
	pid_t pid;

	if (!policy && !allow && !deny)
		return -1;
	fd = memfd_create("pinscope-filter", MFD_ALLOW_SEALING);
	if (fd < 0)
		die("memfd_create");
	/* PINSCOPE_BIN, else pinscope beside us, in our install, on PATH */
	if (!ps_find_pinscope((void *)pinscope_preload, bin_env,
			      ps_env_get(env, "PATH"), bin))
		snprintf(bin, sizeof(bin), "%s",
			 bin_env && *bin_env ? bin_env : PS_BIN_NAME);
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
		execve(bin, argv, envp);
		fprintf(stderr, "pinscope preload: cannot run %s: %s\n", bin,
			strerror(errno));
		_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	}
	free(allow_c);
	free(deny_c);
	snprintf(pinscope_bin, sizeof(pinscope_bin), "%s", bin);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr,
			"pinscope preload: the policy in the environment does not compile: not running unconfined\n");
		_exit(EXIT_USAGE);
	}
	if (ps_memfd_seal(fd) < 0)
		die("sealing the filter");
	return fd;
}

/*
 * Used directly, no launcher waits for the program to name the call its
 * filter kills it for: `pinscope watch-kills` does, from the kernel's
 * record (where it may read them: root, or kernel.dmesg_restrict=0). It
 * runs outside the sandbox, so it must be out of the program's reach
 * before any code of the program runs: started twice forked (not the
 * program's child, which the program might wait for), it makes itself
 * undumpable and confines itself, then says it is ready; the constructor
 * goes on only then. If it cannot start, the program runs all the same,
 * confined, its kills unnamed.
 */
/*
 * Whether the kernel's records can be read here (kernlog.h): root reads
 * the audit group; others /dev/kmsg where kernel.dmesg_restrict is 0.
 * Where they cannot, no watcher is started: it would cost the program's
 * start a fork and an exec (about a millisecond) for nothing.
 */
static bool records_readable(void)
{
	char c = '1';
	int fd;

	if (geteuid() == 0)
		return true;
	fd = open("/proc/sys/kernel/dmesg_restrict", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '1';
	close(fd);
	return c == '0';
}

static void watch_kills(const char *name)
{
	char pid[16], fdnum[16];
	char *argv[] = { "pinscope",   "watch-kills",
			 "--pid",      pid,
			 "--ready-fd", fdnum,
			 "--name",     (char *)(name ? name : "?"),
			 NULL };
	char *envp[] = { NULL };
	int ready[2], status;
	pid_t child, program = getpid();
	char c;

	if (!pinscope_bin[0] || !records_readable() ||
	    pipe2(ready, O_CLOEXEC) < 0)
		return;
	snprintf(pid, sizeof(pid), "%d", (int)program);
	child = fork();
	if (child == 0) {
		if (fork() == 0) {
			/* the end the watcher writes to, kept across its exec */
			int fd = dup(ready[1]);
			int null = open("/dev/null", O_RDWR | O_CLOEXEC);

			if (fd < 3 || null < 0)
				_exit(1);
			/*
			 * Only stderr, where it reports: a pipe the program
			 * holds must see its end when the program ends.
			 */
			dup2(null, 0);
			dup2(null, 1);
			if (fd > 3)
				close_range(3, (unsigned int)fd - 1, 0);
			close_range((unsigned int)fd + 1, ~0U, 0);
			snprintf(fdnum, sizeof(fdnum), "%d", fd);
			execve(pinscope_bin, argv, envp);
		}
		_exit(0);
	}
	close(ready[1]);
	if (child > 0) {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		/* a byte when it is ready; EOF if it gave up */
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
	}
	close(ready[0]);
}

/* glibc passes constructors the program's argc, argv and environment */
__attribute__((constructor)) static void pinscope_preload(int argc, char **argv,
							  char **envp)
{
	const char *s;
	struct sock_fprog prog;
	unsigned int flags = 0;
	struct stat st;
	char *end;
	long fd;

	(void)argc;
	env = envp;
	s = ps_env_get(env, FD_ENV);
	if (!s) {
		fd = compile_from_environment();
		if (fd < 0)
			return;
		watch_kills(argv ? argv[0] : NULL);
	} else {
		errno = 0;
		fd = strtol(s, &end, 10);
		if (errno || *end || fd < 0)
			die("bad " FD_ENV);
	}
	/* what the launcher sealed has not been rewritten (memfd.h) */
	if (!ps_memfd_is_sealed((int)fd)) {
		errno = EPERM;
		die("the filter's memfd is not sealed");
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
	/* run --refusals: the kernel logs every refusal, which the launcher reads */
	if (ps_env_get(env, LOG_ENV))
		flags |= SECCOMP_FILTER_FLAG_LOG;
	ps_env_remove(env, LOG_ENV);
	ps_env_remove(env, FD_ENV);
	ps_env_remove(env, "PINSCOPE_POLICY");
	ps_env_remove(env, "SECCOMP_SYSCALL_ALLOW");
	ps_env_remove(env, "SECCOMP_SYSCALL_DENY");
	ps_env_remove(env, "SECCOMP_DEFAULT_ACTION");
	/*
	 * Children inherit the filter with the process; they must not load
	 * the library again (its loading would itself be subject to the
	 * filter, and every exec would stack one more filter).
	 */
	if (ps_env_drop_preload(env, PS_PRELOAD_LIB) < 0)
		die("scrubbing LD_PRELOAD");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
	/* TSYNC: threads started by earlier constructors are confined too */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC | flags, &prog) != 0)
		die("loading the seccomp filter");
	/* the program stays: freeing it could call brk, which may be refused */
}
