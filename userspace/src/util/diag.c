// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics as data (diag.h): handed to the caller's sink, or kept.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static ps_diag_sink *sink;
static void *sink_ctx;

/* Kept diagnostics own their text; a fuzzer clears them per input. */
static struct ps_diag *kept;
static unsigned int n_kept, cap_kept;

void ps_diag_set_sink(ps_diag_sink *fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
}

const struct ps_diag *ps_diags(unsigned int *n)
{
	*n = n_kept;
	return kept;
}

const struct ps_diag *ps_diags_find(const char *text)
{
	unsigned int i;

	for (i = 0; i < n_kept; i++)
		if (strstr(kept[i].message, text) ||
		    (kept[i].hint && strstr(kept[i].hint, text)))
			return &kept[i];
	return NULL;
}

void ps_diags_clear(void)
{
	unsigned int i;

	for (i = 0; i < n_kept; i++) {
		free((char *)kept[i].loc.file);
		free((char *)kept[i].message);
	}
	free(kept);
	kept = NULL;
	n_kept = cap_kept = 0;
}

/* Splits a closing " (...)" off MESSAGE (in place) as the hint. */
static const char *take_hint(char *message)
{
	size_t len = strlen(message);
	int depth = 0;
	size_t i;

	if (len < 4 || message[len - 1] != ')')
		return NULL;
	for (i = len; i-- > 0;) {
		if (message[i] == ')')
			depth++;
		else if (message[i] == '(' && --depth == 0)
			break;
	}
	if (depth || i < 2 || message[i - 1] != ' ')
		return NULL;
	message[len - 1] = 0;
	message[i - 1] = 0;
	return message + i + 1;
}

void ps_diag_report(enum ps_severity severity, const struct ps_loc *loc,
		    const char *fmt, va_list ap)
{
	struct ps_diag d = { .severity = severity };
	char *message;

	if (vasprintf(&message, fmt, ap) < 0)
		abort();
	if (loc)
		d.loc = *loc;
	d.message = message;
	d.hint = take_hint(message);
	if (sink) {
		sink(&d, sink_ctx);
		free(message);
		return;
	}
	if (d.loc.file)
		d.loc.file = xstrdup(d.loc.file);
	PS_PUSH(kept, n_kept, cap_kept);
	kept[n_kept++] = d;
}
