/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Landlock rules beside the seccomp rules (DESIGN 3.3b): which paths the
 * command may read, write or execute, which TCP ports it may bind and
 * connect to, the ABI 6 scopes. This is the model: the rules as written,
 * and what a kernel of a given Landlock ABI can enforce of them (the
 * rights it cannot are dropped, each named). The launcher applies them
 * (launcher/landlock_apply.c); the policy parser and the command line
 * fill them in.
 */
#ifndef PINSCOPE_LANDLOCK_H
#define PINSCOPE_LANDLOCK_H

#include <linux/landlock.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "util.h"

/*
 * What Debian 12's <linux/landlock.h> (ABI 2) lacks, each only where the
 * installed header does not define it, with the value of the kernel's
 * include/uapi/linux/landlock.h of the version named.
 */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* 6.2, ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* 6.10, ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0) /* 6.7, ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1) /* 6.7, ABI 4 */
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* 6.12, ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1) /* 6.12, ABI 6 */
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1) /* 6.15, ABI 7 */
#endif
/* enum landlock_rule_type's second value (6.7): an enumerator, not a macro */
#define PS_LANDLOCK_RULE_NET_PORT 2

/*
 * struct landlock_ruleset_attr as of 6.12 (the installed one may stop at
 * handled_access_fs); an older kernel takes it whole while the fields it
 * does not know are 0, which ps_landlock_plan() sees to.
 */
struct ps_landlock_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* struct landlock_net_port_attr (6.7) */
struct ps_landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* The highest ABI this pinscope knows the rights of. */
#define PS_LANDLOCK_ABI_KNOWN 7

/* the filesystem rights by class, as the options and directives name them */
#define PS_LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define PS_LL_WRITE                                                      \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |     \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |   \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM |   \
	 LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE)
#define PS_LL_EXEC LANDLOCK_ACCESS_FS_EXECUTE
/* the rights that mean something on a file that is not a directory */
#define PS_LL_FILE_RIGHTS                                             \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* One path rule: PATH and what beneath it is allowed. */
struct ps_landlock_path {
	char *path;
	uint64_t access; /* LANDLOCK_ACCESS_FS_* */
	bool optional; /* "?PATH": skipped when it does not exist */
	const char *kind; /* "ro", "rox", "rw", "rwx", "ioctl-dev", "list" */
	struct ps_loc loc; /* line 0: a command-line option */
};

/* One port rule. */
struct ps_landlock_port {
	uint16_t port;
	uint64_t access; /* LANDLOCK_ACCESS_NET_* */
	struct ps_loc loc;
};

struct ps_landlock {
	struct ps_landlock_path *paths;
	unsigned int n_paths, cap_paths;
	struct ps_landlock_port *ports;
	unsigned int n_ports, cap_ports;
	uint64_t scoped; /* LANDLOCK_SCOPE_* */
	struct ps_loc scope_loc[2]; /* where each scope was asked */
	bool tcp; /* TCP restricted ("no-tcp" or a port) */
	struct ps_loc tcp_loc;
	unsigned int min_abi; /* refuse to start below it; 0: none */
	struct ps_loc min_abi_loc;
};

void ps_landlock_free(struct ps_landlock *ll);
/* Any rule at all: without one, no Landlock domain is made. */
bool ps_landlock_any(const struct ps_landlock *ll);

/*
 * A word of @landlock (pinscope.policy(5)), which run's options spell
 * alike (--ro PATH is "@landlock ro PATH"): what follows it, and the
 * rights of a path or port word.
 */
enum ps_landlock_word_type {
	PS_LL_PATHS, /* PATH...: access is LANDLOCK_ACCESS_FS_* */
	PS_LL_PORTS, /* PORT...: access is LANDLOCK_ACCESS_NET_* */
	PS_LL_SCOPES, /* abstract-unix-socket, signal */
	PS_LL_MIN_ABI, /* N */
	PS_LL_NO_TCP, /* nothing */
};

struct ps_landlock_word {
	const char *word;
	enum ps_landlock_word_type type;
	uint64_t access;
};

/* WORD's entry, or NULL: not a word of @landlock. */
const struct ps_landlock_word *ps_landlock_word(const char *word);
/* "ro, rox, ...": every word, for a message, into BUF of SIZE */
void ps_landlock_words(char *buf, size_t size);
/*
 * The path word of fewest rights that gives all of ACCESS but ioctl_dev
 * (its own word), as a rule is written: read_dir alone is "list". NULL
 * for none.
 */
const char *ps_landlock_path_word(uint64_t access);

/*
 * A path KIND ("ro", ... "list") gives its rights (true), a port KIND
 * ("bind-tcp", "connect-tcp") its LANDLOCK_ACCESS_NET_*, a scope name
 * ("abstract-unix-socket", "signal") its LANDLOCK_SCOPE_*.
 */
bool ps_landlock_path_kind(const char *kind, uint64_t *access,
			   const char **name);
bool ps_landlock_port_kind(const char *kind, uint64_t *access);
bool ps_landlock_scope_name(const char *name, uint64_t *scope);

/* Adds a rule; PATH may start with '?' (optional). */
void ps_landlock_add_path(struct ps_landlock *ll, const char *kind,
			  const char *path, const struct ps_loc *loc);
void ps_landlock_add_port(struct ps_landlock *ll, uint64_t access,
			  uint16_t port, const struct ps_loc *loc);
