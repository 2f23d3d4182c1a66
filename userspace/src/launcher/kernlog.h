/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's own record of seccomp refusals: the audit record type 1326
 * (AUDIT_SECCOMP) that a kill, and with SECCOMP_FILTER_FLAG_LOG every
 * refusal, leaves. Root reads every one from the audit subsystem's
 * read-only multicast group (with or without auditd); others read what
 * the kernel prints of them to its log without auditd, which /dev/kmsg
 * serves where kernel.dmesg_restrict is 0, at most ten in five seconds
 * (the console's rate limit). The launcher names refused calls from them,
 * so no refusal waits for the launcher (DESIGN 3.2).
 */
#ifndef PINSCOPE_KERNLOG_H
#define PINSCOPE_KERNLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ps_seccomp_record {
	pid_t pid;		/* the caller's process (thread group) */
	int sig;		/* the signal it got (31 for a kill), or 0 */
	uint32_t arch;		/* AUDIT_ARCH_* */
	int nr;			/* the syscall, in ARCH's numbers */
	uint32_t code;		/* the filter's SECCOMP_RET_* value */
	/* the caller's comm and executable as the record says; "" if not */
	char comm[32];
	char exe[256];
};

/*
 * The records from now on, read without blocking: a descriptor to poll
 * for them, or -1 (errno set) where none can be read. One set of sources
 * per process.
 */
int ps_kernlog_open(void);

/*
 * The next seccomp record (from any source ps_kernlog_open() found; FD
 * is its answer) into R: 1; 0 when none is left now; -1 on an error
 * other than records lost (skipped).
 */
int ps_kernlog_next(int fd, struct ps_seccomp_record *r);

/*
 * Parses one /dev/kmsg record ("PRI,SEQ,TIME,FLAGS;audit: type=1326 ...");
 * false for any other record.
 */
bool ps_kernlog_parse(const char *line, struct ps_seccomp_record *r);

#endif
