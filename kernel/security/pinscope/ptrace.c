// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: ptrace scope
 *
 * Yama's four scopes, with three of its weaknesses closed:
 *  - CAP_SYS_PTRACE counts in the initial user namespace, or in the
 *    tracee's namespace only for a tracer that lives in it and was created
 *    there (or created it); the owner of a user namespace, outside it or
 *    joined to it with setns(), no longer reaches the processes inside.
 *  - A PR_SET_PTRACER exception survives a plain execve, so a wrapper can
 *    set it and exec the target, but not one that changes credentials: a
 *    setuid program does not inherit its caller's chosen tracer.
 *  - The tracer is recorded as its thread-group leader, so the exception
 *    belongs to the process, not to one of its threads; and when a thread
 *    other than the leader execs and takes the leader's place, the
 *    process's exceptions go with it (Yama drops them with the old leader).
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string_helpers.h>
#include <linux/task_work.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>

#include "pinscope.h"

/*
 * A PR_SET_PTRACER exception: @tracer (a thread-group leader, or NULL for
 * PR_SET_PTRACER_ANY) and its descendants may attach to @tracee (a leader).
 */
struct ptracer_exception {
	struct task_struct *tracer;
	struct task_struct *tracee;
	bool invalid;
	struct list_head node;
	struct rcu_head rcu;
};

/*
 * Readers walk the list under RCU and read an entry's tasks with
 * READ_ONCE(): exception_move() renames them in place.  Writers hold
 * exceptions_lock, except that task_free, which may run in softirq
 * context, only marks entries invalid and leaves their removal to a work
 * item.
 */
static LIST_HEAD(exceptions);
static DEFINE_SPINLOCK(exceptions_lock);

static void exceptions_cleanup(struct work_struct *work);
static DECLARE_WORK(exceptions_work, exceptions_cleanup);

struct access_report {
	struct callback_head work;
	const char *access;
	struct task_struct *target;
	struct task_struct *agent;
};

static void __report_access(struct callback_head *work)
{
	struct access_report *info = container_of(work, struct access_report, work);
	char *target_cmd, *agent_cmd;

	target_cmd = kstrdup_quotable_cmdline(info->target, GFP_KERNEL);
	agent_cmd = kstrdup_quotable_cmdline(info->agent, GFP_KERNEL);

	pr_notice("ptrace %s of \"%s\"[%d] was attempted by \"%s\"[%d]\n",
		  info->access, target_cmd ?: "?", info->target->pid,
		  agent_cmd ?: "?", info->agent->pid);

	kfree(agent_cmd);
	kfree(target_cmd);
	put_task_struct(info->agent);
	put_task_struct(info->target);
	kfree(info);
}

/**
 * report_access - log a refused ptrace, later
 * @access: "attach" or "traceme"
 * @target: the task that would have been traced
 * @agent: the task that would have traced it
 *
 * The hooks run under task_lock or tasklist_lock, and reading a command
 * line can sleep, so the report is deferred to @current's return to user
 * space with task_work.  The rate limit decides first, so that a flood of
 * refused attaches costs no allocation and pins no task.
 */
static void report_access(const char *access, struct task_struct *target,
			  struct task_struct *agent)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct access_report *info;
	char agent_comm[sizeof(agent->comm)];

	if (!__ratelimit(&rs))
		return;
	if (current->flags & PF_KTHREAD) {
		/* kernel threads do not run task_work: report the names now */
		pr_notice("ptrace %s of \"%s\"[%d] was attempted by \"%s\"[%d]\n",
			  access, target->comm, target->pid,
			  get_task_comm(agent_comm, agent), agent->pid);
		return;
	}

	info = kmalloc(sizeof(*info), GFP_ATOMIC);
	if (!info)
		return;
	init_task_work(&info->work, __report_access);
	get_task_struct(target);
	get_task_struct(agent);
	info->access = access;
	info->target = target;
	info->agent = agent;
	if (task_work_add(current, &info->work, TWA_RESUME) == 0)
		return;

	/* an exiting task cannot take work; losing a report is harmless */
	put_task_struct(target);
	put_task_struct(agent);
	kfree(info);
}

