/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OCI runtime-spec seccomp profiles (config.json's linux.seccomp, and the
 * profile files of Docker, Podman and the Kubernetes Security Profiles
 * Operator, which add archMap, includes and excludes): read into the
 * policy model with the meaning runc gives them (oci.c).
 */
#ifndef PINSCOPE_OCI_H
#define PINSCOPE_OCI_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"

struct ps_oci_options {
	bool caps_set; /* else Docker's default set (ps_oci_docker_caps) */
	uint64_t caps; /* bit N: capability N (CAP_CHOWN is 0) */
	bool verbose; /* list skipped names and entries on stderr */
	const char *kernel; /* release for minKernel; NULL: uname -r */
};

/*
 * Adds the profile at PATH to P: its entries as PS_FROM_PROFILE rules,
 * its defaultAction as P's default, its architectures as P->arch_all.
 * 0, or -1 after printing FILE:LINE:COL (bad JSON) or FILE: $.PATH (a
 * bad value); P->errors counts them.
 */
int ps_oci_load(struct ps_policy *p, const char *path,
		const struct ps_oci_options *o);
/*
 * The same for a profile already in memory: LEN bytes at TEXT (no NUL
 * needed after them), named NAME in messages.
 */
int ps_oci_load_buffer(struct ps_policy *p, const char *name, const char *text,
		       size_t len, const struct ps_oci_options *o);

/*
 * "CAP_CHOWN,CAP_KILL" (or "", "none"); "docker" adds Docker's default
 * set, "own" the command's own (ps_oci_own_caps): "docker,CAP_SYS_ADMIN"
 * is a container with --cap-add SYS_ADMIN. -1 after a message.
 */
int ps_oci_parse_caps(const char *list, uint64_t *caps);

/* Docker's default capabilities for a container (what caps_set=false reads). */
uint64_t ps_oci_docker_caps(void);

/* CAPS as --oci-caps would say it ("docker", "none", "CAP_A,CAP_B"). */
const char *ps_oci_caps_text(uint64_t caps, char *buf, size_t len);

/*
 * The capabilities the command will have: a command started by root
 * keeps the launcher's effective set across execve; anyone else's keeps
 * only the ambient set (file capabilities do not count under NoNewPrivs).
 */
uint64_t ps_oci_own_caps(void);

/* A profile rather than a minijail policy: a .json name, or a '{' first. */
bool ps_oci_is_profile(const char *path);

#endif
