// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope crash-report: attach to a crashed process, print the signal, the
 * fault address, the registers and a backtrace of every thread, detach.
 * libunwind's ptrace support does the unwinding.
 *
 * pinscope catch: run an unmodified program with libpinscope-crash armed.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libunwind-ptrace.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "launch.h"
#include "util.h"

static int ptrace_scope(const char **lsm)
{
	static const struct {
		const char *lsm, *path;
	} sysctls[] = {
		{ "pinscope", "/proc/sys/kernel/pinscope/ptrace_scope" },
		{ "Yama", "/proc/sys/kernel/yama/ptrace_scope" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sysctls); i++) {
		FILE *f = fopen(sysctls[i].path, "re");
		int scope;

		if (!f)
			continue;
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
		*lsm = sysctls[i].lsm;
		return scope;
	}
	*lsm = NULL;
	return -1;
}

/* Why an attach was refused, in the terms of the scope in force. */
static void explain_refusal(pid_t pid, int err)
{
	const char *lsm;
	int scope = ptrace_scope(&lsm);

	fprintf(stderr, "pinscope crash-report: cannot attach to %d: %s\n", pid,
		strerror(err));
	if (err != EPERM || !lsm)
		return;
	switch (scope) {
	case 1:
		fprintf(stderr,
			"  %s ptrace scope 1: only ancestors and the tracer a process names with\n"
			"  PR_SET_PTRACER may attach; %d did not name this reporter\n",
			lsm, pid);
		break;
	case 2:
		fprintf(stderr,
			"  %s ptrace scope 2: only a process with CAP_SYS_PTRACE may attach\n",
			lsm);
		break;
	case 3:
		fprintf(stderr, "  %s ptrace scope 3: no process may attach\n", lsm);
		break;
	}
}

static void print_regs(const struct user_regs_struct *r)
{
	printf("    rip %016llx  rsp %016llx  rbp %016llx\n"
	       "    rax %016llx  rbx %016llx  rcx %016llx\n"
	       "    rdx %016llx  rsi %016llx  rdi %016llx\n"
	       "    r8  %016llx  r9  %016llx  r10 %016llx\n"
	       "    r11 %016llx  r12 %016llx  r13 %016llx\n"
	       "    r14 %016llx  r15 %016llx  eflags %08llx\n",
	       r->rip, r->rsp, r->rbp, r->rax, r->rbx, r->rcx, r->rdx, r->rsi,
	       r->rdi, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14,
	       r->r15, r->eflags);
}

static void print_backtrace(pid_t tid)
{
	unw_addr_space_t as = unw_create_addr_space(&_UPT_accessors, 0);
	void *ui = _UPT_create(tid);
	unw_cursor_t c;
	int depth = 0;

	if (!as || !ui || unw_init_remote(&c, as, ui) < 0) {
		printf("    (no backtrace: libunwind cannot start)\n");
		goto out;
	}
	do {
		unw_word_t ip, off;
		char name[256];

		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0)
			break;
		if (unw_get_proc_name(&c, name, sizeof(name), &off) == 0)
			printf("    #%-2d %016lx %s+%#lx\n", depth, (unsigned long)ip,
			       name, (unsigned long)off);
		else
			printf("    #%-2d %016lx ?\n", depth, (unsigned long)ip);
	} while (++depth < 64 && unw_step(&c) > 0);
out:
	if (ui)
		_UPT_destroy(ui);
	if (as)
		unw_destroy_addr_space(as);
}

/* Seize and stop every thread; returns how many, or -errno for the first. */
static int report_threads(pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t tid = (pid_t)strtol(d->d_name, NULL, 10);
		struct user_regs_struct r;
		int status;

		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0) {
			int err = errno;

			closedir(dir);
			return n ? n : -err;
		}
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		waitpid(tid, &status, __WALL);
		printf("  thread %d%s\n", tid, tid == pid ? " (main)" : "");
		if (ptrace(PTRACE_GETREGS, tid, 0, &r) == 0)
			print_regs(&r);
		print_backtrace(tid);
		ptrace(PTRACE_DETACH, tid, 0, 0);
		n++;
	}
	closedir(dir);
	return n;
}