static void exceptions_cleanup(struct work_struct *work)
{
	struct ptracer_exception *e;

	spin_lock(&exceptions_lock);
	rcu_read_lock();
	list_for_each_entry_rcu(e, &exceptions, node) {
		if (READ_ONCE(e->invalid)) {
			list_del_rcu(&e->node);
			kfree_rcu(e, rcu);
		}
	}
	rcu_read_unlock();
	spin_unlock(&exceptions_lock);
}

/*
 * Only a task some exception named has anything for task_free to drop: the
 * mark spares every other task's exit a walk of the list.  The caller holds
 * @task, so it cannot be freed before the mark is seen.
 */
static void mark_named(struct task_struct *task)
{
	lockdep_assert_held(&exceptions_lock);
	if (task)
		WRITE_ONCE(pinscope_task(task)->named, true);
}

/**
 * exception_add - let @tracer (and its descendants) attach to @tracee
 * @tracer: a thread-group leader, or NULL for any process
 * @tracee: a thread-group leader
 *
 * A tracee has at most one exception: a new one replaces the old.
 *
 * Return: 0 or -ENOMEM.
 */
static int exception_add(struct task_struct *tracer, struct task_struct *tracee)
{
	struct ptracer_exception *e, *added;

	/* charged to the process that asks: it chooses how many it makes */
	added = kmalloc(sizeof(*added), GFP_KERNEL_ACCOUNT);
	if (!added)
		return -ENOMEM;
	added->tracer = tracer;
	added->tracee = tracee;
	added->invalid = false;

	spin_lock(&exceptions_lock);
	mark_named(tracer);
	mark_named(tracee);
	rcu_read_lock();
	list_for_each_entry_rcu(e, &exceptions, node) {
		if (READ_ONCE(e->invalid))
			continue;
		if (e->tracee == tracee) {
			list_replace_rcu(&e->node, &added->node);
			kfree_rcu(e, rcu);
			goto out;
		}
	}
	list_add_rcu(&added->node, &exceptions);
out:
	rcu_read_unlock();
	spin_unlock(&exceptions_lock);
	return 0;
}

/**
 * exception_del - forget the exceptions of a tracee, and those of a tracer
 * @tracer: forget every exception naming this tracer, or NULL
 * @tracee: forget the exception of this tracee
 *
 * Safe in any context: entries are only marked here.
 *
 * Return: whether any exception was forgotten.
 */
static bool exception_del(struct task_struct *tracer, struct task_struct *tracee)
{
	struct ptracer_exception *e;
	bool marked = false;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &exceptions, node) {
		if (READ_ONCE(e->invalid))
			continue;
		if (READ_ONCE(e->tracee) == tracee ||
		    (tracer && READ_ONCE(e->tracer) == tracer)) {
			WRITE_ONCE(e->invalid, true);
			marked = true;
		}
	}
	rcu_read_unlock();

	if (marked)
		schedule_work(&exceptions_work);
	return marked;
}

/**
 * exception_move - a process's exceptions pass to its new leader
 * @from: the leader that de_thread() released, held by the caller
 * @to: the thread that took its place, current
 *
 * Entries are renamed in place: a reader that still sees @from compares it
 * with a leader it can no longer find (de_thread() gave @to the process's
 * pid, and @from's children went to a live thread when it exited), so at
 * worst it refuses, never grants, for the moment of the change.
 *
 * Context: process context; takes exceptions_lock.
 */
static void exception_move(struct task_struct *from, struct task_struct *to)
{
	struct ptracer_exception *e;

	spin_lock(&exceptions_lock);
	mark_named(to);
	rcu_read_lock();
	list_for_each_entry_rcu(e, &exceptions, node) {
		if (READ_ONCE(e->invalid))
			continue;
		if (e->tracee == from)
			WRITE_ONCE(e->tracee, to);
		if (e->tracer == from)
			WRITE_ONCE(e->tracer, to);
	}
	rcu_read_unlock();
	spin_unlock(&exceptions_lock);
}

