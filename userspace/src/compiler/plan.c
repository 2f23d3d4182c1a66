// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plan: for each syscall a policy names, the ordered decisions its
 * rules make together, under the documented precedence (DESIGN 3.0):
 * a --deny beats everything, a rule naming the syscall beats a group that
 * contains it, among groups (and among denials) the later wins, and two
 * different rules naming one syscall are a conflict unless both only
 * allow under a condition. An OCI profile's entries (PS_FROM_PROFILE)
 * beat rules and groups, and those of one syscall are tried in the
 * profile's order, the first that holds deciding (see oci.c for why). Decisions are tried in order, first match
 * wins, and where none holds the default acts, exactly as the emitter's
 * program and ps_filter_decide() run them.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "argwidths.h"
#include "compile.h"
#include "groups.h"

/* Conjunctions a tautology test may multiply out to before it gives up. */
#define TAUTOLOGY_LIMIT 64

static bool conj_equal(const struct ps_conj *a, const struct ps_conj *b)
{
	return a->n == b->n &&
	       (!a->n || !memcmp(a->cmps, b->cmps, a->n * sizeof(*a->cmps)));
}

static bool expr_equal(const struct ps_expr *a, const struct ps_expr *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (!conj_equal(&a->conjs[i], &b->conjs[i]))
			return false;
	return true;
}

static bool rule_equal(const struct ps_rule *a, const struct ps_rule *b)
{
	return ps_action_equal(&a->then, &b->then) &&
	       a->has_else == b->has_else &&
	       (!a->has_else ||
		ps_action_equal(&a->otherwise, &b->otherwise)) &&
	       expr_equal(&a->cond, &b->cond);
}

static bool is_plain_allow_if(const struct ps_rule *r)
{
	return r->then.type == PS_ACT_ALLOW && !r->has_else;
}

/* A hash of what rule_equal() compares. */
static uint64_t rule_hash(const struct ps_rule *r)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	unsigned int i, j;

#define FNV(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
	FNV(r->then.type);
	FNV(r->then.type == PS_ACT_ERRNO ? r->then.errnum : 0);
	FNV(r->has_else);
	if (r->has_else) {
		FNV(r->otherwise.type);
		FNV(r->otherwise.type == PS_ACT_ERRNO ? r->otherwise.errnum :
							0);
	}
	FNV(r->cond.n);
	for (i = 0; i < r->cond.n; i++) {
		const struct ps_conj *c = &r->cond.conjs[i];

		FNV(c->n);
		for (j = 0; j < c->n; j++) {
			FNV(c->cmps[j].arg);
			FNV(c->cmps[j].op);
			FNV(c->cmps[j].value);
			FNV(c->cmps[j].mask);
		}
	}
#undef FNV
	return h;
}

/*
 * Whether R equals a rule already in OUT: SEEN, a table of N_SEEN slots
 * (a power of two), holds OUT's indices + 1 by rule_hash(). Thousands of
 * rules for one syscall cost a hash each, not a comparison with each
 * other.
 */
static bool seen_before(const struct ps_rule **out, unsigned int *seen,
			size_t n_seen, const struct ps_rule *r, unsigned int n)
{
	size_t at = rule_hash(r) & (n_seen - 1);

	for (; seen[at]; at = (at + 1) & (n_seen - 1))
		if (rule_equal(out[seen[at] - 1], r))
			return true;
	seen[at] = n + 1; /* R goes to out[n] */
	return false;
}

/*
 * The rules that decide one syscall, from ALL (its rules, in policy
 * order); -1 after reporting a conflict.
 */
