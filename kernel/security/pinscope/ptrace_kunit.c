// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of pinscope's ptrace decisions: the descendant walk, the
 * PR_SET_PTRACER exceptions, CAP_SYS_PTRACE across user namespaces, and
 * the scope table for attach and PTRACE_TRACEME.
 *
 * They run on a synthetic process tree: task_structs that hold only what
 * the decisions read (pid, leader, parent, signal, credentials), never
 * scheduled or reaped.  Exceptions naming them go into the live list, whose
 * readers only compare those pointers; each test forgets its exceptions
 * before the tasks are freed.  This file is #included at the end of
 * ptrace.c, whose functions are static (CONFIG_SECURITY_PINSCOPE_KUNIT_TEST).
 */

#include <kunit/test.h>

/*
 * The tree:
 *
 *   idle (pid 0)
 *   `- init (1)
 *      |- a (10), with thread a_thread (11)
 *      |  `- b (12), forked by a_thread
 *      |     `- c (13)
 *      `- d (14), with thread d_thread (15)
 */
enum { T_IDLE, T_INIT, T_A, T_A_THREAD, T_B, T_C, T_D, T_D_THREAD, T_MAX };

struct ptrace_test_tree {
	struct task_struct *t[T_MAX];
	struct cred *admin;	/* full capabilities, in the initial namespace */
	struct cred *user;	/* uid 1000, no capabilities */
	struct cred *ns_admin;	/* full capabilities, in a child namespace */
	struct cred *ns_user;	/* uid 1000, no capabilities, in it */
	struct cred *ns_joined;	/* its owner, joined to it with setns() */
	struct user_namespace *ns;	/* owned by uid 1000 */
};

static struct cred *ptrace_test_cred(struct kunit *test, bool caps, uid_t uid)
{
	struct cred *cred = prepare_kernel_cred(&init_task);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cred);
	if (!caps) {
		cap_clear(cred->cap_effective);
		cap_clear(cred->cap_permitted);
		cap_clear(cred->cap_inheritable);
		cap_clear(cred->cap_bset);
		cap_clear(cred->cap_ambient);
	}
	cred->uid = KUIDT_INIT(uid);
	cred->euid = cred->uid;
	cred->suid = cred->uid;
	cred->fsuid = cred->uid;
	return cred;
}

/* Only this test reads these tasks: nothing to order against. */
static void ptrace_test_set_cred(struct task_struct *task, const struct cred *cred)
{
	RCU_INIT_POINTER(task->real_cred, cred);
	RCU_INIT_POINTER(task->cred, cred);
}