/**
 * pinscope_ptracer_count - the number of live exceptions, for stats
 *
 * A process's exceptions go in task_free, when its task_struct is freed:
 * release_task() drops the last reference after a grace period, so a
 * process just reaped can still be counted for a moment.
 *
 * Return: how many exceptions are in force.
 */
unsigned long pinscope_ptracer_count(void)
{
	struct ptracer_exception *e;
	unsigned long n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &exceptions, node)
		if (!READ_ONCE(e->invalid))
			n++;
	rcu_read_unlock();
	return n;
}

/* The thread-group leader of @task, with a reference. */
static struct task_struct *get_leader(struct task_struct *task)
{
	struct task_struct *leader;

	rcu_read_lock();
	leader = READ_ONCE(task->group_leader);
	get_task_struct(leader);
	rcu_read_unlock();
	return leader;
}

/**
 * process_is_descendant - is @child in @leader's process or below it?
 * @leader: the thread-group leader to look for
 * @child: where to start walking up
 *
 * @leader is only compared, never dereferenced: an exception's tracer may
 * be freed by the time a reader that saw the exception valid gets here
 * (task_free marks the exception, then the task_struct goes at once).
 *
 * Return: true if walking up from @child's process reaches @leader.
 */
static bool process_is_descendant(struct task_struct *leader,
				  struct task_struct *child)
{
	struct task_struct *walker = child;
	bool found = false;

	if (!leader || !child)
		return false;

	rcu_read_lock();
	while (walker->pid > 0) {
		if (!thread_group_leader(walker))
			walker = READ_ONCE(walker->group_leader);
		if (walker == leader) {
			found = true;
			break;
		}
		walker = rcu_dereference(walker->real_parent);
	}
	rcu_read_unlock();
	return found;
}

/**
 * task_is_descendant - is @child @parent's process or one of its descendants?
 * @parent: a live task, the ancestor to look for
 * @child: where to start walking up
 *
 * Return: true if walking up from @child's process reaches @parent's.
 */
static bool task_is_descendant(struct task_struct *parent,
			       struct task_struct *child)
{
	struct task_struct *leader;
	bool found;

	rcu_read_lock();
	leader = READ_ONCE(parent->group_leader);
	found = process_is_descendant(leader, child);
	rcu_read_unlock();
	return found;
}

/**
 * exception_allows - may @tracer attach to @tracee by an exception?
 * @tracer: the task asking
 * @tracee: the task to be traced
 *
 * Return: true if @tracer already traces @tracee (other accesses, such as
 * process_vm_readv, follow an attach), or @tracee named @tracer, one of
 * its ancestors, or any process with PR_SET_PTRACER.
 */
static bool exception_allows(struct task_struct *tracer, struct task_struct *tracee)
{
	struct ptracer_exception *e;
	struct task_struct *allowed = NULL;
	bool found = false, ok = false;

	rcu_read_lock();
	allowed = ptrace_parent(tracee);
	if (allowed && same_thread_group(allowed, tracer)) {
		ok = true;
		goto unlock;
	}
	if (!thread_group_leader(tracee))
		tracee = READ_ONCE(tracee->group_leader);
	list_for_each_entry_rcu(e, &exceptions, node) {
		if (READ_ONCE(e->invalid))
			continue;
		if (READ_ONCE(e->tracee) == tracee) {
			allowed = READ_ONCE(e->tracer);
			found = true;
			break;
		}
	}
	/* the exception recorded its tracer's leader */
	ok = found && (!allowed || process_is_descendant(allowed, tracer));
unlock:
	rcu_read_unlock();
	return ok;
}

/**
 * cred_home - the user namespace a process was created in
 * @cred: its credentials
 *
 * Return: the namespace the process was created in, or created itself;
 * for a process that joined another with setns(), still its own.
 */
static struct user_namespace *cred_home(const struct cred *cred)
{
	return pinscope_cred(cred)->home ?: cred->user_ns;
}

