/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy model: minijail policy files, command-line rules and systemd
 * SystemCallFilter= values all become one ordered list of rules.
 */
#ifndef PINSCOPE_POLICY_H
#define PINSCOPE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

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
	int errnum;		/* PS_ACT_ERRNO only */
};

/*
 * Comparisons are kept in the few forms libseccomp can evaluate in one
 * step: `arg & M` and `arg in M` become masked compares when parsed.
 */
enum ps_op {
	PS_OP_EQ,
	PS_OP_NE,
	PS_OP_LT,
	PS_OP_LE,
	PS_OP_GT,
	PS_OP_GE,
	PS_OP_MASKED_EQ,	/* (arg & mask) == value */
};

struct ps_cmp {
	unsigned int arg;
	enum ps_op op;
	uint64_t value;
	uint64_t mask;		/* PS_OP_MASKED_EQ only */
};

struct ps_conj {		/* every comparison holds */
	unsigned int n;
	struct ps_cmp *cmps;
};

struct ps_expr {		/* some conjunction holds; none: false */
	unsigned int n;
	struct ps_conj *conjs;
};

/* Who wrote a rule decides what it may override (see policy.c). */
enum ps_origin {
	PS_FROM_GROUP,		/* a member of an @group */
	PS_FROM_RULE,		/* a syscall named in a file or by --allow */
	PS_FROM_DENY,		/* --deny or a ~ systemd list: wins */
};

struct ps_rule {
	struct ps_loc loc;
	int nr;				/* native syscall number */
	enum ps_origin origin;
	struct ps_expr cond;		/* when it holds: then */
	struct ps_action then;
	bool has_else;			/* "expr; return E": else otherwise */
	struct ps_action otherwise;
	char *text;			/* the rule as written, for explain */
};

struct ps_policy {
	struct ps_rule *rules;
	unsigned int n, cap;
	bool any_allow_source;	/* a file or --allow: default-deny mode */
	bool minijail_strict;	/* extensions are errors */
	char **include_dirs;	/* where absolute includes may be found */
	unsigned int n_include_dirs;
	char **define_names;	/* -D NAME=VALUE: constants the headers lack */
	uint64_t *define_values;
	unsigned int n_defines;
	char **files;		/* every file read, named by the rules' locations */
	unsigned int n_files, cap_files;
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

/* "NAME=VALUE"; 0, or -1 with a message. */
int ps_policy_define(struct ps_policy *p, const char *def);

int ps_parse_action(const char *s, struct ps_action *out);
const char *ps_action_name(const struct ps_action *a, char *buf, size_t len);
bool ps_action_equal(const struct ps_action *a, const struct ps_action *b);

/* Named constants from the system headers (generated at build time). */
bool ps_constant_lookup(const char *name, uint64_t *value);
/* The first constant named PREFIX... with this value, or NULL. */
const char *ps_constant_name(uint64_t value, const char *prefix);
int ps_errno_lookup(const char *name);
const char *ps_errno_name(int err);

/* Syscall names on the native architecture. */
int ps_syscall_lookup(const char *name);
const char *ps_syscall_name(int nr);

void ps_expr_free(struct ps_expr *e);
void ps_expr_copy(struct ps_expr *dst, const struct ps_expr *src);
bool ps_expr_is_true(const struct ps_expr *e);
void ps_expr_set_true(struct ps_expr *e);
bool ps_expr_eval(const struct ps_expr *e, const uint64_t args[6]);

#endif
