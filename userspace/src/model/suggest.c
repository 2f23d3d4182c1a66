// SPDX-License-Identifier: GPL-2.0-only
/* "did you mean" for syscall names and groups (util's ps_closest). */
#include "groups.h"
#include "policy.h"
#include "syscalls.h"

const char *ps_syscall_suggest(const char *name)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[PS_ARCH_NATIVE];
	struct ps_closest c;
	unsigned int i;

	ps_closest_init(&c, name);
	for (i = 0; i < t->n; i++)
		ps_closest_try(&c, t->by_name[i].name);
	return c.best;
}

const char *ps_group_suggest(const char *name)
{
	struct ps_closest c;
	size_t i;

	ps_closest_init(&c, name);
	for (i = 0; i < ps_n_groups; i++)
		ps_closest_try(&c, ps_groups[i].name);
	return c.best;
}
