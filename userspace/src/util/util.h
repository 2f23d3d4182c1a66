/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PINSCOPE_UTIL_H
#define PINSCOPE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifndef ARRAY_SIZE /* kselftest.h has the same */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The exit statuses for a command that never ran: EXIT_USAGE (2),
 * EXIT_CANNOT_EXEC (126), EXIT_NOT_FOUND (127), and ps_exec_status(errno)
 * to choose between the last two. Defined in common/exit.h, which the
 * libraries share.
 */
#include "common/exit.h"

/* Where in a policy (or on the command line) something was written. */
struct ps_loc {
	const char *file; /* "<command line>" for options */
	unsigned int line; /* 0: no line (a whole file, an option) */
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

/*
 * "FILE:LINE:COL: error: message", the compiler convention, as data: to
 * the caller's sink or kept (diag.h); the command line prints them.
 */
void ps_error_at(const struct ps_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ps_warning_at(const struct ps_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ps_note_at(const struct ps_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * "pinscope: CMD: why" for errno ERR, the reason CMD was not found
 * (WHAT NULL) or could not be run (WHAT "cannot execute"); returns its
 * exit status, ps_exec_status(ERR).
 */
int ps_cannot_run(const char *cmd, const char *what, int err);
/* "pinscope: message", a diagnostic without a place (diag.h). */
void ps_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable array helper: makes room for one more element. */
#define PS_PUSH(arr, n, cap)                                            \
	do {                                                            \
		if ((n) == (cap)) {                                     \
			(cap) = (cap) ? 2 * (cap) : 8;                  \
			(arr) = xrealloc((arr), (cap), sizeof(*(arr))); \
		}                                                       \
	} while (0)

bool ps_parse_u64(const char *s, uint64_t *out);

/*
 * "did you mean": ps_closest_try() each candidate name after
 * ps_closest_init(); BEST is then the nearest within a few edits (or one
 * the word begins), or NULL (suggest.c).
 */
struct ps_closest {
	const char *word;
	const char *best;
	unsigned int dist, limit;
};
void ps_closest_init(struct ps_closest *c, const char *word);
void ps_closest_try(struct ps_closest *c, const char *name);

struct stat;
/*
 * A descriptor open for reading on PATH, a regular file (its stat in
 * *ST), without blocking however PATH is made: a FIFO or a device is
 * refused, not waited on. -1 with errno and *WHY (a phrase: "No such
 * file or directory", "a FIFO") when not.
 */
int ps_open_regular(const char *path, struct stat *st, const char **why);
/*
 * The one way a policy, an include, a @frequency file or a profile is
 * read: PATH whole, NUL-terminated, in *TEXT (freed by the caller) and
 * *LEN, when it is a regular file of at most MAX bytes. Returns NULL, or
 * why not (a phrase for "cannot read X: WHY"; errno set too, ENOENT for
 * a missing file).
 */
const char *ps_read_file(const char *path, size_t max, char **text,
			 size_t *len);

/*
 * The value of "KEY:" in /proc/PID/status, blanks and newline trimmed,
 * in VALUE: 1; 0 when the process has no such key; -1 with errno when
 * there is no such process (or its status cannot be read).
 */
int ps_proc_status(pid_t pid, const char *key, char *value, size_t len);

/* The integer a one-number file holds (a sysctl); -1 if none can be read. */
int ps_read_int_file(const char *path);

/* Is PATH DIR or beneath it (DIR "/" holds every absolute path)? */
bool ps_path_beneath(const char *path, const char *dir);

/* Whether NAME is one of the NULL-terminated NAMES (NULL: none). */
bool ps_str_listed(const char *const *names, const char *name);

/* FNV-1a of S: to skip most string comparisons in a hash table. */
unsigned long ps_hash_str(const char *s);

/* Is the running kernel MAJOR.MINOR or later (uname's release)? */
bool ps_kernel_at_least(unsigned int major, unsigned int minor);

#endif