static struct task_struct *ptrace_test_task(struct kunit *test,
					    struct ptrace_test_tree *tree,
					    pid_t pid, int parent, int leader)
{
	struct task_struct *task = kunit_kzalloc(test, sizeof(*task), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
	spin_lock_init(&task->alloc_lock);
	/* pinscope's part of the blob only: no other LSM sees these tasks */
	task->security = kunit_kzalloc(test, pinscope_blob_sizes.lbs_task +
				       sizeof(struct pinscope_task), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task->security);
	task->pid = pid;
	snprintf(task->comm, sizeof(task->comm), "pinscope-%d", pid);
	/* pid_alive() only asks whether there is one */
	task->thread_pid = &init_struct_pid;
	ptrace_test_set_cred(task, tree->user);
	if (leader < 0) {
		task->exit_signal = SIGCHLD;
		task->group_leader = task;
		/* same_thread_group() compares these */
		task->signal = kunit_kzalloc(test, sizeof(*task->signal), GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task->signal);
	} else {
		task->exit_signal = -1;
		task->group_leader = tree->t[leader];
		task->signal = tree->t[leader]->signal;
	}
	RCU_INIT_POINTER(task->real_parent, parent < 0 ? task : tree->t[parent]);
	RCU_INIT_POINTER(task->parent, parent < 0 ? task : tree->t[parent]);
	return task;
}

static int ptrace_test_init(struct kunit *test)
{
	struct ptrace_test_tree *tree = kunit_kzalloc(test, sizeof(*tree), GFP_KERNEL);
	struct task_struct **t;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tree);
	test->priv = tree;
	t = tree->t;

	tree->admin = ptrace_test_cred(test, true, 0);
	tree->user = ptrace_test_cred(test, false, 1000);
	tree->ns = kunit_kzalloc(test, sizeof(*tree->ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tree->ns);
	tree->ns->parent = &init_user_ns;
	tree->ns->level = init_user_ns.level + 1;
	tree->ns->owner = KUIDT_INIT(1000);
	/* put_cred() leaves the namespace alone: these are restored first */
	tree->ns_admin = ptrace_test_cred(test, true, 0);
	tree->ns_admin->user_ns = tree->ns;
	tree->ns_user = ptrace_test_cred(test, false, 1000);
	tree->ns_user->user_ns = tree->ns;
	/* created there: as create_user_ns() would have them */
	pinscope_userns_create(tree->ns_admin);
	pinscope_userns_create(tree->ns_user);
	/* setns() gives every capability, and keeps the home it came from */
	tree->ns_joined = ptrace_test_cred(test, true, 1000);
	tree->ns_joined->user_ns = tree->ns;

	t[T_IDLE] = ptrace_test_task(test, tree, 0, -1, -1);
	t[T_INIT] = ptrace_test_task(test, tree, 1, T_IDLE, -1);
	t[T_A] = ptrace_test_task(test, tree, 10, T_INIT, -1);
	/* a thread's parent is its leader's */
	t[T_A_THREAD] = ptrace_test_task(test, tree, 11, T_INIT, T_A);
	t[T_B] = ptrace_test_task(test, tree, 12, T_A_THREAD, -1);
	t[T_C] = ptrace_test_task(test, tree, 13, T_B, -1);
	t[T_D] = ptrace_test_task(test, tree, 14, T_INIT, -1);
	t[T_D_THREAD] = ptrace_test_task(test, tree, 15, T_INIT, T_D);
	return 0;
}

static void ptrace_test_exit(struct kunit *test)
{
	struct ptrace_test_tree *tree = test->priv;
	int i;

	/* the list must name none of these tasks once they are freed */
	for (i = 0; i < T_MAX; i++)
		if (tree->t[i])
			exception_del(tree->t[i], tree->t[i]);
	if (tree->ns_admin)
		tree->ns_admin->user_ns = &init_user_ns;
	if (tree->ns_user)
		tree->ns_user->user_ns = &init_user_ns;
	if (tree->ns_joined)
		tree->ns_joined->user_ns = &init_user_ns;
	if (tree->admin)
		put_cred(tree->admin);
	if (tree->user)
		put_cred(tree->user);
	if (tree->ns_admin)
		put_cred(tree->ns_admin);
	if (tree->ns_user)
		put_cred(tree->ns_user);
	if (tree->ns_joined)
		put_cred(tree->ns_joined);
}

#define T(i) (((struct ptrace_test_tree *)test->priv)->t[i])

static void descendant_walk_follows_real_parents(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_A), T(T_B)));
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_A), T(T_C)));
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_INIT), T(T_C)));
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_B), T(T_C)));
	/* a process is in its own subtree */
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_C), T(T_C)));
	/* not upwards, not sideways */
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_C), T(T_A)));
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_B), T(T_INIT)));
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_D), T(T_C)));
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_A), T(T_D)));
	/* the walk ends below pid 0: the idle task is nobody's ancestor */
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_IDLE), T(T_C)));
}

/*
 * Threads stand for their process, on both ends: a child forked by a
 * thread is its leader's descendant, and a thread is in its own process.
 */
static void descendant_walk_counts_processes_not_threads(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, process_is_descendant(T(T_A), T(T_A_THREAD)));
	KUNIT_EXPECT_TRUE(test, task_is_descendant(T(T_A_THREAD), T(T_C)));
	KUNIT_EXPECT_TRUE(test, task_is_descendant(T(T_A_THREAD), T(T_A)));
	KUNIT_EXPECT_TRUE(test, task_is_descendant(T(T_D), T(T_D_THREAD)));
	KUNIT_EXPECT_FALSE(test, task_is_descendant(T(T_D_THREAD), T(T_C)));
	KUNIT_EXPECT_FALSE(test, task_is_descendant(T(T_C), T(T_A_THREAD)));
}

/*
 * An exception's tracer may be freed while a reader still holds its
 * pointer: the walk compares @leader and never reads through it (a read
 * through this poisoned pointer would oops).
 */
