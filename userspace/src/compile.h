/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiler: what a policy's rules mean together, and the libseccomp
 * filter that enforces exactly that.
 */
#ifndef PINSCOPE_COMPILE_H
#define PINSCOPE_COMPILE_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>

#include "policy.h"

/* One action and where in the argument space it applies. */
struct ps_region {
	struct ps_action action;
	struct ps_expr when;
};

/* A syscall's regions are disjoint; where none holds, the default acts. */
struct ps_plan {
	int nr;
	unsigned int n;
	struct ps_region *regions;
	const struct ps_rule *rule;	/* the first rule that named it */
};

struct ps_filter_options {
	bool default_set;
	struct ps_action default_action;
	bool launcher;		/* exec mode: a launcher listens (run) */
	bool report;		/* every refused call goes to the launcher */
	bool no_exec;		/* execve after the launcher's own: refused */
	bool arch_all;		/* also x32 and i386 */
	bool preload;		/* loaded after exec by the preload library */
	bool linear;		/* libseccomp's default layout, not a tree */
	bool want_pfc;		/* keep libseccomp's pseudo-code (explain) */
	bool trace_all;		/* every call to a ptracer (learn) */
};

struct ps_filter {
	struct ps_filter_options opt;
	struct ps_action default_action;
	struct ps_plan *plans;		/* sorted by nr */
	unsigned int n_plans;
	scmp_filter_ctx ctx;		/* only in the child that builds it */
	struct sock_fprog prog;		/* the program the kernel gets */
	int pfc_fd;			/* with want_pfc: the pseudo-code */
	bool uses_notify;		/* the launcher must hold a listener */
	bool execve_notify;		/* execve goes to the launcher */
};

/* 0, or -1 after printing errors; builds f->prog. */
int ps_filter_build(struct ps_filter *f, const struct ps_policy *p,
		    const struct ps_filter_options *opt);
void ps_filter_free(struct ps_filter *f);

/* What the policy does with a call (the launcher's view of a notice). */
struct ps_action ps_filter_decide(const struct ps_filter *f, int nr,
				  const uint64_t args[6]);
const struct ps_plan *ps_filter_plan(const struct ps_filter *f, int nr);

/* "arg0 == 0x1 && arg2 & 0x4" */
void ps_expr_print(FILE *out, const struct ps_expr *e);

#endif
