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
	const struct ps_rule *rule;	/* the first rule that named it */
	unsigned long weight;		/* @frequency count, or 1 */
	unsigned int cost;		/* instructions of its own code */
	bool execve_gate;		/* goes to the launcher (3.3) */
	/*
	 * --complain: d[0] refuses a listener of the sandbox's own, in the
	 * kernel (never notified), whatever complain mode does with refusals
	 */
	bool listener_rule;
};

/*
 * Who loads a filter, and so what it must do beyond the policy: one value
 * per filter, set once by the command that builds it.
 */
enum ps_filter_mode {
	/*
	 * Loaded by another program: compile -o for bwrap --seccomp,
	 * systemd or a program's own seccomp(2). The policy alone; 0, so
	 * zeroed options mean it.
	 */
	PS_MODE_LOADER,
	/*
	 * run and explain: the launcher loads it before its own execve and
	 * holds the listener. Kills go to the launcher, which names the call
	 * first, and execve to its exec gate (DESIGN 3.3).
	 */
	PS_MODE_EXEC,
	/*
	 * run --preload (and compile --preload, which the library runs when
	 * used directly): libpinscope-preload.so loads it after start-up,
	 * past every exec it needs, so --no-exec refuses execve outright.
	 */
	PS_MODE_PRELOAD,
	/*
	 * --preload's outer filter, loaded by the launcher before exec: the
	 * policy plus what start-up and the library need, so a program that
	 * never loads the library is still confined (DESIGN 3.3a).
	 */
	PS_MODE_PRELOAD_OUTER,
	/* learn: every call a merged policy does not allow goes to the tracer */
	PS_MODE_LEARN,
};

struct ps_filter_options {
	enum ps_filter_mode mode;
	bool default_set;
	struct ps_action default_action;
	bool report;		/* exec mode: every refused call to the launcher */
	/*
	 * exec mode, run --complain: every call the policy refuses goes to the
	 * launcher, which lets it run (complain.h); not confinement
	 */
	bool complain;
	const char *complain_out;	/* --complain-out: the rules to add */
	const char *complain_oci;	/* ...to this OCI profile, written whole */
	bool complain_systemd;		/* ...as a systemd SystemCallFilter= */
	const char *refusals;		/* --refusals: JSON lines (refusals.h) */
	bool no_exec;		/* execve after the launcher's own: refused */
	bool arch_all;		/* also x32 and i386 */
	/*
	 * PS_MODE_LOADER: execve and execveat allowed whatever the policy
	 * says, for the loader's own exec of the command (compile
	 * --exec-by-loader allow). A filter cannot tell that exec from
	 * later ones, so every exec passes.
	 */
	bool loader_exec;
};

struct ps_filter {
	struct ps_filter_options opt;
	struct ps_action default_action;
	struct ps_plan *plans;		/* sorted by nr */
	unsigned int n_plans;
	struct sock_fprog prog;		/* the program the kernel gets */
	bool uses_notify;		/* the launcher must hold a listener */
	bool execve_notify;		/* execve goes to the launcher */
};

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