static int effective_rules(const struct ps_rule *const *all, unsigned int n_all,
			   const struct ps_rule **out, unsigned int *n_out)
{
	enum ps_origin best = PS_FROM_GROUP;
	const struct ps_rule *first = NULL;
	unsigned int i, n = 0, local[16] = { 0 }, *seen = local;
	size_t n_seen = ARRAY_SIZE(local);

	for (i = 0; i < n_all; i++)
		if (all[i]->origin > best)
			best = all[i]->origin;
	/* most syscalls have a rule or two: no allocation for those */
	while (n_seen < 2 * (size_t)n_all)
		n_seen <<= 1;
	if (n_seen > ARRAY_SIZE(local))
		seen = xcalloc(n_seen, sizeof(*seen));
	for (i = 0; i < n_all; i++) {
		const struct ps_rule *r = all[i];

		if (r->origin != best)
			continue;
		if (best != PS_FROM_RULE && best != PS_FROM_PROFILE) {
			out[0] = r; /* later wins */
			n = 1;
			continue;
		}
		if (seen_before(out, seen, n_seen, r, n))
			continue;
		/* a profile's entries are tried in order: never a conflict */
		if (best == PS_FROM_RULE && first &&
		    !(is_plain_allow_if(first) && is_plain_allow_if(r))) {
			ps_error_at(
				&r->loc,
				"rule for '%s' conflicts with an earlier one",
				ps_syscall_name(r->nr));
			ps_note_at(&first->loc,
				   "the earlier rule for '%s' is here",
				   ps_syscall_name(r->nr));
			if (seen != local)
				free(seen);
			return -1;
		}
		if (!first)
			first = r;
		out[n++] = r;
	}
	if (seen != local)
		free(seen);
	*n_out = n;
	return 0;
}

/* By syscall, then in policy order. */
static int rule_order(const void *a, const void *b)
{
	const struct ps_rule *x = *(const struct ps_rule *const *)a;
	const struct ps_rule *y = *(const struct ps_rule *const *)b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (x > y) - (x < y);
}

/*
 * Native numbers, then i386's own (PS_I386_ONLY + n), each below this:
 * the keys of sort_rules' counting sort.
 */
#define SORT_KEYS 1024

static int sort_key(int nr)
{
	if (nr >= 0 && nr < SORT_KEYS)
		return nr;
	if (ps_is_i386_only(nr) && nr - PS_I386_ONLY < SORT_KEYS)
		return SORT_KEYS + nr - PS_I386_ONLY;
	return -1;
}

/*
 * P's rules in rule_order into SORTED. Syscall numbers are small, so a
 * counting sort does it in two passes (it keeps policy order among equal
 * numbers); qsort's comparisons through a pointer were a sixth of
 * building a filter for Docker's profile. Any other number: qsort.
 */
static void sort_rules(const struct ps_policy *p, const struct ps_rule **sorted)
{
	/* 8 KiB: on the stack, where a large malloc would consolidate the heap */
	unsigned int at[2 * SORT_KEYS + 1] = { 0 };
	unsigned int i, k;

	for (i = 0; i < p->n; i++) {
		int key = sort_key(p->rules[i].nr);

		if (key < 0) {
			for (i = 0; i < p->n; i++)
				sorted[i] = &p->rules[i];
			qsort(sorted, p->n, sizeof(*sorted), rule_order);
			return;
		}
		at[key + 1]++;
	}
	for (k = 1; k <= 2 * SORT_KEYS; k++)
		at[k] += at[k - 1];
	for (i = 0; i < p->n; i++)
		sorted[at[sort_key(p->rules[i].nr)]++] = &p->rules[i];
}

static void add_decision(struct ps_plan *plan, const struct ps_action *a,
			 struct ps_expr *when)
{
	plan->d = xrealloc(plan->d, plan->n + 1, sizeof(*plan->d));
	plan->d[plan->n].action = *a;
	plan->d[plan->n].when = *when;
	memset(when, 0, sizeof(*when));
	plan->n++;
}

static void drop_decision(struct ps_plan *plan, unsigned int i)
{
	ps_expr_free(&plan->d[i].when);
	memmove(&plan->d[i], &plan->d[i + 1],
		(plan->n - i - 1) * sizeof(*plan->d));
	plan->n--;
}

/*
 * The tautologies worth finding (`arg1 < 4096 || arg1 >= 4096`, `arg2 & 1
 * || arg2 in ~1`) are disjunctions of single comparisons, whose negation
 * is one conjunction: cheap to test, where negating a general expression
 * multiplies it out.
 */
