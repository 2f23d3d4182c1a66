/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pinscope: load pinning and ptrace scope
 *
 * What the parts of pinscope share: its settings, its counters and the
 * entry points each part gives the registration code and securityfs.
 */
#ifndef _SECURITY_PINSCOPE_H
#define _SECURITY_PINSCOPE_H

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/seq_file.h>

#define PINSCOPE_SCOPE_DISABLED		0
#define PINSCOPE_SCOPE_RELATIONAL	1
#define PINSCOPE_SCOPE_CAPABILITY	2
#define PINSCOPE_SCOPE_NO_ATTACH	3

/* Each counts one kind of decision; stats shows them by name (fs.c). */
enum pinscope_stat {
	PINSCOPE_LOAD_ALLOWED,
	PINSCOPE_LOAD_DENIED,
	PINSCOPE_LOAD_IGNORED,
	PINSCOPE_LOAD_EXCLUDED,
	PINSCOPE_LOAD_OLD_API_DENIED,
	PINSCOPE_LOAD_UNMOUNTED_DENIED,
	PINSCOPE_LOAD_VERITY_ALLOWED,
	PINSCOPE_PTRACE_ALLOWED_DESCENDANT,
	PINSCOPE_PTRACE_ALLOWED_EXCEPTION,
	PINSCOPE_PTRACE_ALLOWED_CAPABILITY,
	PINSCOPE_PTRACE_DENIED,
	PINSCOPE_TRACEME_DENIED,
	PINSCOPE_PTRACER_SET,
	PINSCOPE_PTRACER_CLEARED,
	PINSCOPE_PTRACER_DROPPED_ON_EXEC,
	PINSCOPE_LOAD_FW_FALLBACK_DENIED,
	PINSCOPE_STAT_MAX
};

extern atomic_long_t pinscope_stats[PINSCOPE_STAT_MAX];

static inline void pinscope_count(enum pinscope_stat stat)
{
	atomic_long_inc(&pinscope_stats[stat]);
}

/**
 * struct pinscope_cred - pinscope's part of the credentials' security blob
 * @home: the user namespace the process was created in, with a reference;
 *        NULL when that is the credentials' own namespace, as for a
 *        process that created it (unshare() or clone() with
 *        CLONE_NEWUSER) and for init.  setns() does not change it.
 */
struct pinscope_cred {
	struct user_namespace *home;
};

/**
 * struct pinscope_task - pinscope's part of the task's security blob
 * @exec_leader: while this thread, not its process's leader, execs: that
 *               leader, with a reference.  de_thread() frees the leader,
 *               whose task_struct names the process in its exceptions;
 *               the reference keeps them until they move to this thread.
 * @named: an exception has named this task, as tracer or tracee, so its
 *         task_free must look for it; set once, under the exceptions'
 *         lock, while the caller holds the task.
 */
struct pinscope_task {
	struct task_struct *exec_leader;
	bool named;
};

extern struct lsm_blob_sizes pinscope_blob_sizes;

static inline struct pinscope_cred *pinscope_cred(const struct cred *cred)
{
	return cred->security + pinscope_blob_sizes.lbs_cred;
}

static inline struct pinscope_task *pinscope_task(const struct task_struct *task)
{
	return task->security + pinscope_blob_sizes.lbs_task;
}

/* Set when the LSM framework initialised pinscope. */
extern bool pinscope_enabled;

/* Written only through the raise-only sysctls, read with READ_ONCE(). */
extern int pinscope_enforce;
extern int pinscope_ptrace_scope;

void __init pinscope_load_init(const char *lsm);
void __init pinscope_ptrace_init(const char *lsm);

void pinscope_load_show_status(struct seq_file *m);
void pinscope_load_exec(void);

struct dentry;
struct file;
#ifdef CONFIG_SECURITY_PINSCOPE_VERITY
bool pinscope_verity_trusted(struct file *file, const char **why);
struct dentry *__init pinscope_verity_init_securityfs(struct dentry *dir);
void pinscope_verity_show_status(struct seq_file *m);
void pinscope_verity_seal(void);
#else
static inline bool pinscope_verity_trusted(struct file *file, const char **why)
{
	*why = NULL;
	return false;
}

static inline struct dentry *pinscope_verity_init_securityfs(struct dentry *dir)
{
	return NULL;
}

static inline void pinscope_verity_show_status(struct seq_file *m) { }
static inline void pinscope_verity_seal(void) { }
#endif
unsigned long pinscope_ptracer_count(void);

#endif /* _SECURITY_PINSCOPE_H */
