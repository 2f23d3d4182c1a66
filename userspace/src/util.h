/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PINSCOPE_UTIL_H
#define PINSCOPE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE	/* kselftest.h has the same */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Exit status for usage and policy errors: the target never started. */
#define EXIT_USAGE 2

/* Where in a policy (or on the command line) something was written. */
struct ps_loc {
	const char *file;	/* "<command line>" for options */
	unsigned int line;	/* 0: no line (a whole file, an option) */
	unsigned int col;
};

extern const char *ps_progname;

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A B C as one new string: what xasprintf("%s%s%s") does, without printf. */
char *xconcat(const char *a, const char *b, const char *c);

/* "FILE:LINE:COL: error: message", the compiler convention. */
void ps_error_at(const struct ps_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ps_note_at(const struct ps_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "pinscope: message" on stderr. */
void ps_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ps_warn, then exit with EXIT_USAGE. */
void ps_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Growable array helper: makes room for one more element. */
#define PS_PUSH(arr, n, cap)                                               \
	do {                                                                \
		if ((n) == (cap)) {                                         \
			(cap) = (cap) ? 2 * (cap) : 8;                      \
			(arr) = xrealloc((arr), (cap), sizeof(*(arr)));     \
		}                                                           \
	} while (0)

bool ps_parse_u64(const char *s, uint64_t *out);

#endif
