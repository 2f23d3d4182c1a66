// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser's limits (issue 19): input that once crashed it or never
 * let it finish ends in one error, quickly. Deep nesting is refused
 * before it exhausts the stack, a FIFO is refused without waiting for a
 * writer, and includes that fan out stop at a count of files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "policy.h"

/* after util.h: its ARRAY_SIZE is the one both define */
#include "kselftest_harness.h"

/* "read: arg0 == " then N copies of OPEN, then "1" */
static char *nested(const char *open, size_t n)
{
	static const char head[] = "read: arg0 == ";
	size_t w = strlen(open), i;
	char *s = malloc(sizeof(head) + n * w + 2);

	memcpy(s, head, sizeof(head) - 1);
	for (i = 0; i < n; i++)
		memcpy(s + sizeof(head) - 1 + i * w, open, w);
	strcpy(s + sizeof(head) - 1 + n * w, "1");
	return s;
}

static int load(const char *text, unsigned int *errors)
{
	struct ps_policy p;
	int ret;

	ps_policy_init(&p);
	ret = ps_policy_load_buffer(&p, "test.policy", text, strlen(text));
	*errors = p.errors;
	ps_policy_free(&p);
	return ret;
}

TEST(deep_nesting_is_an_error_not_a_crash)
{
	static const char *const opens[] = { "~", "(", "-", "~(" };
	unsigned int i, errors;

	for (i = 0; i < ARRAY_SIZE(opens); i++) {
		char *deep = nested(opens[i], 100000);

		ASSERT_EQ(-1, load(deep, &errors))
		{
			TH_LOG("100,000 of '%s' parsed", opens[i]);
		}
		ASSERT_EQ(1U, errors);
		free(deep);
	}
}

TEST(shallow_nesting_still_parses)
{
	char *ok = nested("~", 60);
	unsigned int errors;

	/* an even number of ~ is the value itself */
	ASSERT_EQ(0, load(ok, &errors));
	free(ok);
	ok = nested("(", 30);
	ok = realloc(ok, strlen(ok) + 31);
	strcat(ok, "))))))))))))))))))))))))))))))");
	ASSERT_EQ(0, load(ok, &errors));
	free(ok);
}

FIXTURE(dir)
{
	char path[64];
};

