/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One writer for a command's report, as "key value" lines under section
 * headers or, with --json, as one JSON object on stdout (built with
 * json-c, the library that reads OCI profiles); and the one error
 * function that knows which, so a JSON reader never gets a bare message.
 * The caller chooses each value's type: a process named 12345 is a
 * string, its pid a number.
 */
#ifndef PINSCOPE_JSON_H
#define PINSCOPE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#define PS_OUT_MAX_DEPTH 8

struct json_object;

struct ps_out {
	bool json;
	int depth;
	struct json_object *stack[PS_OUT_MAX_DEPTH]; /* open objects */
};

/* An object: the top level (KEY NULL) or a section named KEY. */
void ps_out_begin(struct ps_out *o, const char *key);
/* Closes it; closing the top level prints the JSON. */
void ps_out_end(struct ps_out *o);
void ps_out_string(struct ps_out *o, const char *key, const char *val);
void ps_out_uint(struct ps_out *o, const char *key, uint64_t val);
void ps_out_bool(struct ps_out *o, const char *key, bool val);
/* An "error" member in JSON, else "pinscope: message" on stderr. */
void ps_out_error(struct ps_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * json-c seeds its hashes from getrandom or /dev/urandom at the first key
 * it hashes: done now, for a process that confines itself out of both
 * and then writes JSON (the launcher's --refusals, learn --via notify).
 */
void ps_json_seed(void);

#endif
