/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PINSCOPE_GROUPS_H
#define PINSCOPE_GROUPS_H

#include <stddef.h>

/* A syscall group: systemd 252's, plus @critical (data/critical.list). */
struct ps_group {
	const char *name; /* with the leading '@' */
	const char *description;
	const char *const *members; /* syscalls and @groups; NULL ends */
};

extern const struct ps_group ps_groups[];
extern const size_t ps_n_groups;

const struct ps_group *ps_group_find(const char *name);

#endif