static void descendant_walk_never_reads_the_leader(struct kunit *test)
{
	struct task_struct *gone = (struct task_struct *)LIST_POISON1;

	KUNIT_EXPECT_FALSE(test, process_is_descendant(gone, T(T_C)));
	KUNIT_EXPECT_FALSE(test, process_is_descendant(NULL, T(T_C)));
	KUNIT_EXPECT_FALSE(test, process_is_descendant(T(T_A), NULL));
}

static void exception_allows_the_tracer_and_its_descendants(struct kunit *test)
{
	unsigned long before = pinscope_ptracer_count();

	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_D)));
	KUNIT_ASSERT_EQ(test, exception_add(T(T_A), T(T_D)), 0);
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before + 1);

	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_A), T(T_D)));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_A_THREAD), T(T_D)));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_C), T(T_D)));
	/* the exception is the tracee's process's, whichever thread is asked for */
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_C), T(T_D_THREAD)));
	/* not the tracer's ancestors or anyone else, and only for that tracee */
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_INIT), T(T_D)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_B)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_D), T(T_D)));

	KUNIT_EXPECT_TRUE(test, exception_del(NULL, T(T_D)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_C), T(T_D)));
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before);
	/* nothing left to forget */
	KUNIT_EXPECT_FALSE(test, exception_del(NULL, T(T_D)));
}

/* PR_SET_PTRACER_ANY, and a tracee's second exception replacing its first */
static void exception_any_and_replacement(struct kunit *test)
{
	unsigned long before = pinscope_ptracer_count();

	KUNIT_ASSERT_EQ(test, exception_add(T(T_A), T(T_D)), 0);
	KUNIT_ASSERT_EQ(test, exception_add(NULL, T(T_D)), 0);
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before + 1);
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_INIT), T(T_D)));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_B), T(T_D)));

	KUNIT_ASSERT_EQ(test, exception_add(T(T_B), T(T_D)), 0);
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before + 1);
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_C), T(T_D)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_D)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_INIT), T(T_D)));
}

/* A tracer that goes (task_free) takes every exception naming it along. */
static void exception_dies_with_its_tracer(struct kunit *test)
{
	unsigned long before = pinscope_ptracer_count();

	KUNIT_ASSERT_EQ(test, exception_add(T(T_A), T(T_D)), 0);
	KUNIT_ASSERT_EQ(test, exception_add(T(T_A), T(T_C)), 0);
	KUNIT_ASSERT_EQ(test, exception_add(T(T_B), T(T_A)), 0);
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before + 3);

	KUNIT_EXPECT_TRUE(test, exception_del(T(T_A), T(T_A)));
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before);
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_D)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_C)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_B), T(T_A)));
}

/*
 * d_thread execs: de_thread() makes it the leader and frees d, which named
 * the process in both roles; the exceptions follow, and d's task_free
 * then finds nothing of them.
 */
static void exception_moves_to_the_thread_that_execs(struct kunit *test)
{
	unsigned long before = pinscope_ptracer_count();

	KUNIT_ASSERT_EQ(test, exception_add(T(T_B), T(T_D)), 0);
	KUNIT_ASSERT_EQ(test, exception_add(T(T_D), T(T_C)), 0);
	/* only a named task's exit walks the list */
	KUNIT_EXPECT_TRUE(test, pinscope_task(T(T_D))->named);
	KUNIT_EXPECT_FALSE(test, pinscope_task(T(T_D_THREAD))->named);
	/* what de_thread() does to the two */
	T(T_D_THREAD)->group_leader = T(T_D_THREAD);
	T(T_D_THREAD)->exit_signal = SIGCHLD;
	T(T_D)->group_leader = T(T_D_THREAD);
	T(T_D)->exit_signal = -1;
	exception_move(T(T_D), T(T_D_THREAD));
	KUNIT_EXPECT_TRUE(test, pinscope_task(T(T_D_THREAD))->named);

	KUNIT_EXPECT_FALSE(test, exception_del(T(T_D), T(T_D)));
	KUNIT_EXPECT_EQ(test, pinscope_ptracer_count(), before + 2);
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_B), T(T_D_THREAD)));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_D_THREAD), T(T_C)));
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_A), T(T_D_THREAD)));
}

