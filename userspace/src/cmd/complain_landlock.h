/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run --complain with Landlock rules (complain_landlock.c): the rules are
 * not applied; the file and network calls are checked against them
 * instead, and each use they would refuse is named, counted and written
 * out as the @landlock rules that would grant it.
 */
#ifndef PINSCOPE_COMPLAIN_LANDLOCK_H
#define PINSCOPE_COMPLAIN_LANDLOCK_H

#include "compile.h"
#include "complain.h"
#include "landlock.h"

struct ps_complain_landlock;

/*
 * The check of LL's rules as this kernel's ABI enforces them, its paths
 * resolved now; NULL where it enforces none of them (no Landlock).
 */
struct ps_complain_landlock *
ps_complain_landlock_new(const struct ps_landlock *ll);
void ps_complain_landlock_free(struct ps_complain_landlock *c);

/* The calls the filter must send whatever it decides, into O's notify. */
void ps_complain_landlock_options(const struct ps_complain_landlock *c,
				  struct ps_filter_options *o);

/* The launcher's hook (complain.h). */
const struct ps_complain_hook *
ps_complain_landlock_hook(struct ps_complain_landlock *c);

#endif
