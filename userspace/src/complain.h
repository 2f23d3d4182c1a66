/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run --complain: the record of the calls a policy would refuse.
 *
 * The filter sends each such call to the launcher (SECCOMP_RET_USER_NOTIF,
 * compile.h's complain option), which lets it run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) and notes it here: once per distinct
 * call (its syscall and decoded arguments) on stderr, with the process and
 * the rule that would have refused it; at the end a summary, and the rules
 * that would let the same workload run enforcing (--complain-out).
 *
 * Not confinement: every call the policy refuses runs. The record is
 * bounded (PS_COMPLAIN_MAX_DISTINCT calls are named; later ones are
 * counted), so a program making novel calls without end does not grow it.
 */
#ifndef PINSCOPE_COMPLAIN_H
#define PINSCOPE_COMPLAIN_H

#include <linux/seccomp.h>
#include <stdbool.h>

#include "compile.h"

/* Distinct calls named on stderr; further ones are counted ("N more"). */
#define PS_COMPLAIN_MAX_DISTINCT 256

struct ps_complain;

/*
 * A record for filter F; OUT (or NULL) is where --complain-out writes
 * the rules, opened now: the launcher confines itself before the end,
 * and may open nothing then. NULL after a message.
 */
struct ps_complain *ps_complain_new(const struct ps_filter *f,
				    const char *out);

/*
 * The directory of /proc the record reads a caller's comm from, opened
 * by ps_complain_new() (its launcher policy may open files under it,
 * and nothing else: ps_launcher_build_proc()); -1 where /proc is not.
 */
int ps_complain_proc_fd(const struct ps_complain *c);

/*
 * Notes notification N, still pending on LISTENER (its caller waits, so
 * its memory can be read): printed the first time it is seen.
 */
void ps_complain_note(struct ps_complain *c, int listener,
		      const struct seccomp_notif *n);

/* The summary on stderr, and the rules to OUT; 0, or -1 after a message. */
int ps_complain_finish(struct ps_complain *c);

void ps_complain_free(struct ps_complain *c);

#endif
