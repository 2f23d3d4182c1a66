// SPDX-License-Identifier: GPL-2.0-only
/* pinscope: dispatch to the subcommands; each lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

#ifndef PINSCOPE_VERSION
#define PINSCOPE_VERSION "0.1"
#endif

const struct ps_command ps_commands[] = {
	{ "run", cmd_run, "run a command confined by a seccomp filter" },
	{ "compile", cmd_compile, "check policies" },
	{ "explain", cmd_explain,
	  "show the resolved rules and the BPF program" },
	{ "learn", cmd_learn,
	  "write the policy a command needs, by tracing it" },
	{ "convert", cmd_convert,
	  "write a policy or OCI profile as minijail, OCI or systemd" },
	{ "ptracer", cmd_ptracer,
	  "name who may ptrace a command (PR_SET_PTRACER), then run it" },
	{ "catch", cmd_catch, "run a command with the crash handler armed" },
	{ "crash-report", cmd_crash_report,
	  "report a crashed process (run by the crash handler)" },
	{ "status", cmd_status,
	  "the LSM's settings and counters; a process's confinement" },
	{ "syscalls", cmd_syscalls, "resolve syscall names and numbers" },
	{ "groups", cmd_groups,
	  "list the syscall groups, or a group's members" },
	{ "completion", cmd_completion,
	  "print the bash completion script (completion bash)" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: pinscope COMMAND [OPTIONS] [ARGS]\n\n"
	      "Confine programs with seccomp (the userspace half of pinscope).\n\n"
	      "Commands:\n",
	      out);
	for (i = 0; ps_commands[i].name; i++)
		fprintf(out, "  %-10s %s\n", ps_commands[i].name,
			ps_commands[i].summary);
	fputs("\n`pinscope COMMAND --help` describes each; see also pinscope(1),\n"
	      "pinscope.policy(5) and pinscope-formats(5).\n",
	      out);
}

static void __attribute__((noreturn)) unknown_command(const char *word)
{
	struct ps_closest c;
	size_t i;

	ps_closest_init(&c, word);
	for (i = 0; ps_commands[i].name; i++)
		ps_closest_try(&c, ps_commands[i].name);
	if (c.best)
		ps_usage_error(NULL, NULL,
			       "unknown command '%s' (did you mean '%s'?)",
			       word, c.best);
	ps_usage_error(NULL, NULL, "unknown command '%s'", word);
}

int main(int argc, char **argv)
{
	size_t i;

	ps_report_to(stderr);
	if (argc < 2)
		ps_usage_error(NULL, NULL, "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("pinscope %s\n", PINSCOPE_VERSION);
		return 0;
	}
	for (i = 0; ps_commands[i].name; i++)
		if (!strcmp(argv[1], ps_commands[i].name))
			return ps_commands[i].handler(argc - 1, argv + 1);
	/* internal, not for users: preload.c starts it */
	if (!strcmp(argv[1], "watch-kills"))
		return cmd_watch_kills(argc - 1, argv + 1);
	unknown_command(argv[1]);
}
