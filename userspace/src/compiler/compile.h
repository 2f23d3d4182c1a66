/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiler: what a policy's rules mean together (the plan, plan.c),
 * and the seccomp BPF program that enforces exactly that (emit.c).
 */
#ifndef PINSCOPE_COMPILE_H
#define PINSCOPE_COMPILE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdio.h>

#include "policy.h"
#include "syscalls.h"

/* Where WHEN holds, and no earlier decision of the syscall did: ACTION. */
struct ps_decision {
	struct ps_expr when;
	struct ps_action action;
};

/* One syscall: its decisions in order; where none holds, the default. */
struct ps_plan {
	int nr;
	unsigned int n;
	struct ps_decision *d;
	const struct ps_rule *rule; /* the first rule that named it */
	unsigned long weight; /* @frequency count, or 1 */
	unsigned int cost; /* instructions of its own code */
	bool execve_gate; /* goes to the launcher (3.3) */
	/*
	 * --complain: d[0] refuses a listener of the sandbox's own, in the
	 * kernel (never notified), whatever complain mode does with refusals
	 */
	bool listener_rule;
	/*
	 * options' notify: goes to the listener whatever the policy decides
	 * (the launcher asks ps_filter_decide() what it would do)
	 */
	bool notify;
};

/*
 * What a filter must do beyond the policy, stated by whoever loads it: the
 * compiler knows no loader. Zeroed options mean the policy alone, for a
 * program's own loader (compile -o for bwrap --seccomp, systemd, seccomp(2)).
 */
struct ps_filter_options {
	/*
	 * The launcher loads it before its own execve and holds the
	 * listener: execve goes to its exec gate unless the policy allows
	 * every execve (DESIGN 3.3), and no one else may make a listener.
	 */
	bool exec_gate;
	/* learn: every call the policy does not allow goes to the tracer */
	bool trace;
	bool default_set;
	struct ps_action default_action;
	bool report; /* exec gate: every refused call to the launcher */
	/*
	 * exec gate, run --complain: every call the policy refuses goes to the
	 * launcher, which lets it run (complain.h); not confinement
	 */
	bool complain;
	/*
	 * The launcher's outputs for --complain and --refusals; the compiler
	 * reads none of them (they ride here until the launcher has options
	 * of its own)
	 */
	const char *complain_out; /* --complain-out: the rules to add */
	const char *complain_oci; /* ...to this OCI profile, written whole */
	bool complain_systemd; /* ...as a systemd SystemCallFilter= */
	const char *refusals; /* --refusals: JSON lines (refusals.h) */
	/*
	 * exec gate: these native syscalls go to the launcher whatever the
	 * policy decides of them, allowed calls too, and the policy's
	 * decision is the launcher's to carry out (run --complain with
	 * Landlock rules: the file and network calls whose paths and ports
	 * it checks). NULL: none.
	 */
	const int *notify;
	unsigned int n_notify;
	/*
	 * No exec after the start: execveat refused, and execve too unless
	 * the exec gate is there to let the launcher's own through.
	 */
	bool no_exec;
	bool arch_all; /* also x32 and i386 */
	/*
	 * execve and execveat allowed whatever the policy says, for the
	 * loader's own exec of the command (compile --exec-by-loader allow).
	 * A filter cannot tell that exec from later ones, so every exec passes.
	 */
	bool loader_exec;
	/*
	 * Rules allowed before any of the policy's: what the loader itself
	 * needs while the filter is on (--preload's start-up, launcher/needs.c).
	 * Only their syscalls and conditions count; NULL for none.
	 */
	const struct ps_policy *first;
	/*
	 * The Landlock rules the launcher applies before the filter
	 * (launcher/landlock_apply.c); the compiler reads none. NULL: none.
	 */
	const struct ps_landlock *landlock;
};

struct ps_filter {
	struct ps_filter_options opt;
	struct ps_action default_action;
	struct ps_plan *plans; /* sorted by nr */
	unsigned int n_plans;
	struct sock_fprog prog; /* the program the kernel gets */
	bool uses_notify; /* the launcher must hold a listener */
	bool execve_notify; /* execve goes to the launcher */
	/*
	 * runc's ENOSYS rule (enosys.c): a number of ARCH above
	 * enosys_above[ARCH] that no plan rules fails with ENOSYS; -1: off.
	 */
	int64_t enosys_above[PS_N_ARCH];
	/* seccomp(2) flags the policy asks the filter be loaded with */
	unsigned int load_flags;
};

/* Sets f->enosys_above from P's OCI profile and F's default action. */
void ps_filter_enosys(struct ps_filter *f, const struct ps_policy *p);
/* Does the ENOSYS rule decide ARCH's number NR (no plan rules it)? */
bool ps_filter_enosys_applies(const struct ps_filter *f, enum ps_arch arch,
			      int64_t nr);

/* 0, or -1 after printing errors (FILE:LINE:COL); builds f->prog. */
int ps_filter_build(struct ps_filter *f, const struct ps_policy *p,
		    const struct ps_filter_options *opt);
void ps_filter_free(struct ps_filter *f);

/*
 * Does F allow every call NR, whatever its arguments, in the kernel (no
 * exec gate)?
 */
bool ps_filter_always_allows(const struct ps_filter *f, int nr);

/*
 * What the policy does with a native call (the launcher's view), its
 * arguments read from the registers in ARGS as the syscall reads them.
 */
struct ps_action ps_filter_decide(const struct ps_filter *f, int nr,
				  const uint64_t args[6]);
/* The same for a call of ARCH whose x86_64 namesake is NR. */
struct ps_action ps_filter_decide_arch(const struct ps_filter *f,
				       enum ps_arch arch, int nr,
				       const uint64_t regs[6]);
const struct ps_plan *ps_filter_plan(const struct ps_filter *f, int nr);

/*
 * io_uring (uring.c): whether F allows io_uring_setup for some call while
 * refusing some call of a syscall that a ring operation performs without
 * making it; NAMES gets those syscalls, comma-separated (cut at LEN).
 */
bool ps_filter_ring_bypass(const struct ps_filter *f, char *names, size_t len);
/* "pinscope: warning: ..." on stderr when ps_filter_ring_bypass(). */
void ps_filter_warn_io_uring(const struct ps_filter *f);

/* The seccomp return value the program gives for action A. */
uint32_t ps_filter_ret(const struct ps_filter *f, const struct ps_action *a);
/* ... for decision I of plan P (complain mode keeps some in the kernel) */
uint32_t ps_decision_ret(const struct ps_filter *f, const struct ps_plan *p,
			 unsigned int i);
/* ... for A as the kernel alone enforces it (no complain mode) */
uint32_t ps_filter_ret_kernel(const struct ps_action *a);

/*
 * The emitter: f->prog from f->plans. 0, or -1 after an error (a program
 * longer than the kernel takes names the rules that cost most).
 */
int ps_emit(struct ps_filter *f);

#endif
