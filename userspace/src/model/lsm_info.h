/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which LSMs the running kernel has, and Yama's ptrace scope: what
 * `pinscope status` shows beside pinscope's own settings, since either
 * LSM's scope decides whether learn, ptracer and catch can trace.
 * lsm_list_modules(2) (Linux 6.8+) answers without securityfs being
 * mounted; /sys/kernel/security/lsm is the older kernels' way.
 */
#ifndef PINSCOPE_LSM_INFO_H
#define PINSCOPE_LSM_INFO_H

#include <stddef.h>
#include <stdint.h>

struct ps_lsm_id {
	uint64_t id; /* LSM_ID_* */
	const char *name; /* as the kernel's lsm= list names it */
};

/* Generated from the kernel's headers (scripts/gen-lsm.sh, data/lsm.tsv). */
extern const int ps_nr_lsm_list_modules;
extern const struct ps_lsm_id ps_lsm_ids[];
extern const unsigned int ps_n_lsm_ids;

/* The name of LSM ID; NULL if the table lacks it. */
const char *ps_lsm_name(uint64_t id);

/*
 * The active LSMs, comma-separated in the kernel's order ("capability,
 * landlock,yama,pinscope"), into BUF; *HOW says who answered:
 * "lsm_list_modules" or "securityfs". 0, or -1 (errno set) where neither
 * does (a kernel before 6.8 without securityfs mounted; a process under
 * a seccomp filter, which may be killed for the syscall, asks only
 * securityfs).
 */
int ps_lsm_active(char *buf, size_t len, const char **how);

/* Yama's kernel.yama.ptrace_scope (0 to 3); -1 where Yama is not built in. */
int ps_yama_ptrace_scope(void);

#endif
