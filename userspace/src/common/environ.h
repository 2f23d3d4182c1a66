/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The environment of a library's constructor, read and edited in place
 * (the one copy both libraries use). Never getenv(), setenv() or
 * unsetenv(): a program may interpose those (bash exports its own, which
 * do nothing before bash has read its variables), and then what a library
 * removes would reach every program it runs. ENV is the process's
 * environ, so what is removed here is gone for the program and for
 * everything it executes. Static inline and libc only (see install.h).
 */
#ifndef PINSCOPE_COMMON_ENVIRON_H
#define PINSCOPE_COMMON_ENVIRON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *ps_env_get(char **env, const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = env; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static inline void ps_env_remove(char **env, const char *name)
{
	size_t len = strlen(name);
	char **e, **out;

	for (e = out = env; e && *e; e++)
		if (strncmp(*e, name, len) || (*e)[len] != '=')
			*out++ = *e;
	if (out)
		*out = NULL;
}

/* ENTRY (an LD_PRELOAD word) names LIB, or a versioned LIB.N? */
static inline bool ps_preload_names(const char *entry, size_t len,
				    const char *lib)
{
	const char *base = memrchr(entry, '/', len);
	size_t n = strlen(lib);

	if (base) {
		len -= (size_t)(base + 1 - entry);
		entry = base + 1;
	}
	return len >= n && !memcmp(entry, lib, n) &&
	       (len == n || entry[n] == '.');
}

/*
 * LD_PRELOAD without LIB: the programs a library's process starts do not
 * load it again behind their backs (the preload's filter, or the crash
 * handler, is already inherited or not wanted). Other preloads stay, in
 * their order. -1 when out of memory.
 */
static inline int ps_env_drop_preload(char **env, const char *lib)
{
	static const char key[] = "LD_PRELOAD=";
	const char *v = ps_env_get(env, "LD_PRELOAD"), *w;
	size_t out = sizeof(key) - 1, n;
	char *kept;
	char **e;

	if (!v)
		return 0;
	kept = malloc(sizeof(key) + strlen(v));
	if (!kept)
		return -1;
	memcpy(kept, key, out);
	/* ld.so separates the list by spaces or colons */
	for (w = v; *w; w += n) {
		w += strspn(w, " :");
		n = strcspn(w, " :");
		if (!n || ps_preload_names(w, n, lib))
			continue;
		if (out > sizeof(key) - 1)
			kept[out++] = ':';
		memcpy(kept + out, w, n);
		out += n;
	}
	kept[out] = '\0';
	ps_env_remove(env, "LD_PRELOAD");
	if (out == sizeof(key) - 1) {
		free(kept);
		return 0;
	}
	/* in the slot the removal freed: the array has room for it */
	for (e = env; *e; e++)
		;
	e[0] = kept;
	e[1] = NULL;
	return 0;
}

#endif
