// SPDX-License-Identifier: GPL-2.0-only
/* Names for numbers: constants, errnos and native syscalls. */
#include <errno.h>
#include <stdio.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "policy.h"

struct ps_constant {
	const char *name;
	uint64_t value;
};

/* constants.gen.c, sorted by name (C locale) */
extern const struct ps_constant ps_constants[];
extern const unsigned long ps_n_constants;

static int constant_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ps_constant *)elem)->name);
}

bool ps_constant_lookup(const char *name, uint64_t *value)
{
	const struct ps_constant *c;

	c = bsearch(name, ps_constants, ps_n_constants, sizeof(*c),
		    constant_cmp);
	if (!c)
		return false;
	*value = c->value;
	return true;
}

const char *ps_constant_name(uint64_t value, const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned long i;

	for (i = 0; i < ps_n_constants; i++)
		if (ps_constants[i].value == value &&
		    !strncmp(ps_constants[i].name, prefix, len))
			return ps_constants[i].name;
	return NULL;
}

int ps_errno_lookup(const char *name)
{
	uint64_t v;

	if (name[0] != 'E' || !ps_constant_lookup(name, &v) || v == 0 ||
	    v > 4095)
		return -1;
	return (int)v;
}

const char *ps_errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

int ps_syscall_lookup(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	return nr >= 0 ? nr : -1;
}

const char *ps_syscall_name(int nr)
{
	static char buf[32];
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	if (!name) {
		snprintf(buf, sizeof(buf), "syscall_%d", nr);
		return buf;
	}
	/* libseccomp hands out a copy; keep one per call site's lifetime */
	strncpy(buf, name, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	free(name);
	return buf;
}

const struct ps_group *ps_group_find(const char *name)
{
	size_t i;

	for (i = 0; i < ps_n_groups; i++)
		if (!strcmp(ps_groups[i].name, name))
			return &ps_groups[i];
	return NULL;
}
