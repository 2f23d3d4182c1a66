// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope catch: run an unmodified program with libpinscope-crash armed,
 * and pinscope crash-report, which hands over to the reporter program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "launch.h"
#include "util.h"

/* beside pinscope in a build tree, else in PREFIX/lib/pinscope */
#define REPORTER "pinscope-crash-report"

int cmd_crash_report(int argc, char **argv)
{
	char *reporter = ps_find_library(REPORTER);

	(void)argc;
	argv[0] = reporter;
	execv(reporter, argv);
	ps_warn("crash-report: cannot run %s: %s", reporter, strerror(errno));
	free(reporter);
	return EXIT_USAGE;
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
