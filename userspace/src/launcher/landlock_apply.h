/* SPDX-License-Identifier: GPL-2.0-only */
/* Landlock in the launchers (landlock_apply.c). */
#ifndef PINSCOPE_LANDLOCK_APPLY_H
#define PINSCOPE_LANDLOCK_APPLY_H

#include <stdbool.h>
#include <sys/types.h>

#include "landlock.h"

/*
 * The running kernel's Landlock ABI, 0 without Landlock. For tests only,
 * PINSCOPE_LANDLOCK_ABI=N lowers it to N, to see what a kernel of ABI N
 * would be given (pinscope(1)); it never raises it.
 */
unsigned int ps_landlock_abi(void);

/* One "pinscope: landlock: ..." line per right PLAN drops. */
void ps_landlock_say_drops(const struct ps_landlock_plan *plan);

/*
 * LL's ruleset for this kernel, into *FD (-1: no rule, or no Landlock,
 * so nothing to restrict), and landlock_restrict_self()'s flags. Each
 * dropped right is said first. 0, or -1 after a message (a path that
 * does not exist, a kernel below the min-abi asked for): the command
 * must not start.
 */
int ps_landlock_build(const struct ps_landlock *ll, int *fd,
		      unsigned int *flags);

/*
 * The Landlock denials of the domain process MAKER made, from the
 * kernel's records read so far (kernlog.h): one line each, naming the
 * call (where syscall auditing names it, else what the right is for)
 * and the path, port or process. CMD names the command. How many.
 */
unsigned int ps_landlock_name_denials(pid_t maker, const char *cmd);

/*
 * After a failed command none of whose denials could be named: what can
 * be seen instead. LOGS: the kernel logs denials (ABI 7); READABLE: its
 * records can be read here.
 */
void ps_landlock_say_unnamed(const char *cmd, bool logs, bool readable);

#endif