/* A tracer already attached keeps its other accesses, with no exception. */
static void exception_not_needed_by_the_current_tracer(struct kunit *test)
{
	T(T_D)->ptrace = PT_PTRACED;
	RCU_INIT_POINTER(T(T_D)->parent, T(T_A_THREAD));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_A), T(T_D)));
	KUNIT_EXPECT_TRUE(test, exception_allows(T(T_A_THREAD), T(T_D)));
	/* its descendants are not its process */
	KUNIT_EXPECT_FALSE(test, exception_allows(T(T_C), T(T_D)));
}

/*
 * CAP_SYS_PTRACE counts in the initial namespace, or in the tracee's for a
 * tracer inside it; owning the tracee's namespace from outside, which
 * gives every capability in it, does not count.
 */
static void capability_counts_only_inside_the_namespace(struct kunit *test)
{
	struct ptrace_test_tree *tree = test->priv;
	struct task_struct *tracer = T(T_A), *tracee = T(T_D);
	int i;

	for (i = 0; i < 2; i++) {
		bool audit = i;

		ptrace_test_set_cred(tracer, tree->admin);
		ptrace_test_set_cred(tracee, tree->user);
		KUNIT_EXPECT_TRUE(test, ptrace_capable(tracer, tracee, audit));
		ptrace_test_set_cred(tracee, tree->ns_user);
		KUNIT_EXPECT_TRUE(test, ptrace_capable(tracer, tracee, audit));

		/* uid 1000 owns tree->ns, so it has CAP_SYS_PTRACE there */
		ptrace_test_set_cred(tracer, tree->user);
		KUNIT_EXPECT_TRUE(test, has_ns_capability_noaudit(tracer, tree->ns,
								  CAP_SYS_PTRACE));
		KUNIT_EXPECT_FALSE_MSG(test, ptrace_capable(tracer, tracee, audit),
				       "the namespace's owner reached into it");
		ptrace_test_set_cred(tracee, tree->user);
		KUNIT_EXPECT_FALSE(test, ptrace_capable(tracer, tracee, audit));

		ptrace_test_set_cred(tracer, tree->ns_admin);
		ptrace_test_set_cred(tracee, tree->ns_user);
		KUNIT_EXPECT_TRUE(test, ptrace_capable(tracer, tracee, audit));
		ptrace_test_set_cred(tracee, tree->user);
		KUNIT_EXPECT_FALSE(test, ptrace_capable(tracer, tracee, audit));

		ptrace_test_set_cred(tracer, tree->ns_user);
		ptrace_test_set_cred(tracee, tree->ns_user);
		KUNIT_EXPECT_FALSE(test, ptrace_capable(tracer, tracee, audit));

		/* the owner that setns() into it has them all there, but is not home */
		ptrace_test_set_cred(tracer, tree->ns_joined);
		KUNIT_EXPECT_TRUE(test, has_ns_capability_noaudit(tracer, tree->ns,
								  CAP_SYS_PTRACE));
		KUNIT_EXPECT_FALSE_MSG(test, ptrace_capable(tracer, tracee, audit),
				       "the namespace's owner reached into it by setns()");
	}
}

/* One row of the scope table: who attaches to whom, and which rule allows. */
struct attach_case {
	const char *name;
	int scope;
	bool admin;		/* the tracer has CAP_SYS_PTRACE */
	int tracer, tracee;
	bool exception;		/* the tracee named the tracer */
	bool reaped;		/* the tracee has no pid left */
	enum pinscope_stat want;
};

static const struct attach_case attach_cases[] = {
	{ "1 descendant", 1, false, T_A, T_C, false, false,
	  PINSCOPE_PTRACE_ALLOWED_DESCENDANT },
	{ "1 descendant of a thread", 1, false, T_A_THREAD, T_C, false, false,
	  PINSCOPE_PTRACE_ALLOWED_DESCENDANT },
	{ "1 descendant reaped", 1, true, T_A, T_C, false, true,
	  PINSCOPE_STAT_MAX },
	{ "1 parent", 1, false, T_C, T_A, false, false, PINSCOPE_STAT_MAX },
	{ "1 cousin", 1, false, T_C, T_D, false, false, PINSCOPE_STAT_MAX },
	{ "1 exception", 1, false, T_C, T_D, true, false,
	  PINSCOPE_PTRACE_ALLOWED_EXCEPTION },
	{ "1 cap", 1, true, T_C, T_D, false, false,
	  PINSCOPE_PTRACE_ALLOWED_CAPABILITY },
	{ "2 descendant", 2, false, T_A, T_C, false, false, PINSCOPE_STAT_MAX },
	{ "2 exception", 2, false, T_C, T_D, true, false, PINSCOPE_STAT_MAX },
	{ "2 cap", 2, true, T_C, T_D, false, false,
	  PINSCOPE_PTRACE_ALLOWED_CAPABILITY },
	{ "2 cap descendant", 2, true, T_A, T_C, false, false,
	  PINSCOPE_PTRACE_ALLOWED_CAPABILITY },
	{ "3 cap descendant", 3, true, T_A, T_C, false, false,
	  PINSCOPE_STAT_MAX },
	{ "3 cap exception", 3, true, T_C, T_D, true, false, PINSCOPE_STAT_MAX },
	{ "4 cap descendant", 4, true, T_A, T_C, false, false,
	  PINSCOPE_STAT_MAX },
	{ "-1 cap descendant", -1, true, T_A, T_C, false, false,
	  PINSCOPE_STAT_MAX },
};

