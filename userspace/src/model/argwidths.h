/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arguments as the kernel reads them. seccomp_data.args holds whole
 * registers, but a syscall's wrapper casts each one to its parameter's
 * type: an `int` keeps 32 bits, a umode_t 16, and an i386 call every
 * register's low 32 bits. A condition is about the value the syscall
 * gets, so it is compared with that value (DESIGN 3.2): what the
 * kernel's prototypes say, in tables generated from them
 * (scripts/gen-argwidths.py, data/argwidths.tsv).
 */
#ifndef PINSCOPE_ARGWIDTHS_H
#define PINSCOPE_ARGWIDTHS_H

#include <stdbool.h>
#include <stdint.h>

#include "syscalls.h"

/* How a syscall takes one argument from its register. */
enum ps_read {
	PS_READ_64, /* all of it (pointers, long, size_t; unknown types) */
	PS_READ_U32, /* the low 32 bits, zero-extended (unsigned int) */
	PS_READ_S32, /* the low 32 bits, sign-extended (int, pid_t) */
	PS_READ_U16, /* the low 16 bits (umode_t) */
};

struct ps_argwidth {
	const char *name; /* the ABI's syscall name */
	const char *entry; /* the function the ABI runs: compat_sys_... */
	unsigned char n; /* its parameters */
	/*
	 * How many leading arguments mean what x86_64's namesake means at
	 * the same position; -1: unknown (no prototype found).
	 */
	signed char same;
	unsigned char read[6]; /* enum ps_read, N of them */
};

struct ps_argwidth_table {
	const struct ps_argwidth *e; /* sorted by strcmp of name */
	unsigned int n;
};

/* The generated tables, one per enum ps_arch. */
extern const struct ps_argwidth_table ps_argwidth_tables[PS_N_ARCH];

/* ARCH's entry for its syscall NAME; NULL if the tables lack it. */
const struct ps_argwidth *ps_argwidth_find(enum ps_arch arch, const char *name);

/*
 * How ARCH's NAME reads argument ARG. A parameter the syscall does not
 * have is read as all 64 bits: the kernel ignores it, the filter can only
 * see the register.
 */
enum ps_read ps_arg_read(enum ps_arch arch, const char *name, unsigned int arg);
/* ps_arg_read() of all six arguments, the table searched once. */
void ps_arg_reads(enum ps_arch arch, const char *name, enum ps_read out[6]);

/* The value a syscall gets from register V, as a 64-bit number. */
uint64_t ps_read_value(enum ps_read r, uint64_t v);

/* ARGS as ARCH's NAME gets them. */
void ps_args_read(enum ps_arch arch, const char *name, const uint64_t in[6],
		  uint64_t out[6]);

/* "int", "unsigned int", "umode_t"-like wording for messages. */
const char *ps_read_name(enum ps_read r);

/*
 * Whether argument ARG of ARCH's NAME means what x86_64's NAME takes at
 * the same position, so a native rule's condition on it holds there too.
 */
bool ps_arg_carries(enum ps_arch arch, const char *name, unsigned int arg);

struct ps_policy;

/*
 * The conditions of P the kernel's reading changes. A warning
 * (FILE:LINE:COL) for a comparison that can never hold, or always holds,
 * because the kernel drops the bits whose value it tests
 * (`ioctl: arg1 == 0x100005412`); with ARCH_ALL, an error for a condition
 * on an argument that i386 or x32 takes differently (i386 mmap is
 * old_mmap). Returns the count of errors.
 */
int ps_policy_check_reads(const struct ps_policy *p, bool arch_all);

#endif
