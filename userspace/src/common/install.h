/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where pinscope's pieces are, and PATH search: the one copy the launcher
 * and both libraries use. Static inline and libc only, so each library
 * stays one object that links nothing but libc and adds no symbol to a
 * program linking libpinscope-crash.a (a shared .c compiled into each
 * would need hidden symbols for that, and a rule per library).
 *
 * A build tree holds everything in one folder. make install puts
 * pinscope in PREFIX/bin; the preload library, the reporter and
 * libpinscope-crash.so in PREFIX/lib/pinscope; libpinscope-crash.so and
 * .a also in PREFIX/lib.
 */
#ifndef PINSCOPE_COMMON_INSTALL_H
#define PINSCOPE_COMMON_INSTALL_H

#include <dlfcn.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PINSCOPE_BINDIR
#define PINSCOPE_BINDIR "/usr/local/bin"
#endif
#ifndef PINSCOPE_LIBDIR
#define PINSCOPE_LIBDIR "/usr/local/lib/pinscope"
#endif

#define PS_BIN_NAME "pinscope"
#define PS_PRELOAD_LIB "libpinscope-preload.so"
#define PS_CRASH_LIB "libpinscope-crash.so"
#define PS_REPORTER "pinscope-crash-report"

/* What execvp(3) searches when PATH is unset or empty. */
#define PS_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/*
 * From a library's folder to pinscope's: a build tree, PREFIX/lib, then
 * PREFIX/lib/pinscope (in this order: from PREFIX/lib, ../../bin would
 * be another prefix's).
 */
#define PS_BIN_FROM_LIB                          \
	{                                        \
		".", "../bin", "../../bin", NULL \
	}
/* From pinscope's folder to its libraries and reporter. */
#define PS_LIBS_FROM_BIN                     \
	{                                    \
		".", "../lib/pinscope", NULL \
	}

/*
 * A regular file that passes access(MODE). A folder passes X_OK: from
 * PREFIX/lib, "./pinscope" is the folder PREFIX/lib/pinscope.
 */
static inline bool ps_is_file(const char *file, int mode)
{
	struct stat st;

	return !stat(file, &st) && S_ISREG(st.st_mode) && !access(file, mode);
}

/*
 * NAME by the folders of PATH, as execvp(3) finds it (the default list
 * when PATH is NULL or empty; an empty entry is the current folder):
 * true with the file in OUT.
 */
static inline bool ps_path_find(const char *path, const char *name, char *out,
				size_t len)
{
	const char *dir, *end;
	int n;

	if (!path || !*path)
		path = PS_DEFAULT_PATH;
	for (dir = path;; dir = end + 1) {
		end = strchrnul(dir, ':');
		n = end == dir ? snprintf(out, len, "./%s", name) :
				 snprintf(out, len, "%.*s/%s", (int)(end - dir),
					  dir, name);
		if (n > 0 && (size_t)n < len && ps_is_file(out, X_OK))
			return true;
		if (!*end)
			return false;
	}
}

/*
 * NAME in the first of DIR/REL[0], DIR/REL[1]... (REL ends with NULL),
 * then FALLBACK (a folder, or NULL), that is a regular file passing
 * access(MODE): true with the file in OUT. DIR is the folder of the
 * program or library asking.
 */
static inline bool ps_install_find(const char *dir, const char *const *rel,
				   const char *fallback, const char *name,
				   int mode, char *out, size_t len)
{
	int n;

	for (; dir && *rel; rel++) {
		n = strcmp(*rel, ".") ?
			    snprintf(out, len, "%s/%s/%s", dir, *rel, name) :
			    snprintf(out, len, "%s/%s", dir, name);
		if (n > 0 && (size_t)n < len && ps_is_file(out, mode))
			return true;
	}
	if (!fallback)
		return false;
	n = snprintf(out, len, "%s/%s", fallback, name);
	return n > 0 && (size_t)n < len && ps_is_file(out, mode);
}

/* The folder of the library (or program) holding ADDR: false if unknown. */
static inline bool ps_dir_of(const void *addr, char *out, size_t len)
{
	Dl_info info;
	char *slash;

	if (!dladdr(addr, &info) || !info.dli_fname ||
	    !strchr(info.dli_fname, '/') ||
	    (size_t)snprintf(out, len, "%s", info.dli_fname) >= len)
		return false;
	slash = strrchr(out, '/');
	slash[slash == out] = '\0'; /* "/lib.so" is in "/" */
	return true;
}

/*
 * The pinscope binary, for a library (ANCHOR: an address inside it), as
 * an absolute name in OUT (PATH_MAX bytes), since the program may change
 * folder before it is used. OVERRIDE, an environment variable's value,
 * decides alone when set: a file, or a name looked up on PATH. Else
 * pinscope beside the library or in its install's bin folder, then in
 * PINSCOPE_BINDIR, then on PATH.
 */
static inline bool ps_find_pinscope(const void *anchor, const char *override,
				    const char *path, char *out)
{
	static const char *const rel[] = PS_BIN_FROM_LIB;
	char dir[PATH_MAX], file[PATH_MAX];
	bool found;

	if (override && *override) {
		if (strchr(override, '/'))
			found = ps_is_file(override, X_OK) &&
				(size_t)snprintf(file, sizeof(file), "%s",
						 override) < sizeof(file);
		else
			found = ps_path_find(path, override, file,
					     sizeof(file));
	} else {
		found = ps_install_find(ps_dir_of(anchor, dir, sizeof(dir)) ?
						dir :
						NULL,
					rel, PINSCOPE_BINDIR, PS_BIN_NAME, X_OK,
					file, sizeof(file)) ||
			ps_path_find(path, PS_BIN_NAME, file, sizeof(file));
	}
	return found && realpath(file, out);
}

#endif