void ps_landlock_add_scope(struct ps_landlock *ll, uint64_t scope,
			   const struct ps_loc *loc);
void ps_landlock_restrict_tcp(struct ps_landlock *ll, const struct ps_loc *loc);

/*
 * A port as written: 0 to 65535 (decimal); -1 otherwise. A scope list
 * "a,b": 0, or -1 with the unknown word in *BAD.
 */
int ps_landlock_parse_port(const char *s);
int ps_landlock_parse_scopes(const char *list, uint64_t *scopes,
			     const char **bad, size_t *bad_len);
/* An ABI version, 1 to 1000 in decimal (min-abi); -1 if S is not one. */
int ps_landlock_parse_min_abi(const char *s);

/* What one ABI's kernel can enforce of the rules (ps_landlock_plan()). */
struct ps_landlock_drop {
	const char *what; /* "truncate", "TCP bind", ... */
	unsigned int abi; /* the ABI that enforces it */
	const char *effect; /* "not enforced", "refused everywhere" */
	char rule[160]; /* the first rule that asked for it */
	unsigned int n_rules; /* how many did */
};

struct ps_landlock_plan {
	unsigned int abi; /* the kernel's (0: no Landlock) */
	struct ps_landlock_ruleset_attr attr;
	unsigned int restrict_flags; /* landlock_restrict_self()'s */
	struct ps_landlock_drop drops[12];
	unsigned int n_drops;
};

/* The rights ABI knows: filesystem, network, scopes. */
uint64_t ps_landlock_fs_rights(unsigned int abi);
uint64_t ps_landlock_net_rights(unsigned int abi);
uint64_t ps_landlock_scopes(unsigned int abi);

/*
 * The ruleset a kernel of ABI builds from LL (handled rights as the
 * kernel's samples/landlock/sandboxer.c trims them by ABI), and the
 * rights it drops, each with the first rule that asked for it.
 */
void ps_landlock_plan(const struct ps_landlock *ll, unsigned int abi,
		      struct ps_landlock_plan *out);
/* A rule's access on a file (IS_DIR false) or directory, for PLAN. */
uint64_t ps_landlock_path_access(const struct ps_landlock_plan *plan,
				 const struct ps_landlock_path *p, bool is_dir);
uint64_t ps_landlock_port_access(const struct ps_landlock_plan *plan,
				 const struct ps_landlock_port *p);

/*
 * What the rules grant, for run --complain, which applies none of them
 * and asks instead, at each file or network call, whether they would
 * refuse it: the rules as the ruleset of PLAN (a kernel of its ABI)
 * holds them, each path rule resolved now (its symlinks followed, as
 * the kernel follows them when the ruleset is made; a path that does
 * not exist is left out).
 */
struct ps_landlock_grants {
	struct ps_landlock_plan plan;
	const struct ps_landlock *ll;
	struct ps_landlock_grant {
		char *path; /* resolved */
		uint64_t access; /* ps_landlock_path_access() */
		bool is_dir;
	} * paths;
	unsigned int n_paths;
};

void ps_landlock_grants_init(struct ps_landlock_grants *g,
			     const struct ps_landlock *ll, unsigned int abi);
void ps_landlock_grants_free(struct ps_landlock_grants *g);
/*
 * The rights of NEED (LANDLOCK_ACCESS_FS_*) the rules would refuse on
 * PATH, resolved and absolute: those the ruleset handles that no rule on
 * PATH or on a directory above it grants (a rule on a file grants only
 * the file rights). 0: all granted, or not enforced by this ABI.
 */
uint64_t ps_landlock_refused(const struct ps_landlock_grants *g,
			     const char *path, uint64_t need);
/* Would a bind or connect (ACCESS) to TCP port PORT be refused? */
bool ps_landlock_port_refused(const struct ps_landlock_grants *g,
			      uint64_t access, uint16_t port);

/*
 * The first symlink on PATH's way that another user owns (not root, not
 * us): its owner, and the symlink in LINK; 0 if none. run refuses such a
 * rule, and explain says so.
 */
uid_t ps_landlock_foreign_symlink(const char *path, char *link, size_t len);
/* "p.policy:3: rw /tmp" or "--rw /tmp": where a rule came from, for messages. */
void ps_landlock_path_where(const struct ps_landlock_path *p, char *buf,
			    size_t len);
/* "read_file,read_dir,...": the rights' names (kernel audit spellings). */
void ps_landlock_fs_names(uint64_t access, char *buf, size_t len);

/*
 * Can PATH be written as one word of a policy line or of a systemd
 * setting: no blank or control character (a newline would end the line
 * and start another, a directive of the file's writer's choosing), no
 * '#' (a comment), no quote, backslash or '%' (systemd's quoting and
 * specifiers)? A path that cannot is left out, never written.
 */
bool ps_landlock_path_sayable(const char *path);
/* PATH with every byte a comment cannot hold as \xNN (for "left out" notes). */
void ps_landlock_put_escaped(FILE *out, const char *path);

/* The rules as @landlock lines of a policy (formats, learn). */
void ps_landlock_write(FILE *out, const struct ps_landlock *ll);

/* explain: each rule and whether ABI's kernel enforces it, dropped ones named. */
void ps_landlock_print(FILE *out, const struct ps_landlock *ll,
		       const struct ps_landlock_plan *plan);

#endif
