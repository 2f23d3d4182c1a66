/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line's machinery, shared by the commands: the command
 * table, options and usage errors (cli.c), and the diagnostics' printers
 * (report.c, json_report.c).
 */
#ifndef PINSCOPE_CLI_H
#define PINSCOPE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

/* completion bash: the script, from the commands' own tables (completion.c) */
int cmd_completion(int argc, char **argv);

/* Every command, in the order help lists them; a NULL name ends it (main.c). */
struct ps_command {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *summary;
};
extern const struct ps_command ps_commands[];

/*
 * Every command's answer to a bad command line (cli.c): "pinscope CMD:
 * message" ("pinscope: message" if CMD is NULL) and "try 'pinscope CMD
 * --help'", then exit with EXIT_USAGE. USAGE is not printed: the help is
 * one --help away.
 */
void ps_usage_error(const char *cmd, void (*usage)(FILE *out), const char *fmt,
		    ...) __attribute__((format(printf, 3, 4), noreturn));

struct option;
/*
 * getopt_long() for command CMD, its table OPTS the only options it
 * takes: an unknown option (with a "did you mean"), or one without its
 * argument, is a usage error; --completion-helper alone prints the table
 * for bash (completion.c) and exits.
 */
int ps_getopt(const char *cmd, int argc, char **argv, const char *optstring,
	      const struct option *opts);

/* The long name of the option of OPTS whose value is VAL, or "". */
const char *ps_option_name(const struct option *opts, int val);

/* Diagnostics printed to OUT from now on (report.c). */
void ps_report_to(FILE *out);
/*
 * --json: {"ok": OK, COUNTS..., "diagnostics": [{"severity", "file",
 * "line", "col", "message", "hint"}...]} on OUT, from the diagnostics
 * kept since ps_diag_set_sink(NULL, NULL); clears them.
 */
struct ps_report_count {
	const char *key;
	long long value;
};
void ps_report_json(FILE *out, bool ok, const struct ps_report_count *counts,
		    unsigned int n_counts);

#endif
