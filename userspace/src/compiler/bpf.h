/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's view of a seccomp program, in userspace: the checks a
 * program must pass to be loaded, the classic-BPF interpreter that runs
 * it, and the emulation behind the kernel's action cache (5.11+), which
 * decides which syscalls are answered without running the filter.
 */
#ifndef PINSCOPE_BPF_H
#define PINSCOPE_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * 0 when the kernel would load PROG (bpf_check_classic() and
 * seccomp_check_filter(): length 1 to BPF_MAXINSNS, known opcodes,
 * aligned loads inside struct seccomp_data, jumps inside the program,
 * scratch memory in range, a return at the end); else -1 with the
 * reason, naming the instruction, in WHY.
 */
int ps_bpf_check(const struct sock_filter *prog, size_t len, char *why,
		 size_t whylen);

/*
 * Runs a checked PROG on D as the kernel does; returns the filter's
 * 32-bit result. With STEPS, stores how many instructions ran.
 */
uint32_t ps_bpf_run(const struct sock_filter *prog, size_t len,
		    const struct seccomp_data *d, unsigned int *steps);

/*
 * Whether the kernel's action cache would answer syscall NR of ARCH with
 * ALLOW without running the filter: seccomp_is_const_allow(), which
 * follows the program with the arguments and the instruction pointer
 * unknown, and gives up at any instruction that reads them.
 */
bool ps_bpf_const_allow(const struct sock_filter *prog, size_t len,
			uint32_t arch, int nr);

/*
 * PROG as text, one instruction a line, in the kernel's bpf_dbg syntax
 * (bpf_print.c): for explain, and for tests that say what differed.
 */
void ps_bpf_print(FILE *out, const struct sock_filter *prog, size_t len);

/* "allow", "errno", "kill-process", ...: the action of a return value. */
const char *ps_bpf_ret_name(uint32_t ret);

#endif
