// SPDX-License-Identifier: GPL-2.0-only
#include "json.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* One line, `"key": value` spaced, as scripts and the guest tests read it. */
#define PRINT_FLAGS (JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Adds VAL under KEY to the open object (taking VAL), or drops it. */
static void add(struct ps_out *o, const char *key, json_object *val)
{
	if (o->depth > 0 && o->depth <= PS_OUT_MAX_DEPTH)
		json_object_object_add(o->stack[o->depth - 1], key, val);
	else
		json_object_put(val);
}

void ps_out_begin(struct ps_out *o, const char *key)
{
	if (o->json && o->depth < PS_OUT_MAX_DEPTH) {
		json_object *obj = json_object_new_object();

		if (o->depth)
			json_object_object_add(o->stack[o->depth - 1],
					       key ? key : "",
					       json_object_get(obj));
		o->stack[o->depth] = obj;
	} else if (!o->json && key) {
		printf("%s:\n", key);
	}
	o->depth++;
}

void ps_out_end(struct ps_out *o)
{
	json_object *obj;

	if (o->depth <= 0)
		return;
	o->depth--;
	if (!o->json || o->depth >= PS_OUT_MAX_DEPTH)
		return;
	obj = o->stack[o->depth];
	if (!o->depth)
		printf("%s\n",
		       json_object_to_json_string_ext(obj, PRINT_FLAGS));
	json_object_put(obj);
}

void ps_out_string(struct ps_out *o, const char *key, const char *val)
{
	if (!o->json)
		printf("  %-28s %s\n", key, val);
	else
		add(o, key, json_object_new_string(val));
}

void ps_out_uint(struct ps_out *o, const char *key, uint64_t val)
{
	if (!o->json)
		printf("  %-28s %llu\n", key, (unsigned long long)val);
	else
		add(o, key, json_object_new_uint64(val));
}

void ps_out_bool(struct ps_out *o, const char *key, bool val)
{
	if (!o->json)
		printf("  %-28s %s\n", key, val ? "yes" : "no");
	else
		add(o, key, json_object_new_boolean(val));
}

void ps_out_error(struct ps_out *o, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!o->json) {
		ps_warn("%s", msg ? msg : fmt);
	} else if (o->depth) {
		add(o, "error", json_object_new_string(msg ? msg : fmt));
	} else {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "error",
				       json_object_new_string(msg ? msg : fmt));
		printf("%s\n",
		       json_object_to_json_string_ext(obj, PRINT_FLAGS));
		json_object_put(obj);
	}
	free(msg);
}

void ps_json_seed(void)
{
	struct json_object *seed = json_object_new_object();

	json_object_object_add(seed, "seed", NULL);
	json_object_put(seed);
}
