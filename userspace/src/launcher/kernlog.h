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
	pid_t pid; /* the caller's process (thread group) */
	int sig; /* the signal it got (31 for a kill), or 0 */
	uint32_t arch; /* AUDIT_ARCH_* */
	int nr; /* the syscall, in ARCH's numbers */
	uint32_t code; /* the filter's SECCOMP_RET_* value */
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
 * Landlock's records (6.15+, where audit is on: auditd running, or
 * audit=1): AUDIT_LANDLOCK_ACCESS, a denial ("domain=ID blockers=fs.read_file
 * path=... dev=... ino=..."); AUDIT_LANDLOCK_DOMAIN "status=allocated",
 * who made the domain (its pid); and the AUDIT_SYSCALL record of the same
 * event, where syscall auditing is on, naming the call. ps_kernlog_next()
 * keeps those it reads for ps_kernlog_landlock_next().
 */
#define PS_AUDIT_LANDLOCK_ACCESS 1423 /* include/uapi/linux/audit.h, 6.15 */
#define PS_AUDIT_LANDLOCK_DOMAIN 1424 /* 6.15 */

struct ps_landlock_record {
	int type; /* PS_AUDIT_LANDLOCK_*, or AUDIT_SYSCALL (1300) */
	unsigned long
		serial; /* the event's: the records of one denial share it */
	unsigned long long domain;
	pid_t pid; /* DOMAIN: its maker; SYSCALL: the caller */
	int nr; /* SYSCALL: the call */
	char blockers[96]; /* ACCESS: "fs.read_file,..." */
	char object[256]; /* ACCESS: the rest ("path=\"/x\" dev=... ino=...") */
};

/* The next Landlock record read (by ps_kernlog_next()): 1, or 0 for none. */
int ps_kernlog_landlock_next(struct ps_landlock_record *r);

/* One /dev/kmsg line as a Landlock record (or the SYSCALL of one); false otherwise. */
bool ps_kernlog_parse_landlock(const char *line, struct ps_landlock_record *r);

/*
 * Parses one /dev/kmsg record ("PRI,SEQ,TIME,FLAGS;audit: type=1326 ...");
 * false for any other record.
 */
bool ps_kernlog_parse(const char *line, struct ps_seccomp_record *r);

#endif