static bool single_comparisons(const struct ps_expr *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		if (e->conjs[i].n != 1)
			return false;
	return e->n > 1;
}

/*
 * The same decisions, fewer tests: nothing after one that always holds,
 * none that can never hold, and none at the end that only repeats what
 * follows it (the default, or an unconditional decision with the same
 * action). A syscall left with one unconditional decision is constant,
 * which is what lets the kernel's action cache serve it.
 */
static void simplify(struct ps_plan *plan, const struct ps_action *def)
{
	unsigned int i;

	for (i = 0; i < plan->n; i++) {
		struct ps_expr *w = &plan->d[i].when;

		ps_expr_normalize(w);
		if (!ps_expr_is_true(w) && single_comparisons(w) &&
		    ps_expr_is_tautology(w, TAUTOLOGY_LIMIT))
			ps_expr_set_true(w);
		if (ps_expr_is_false(w)) {
			drop_decision(plan, i--);
			continue;
		}
		if (ps_expr_is_true(w)) {
			while (plan->n > i + 1)
				drop_decision(plan, plan->n - 1);
			break;
		}
	}
	while (plan->n) {
		const struct ps_decision *last = &plan->d[plan->n - 1];

		if (ps_action_equal(&last->action, def)) {
			drop_decision(plan, plan->n - 1);
		} else if (plan->n >= 2 && ps_expr_is_true(&last->when) &&
			   ps_action_equal(&plan->d[plan->n - 2].action,
					   &last->action)) {
			drop_decision(plan, plan->n - 2);
		} else {
			break;
		}
	}
}

/* RULES in order, as first-match decisions. */
static void plan_rules(struct ps_plan *plan, const struct ps_rule **rules,
		       unsigned int n)
{
	static const struct ps_action allow = { PS_ACT_ALLOW, 0 };
	struct ps_expr when;
	unsigned int i;

	/*
	 * Conditional allows: one decision, either condition allowing. The
	 * conjunctions are gathered first and normalized once, which costs
	 * what one merge costs; OR-ing rule by rule renormalized the whole
	 * every time, the cube of the rules.
	 */
	if (n > 1 && rules[0]->origin == PS_FROM_RULE) {
		memset(&when, 0, sizeof(when));
		for (i = 0; i < n; i++)
			ps_expr_append(&when, &rules[i]->cond);
		ps_expr_normalize(&when);
		add_decision(plan, &allow, &when);
		return;
	}
	for (i = 0; i < n; i++) {
		ps_expr_copy(&when, &rules[i]->cond);
		add_decision(plan, &rules[i]->then, &when);
		if (rules[i]->has_else) {
			ps_expr_set_true(&when);
			add_decision(plan, &rules[i]->otherwise, &when);
		}
	}
}