static void crash_usage(FILE *out)
{
	fputs("usage: pinscope crash-report [--signal SIG] [--address ADDR] [--sync-fd FD] PID\n"
	      "Attach to PID, print the signal, fault address, registers and a\n"
	      "backtrace of every thread, and detach. libpinscope-crash runs it.\n",
	      out);
}

int cmd_crash_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "address", required_argument, NULL, 'a' },
		{ "sync-fd", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t pid = 0, sig = 0, addr = 0, fd = 0;
	bool have_fd = false, have_addr = false;
	char comm[64] = "?", path[64];
	FILE *f;
	int c, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!ps_parse_u64(optarg, &sig) || sig == 0 || sig >= 65)
				ps_usage_error("crash-report: bad signal '%s'", optarg);
			break;
		case 'a':
			if (!ps_parse_u64(optarg, &addr))
				ps_usage_error("crash-report: bad address '%s'", optarg);
			have_addr = true;
			break;
		case 'f':
			if (!ps_parse_u64(optarg, &fd) || fd > 1024)
				ps_usage_error("crash-report: bad fd '%s'", optarg);
			have_fd = true;
			break;
		case 'h':
			crash_usage(stdout);
			return 0;
		default:
			crash_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !ps_parse_u64(argv[optind], &pid) || !pid ||
	    pid > 0x3fffffff) {
		fprintf(stderr, "pinscope crash-report: %s\n",
			optind < argc ? "bad pid" : "no pid");
		crash_usage(stderr);
		return EXIT_USAGE;
	}
	/* the crashed process says when it has named us its tracer */
	if (have_fd) {
		char go;

		if (read((int)fd, &go, 1) < 0)
			go = 0;
		close((int)fd);
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("pinscope crash-report: pid %d (%s)", (int)pid, comm);
	if (sig)
		printf(" got SIG%s (signal %d)", sigabbrev_np((int)sig) ?
			       sigabbrev_np((int)sig) : "?", (int)sig);
	if (have_addr)
		printf(" at address %#llx", (unsigned long long)addr);
	putchar('\n');
	fflush(stdout);
	n = report_threads((pid_t)pid);
	fflush(stdout);
	if (n < 0) {
		explain_refusal((pid_t)pid, -n);
		return 1;
	}
	return 0;
}

int cmd_catch(int argc, char **argv)
{
	char *path, *lib, exe[4096];
	ssize_t n;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		puts("usage: pinscope catch -- CMD [ARGS]\n"
		     "Run CMD with the crash handler of libpinscope-crash armed (preloaded):\n"
		     "a crash prints a report from pinscope crash-report, which CMD names as\n"
		     "its tracer with PR_SET_PTRACER; CMD still dies of its signal.");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--"))
		argv++, argc--;
	if (argc < 2)
		ps_usage_error("catch: no command to run (usage: pinscope catch -- CMD [ARGS])");
	if (argv[1][0] == '-')
		ps_usage_error("catch: unknown option '%s'", argv[1]);
	path = ps_resolve_command(argv[1]);
	if (!path) {
		ps_warn("%s: %s", argv[1], strerror(errno));
		return 127;
	}
	lib = ps_find_library("libpinscope-crash.so");
	if (ps_preload_library(path, lib) < 0) {
		free(lib);
		free(path);
		return EXIT_USAGE;
	}
	free(lib);
	/* the reporter is this very binary, wherever it lives */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && !getenv("PINSCOPE_CRASH_REPORTER")) {
		exe[n] = '\0';
		setenv("PINSCOPE_CRASH_REPORTER", exe, 1);
	}
	setenv("PINSCOPE_CRASH_ARM", "1", 1);
	execv(path, argv + 1);
	ps_warn("%s: cannot execute: %s", path, strerror(errno));
	return 126;
}