/**
 * ptrace_capable - may @tracer trace @tracee by CAP_SYS_PTRACE?
 * @tracer: the task that would trace
 * @tracee: the task that would be traced
 * @audit: whether a capability check may be audited
 *
 * The capability counts in the initial user namespace, or in @tracee's
 * namespace when @tracer lives in that same namespace and was created in
 * it.  Yama accepts it in @tracee's namespace from anywhere, which lets the
 * unprivileged owner of a user namespace reach into it from outside; and
 * living in it is not enough either, as its owner may setns() into it and
 * gets every capability there by joining.
 *
 * Return: true if the capability allows the access.
 */
static bool ptrace_capable(struct task_struct *tracer, struct task_struct *tracee,
			   bool audit)
{
	const struct cred *tcred;
	struct user_namespace *ns;
	bool ok;

	if (audit ? has_ns_capability(tracer, &init_user_ns, CAP_SYS_PTRACE) :
		    has_ns_capability_noaudit(tracer, &init_user_ns, CAP_SYS_PTRACE))
		return true;

	rcu_read_lock();
	ns = __task_cred(tracee)->user_ns;
	tcred = __task_cred(tracer);
	ok = ns == tcred->user_ns && ns == cred_home(tcred) &&
	     (audit ? has_ns_capability(tracer, ns, CAP_SYS_PTRACE) :
		      has_ns_capability_noaudit(tracer, ns, CAP_SYS_PTRACE));
	rcu_read_unlock();
	return ok;
}

/**
 * relational_allows - the scope-1 decision
 * @tracer: the task that would trace
 * @child: the task to be traced
 * @audit: whether a capability check may be audited
 *
 * Return: the counter of the rule that allowed, or PINSCOPE_STAT_MAX.
 */
static enum pinscope_stat relational_allows(struct task_struct *tracer,
					    struct task_struct *child, bool audit)
{
	if (task_is_descendant(tracer, child))
		return PINSCOPE_PTRACE_ALLOWED_DESCENDANT;
	if (exception_allows(tracer, child))
		return PINSCOPE_PTRACE_ALLOWED_EXCEPTION;
	if (ptrace_capable(tracer, child, audit))
		return PINSCOPE_PTRACE_ALLOWED_CAPABILITY;
	return PINSCOPE_STAT_MAX;
}

/**
 * attach_allows - the scope table: which rule lets @tracer attach to @child
 * @scope: the ptrace scope; at scope 0 nothing is checked, so the caller
 *         does not ask
 * @tracer: the task that would trace
 * @child: the task to be traced
 * @audit: whether a capability check may be audited
 *
 * Context: nothing here sleeps.
 * Return: the counter of the rule that allowed, or PINSCOPE_STAT_MAX to
 * refuse, as for any scope other than 1 to 3.
 */
static enum pinscope_stat attach_allows(int scope, struct task_struct *tracer,
					struct task_struct *child, bool audit)
{
	enum pinscope_stat allowed = PINSCOPE_STAT_MAX;

	switch (scope) {
	case PINSCOPE_SCOPE_RELATIONAL:
		rcu_read_lock();
		if (pid_alive(child))
			allowed = relational_allows(tracer, child, audit);
		rcu_read_unlock();
		break;
	case PINSCOPE_SCOPE_CAPABILITY:
		if (ptrace_capable(tracer, child, audit))
			allowed = PINSCOPE_PTRACE_ALLOWED_CAPABILITY;
		break;
	default:
		break;
	}
	return allowed;
}

/*
 * Called under task_lock(child), and for some paths under tasklist_lock:
 * nothing here may sleep.
 */
static int pinscope_ptrace_access_check(struct task_struct *child, unsigned int mode)
{
	bool audit = !(mode & PTRACE_MODE_NOAUDIT);
	int scope = READ_ONCE(pinscope_ptrace_scope);
	enum pinscope_stat allowed;

	if (!(mode & PTRACE_MODE_ATTACH) || scope == PINSCOPE_SCOPE_DISABLED)
		return 0;

	allowed = attach_allows(scope, current, child, audit);
	if (allowed != PINSCOPE_STAT_MAX) {
		pinscope_count(allowed);
		return 0;
	}
	pinscope_count(PINSCOPE_PTRACE_DENIED);
	if (audit)
		report_access("attach", child, current);
	return -EPERM;
}

