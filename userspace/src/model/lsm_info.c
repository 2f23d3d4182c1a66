// SPDX-License-Identifier: GPL-2.0-only
/* The running kernel's LSMs and Yama's ptrace scope (lsm_info.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lsm_info.h"
#include "util.h"

#define SECURITYFS_LSM "/sys/kernel/security/lsm"
#define YAMA_SCOPE "/proc/sys/kernel/yama/ptrace_scope"
/* more than any kernel stacks (LSM_CONFIG_COUNT is far below) */
#define MAX_LSMS 64

const char *ps_lsm_name(uint64_t id)
{
	unsigned int i;

	for (i = 0; i < ps_n_lsm_ids; i++)
		if (ps_lsm_ids[i].id == id)
			return ps_lsm_ids[i].name;
	return NULL;
}

/* The kernel's own answer, in its order; -1 before 6.8 (ENOSYS). */
static int from_syscall(char *buf, size_t len)
{
	uint64_t ids[MAX_LSMS];
	uint32_t size = sizeof(ids);
	size_t at = 0;
	long n, i;

	if (ps_nr_lsm_list_modules < 0)
		return errno = ENOSYS, -1;
	n = syscall(ps_nr_lsm_list_modules, ids, &size, 0);
	if (n < 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < n && (size_t)i < MAX_LSMS; i++) {
		const char *name = ps_lsm_name(ids[i]);
		int w;

		/* an LSM newer than our table: its number */
		w = name ? snprintf(buf + at, len - at, "%s%s", i ? "," : "",
				    name) :
			   snprintf(buf + at, len - at, "%slsm-%llu",
				    i ? "," : "", (unsigned long long)ids[i]);
		if (w < 0 || (size_t)w >= len - at)
			break;
		at += (size_t)w;
	}
	return 0;
}

static int from_securityfs(char *buf, size_t len)
{
	FILE *f = fopen(SECURITYFS_LSM, "re");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

/*
 * Under a seccomp filter (pinscope run -- pinscope status) a call the
 * policy never named may kill: then only securityfs is asked.
 */
static bool filtered(void)
{
	char mode[16];

	return ps_proc_status(getpid(), "Seccomp", mode, sizeof(mode)) <= 0 ||
	       strcmp(mode, "0");
}

int ps_lsm_active(char *buf, size_t len, const char **how)
{
	if (!len)
		return errno = EINVAL, -1;
	if (!filtered() && from_syscall(buf, len) == 0) {
		*how = "lsm_list_modules";
		return 0;
	}
	if (from_securityfs(buf, len) == 0) {
		*how = "securityfs";
		return 0;
	}
	return -1;
}

int ps_yama_ptrace_scope(void)
{
	return ps_read_int_file(YAMA_SCOPE);
}
