/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy model: minijail policy files, command-line rules and systemd
 * SystemCallFilter= values all become one ordered list of rules.
 */
#ifndef PINSCOPE_POLICY_H
#define PINSCOPE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "expr.h"
#include "landlock.h"
#include "syscalls.h"
#include "util.h"

enum ps_action_type {
	PS_ACT_ALLOW,
	PS_ACT_KILL_PROCESS,
	PS_ACT_KILL_THREAD,
	PS_ACT_TRAP,
	PS_ACT_LOG,
	PS_ACT_ERRNO,
};

struct ps_action {
	enum ps_action_type type;
	int errnum; /* PS_ACT_ERRNO only */
};

/* Who wrote a rule decides what it may override (see policy.c). */
enum ps_origin {
	PS_FROM_GROUP, /* a member of an @group */
	PS_FROM_RULE, /* a syscall named in a file or by --allow */
	PS_FROM_PROFILE, /* an OCI profile's entry: first match (oci.c) */
	PS_FROM_DENY, /* --deny or a ~ systemd list: wins */
};

struct ps_rule {
	struct ps_loc loc;
	int nr; /* native syscall number */
	enum ps_origin origin;
	struct ps_expr cond; /* when it holds: then */
	struct ps_action then;
	bool has_else; /* "expr; return E": else otherwise */
	struct ps_action otherwise;
	char *text; /* the rule as written, for explain */
};

/* @frequency: how often a syscall is called, to weigh the search. */
struct ps_frequency {
	int nr;
	unsigned long count;
};

struct ps_policy {
	struct ps_rule *rules;
	unsigned int n, cap;
	bool any_allow_source; /* a file or --allow: default-deny mode */
	bool minijail_strict; /* extensions are errors */
	char **include_dirs; /* where absolute includes may be found */
	unsigned int n_include_dirs;
	char **define_names; /* -D NAME=VALUE: constants the headers lack */
	uint64_t *define_values;
	unsigned int n_defines;
	char **files; /* every file read, named by the rules' locations */
	unsigned int n_files, cap_files;
	bool files_exhausted; /* more than policy.c's MAX_FILES, reported */
	struct ps_frequency *frequencies;
	unsigned int n_frequencies, cap_frequencies;
	/* @default ACTION or an OCI defaultAction; --default-action wins */
	bool default_set;
	struct ps_action default_action;
	bool arch_all; /* an OCI profile admitting x32 and i386 */
	/*
	 * An OCI profile: runc's ENOSYS rule (enosys.c). The highest number
	 * of each arch (enum ps_arch) the profile's counted entries name,
	 * 0 for none, as runc leaves an arch whose largest is 0 alone.
	 */
	bool oci_enosys;
	int oci_last_nr[PS_N_ARCH];
	/* an OCI profile's SECCOMP_FILTER_FLAG_LOG and _SPEC_ALLOW */
	unsigned int oci_flags;
	/* the capabilities its includes and excludes were read with */
	uint64_t oci_caps;
	/* @landlock directives and the run options that add to them */
	struct ps_landlock landlock;
	unsigned int errors;
};

void ps_policy_init(struct ps_policy *p);
void ps_policy_free(struct ps_policy *p);

/* Each returns 0, or -1 after printing FILE:LINE:COL: error: ... */
int ps_policy_load_file(struct ps_policy *p, const char *path);
int ps_policy_load_buffer(struct ps_policy *p, const char *name,
			  const char *text, size_t len);
/* LIST: "name,@group,name:ERRNO"; deny lists with default kill. */
int ps_policy_add_list(struct ps_policy *p, const char *list, bool deny,
		       const struct ps_loc *loc);
/* A SystemCallFilter= value: "~a b:EPERM @group" or "a b". */
int ps_policy_add_systemd(struct ps_policy *p, const char *value,
			  const struct ps_loc *loc);

/* -I DIR: where absolute @include files not found are looked for. */
void ps_policy_add_include_dir(struct ps_policy *p, const char *dir);

/* "NAME=VALUE"; 0, or -1 with a message. */
int ps_policy_define(struct ps_policy *p, const char *def);

int ps_parse_action(const char *s, struct ps_action *out);
/* A keyword of the policy language (allow, kill, errno, ...): true and *TYPE. */
bool ps_action_keyword(const char *name, enum ps_action_type *type);
/* An errno by name or number (at most 4095), or -1. */
int ps_errno_value(const char *s);
const char *ps_action_name(const struct ps_action *a, char *buf, size_t len);
bool ps_action_equal(const struct ps_action *a, const struct ps_action *b);

/* Named constants from the system headers (generated at build time). */
bool ps_constant_lookup(const char *name, uint64_t *value);
/* The first constant named PREFIX... with this value, or NULL. */
const char *ps_constant_name(uint64_t value, const char *prefix);
int ps_errno_lookup(const char *name);
/* "EPERM", or NULL for a number without a name (0, 4095, ...). */
const char *ps_errno_name(int err);

/*
 * Syscall names on the native architecture (syscalls.h has the others).
 * ps_syscall_lookup() is -1 for an unknown name. ps_syscall_name() returns
 * the table's own string, valid for the life of the program; an unknown
 * number gets "syscall_N", in one of a small per-thread ring of buffers
 * that later calls reuse, so such a name stays valid only for the next
 * few calls.
 */
int ps_syscall_lookup(const char *name);
/* The nearest known syscall name or group to a misspelt NAME, or NULL. */
const char *ps_syscall_suggest(const char *name);
const char *ps_group_suggest(const char *name);
const char *ps_syscall_name(int nr);
/*
 * What a rule naming NAME is about: the native number, or for a syscall
 * only i386 has, PS_I386_ONLY plus its i386 number (syscalls.h); -1.
 */
int ps_syscall_lookup_rule(const char *name);

#endif