/**
 * traceme_allows - may @tracee ask @parent to trace it, at @scope?
 * @scope: the ptrace scope
 * @parent: the task that would trace
 * @tracee: the task asking, current in the hook
 *
 * Return: true to allow PTRACE_TRACEME.
 */
static bool traceme_allows(int scope, struct task_struct *parent,
			   struct task_struct *tracee)
{
	switch (scope) {
	case PINSCOPE_SCOPE_CAPABILITY:
		return ptrace_capable(parent, tracee, true);
	case PINSCOPE_SCOPE_NO_ATTACH:
		return false;
	default:
		return true;
	}
}

/* Called with tasklist_lock held for writing: nothing here may sleep. */
static int pinscope_ptrace_traceme(struct task_struct *parent)
{
	if (traceme_allows(READ_ONCE(pinscope_ptrace_scope), parent, current))
		return 0;

	pinscope_count(PINSCOPE_TRACEME_DENIED);
	task_lock(current);
	report_access("traceme", current, parent);
	task_unlock(current);
	return -EPERM;
}

/**
 * pinscope_set_ptracer - prctl(PR_SET_PTRACER, @arg)
 * @arg: a pid, 0 to clear, or PR_SET_PTRACER_ANY
 *
 * As Yama: the exception is the whole process's, whichever thread sets
 * it.  Unlike Yama the tracer is recorded as its process too, so that the
 * exception does not end when the thread that was named exits.
 *
 * Return: 0, -EINVAL for a pid that does not exist, or -ENOMEM.
 */
static int pinscope_set_ptracer(unsigned long arg)
{
	struct task_struct *myself = get_leader(current);
	struct task_struct *tracer, *leader;
	int rc;

	if (arg == 0) {
		exception_del(NULL, myself);
		pinscope_count(PINSCOPE_PTRACER_CLEARED);
		rc = 0;
	} else if (arg == PR_SET_PTRACER_ANY || (int)arg == -1) {
		rc = exception_add(NULL, myself);
	} else {
		tracer = find_get_task_by_vpid(arg);
		if (!tracer) {
			rc = -EINVAL;
		} else {
			leader = get_leader(tracer);
			put_task_struct(tracer);
			rc = exception_add(leader, myself);
			put_task_struct(leader);
		}
	}
	if (!rc && arg)
		pinscope_count(PINSCOPE_PTRACER_SET);
	put_task_struct(myself);
	return rc;
}

/*
 * The framework's "not handled" answer for each int hook, derived from its
 * own table as security/security.c does, so that a prctl option pinscope
 * does not know reaches the next LSM and then prctl() itself.
 */
#define PINSCOPE_UNHANDLED_void(...)
#define PINSCOPE_UNHANDLED_int(DEFAULT, NAME)			\
	static inline int NAME##_unhandled(void)		\
	{							\
		return DEFAULT;					\
	}
#define LSM_HOOK(RET, DEFAULT, NAME, ...) PINSCOPE_UNHANDLED_##RET(DEFAULT, NAME)
#include <linux/lsm_hook_defs.h>
#undef LSM_HOOK

static int pinscope_task_prctl(int option, unsigned long arg2, unsigned long arg3,
			       unsigned long arg4, unsigned long arg5)
{
	if (option != PR_SET_PTRACER)
		return task_prctl_unhandled();
	return pinscope_set_ptracer(arg2);
}

/* Let go of the leader that an exec from another thread held, if any. */
static void exec_leader_put(struct pinscope_task *blob)
{
	if (blob->exec_leader)
		put_task_struct(blob->exec_leader);
	blob->exec_leader = NULL;
}

static void pinscope_task_free(struct task_struct *task)
{
	struct pinscope_task *blob = pinscope_task(task);

	if (READ_ONCE(blob->named))
		exception_del(task, task);
	/* an exec that failed before de_thread() left its hold on the leader */
	exec_leader_put(blob);
}

