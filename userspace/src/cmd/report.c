// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line's sink for diagnostics (util/diag.h), the one place
 * they are printed: "FILE:LINE:COL: error: message" (the compiler
 * convention), then, for an error or a warning in a file, its source
 * line and a caret under the token, as minijail's parser.py shows them
 * (a command's --json writes them with json_report.c instead).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diag.h"

static const char *const severity_word[] = {
	[PS_ERROR] = "error: ",
	[PS_WARNING] = "warning: ",
	[PS_NOTE] = "note: ",
	[PS_MESSAGE] = "",
};

/*
 * Line LINE of FILE into BUF (no newline), or false: a name that is no
 * readable regular file ("<command line>", a buffer's) has no source.
 */
static bool source_line(const char *file, unsigned int line, char *buf,
			size_t len)
{
	const char *why;
	unsigned int n = 0;
	struct stat st;
	FILE *in;
	int fd;

	fd = ps_open_regular(file, &st, &why);
	if (fd < 0)
		return false;
	in = fdopen(fd, "re");
	if (!in)
		return false;
	while (fgets(buf, (int)len, in)) {
		size_t l = strlen(buf);

		/* a line longer than BUF counts once, its tail skipped */
		if (l && buf[l - 1] != '\n' && !feof(in)) {
			int c;

			while ((c = getc(in)) != EOF && c != '\n')
				;
		}
		if (++n == line) {
			buf[strcspn(buf, "\n")] = 0;
			fclose(in);
			return true;
		}
	}
	fclose(in);
	return false;
}

/* The source line and a caret under column COL; tabs kept, so it lines up. */
static void print_caret(FILE *out, const char *text, unsigned int col)
{
	unsigned int i;

	fprintf(out, "  %s\n  ", text);
	for (i = 1; i < col && text[i - 1]; i++)
		fputc(text[i - 1] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

static void print_diag(const struct ps_diag *d, void *ctx)
{
	FILE *out = ctx;
	const struct ps_loc *l = &d->loc;
	int saved = errno; /* a caller may report, then read errno */
	char text[512];

	if (!l->file)
		fprintf(out, "%s: ", ps_progname);
	else if (l->line && l->col)
		fprintf(out, "%s:%u:%u: ", l->file, l->line, l->col);
	else if (l->line)
		fprintf(out, "%s:%u: ", l->file, l->line);
	else
		fprintf(out, "%s: ", l->file);
	fprintf(out, "%s%s", severity_word[d->severity], d->message);
	if (d->hint)
		fprintf(out, " (%s)", d->hint);
	fputc('\n', out);
	if ((d->severity == PS_ERROR || d->severity == PS_WARNING) && l->file &&
	    l->line && l->col &&
	    source_line(l->file, l->line, text, sizeof(text)))
		print_caret(out, text, l->col);
	errno = saved;
}

void ps_report_to(FILE *out)
{
	ps_diag_set_sink(print_diag, out);
}