FIXTURE_SETUP(dir)
{
	strcpy(self->path, "/tmp/pinscope-policy-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
}

FIXTURE_TEARDOWN(dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->path);
	if (system(cmd))
		TH_LOG("could not remove %s", self->path);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int load_path(const char *dir, const char *name, unsigned int *errors)
{
	struct ps_policy p;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ps_policy_init(&p);
	ret = ps_policy_load_file(&p, path);
	*errors = p.errors;
	ps_policy_free(&p);
	return ret;
}

TEST_F_TIMEOUT(dir, fifo_is_refused_without_blocking, 10)
{
	char fifo[128], *text = NULL;
	unsigned int errors;
	const char *why;
	size_t len;

	snprintf(fifo, sizeof(fifo), "%s/fifo", self->path);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	why = ps_read_file(fifo, 1 << 20, &text, &len);
	ASSERT_NE(NULL, why);
	ASSERT_STREQ("a FIFO", why);
	ASSERT_EQ(NULL, text);
	/* as the policy, an include and a @frequency file */
	ASSERT_EQ(-1, load_path(self->path, "fifo", &errors));
	write_file(self->path, "inc.policy", "@include ./fifo\n");
	ASSERT_EQ(-1, load_path(self->path, "inc.policy", &errors));
	ASSERT_EQ(1U, errors);
	write_file(self->path, "freq.policy", "@frequency ./fifo\nread: 1\n");
	ASSERT_EQ(-1, load_path(self->path, "freq.policy", &errors));
	ASSERT_EQ(1U, errors);
}

TEST_F(dir, read_file_reads_regular_files_whole)
{
	char path[128], *text = NULL;
	size_t len = 0;

	write_file(self->path, "a", "read: 1\n");
	snprintf(path, sizeof(path), "%s/a", self->path);
	ASSERT_EQ(NULL, ps_read_file(path, 1 << 20, &text, &len));
	ASSERT_EQ(8U, len);
	ASSERT_STREQ("read: 1\n", text);
	free(text);
	text = NULL;
	ASSERT_NE(NULL, ps_read_file(path, 4, &text, &len));
	ASSERT_EQ(EFBIG, errno);
	ASSERT_NE(NULL, ps_read_file(self->path, 1 << 20, &text, &len));
	ASSERT_EQ(EISDIR, errno);
	snprintf(path, sizeof(path), "%s/none", self->path);
	ASSERT_NE(NULL, ps_read_file(path, 1 << 20, &text, &len));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(NULL, text);
}

TEST_F_TIMEOUT(dir, includes_that_fan_out_stop, 10)
{
	unsigned int i, k, errors;

	/* f0 includes f1 four times, f1 f2, ...: 4^15 reads unbounded */
	for (i = 0; i < 16; i++) {
		char name[32], text[256] = "";

		for (k = 0; i < 15 && k < 4; k++)
			snprintf(text + strlen(text),
				 sizeof(text) - strlen(text),
				 "@include ./f%u.policy\n", i + 1);
		strcat(text, "read: 1\n");
		snprintf(name, sizeof(name), "f%u.policy", i);
		write_file(self->path, name, text);
	}
	ASSERT_EQ(-1, load_path(self->path, "f0.policy", &errors));
	ASSERT_LE(1U, errors);
	/* a chain deeper than the include depth */
	for (i = 0; i < 40; i++) {
		char name[32], text[64];

		snprintf(text, sizeof(text), "@include ./c%u.policy\n", i + 1);
		snprintf(name, sizeof(name), "c%u.policy", i);
		write_file(self->path, name, text);
	}
	write_file(self->path, "c40.policy", "read: 1\n");
	ASSERT_EQ(-1, load_path(self->path, "c0.policy", &errors));
	/* a few includes of one file are no fan-out */
	write_file(self->path, "common.policy", "read: 1\n");
	write_file(self->path, "two.policy",
		   "@include ./common.policy\n@include ./common.policy\n");
	ASSERT_EQ(0, load_path(self->path, "two.policy", &errors));
}

/* A mistake, where the reader puts it, and what it says. */
static const struct {
	const char *text;
	unsigned int line, col;
	const char *message;
} mistakes[] = {
	{ "getppid: arg7 == 1", 1, 10,
	  "expected an argument (arg0 to arg5), found 'arg7'" },
	{ "# a comment\ngetppid: arg0 == NO_SUCH_CONSTANT", 2, 18,
	  "unknown constant 'NO_SUCH_CONSTANT'" },
	{ "getppid: arg0 === 1", 1, 17,
	  "expected a number or a constant, found '='" },
	{ "@nosuchgroup: 1", 1, 1, "unknown group '@nosuchgroup'" },
	{ "getppid: arg0 == 1; return 65536", 1, 28, "expected an errno" },
	{ "read: 1\ngetppidd: 1", 2, 1, "unknown syscall 'getppidd'" },
	{ "getppid: arg0 == 1 &&", 1, 22, "found 'end of line'" },
	{ "read: 1\nwrite: \\\n  arg0 == (1", 3, 13, "expected ')'" },
};

TEST(mistakes_come_back_as_data)
{
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(mistakes); i++) {
		const struct ps_diag *d;
		struct ps_policy p;

		ps_diags_clear();
		ps_policy_init(&p);
		EXPECT_GT(0, ps_policy_load_buffer(&p, "t.policy",
						   mistakes[i].text,
						   strlen(mistakes[i].text)));
		ps_policy_free(&p);
		d = ps_diags(&n);
		ASSERT_LE(1, n)
		{
			TH_LOG("'%s': no diagnostic", mistakes[i].text);
		}
		EXPECT_EQ(PS_ERROR, d[0].severity);
		EXPECT_STREQ("t.policy", d[0].loc.file);
		EXPECT_EQ(mistakes[i].line, d[0].loc.line)
		{
			TH_LOG("'%s': line %u", mistakes[i].text,
			       d[0].loc.line);
		}
		EXPECT_EQ(mistakes[i].col, d[0].loc.col)
		{
			TH_LOG("'%s': column %u", mistakes[i].text,
			       d[0].loc.col);
		}
		EXPECT_NE(NULL, strstr(d[0].message, mistakes[i].message))
		{
			TH_LOG("'%s': %s", mistakes[i].text, d[0].message);
		}
	}
	ps_diags_clear();
}

/* What to do about a mistake comes apart from the mistake. */
TEST(hint_is_its_own_field)
{
	static const char text[] = "read: 1\ngetppidd: 1";
	const struct ps_diag *d;
	struct ps_policy p;

	ps_diags_clear();
	ps_policy_init(&p);
	EXPECT_GT(0, ps_policy_load_buffer(&p, "t.policy", text,
					   sizeof(text) - 1));
	ps_policy_free(&p);
	d = ps_diags_find("unknown syscall");
	ASSERT_NE(NULL, d);
	EXPECT_STREQ("unknown syscall 'getppidd'", d->message);
	EXPECT_STREQ("did you mean 'getppid'?", d->hint);
	ps_diags_clear();
}

/* A policy that reads well leaves nothing to say. */
TEST(good_policy_says_nothing)
{
	static const char text[] =
		"read: 1\nwrite: arg0 == 1 || arg0 == 2\nclose: return EPERM\n";
	struct ps_policy p;
	unsigned int n;

	ps_diags_clear();
	ps_policy_init(&p);
	EXPECT_EQ(0, ps_policy_load_buffer(&p, "t.policy", text,
					   sizeof(text) - 1));
	ps_policy_free(&p);
	ps_diags(&n);
	EXPECT_EQ(0, n);
}

TEST_HARNESS_MAIN
