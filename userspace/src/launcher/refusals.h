/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run --refusals FILE: every refusal the launcher can name, one JSON
 * object a line, for runs whose stderr nobody reads (services, CI):
 *
 *   {"time":"2026-12-07T12:00:00.123Z","pid":42,"comm":"sh",
 *    "exe":"/usr/bin/dash","syscall":"mkdir","args":"unknown",
 *    "args_unknown":"...","action":"kill-process","rule":"..."}
 *
 * The refusals are the kernel's (DESIGN 3.2): the launcher names them
 * from the kernel's audit records (kernlog.h), which carry no arguments,
 * and from the exec gate's notifications, which do (decoded, decode.h).
 * A refusal it cannot name (no record readable: the command killed by
 * SIGSYS all the same) is written with "syscall":"unknown" and why.
 */
#ifndef PINSCOPE_REFUSALS_H
#define PINSCOPE_REFUSALS_H

#include <linux/seccomp.h>

#include "compile.h"
#include "kernlog.h"

struct ps_refusals;

/*
 * Opens PATH for F's run (before the launcher confines itself); PROC is
 * /proc's directory (complain.h's ps_proc_open()), or -1. NULL after a
 * message.
 */
struct ps_refusals *ps_refusals_open(const struct ps_filter *f,
				     const char *path, int proc);

/*
 * The exec gate refused notification N (pending on LISTENER) with
 * ACTION, by RULE (NULL: the policy's rule for the call).
 */
void ps_refusals_gate(struct ps_refusals *r, int listener,
		      const struct seccomp_notif *n, const char *action,
		      const char *rule);

/*
 * Whether the process PID of a kernel record is the sandbox's: the
 * launcher's descendant (it is the sandbox's subreaper) while it lives.
 * The kernel's record does not say which filter refused; a process gone
 * before its record is read cannot be told from any other's: counted,
 * and said in the last line ({"unattributed":N,...}).
 */
bool ps_refusals_ours(struct ps_refusals *r, pid_t pid);

/* The kernel's record REC of a refusal, whose action is ACTION. */
void ps_refusals_kernel(struct ps_refusals *r,
			const struct ps_seccomp_record *rec,
			const char *action);

/* PID died of SIGSYS and no record names the call: WHY. */
void ps_refusals_unnamed(struct ps_refusals *r, pid_t pid, const char *why);

/* Closes the file; -1 after a message if it could not all be written. */
int ps_refusals_close(struct ps_refusals *r);

#endif