static int plan_cmp(const void *a, const void *b)
{
	const struct ps_plan *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

const struct ps_plan *ps_filter_plan(const struct ps_filter *f, int nr)
{
	struct ps_plan key = { .nr = nr };

	if (!f->n_plans)
		return NULL;
	return bsearch(&key, f->plans, f->n_plans, sizeof(key), plan_cmp);
}

struct ps_action ps_filter_decide_arch(const struct ps_filter *f,
				       enum ps_arch arch, int nr,
				       const uint64_t regs[6])
{
	const struct ps_plan *plan = ps_filter_plan(f, nr);
	uint64_t args[6];
	unsigned int i;

	/* the values the syscall gets, as the program compares them */
	ps_args_read(arch, ps_syscall_name(nr), regs, args);
	if (plan)
		for (i = 0; i < plan->n; i++)
			if (ps_expr_eval(&plan->d[i].when, args))
				return plan->d[i].action;
	if (!plan &&
	    ps_filter_enosys_applies(
		    f, arch,
		    arch == PS_ARCH_X86_64 ?
			    nr :
			    ps_syscall_lookup_arch(arch, ps_syscall_name(nr))))
		return (struct ps_action){ PS_ACT_ERRNO, ENOSYS };
	return f->default_action;
}

struct ps_action ps_filter_decide(const struct ps_filter *f, int nr,
				  const uint64_t args[6])
{
	return ps_filter_decide_arch(f, PS_ARCH_NATIVE, nr, args);
}

bool ps_filter_always_allows(const struct ps_filter *f, int nr)
{
	const struct ps_plan *plan = ps_filter_plan(f, nr);

	if (plan && (plan->execve_gate || plan->notify))
		return false;
	if (!plan || plan->n == 0)
		return f->default_action.type == PS_ACT_ALLOW;
	return plan->n == 1 && plan->d[0].action.type == PS_ACT_ALLOW &&
	       ps_expr_is_true(&plan->d[0].when);
}

/* The plan of NR, made (empty) where there is none yet; kept sorted. */
static struct ps_plan *plan_for(struct ps_filter *f, int nr)
{
	struct ps_plan *plan = (struct ps_plan *)ps_filter_plan(f, nr);
	unsigned int at = f->n_plans;

	if (plan)
		return plan;
	while (at > 0 && f->plans[at - 1].nr > nr)
		at--;
	f->plans = xrealloc(f->plans, f->n_plans + 1, sizeof(*f->plans));
	memmove(&f->plans[at + 1], &f->plans[at],
		(f->n_plans - at) * sizeof(*f->plans));
	f->n_plans++;
	plan = &f->plans[at];
	memset(plan, 0, sizeof(*plan));
	plan->nr = nr;
	plan->weight = 1;
	return plan;
}

static void plan_clear(struct ps_plan *plan)
{
	while (plan->n)
		drop_decision(plan, plan->n - 1);
}

static void plan_always(struct ps_plan *plan, const struct ps_action *a)
{
	struct ps_expr always = { 0 };

	plan_clear(plan);
	ps_expr_set_true(&always);
	add_decision(plan, a, &always);
}

/*
 * The options' notify: each of those syscalls goes to the launcher, its
 * plan (made where the policy has none) kept for the launcher to decide
 * by. Before the exec gate, which then sends execve too if it is one.
 */
static void plan_notify(struct ps_filter *f)
{
	unsigned int i;

	for (i = 0; f->opt.exec_gate && i < f->opt.n_notify; i++)
		if (f->opt.notify[i] >= 0)
			plan_for(f, f->opt.notify[i])->notify = true;
}

/*
 * The exec gate: the launcher's own execve must pass. Unless the policy
 * allows every execve anyway, execve goes to the launcher, which lets its
 * own through and decides every later one by the policy (or, with
 * --no-exec, refuses it): a policy that does not allow execve gets no
 * exec after the start, whoever tries.
 */
static void plan_execve(struct ps_filter *f)
{
	int nr = ps_syscall_lookup("execve");

	if (!f->opt.exec_gate)
		return;
	f->execve_notify = f->opt.no_exec || !ps_filter_always_allows(f, nr);
	plan_for(f, nr)->execve_gate = f->execve_notify;
}

/*
 * compile --exec-by-loader allow: the loader (bwrap --seccomp, a runtime)
 * loads the program, then executes the command, by execve or (fexecve)
 * execveat; both pass.
 */
static void plan_loader_exec(struct ps_filter *f)
{
	static const struct ps_action allow = { PS_ACT_ALLOW, 0 };

	if (!f->opt.loader_exec)
		return;
	plan_always(plan_for(f, ps_syscall_lookup("execve")), &allow);
	plan_always(plan_for(f, ps_syscall_lookup("execveat")), &allow);
}

/* Puts "where WHEN: A" before PLAN's decisions (taking WHEN). */
static void plan_first(struct ps_plan *plan, const struct ps_action *a,
		       struct ps_expr *when)
{
	struct ps_decision first = { .when = *when, .action = *a };

	memset(when, 0, sizeof(*when));
	plan->d = xrealloc(plan->d, plan->n + 1, sizeof(*plan->d));
	memmove(&plan->d[1], &plan->d[0], plan->n * sizeof(*plan->d));
	plan->d[0] = first;
	plan->n++;
}

static void plan_allow_first(struct ps_plan *plan, struct ps_expr *when)
{
	static const struct ps_action allow = { PS_ACT_ALLOW, 0 };

	plan_first(plan, &allow, when);
}

/*
 * The loader's own needs (options' first): allowed before anything the
 * policy decides, each rule's condition as written.
 */
static void plan_first_rules(struct ps_filter *f, const struct ps_policy *first)
{
	struct ps_expr when = { 0 };
	unsigned int i;

	for (i = 0; i < first->n; i++) {
		ps_expr_copy(&when, &first->rules[i].cond);
		plan_allow_first(plan_for(f, first->rules[i].nr), &when);
	}
}

/*
 * The exec gate's listener is the launcher's alone: a process of the
 * sandbox that made a listener of its own could answer the gate's
 * notifications (the newest filter's listener is asked first) and let
 * an exec through, or the launcher's, once it is gone. The kernel
 * refuses that seccomp() before any rule of the policy is tried, with
 * the policy's refusal (EPERM where the default allows).
 */
static void plan_no_listener(struct ps_filter *f)
{
	static const struct ps_action eperm = { PS_ACT_ERRNO, EPERM };
	/* op is an unsigned int: the kernel reads the low half alone */
	struct ps_cmp op = { .arg = 0,
			     .op = PS_OP_MASKED_EQ,
			     .mask = UINT32_MAX,
			     .value = SECCOMP_SET_MODE_FILTER };
	struct ps_cmp flag = { .arg = 1,
			       .op = PS_OP_MASKED_NE,
			       .mask = SECCOMP_FILTER_FLAG_NEW_LISTENER,
			       .value = 0 };
	const struct ps_action *refuse = &f->default_action;
	struct ps_plan *plan;
	struct ps_conj c = { 0 };
	struct ps_expr when = { 0 };

	if (!f->uses_notify)
		return;
	/* complain mode notifies the default: this one the kernel keeps */
	if (refuse->type == PS_ACT_ALLOW || refuse->type == PS_ACT_LOG ||
	    f->opt.complain)
		refuse = &eperm;
	ps_conj_add(&c, &op);
	ps_conj_add(&c, &flag);
	ps_expr_add_conj(&when, &c);
	plan = plan_for(f, ps_syscall_lookup("seccomp"));
	plan_first(plan, refuse, &when);
	/*
	 * complain mode notifies refusals: this one the kernel keeps, so it
	 * stays first even where it repeats the default (which simplify()
	 * would drop, and the launcher would then let through)
	 */
	plan->listener_rule = f->opt.complain;
	if (f->opt.complain)
		ps_expr_normalize(&plan->d[0].when);
	else
		simplify(plan, &f->default_action);
}

/*
 * A deny list (no file, no --allow: everything else allowed) refuses
 * io_uring_setup unless it names it: a ring opens, reads, writes and
 * connects as kernel work that no filter sees, so allowing rings would
 * let through what the list denies (DESIGN 3.2). It gets what the list's
 * own entries get: kill-process, or --default-action's action.
 */
static void deny_io_uring(struct ps_filter *f,
			  const struct ps_filter_options *opt)
{
	static const struct ps_rule implicit = {
		.loc = { "pinscope", 0, 0 },
		.origin = PS_FROM_DENY,
		.then = { PS_ACT_KILL_PROCESS, 0 },
		.text = "io_uring_setup: deny (implicit in a deny list: a ring does what the list denies without the syscalls; name io_uring_setup to decide otherwise)",
	};
	int nr = ps_syscall_lookup("io_uring_setup");
	struct ps_plan *plan;

	/* learning traces what the program calls: io_uring_setup too */
	if (nr < 0 || opt->trace || ps_filter_plan(f, nr))
		return;
	plan = plan_for(f, nr);
	plan->rule = &implicit;
	plan_always(plan,
		    opt->default_set ? &opt->default_action : &implicit.then);
}

static void apply_frequencies(struct ps_filter *f, const struct ps_policy *p)
{
	unsigned int i;

	for (i = 0; i < p->n_frequencies; i++) {
		struct ps_plan *plan = (struct ps_plan *)ps_filter_plan(
			f, p->frequencies[i].nr);

		if (plan)
			plan->weight = p->frequencies[i].count ?
					       p->frequencies[i].count :
					       1;
	}
}

int ps_filter_build(struct ps_filter *f, const struct ps_policy *p,
		    const struct ps_filter_options *opt)
{
	static const struct ps_action eperm = { PS_ACT_ERRNO, EPERM };
	const struct ps_rule **rules, **sorted;
	unsigned int i, n, end;
	int errors = 0;

	memset(f, 0, sizeof(*f));
	f->opt = *opt;
	if (ps_policy_check_reads(p, opt->arch_all))
		return -1;
	if (p->any_allow_source) {
		f->default_action.type = PS_ACT_KILL_PROCESS;
		if (opt->default_set)
			f->default_action = opt->default_action;
		else if (p->default_set)
			f->default_action = p->default_action;
	} else {
		f->default_action.type = PS_ACT_ALLOW;
	}
	ps_filter_enosys(f, p);
	f->load_flags = p->oci_flags;
	/* each syscall's rules together, so each is read once */
	sorted = xcalloc(p->n ? p->n : 1, sizeof(*sorted));
	rules = xcalloc(p->n ? p->n : 1, sizeof(*rules));
	sort_rules(p, sorted);
	f->plans = xcalloc(p->n ? p->n : 1, sizeof(*f->plans));
	for (i = 0; i < p->n; i = end) {
		struct ps_plan *plan = &f->plans[f->n_plans++];

		for (end = i + 1;
		     end < p->n && sorted[end]->nr == sorted[i]->nr;)
			end++;
		memset(plan, 0, sizeof(*plan));
		plan->nr = sorted[i]->nr;
		plan->weight = 1;
		plan->rule = sorted[i];
		if (effective_rules(&sorted[i], end - i, rules, &n) < 0) {
			errors++;
			continue;
		}
		/* deny lists: --default-action sets what denying means */
		if (!p->any_allow_source && opt->default_set && n == 1 &&
		    rules[0]->origin == PS_FROM_DENY &&
		    rules[0]->then.type == PS_ACT_KILL_PROCESS) {
			plan_always(plan, &opt->default_action);
			continue;
		}
		plan_rules(plan, rules, n);
	}
	free(sorted);
	free(rules);
	if (errors) {
		ps_filter_free(f);
		return -1;
	}
	if (!p->any_allow_source)
		deny_io_uring(f, opt);
	for (i = 0; i < f->n_plans; i++)
		simplify(&f->plans[i], &f->default_action);
	plan_notify(f);
	plan_execve(f);
	plan_loader_exec(f);
	if (opt->no_exec) {
		/*
		 * The launcher behind the exec gate needs execve once
		 * (plan_execve); without the gate, or for execveat, nothing
		 * does but what the options' first rules allow.
		 */
		plan_always(plan_for(f, ps_syscall_lookup("execveat")), &eperm);
		if (!opt->exec_gate)
			plan_always(plan_for(f, ps_syscall_lookup("execve")),
				    &eperm);
	}
	if (opt->first) {
		plan_first_rules(f, opt->first);
		for (i = 0; i < f->n_plans; i++)
			simplify(&f->plans[i], &f->default_action);
	}
	apply_frequencies(f, p);
	f->uses_notify =
		f->opt.exec_gate &&
		(f->execve_notify || f->opt.complain || f->opt.n_notify);
	plan_no_listener(f);
	if (ps_emit(f) < 0) {
		ps_filter_free(f);
		return -1;
	}
	return 0;
}

void ps_filter_free(struct ps_filter *f)
{
	unsigned int i;

	for (i = 0; i < f->n_plans; i++) {
		plan_clear(&f->plans[i]);
		free(f->plans[i].d);
	}
	free(f->plans);
	free(f->prog.filter);
	memset(f, 0, sizeof(*f));
}
