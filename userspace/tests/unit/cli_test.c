// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line in-process (src/cmd/cli.c, util/suggest.c): the
 * nearest name to a misspelt one, and ps_getopt()'s answers, each usage
 * error run in a child, whose exit status and stderr are the contract.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "policy.h"

#include "kselftest_harness.h"

static const char *nearest(const char *word, const char *const *names)
{
	struct ps_closest c;

	ps_closest_init(&c, word);
	for (; *names; names++)
		ps_closest_try(&c, *names);
	return c.best;
}

TEST(nearest_name_within_a_few_edits)
{
	static const char *const names[] = { "preload", "policy", "no-exec",
					     "report",	"output", NULL };

	EXPECT_STREQ("preload", nearest("prelod", names));
	/* a transposition is one edit */
	EXPECT_STREQ("output", nearest("ouptut", names));
	/* a word's beginning is what it likely means */
	EXPECT_STREQ("no-exec", nearest("no-e", names));
	EXPECT_EQ(NULL, nearest("zzzzzz", names));
	/* a short word gets one edit, not a guess */
	EXPECT_EQ(NULL, nearest("xy", names));
}

TEST(nearest_syscall_and_group)
{
	EXPECT_STREQ("getppid", ps_syscall_suggest("getppidd"));
	EXPECT_STREQ("openat", ps_syscall_suggest("opnat"));
	EXPECT_STREQ("@basic-io", ps_group_suggest("@basicio"));
	EXPECT_EQ(NULL, ps_syscall_suggest("completely_unlike_any"));
}

static const struct option opts[] = {
	{ "preload", no_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * ps_getopt() over ARGV in a child: its exit status (or 100 + the last
 * option's value if it returned), stderr into ERR.
 */
static int getopt_in_child(char **argv, char *err, size_t len)
{
	int argc = 0, pipefd[2], status;
	size_t got;
	ssize_t n;
	pid_t pid;

	while (argv[argc])
		argc++;
	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int c, last = 0;

		dup2(pipefd[1], 2);
		optind = 1;
		while ((c = ps_getopt("run", argc, argv, "+o:h", opts)) != -1)
			last = c;
		_exit(100 + last);
	}
	close(pipefd[1]);
	/* stderr is unbuffered: a message comes in pieces, until EOF */
	for (got = 0; got < len - 1; got += (size_t)n) {
		n = read(pipefd[0], err + got, len - 1 - got);
		if (n <= 0)
			break;
	}
	err[got] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(unknown_option_is_one_line_with_a_guess)
{
	char *argv[] = { "run", "--prelod", "--", "true", NULL };
	char err[512];

	EXPECT_EQ(EXIT_USAGE, getopt_in_child(argv, err, sizeof(err)));
	EXPECT_STREQ(
		"pinscope run: unknown option '--prelod' (did you mean '--preload'?)\n"
		"try 'pinscope run --help'\n",
		err);
}

TEST(option_of_another_command_is_refused)
{
	char *argv[] = { "run", "--cache", NULL };
	char err[512];

	EXPECT_EQ(EXIT_USAGE, getopt_in_child(argv, err, sizeof(err)));
	EXPECT_STREQ("pinscope run: unknown option '--cache'\n"
		     "try 'pinscope run --help'\n",
		     err);
}

TEST(missing_argument_names_the_option)
{
	char *longer[] = { "run", "--output", NULL };
	char *shorter[] = { "run", "-o", NULL };
	char err[512];

	EXPECT_EQ(EXIT_USAGE, getopt_in_child(longer, err, sizeof(err)));
	EXPECT_STREQ("pinscope run: option '--output' needs an argument\n"
		     "try 'pinscope run --help'\n",
		     err);
	EXPECT_EQ(EXIT_USAGE, getopt_in_child(shorter, err, sizeof(err)));
	EXPECT_STREQ("pinscope run: option '-o' needs an argument\n"
		     "try 'pinscope run --help'\n",
		     err);
}

TEST(good_options_pass_and_stop_at_the_command)
{
	char *argv[] = { "run", "--preload", "-o", "x", "--", "--bogus", NULL };
	char err[512];

	/* the last option read was -o; --bogus is the command's */
	EXPECT_EQ(100 + 'o', getopt_in_child(argv, err, sizeof(err)));
	EXPECT_STREQ("", err);
}

TEST_HARNESS_MAIN
