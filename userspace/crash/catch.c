// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope catch: run an unmodified program with libpinscope-crash armed,
 * and pinscope crash-report, which hands over to the reporter program.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "common/install.h"
#include "launch.h"
#include "util.h"

int cmd_crash_report(int argc, char **argv)
{
	/* beside pinscope in a build tree, else in PREFIX/lib/pinscope */
	char *reporter = ps_find_library(PS_REPORTER);

	(void)argc;
	argv[0] = reporter;
	execv(reporter, argv);
	ps_warn("crash-report: cannot run %s: %s", reporter, strerror(errno));
	free(reporter);
	return EXIT_USAGE;
}

static void usage(FILE *out)
{
	fputs("usage: pinscope catch -- CMD [ARGS]\n"
	      "Run CMD with the crash handler of libpinscope-crash armed (preloaded):\n"
	      "a crash prints a report from pinscope crash-report, which CMD names as\n"
	      "its tracer with PR_SET_PTRACER; CMD still dies of its signal.\n\n"
	      "  -h, --help    this help\n",
	      out);
}

int cmd_catch(int argc, char **argv)
{
	char *path, *lib, *exe;

	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	if (ps_getopt("catch", argc, argv, "+h", opts) == 'h') {
		usage(stdout);
		return 0;
	}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc < 2)
		ps_usage_error("catch", usage, "no command to run");
	path = ps_resolve_command(argv[1]);
	if (!path) {
		return ps_cannot_run(argv[1], NULL, errno);
	}
	lib = ps_find_library(PS_CRASH_LIB);
	if (ps_preload_library(path, lib) < 0) {
		free(lib);
		free(path);
		return EXIT_USAGE;
	}
	free(lib);
	/* the reporter is this very binary, wherever it lives */
	exe = ps_self_exe();
	if (exe && !getenv("PINSCOPE_CRASH_REPORTER"))
		setenv("PINSCOPE_CRASH_REPORTER", exe, 1);
	free(exe);
	setenv("PINSCOPE_CRASH_ARM", "1", 1);
	execv(path, argv + 1);
	return ps_cannot_run(path, "cannot execute", errno);
}
