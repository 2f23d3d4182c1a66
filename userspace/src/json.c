// SPDX-License-Identifier: GPL-2.0-only
#include "json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_key(struct ps_out *o, const char *key)
{
	if (o->comma)
		fputs(", ", stdout);
	o->comma = true;
	if (key) {
		json_string(key);
		fputs(": ", stdout);
	}
}

void ps_out_begin(struct ps_out *o, const char *key)
{
	if (o->json) {
		json_key(o, key);
		putchar('{');
		o->comma = false;
	} else if (key) {
		printf("%s:\n", key);
	}
	o->depth++;
}

void ps_out_end(struct ps_out *o)
{
	o->depth--;
	if (!o->json)
		return;
	putchar('}');
	o->comma = true;
	if (!o->depth)
		putchar('\n');
}

/* A JSON integer: no sign but '-', no leading zero, no spaces. */
static bool is_integer(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		return !s[1];
	if (*s < '1' || *s > '9')
		return false;
	return !s[strspn(s, "0123456789")];
}

void ps_out_pair(struct ps_out *o, const char *key, const char *val)
{
	if (!o->json) {
		printf("  %-28s %s\n", key, val);
		return;
	}
	json_key(o, key);
	if (is_integer(val))
		fputs(val, stdout);
	else
		json_string(val);
}

void ps_out_bool(struct ps_out *o, const char *key, bool val)
{
	if (!o->json) {
		printf("  %-28s %s\n", key, val ? "yes" : "no");
		return;
	}
	json_key(o, key);
	fputs(val ? "true" : "false", stdout);
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
	} else {
		if (!o->depth)
			putchar('{');
		json_key(o, "error");
		json_string(msg ? msg : fmt);
		if (!o->depth)
			puts("}");
	}
	free(msg);
}