/*
 * A thread other than its process's leader execs: de_thread() will release
 * the leader, and task_free would drop the process's exceptions with it.
 * Holding the leader keeps it, and them, until bprm_committed_creds().
 */
static int pinscope_bprm_creds_for_exec(struct linux_binprm *bprm)
{
	struct pinscope_task *blob = pinscope_task(current);

	exec_leader_put(blob);
	if (!thread_group_leader(current))
		blob->exec_leader = get_leader(current);
	return 0;
}

/*
 * An exec that changed credentials (setuid, setgid, file capabilities)
 * starts a new security context: the caller's exception does not carry
 * into it, in either role.
 */
static void pinscope_bprm_committed_creds(struct linux_binprm *bprm)
{
	struct pinscope_task *blob = pinscope_task(current);

	/* init's exec settles the pin (load.c): one hook for both parts */
	pinscope_load_exec();
	if (blob->exec_leader)
		exception_move(blob->exec_leader, current);
	exec_leader_put(blob);
	if (!bprm->secureexec && !bprm->per_clear)
		return;
	if (exception_del(current, current))
		pinscope_count(PINSCOPE_PTRACER_DROPPED_ON_EXEC);
}

/*
 * The blob's home follows the credentials it is copied from: across fork,
 * exec and setuid, and across setns(), which only changes user_ns.
 */
static int pinscope_cred_prepare(struct cred *new, const struct cred *old,
				 gfp_t gfp)
{
	pinscope_cred(new)->home = get_user_ns(cred_home(old));
	return 0;
}

/* keyctl(KEYCTL_SESSION_TO_PARENT): @new is blank, from cred_alloc_blank */
static void pinscope_cred_transfer(struct cred *new, const struct cred *old)
{
	pinscope_cred(new)->home = get_user_ns(cred_home(old));
}

/* May run from an RCU callback: put_user_ns() defers the freeing. */
static void pinscope_cred_free(struct cred *cred)
{
	struct pinscope_cred *blob = pinscope_cred(cred);

	put_user_ns(blob->home);
	blob->home = NULL;
}

/**
 * pinscope_userns_create - a process creates a user namespace
 * @cred: the credentials that will live in it
 *
 * create_user_ns() calls this on the credentials it is preparing (for
 * unshare(), or for the child of clone()), which no one else sees yet,
 * just before it moves them into the new namespace: from then on their
 * own namespace is their home, so a process that created a namespace may
 * use its capabilities there on the processes it creates inside.
 *
 * Return: 0, always: pinscope does not judge the creation.
 */
static int pinscope_userns_create(const struct cred *cred)
{
	struct pinscope_cred *blob = pinscope_cred(cred);

	put_user_ns(blob->home);
	blob->home = NULL;
	return 0;
}

static struct security_hook_list pinscope_ptrace_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(ptrace_access_check, pinscope_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, pinscope_ptrace_traceme),
	LSM_HOOK_INIT(task_prctl, pinscope_task_prctl),
	LSM_HOOK_INIT(task_free, pinscope_task_free),
	LSM_HOOK_INIT(bprm_creds_for_exec, pinscope_bprm_creds_for_exec),
	LSM_HOOK_INIT(bprm_committed_creds, pinscope_bprm_committed_creds),
	LSM_HOOK_INIT(cred_prepare, pinscope_cred_prepare),
	LSM_HOOK_INIT(cred_transfer, pinscope_cred_transfer),
	LSM_HOOK_INIT(cred_free, pinscope_cred_free),
	LSM_HOOK_INIT(userns_create, pinscope_userns_create),
};

void __init pinscope_ptrace_init(const char *lsm)
{
	security_add_hooks(pinscope_ptrace_hooks, ARRAY_SIZE(pinscope_ptrace_hooks), lsm);
}

#ifdef CONFIG_SECURITY_PINSCOPE_KUNIT_TEST
#include "ptrace_kunit.c"
#endif
