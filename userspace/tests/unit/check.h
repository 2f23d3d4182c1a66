/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Proving a compiled program: the calls that test it (made from every
 * constant of every rule) and the driver that runs them through the BPF
 * interpreter and holds each answer against the oracle.
 */
#ifndef PINSCOPE_CHECK_H
#define PINSCOPE_CHECK_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>

#include "compile.h"
#include "policy.h"

/* Inputs per named syscall for ps_check_program(): a few thousand. */
#define PS_CHECK_INPUTS 4000

typedef void (*ps_input_fn)(const struct seccomp_data *d, void *ctx);

/*
 * Argument vectors for native syscall NR, at most LIMIT of them, into
 * ARGS (room for LIMIT vectors): from each constant C (and mask M) of the
 * syscall's rules, C, C+1, C-1, 0, all ones, each 32-bit half of C alone,
 * each bit of M set and cleared relative to C, and random values; each
 * argument varied alone around a base that satisfies a conjunction, then
 * random combinations. SEED makes it repeatable. Returns the count.
 */
unsigned int ps_inputs_args(const struct ps_policy *p, int nr,
			    unsigned int limit, uint64_t seed,
			    uint64_t (*args)[6]);

/*
 * Every call that tests P's program: each named syscall's vectors (LIMIT
 * per syscall) natively and, a share of them, as its x32 and i386
 * namesakes (i386 registers narrowed to 32 bits, and whole, as a 64-bit
 * process's int 0x80 leaves them); every other syscall number of
 * the three ABIs; calls of a foreign architecture.
 */
void ps_inputs_policy(const struct ps_policy *p, unsigned int limit,
		      uint64_t seed, ps_input_fn fn, void *ctx);

/*
 * Runs PROG (after ps_bpf_check) on every input of P, each answer held
 * against the oracle under OPT. Returns the number of differences (a
 * program the kernel would refuse counts as one), the first few logged
 * to LOG with the call, its arguments, what was wanted and what came.
 */
unsigned int ps_check_program(const struct ps_policy *p,
			      const struct ps_filter_options *opt,
			      const struct sock_fprog *prog, FILE *log);
/* The same with LIMIT inputs per syscall; *N_INPUTS: how many ran. */
unsigned int ps_check_program_limit(const struct ps_policy *p,
				    const struct ps_filter_options *opt,
				    const struct sock_fprog *prog, FILE *log,
				    unsigned int limit,
				    unsigned long *n_inputs);

/* "x86_64 mmap(0, 0x1000, 0, 0, 0, 0)" into BUF. */
/*
 * The crosvm corpus (run from userspace/): ps_crosvm_next() puts the next
 * policy file of DIR (opened on CROSVM_DIR) into PATH, 0 at the end;
 * ps_crosvm_load() reads it into a new P as tests/run.sh does (-I the
 * corpus, -D the constants newer than these headers): 0, or -1.
 */
#define CROSVM_DIR "tests/crosvm-seccomp/x86_64"
#include <dirent.h>
int ps_crosvm_next(DIR *dir, char *path, size_t len);
int ps_crosvm_load(const char *path, struct ps_policy *p);

const char *ps_call_name(const struct seccomp_data *d, char *buf, size_t len);

#endif
