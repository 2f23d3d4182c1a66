// SPDX-License-Identifier: GPL-2.0-only
/* pinscope syscalls and pinscope groups: the names policies may use. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "groups.h"
#include "policy.h"
#include "syscalls.h"

/* syscalls and groups take no option but --help */
static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Options first (only --help, which prints HELP); then *ARGV[1] is the
 * first argument, as though there had been no options.
 */
static void parse_help_only(const char *cmd, int *argc, char ***argv,
			    const char *help)
{
	optind = 1;
	if (ps_getopt(cmd, *argc, *argv, "+h", help_only) == 'h') {
		puts(help);
		exit(0);
	}
	*argc -= optind - 1;
	*argv += optind - 1;
}

/* "unknown WHAT 'NAME'", with the nearest name or else OTHERWISE */
static void unknown(const char *what, const char *name, const char *near,
		    const char *otherwise)
{
	if (near)
		ps_warn("unknown %s '%s' (did you mean '%s'?)", what, name,
			near);
	else
		ps_warn("unknown %s '%s'%s", what, name, otherwise);
}

int cmd_syscalls(int argc, char **argv)
{
	int i, nr, ret = 0;
	uint64_t v;

	parse_help_only(
		"syscalls", &argc, &argv,
		"usage: pinscope syscalls [NAME|NUMBER...]\n"
		"Without arguments, list this architecture's syscalls as NUMBER NAME.\n\n"
		"  -h, --help    this help");
	if (argc == 1) {
		for (nr = 0; nr < 1024; nr++) {
			const char *name =
				ps_syscall_name_arch(PS_ARCH_NATIVE, nr);

			if (name)
				printf("%d %s\n", nr, name);
		}
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (ps_parse_u64(argv[i], &v)) {
			const char *name =
				v <= INT_MAX ?
					ps_syscall_name_arch(PS_ARCH_NATIVE,
							     (int)v) :
					NULL;

			if (name)
				printf("%d %s\n", (int)v, name);
			else {
				ps_warn("no syscall number %s on this architecture",
					argv[i]);
				ret = EXIT_USAGE;
			}
			continue;
		}
		nr = ps_syscall_lookup_rule(argv[i]);
		if (ps_is_i386_only(nr)) {
			/* a policy may name it: it rules i386 calls (--arch all) */
			printf("i386 %d %s\n", nr - PS_I386_ONLY, argv[i]);
		} else if (nr >= 0) {
			printf("%d %s\n", nr, argv[i]);
		} else {
			unknown("syscall", argv[i], ps_syscall_suggest(argv[i]),
				"");
			ret = EXIT_USAGE;
		}
	}
	return ret;
}

static void print_members(const struct ps_group *g, int depth)
{
	const char *const *m;

	for (m = g->members; *m; m++) {
		const struct ps_group *sub =
			(*m)[0] == '@' ? ps_group_find(*m) : NULL;

		if (sub && depth < 8) {
			print_members(sub, depth + 1);
		} else if (ps_syscall_lookup(*m) >= 0) {
			printf("%s\n", *m);
		}
	}
}

int cmd_groups(int argc, char **argv)
{
	int i, ret = 0;
	size_t g;

	parse_help_only(
		"groups", &argc, &argv,
		"usage: pinscope groups [@GROUP...]\n"
		"Without arguments, list the groups; with groups, print the syscalls\n"
		"of each (nested groups expanded, syscalls of other architectures left out).\n\n"
		"  -h, --help    this help");
	if (argc == 1) {
		for (g = 0; g < ps_n_groups; g++)
			printf("%-16s %s\n", ps_groups[g].name,
			       ps_groups[g].description);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		const struct ps_group *grp = ps_group_find(argv[i]);

		if (!grp) {
			unknown("group", argv[i], ps_group_suggest(argv[i]),
				" (see 'pinscope groups')");
			ret = EXIT_USAGE;
			continue;
		}
		print_members(grp, 0);
	}
	return ret;
}
