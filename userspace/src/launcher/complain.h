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
#include <stdio.h>

#include "compile.h"

/* Distinct calls named on stderr; further ones are counted ("N more"). */
#define PS_COMPLAIN_MAX_DISTINCT 256

struct ps_complain;

/* The format --complain-out writes in: the policy language, OCI, systemd. */
enum ps_complain_format {
	PS_COMPLAIN_POLICY,
	PS_COMPLAIN_OCI,
	PS_COMPLAIN_SYSTEMD,
};

/*
 * run --complain with Landlock rules, which the launcher then applies
 * none of: its caller's check of the file and network calls instead,
 * which the filter sends whatever the policy decides (ps_filter_options'
 * notify). Each member runs in the confined launcher (confine_launcher.c,
 * ps_launcher_build_proc()'s RESOLVE): it may read a caller's memory,
 * open O_PATH and read links under PROC, read a socket's protocol
 * (getxattr), allocate, and write to stderr and OUT.
 */
struct ps_complain_hook {
	/*
	 * Each notified call, allowed or refused, while its caller still
	 * waits on LISTENER; NATIVE its x86_64 number (by name), or -1
	 */
	void (*call)(void *ctx, int listener, const struct seccomp_notif *n,
		     int native);
	/* its lines of the summary, before the closing one */
	void (*summary)(void *ctx);
	/* its rules, after the syscalls' in --complain-out's OUT */
	void (*rules)(void *ctx, FILE *out, enum ps_complain_format format);
	void *ctx;
	int proc; /* /proc's directory, which the launcher uses too */
};

/*
 * A record for filter F; OUT (or NULL) is where --complain-out writes
 * the rules, opened now: the launcher confines itself before the end,
 * and may open nothing then. PROC is /proc's directory (ps_proc_open()),
 * or -1. HOOK (or NULL): the Landlock rules' check, summed up and written
 * out with the record. NULL after a message.
 */
struct ps_complain *ps_complain_new(const struct ps_filter *f, const char *out,
				    int proc,
				    const struct ps_complain_hook *hook);

/*
 * PATH opened for writing by the launcher before it confines itself (it
 * may open nothing later); NULL after a message naming OPTION.
 */
FILE *ps_output_open(const char *path, const char *option);

/*
 * /proc's directory, opened before the launcher confines itself: its
 * policy may then read files under it, and nothing else
 * (ps_launcher_build_proc()). -1 where there is no /proc.
 */
int ps_proc_open(void);
/* PID's comm, and its executable's path, read under PROC; "?" if not. */
void ps_proc_comm(int proc, pid_t pid, char *buf, size_t len);
void ps_proc_exe(int proc, pid_t pid, char *buf, size_t len);

/*
 * Whether PID is ANCESTOR or one of its descendants now (read under
 * PROC): 1 if so, 0 if not, -1 if it cannot be told (a process gone).
 */
int ps_proc_descends(int proc, pid_t pid, pid_t ancestor);

/*
 * Where F's decision for native call NATIVE comes from, into BUF: "the
 * default action", "rule FILE:LINE: TEXT", "rule TEXT" (an option's).
 */
void ps_rule_source(const struct ps_filter *f, int native, char *buf,
		    size_t len);

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
