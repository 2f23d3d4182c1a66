/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An independent reading of a policy: what the kernel must answer for a
 * call, decided from the parsed rules and the documented precedence
 * (DESIGN.md 3.0-3.3, pinscope.policy(5), pinscope(1)), sharing nothing
 * with the compiler's plans or its expression code. The unit tests and
 * the fuzzer hold every emitted program against it (check.h).
 */
#ifndef PINSCOPE_ORACLE_H
#define PINSCOPE_ORACLE_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compile.h"
#include "policy.h"
#include "syscalls.h"

#define PS_X32_BIT 0x40000000u

/* The rules of one native syscall, in policy order. */
struct ps_oracle_sc {
	int nr;
	unsigned int n;
	const struct ps_rule **rules;
};

struct ps_oracle {
	const struct ps_policy *policy;
	struct ps_filter_options opt;
	struct ps_oracle_sc *scs; /* sorted by nr */
	unsigned int n_scs;
	unsigned int conflicts; /* syscalls the compiler must refuse */
	/*
	 * Rules it must refuse too: with --arch all, a condition on an
	 * argument that i386 or x32 takes differently.
	 */
	unsigned int layouts;
	int execve_nr, execveat_nr, seccomp_nr;
};

/*
 * What a filter may return for a call: WANT, or ALSO when two answers are
 * equally right (the launcher's execve: it may be sent to the launcher,
 * which decides by the same policy, or allowed outright).
 */
struct ps_verdict {
	uint32_t want, also;
};

/* Indexes P (which must outlive O); logs each conflict to LOG if given. */
void ps_oracle_init(struct ps_oracle *o, const struct ps_policy *p,
		    const struct ps_filter_options *opt, FILE *log);
void ps_oracle_free(struct ps_oracle *o);

/*
 * The value ABI's syscall NAME gets from each register of REGS: the low
 * 32 bits of an int or unsigned int (sign- or zero-extended), the low 16
 * of a umode_t, all 64 otherwise (the generated tables, argwidths.h).
 */
void ps_oracle_kernel_args(enum ps_arch abi, const char *name,
			   const uint64_t regs[6], uint64_t args[6]);

/* The policy's action for native syscall NR with ARGS (no launcher). */
struct ps_action ps_oracle_action(const struct ps_oracle *o, int nr,
				  const uint64_t args[6]);

/* The seccomp return value(s) the filter must give for D. */
struct ps_verdict ps_oracle_decide(const struct ps_oracle *o,
				   const struct seccomp_data *d);

static inline bool ps_verdict_ok(const struct ps_verdict *v, uint32_t got)
{
	return got == v->want || got == v->also;
}

/*
 * The native syscall that decides a call of ARCH number NR: NR itself on
 * x86_64, the native one of the same name for i386 and x32; -1 when it has
 * none (the default action), -2 for an architecture the filter kills.
 */
int ps_oracle_native_nr(uint32_t arch, int nr);

/* "errno:13", "allow", "kill-process", ... into BUF. */
const char *ps_ret_name(uint32_t ret, char *buf, size_t len);

#endif
