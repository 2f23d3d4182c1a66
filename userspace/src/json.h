/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One writer for a command's report, as "key value" lines under section
 * headers or, with --json, as one JSON object on stdout; and the one error
 * function that knows which, so a JSON reader never gets a bare message.
 */
#ifndef PINSCOPE_JSON_H
#define PINSCOPE_JSON_H

#include <stdbool.h>

struct ps_out {
	bool json;
	int depth;
	bool comma;	/* the current JSON object has a member already */
};

/* An object: the top level (KEY NULL) or a section named KEY. */
void ps_out_begin(struct ps_out *o, const char *key);
void ps_out_end(struct ps_out *o);
/* VAL stays a number in JSON when it is a decimal integer. */
void ps_out_pair(struct ps_out *o, const char *key, const char *val);
void ps_out_bool(struct ps_out *o, const char *key, bool val);
/* An "error" member in JSON, else "pinscope: message" on stderr. */
void ps_out_error(struct ps_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
