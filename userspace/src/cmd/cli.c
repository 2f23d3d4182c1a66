// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line's one shape: every command reads its options with
 * ps_getopt() from its own table, so an option it does not take, a
 * misspelt one or a missing argument is one line, "pinscope CMD: ...",
 * with a "did you mean" where one is near, then a pointer to
 * `pinscope CMD --help`, and exit status 2 (ps_usage_error()). The same
 * tables give bash its completion (completion.c).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

void ps_usage_error(const char *cmd, void (*usage)(FILE *out), const char *fmt,
		    ...)
{
	va_list ap;

	/* the help is one --help away: a usage error stays one line */
	(void)usage;
	fprintf(stderr, "%s%s%s: ", ps_progname, cmd ? " " : "",
		cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ntry '%s%s%s --help'\n", ps_progname, cmd ? " " : "",
		cmd ? cmd : "");
	exit(EXIT_USAGE);
}

/* The long option nearest to WORD (without its dashes), or NULL. */
static const char *nearest_option(const char *word, const struct option *opts)
{
	struct ps_closest c;

	ps_closest_init(&c, word);
	for (; opts->name; opts++)
		ps_closest_try(&c, opts->name);
	return c.best;
}

/* The option a failed getopt_long() call was looking at, dashes and all. */
static void bad_option(const char *cmd, char **argv, const struct option *opts,
		       bool missing)
{
	const char *word = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, 0 };
	const char *near;
	size_t len;

	/* a short one may sit in a cluster (-qx): named by optopt alone */
	if (strncmp(word, "--", 2))
		word = shortopt;
	if (missing)
		ps_usage_error(cmd, NULL, "option '%s' needs an argument",
			       word);
	len = strcspn(word, "=");
	if (word[0] == '-' && word[1] == '-') {
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(len - 2), word + 2);
		near = nearest_option(name, opts);
		if (near)
			ps_usage_error(
				cmd, NULL,
				"unknown option '%.*s' (did you mean '--%s'?)",
				(int)len, word, near);
	}
	ps_usage_error(cmd, NULL, "unknown option '%.*s'", (int)len, word);
}

/* --completion-helper: the table, one long option a line (completion.c). */
static void print_options(const char *optstring, const struct option *opts)
{
	const char *s;

	for (; opts->name; opts++)
		printf("--%s%s\n", opts->name,
		       opts->has_arg == required_argument ? "=" : "");
	for (s = optstring; *s; s++)
		if (*s != '+' && *s != ':')
			printf("-%c%s\n", *s, s[1] == ':' ? "=" : "");
}

const char *ps_option_name(const struct option *opts, int val)
{
	for (; opts->name; opts++)
		if (opts->val == val)
			return opts->name;
	return "";
}

int ps_getopt(const char *cmd, int argc, char **argv, const char *optstring,
	      const struct option *opts)
{
	char quiet[64];
	int c;

	if (optind <= 1 && argc == 2 &&
	    !strcmp(argv[1], "--completion-helper")) {
		print_options(optstring, opts);
		exit(0);
	}
	/* ':' first (after a '+'): a missing argument is told from an unknown option */
	snprintf(quiet, sizeof(quiet), "%s:%s", optstring[0] == '+' ? "+" : "",
		 optstring + (optstring[0] == '+'));
	opterr = 0;
	c = getopt_long(argc, argv, quiet, opts, NULL);
	if (c == '?')
		bad_option(cmd, argv, opts, false);
	if (c == ':')
		bad_option(cmd, argv, opts, true);
	return c;
}
