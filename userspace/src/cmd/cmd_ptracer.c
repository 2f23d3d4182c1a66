// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope ptracer: name who may attach to CMD (PR_SET_PTRACER), then exec
 * it. Under ptrace scope 1 a debugger or crash handler that is not an
 * ancestor needs exactly this; the exception survives the exec and is
 * dropped by a setuid one.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "commands.h"
#include "launch.h"
#include "util.h"

static void usage(FILE *out)
{
	fputs("usage: pinscope ptracer --allow PID|--parent|--any|--none -- CMD [ARGS]\n"
	      "Set the PR_SET_PTRACER exception, then execute CMD.\n\n"
	      "  --allow PID   PID and its descendants may attach\n"
	      "  --parent      this process's parent may attach\n"
	      "  --any         any process of the same user may attach\n"
	      "  --none        clear the exception\n"
	      "  -h, --help    this help\n",
	      out);
}

/* Does an LSM that takes PR_SET_PTRACER (Yama, pinscope) run here? */
static bool scoped(void)
{
	return !access("/proc/sys/kernel/yama/ptrace_scope", F_OK) ||
	       !access("/proc/sys/kernel/pinscope/ptrace_scope", F_OK);
}

int cmd_ptracer(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "allow", required_argument, NULL, 'a' },
		{ "parent", no_argument, NULL, 'p' },
		{ "any", no_argument, NULL, 'y' },
		{ "none", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long tracer = 0;
	const char *named = NULL;
	uint64_t pid;
	char *path;
	int c, chosen = 0;

	optind = 1;
	while ((c = ps_getopt("ptracer", argc, argv, "+h", opts)) != -1) {
		switch (c) {
		case 'a':
			if (!ps_parse_u64(optarg, &pid) || pid == 0 ||
			    pid > 0x3fffffff)
				ps_usage_error("ptracer", usage, "bad pid '%s'",
					       optarg);
			tracer = (unsigned long)pid;
			named = optarg;
			chosen++;
			break;
		case 'p':
			tracer = (unsigned long)getppid();
			chosen++;
			break;
		case 'y':
			tracer = PR_SET_PTRACER_ANY;
			chosen++;
			break;
		case 'n':
			tracer = 0;
			chosen++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (chosen != 1)
		ps_usage_error(
			"ptracer", usage,
			"give exactly one of --allow PID, --parent, --any, --none");
	if (optind >= argc)
		ps_usage_error("ptracer", usage,
			       "no command to run (after --)");
	if (prctl(PR_SET_PTRACER, tracer, 0, 0, 0) < 0) {
		int err = errno;

		if (err == EINVAL && named && kill((pid_t)tracer, 0) &&
		    errno == ESRCH)
			ps_usage_error("ptracer", usage,
				       "no process %s to name as tracer",
				       named);
		/*
		 * EINVAL is also what a kernel says where no LSM scopes
		 * ptrace: there, the exception is not needed (ptrace's own
		 * rules, same user and dumpable, apply) and the command runs.
		 */
		if (err != EINVAL || scoped()) {
			ps_warn("PR_SET_PTRACER: %s", strerror(err));
			return EXIT_USAGE;
		}
		ps_warn("no LSM scopes ptrace here (neither Yama nor pinscope is active): no exception is needed, running %s as it is",
			argv[optind]);
	}
	path = ps_resolve_command(argv[optind]);
	if (!path) {
		return ps_cannot_run(argv[optind], NULL, errno);
	}
	execv(path, argv + optind);
	return ps_cannot_run(path, "cannot execute", errno);
}