static void attach_case_desc(const struct attach_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "scope %s", c->name);
}

KUNIT_ARRAY_PARAM(attach, attach_cases, attach_case_desc);

static void scope_table_attach(struct kunit *test)
{
	struct ptrace_test_tree *tree = test->priv;
	const struct attach_case *c = test->param_value;
	struct task_struct *tracer = T(c->tracer), *tracee = T(c->tracee);
	int audit;

	ptrace_test_set_cred(tracer, c->admin ? tree->admin : tree->user);
	if (c->exception)
		KUNIT_ASSERT_EQ(test, exception_add(tracer->group_leader, tracee), 0);
	if (c->reaped)
		tracee->thread_pid = NULL;
	for (audit = 0; audit < 2; audit++)
		KUNIT_EXPECT_EQ_MSG(test, attach_allows(c->scope, tracer, tracee, audit),
				    c->want, "audit=%d", audit);
}

static void scope_table_traceme(struct kunit *test)
{
	struct ptrace_test_tree *tree = test->priv;
	struct task_struct *parent = T(T_B), *child = T(T_C);
	int scope;

	for (scope = PINSCOPE_SCOPE_DISABLED; scope <= PINSCOPE_SCOPE_NO_ATTACH; scope++) {
		ptrace_test_set_cred(parent, tree->admin);
		KUNIT_EXPECT_EQ_MSG(test, traceme_allows(scope, parent, child),
				    scope != PINSCOPE_SCOPE_NO_ATTACH,
				    "scope %d, the parent has CAP_SYS_PTRACE", scope);
		ptrace_test_set_cred(parent, tree->user);
		KUNIT_EXPECT_EQ_MSG(test, traceme_allows(scope, parent, child),
				    scope < PINSCOPE_SCOPE_CAPABILITY,
				    "scope %d, the parent lacks CAP_SYS_PTRACE", scope);
	}
	/* the owner of the child's namespace, outside it, is not enough */
	ptrace_test_set_cred(parent, tree->user);
	ptrace_test_set_cred(child, tree->ns_user);
	KUNIT_EXPECT_FALSE(test, traceme_allows(PINSCOPE_SCOPE_CAPABILITY, parent, child));
}

static struct kunit_case pinscope_ptrace_test_cases[] = {
	KUNIT_CASE(descendant_walk_follows_real_parents),
	KUNIT_CASE(descendant_walk_counts_processes_not_threads),
	KUNIT_CASE(descendant_walk_never_reads_the_leader),
	KUNIT_CASE(exception_allows_the_tracer_and_its_descendants),
	KUNIT_CASE(exception_any_and_replacement),
	KUNIT_CASE(exception_dies_with_its_tracer),
	KUNIT_CASE(exception_moves_to_the_thread_that_execs),
	KUNIT_CASE(exception_not_needed_by_the_current_tracer),
	KUNIT_CASE(capability_counts_only_inside_the_namespace),
	KUNIT_CASE_PARAM(scope_table_attach, attach_gen_params),
	KUNIT_CASE(scope_table_traceme),
	{}
};

static struct kunit_suite pinscope_ptrace_test_suite = {
	.name = "pinscope_ptrace",
	.init = ptrace_test_init,
	.exit = ptrace_test_exit,
	.test_cases = pinscope_ptrace_test_cases,
};

kunit_test_suite(pinscope_ptrace_test_suite);
