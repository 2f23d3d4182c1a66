/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics as data. The readers, the compiler and the launcher say
 * what went wrong through ps_error_at(), ps_warning_at(), ps_note_at()
 * and ps_warn() (util.h); none of them prints. Each diagnostic goes to
 * the sink the caller installed: the command line's (cmd/report.c)
 * prints it, with the source line and a caret under the token; with no
 * sink, it is kept for the caller to read (a unit test, the fuzzer).
 */
#ifndef PINSCOPE_DIAG_H
#define PINSCOPE_DIAG_H

#include "util.h"

enum ps_severity {
	PS_ERROR,
	PS_WARNING,
	PS_NOTE,
	PS_MESSAGE, /* ps_warn(): no location, no severity word */
};

struct ps_diag {
	enum ps_severity severity;
	struct ps_loc loc; /* loc.file NULL: none (ps_warn) */
	const char *message;
	/*
	 * What to do about it, or NULL: by the reporters' convention the
	 * message's closing parenthetical, "unknown syscall 'x' (did you
	 * mean 'y'?)", taken off the message.
	 */
	const char *hint;
};

typedef void ps_diag_sink(const struct ps_diag *d, void *ctx);

/* Where diagnostics go from now on; NULL keeps them (ps_diags()). */
void ps_diag_set_sink(ps_diag_sink *sink, void *ctx);
/*
 * The diagnostics kept since the last ps_diags_clear(), oldest first,
 * *N of them; valid until the next diagnostic or clear.
 */
const struct ps_diag *ps_diags(unsigned int *n);
/* The first kept diagnostic whose message or hint contains TEXT, or NULL. */
const struct ps_diag *ps_diags_find(const char *text);
void ps_diags_clear(void);

/* The one entry point of util.c's reporters. */
void ps_diag_report(enum ps_severity severity, const struct ps_loc *loc,
		    const char *fmt, va_list ap);

#endif
