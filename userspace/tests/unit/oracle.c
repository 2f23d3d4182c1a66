// SPDX-License-Identifier: GPL-2.0-only
/*
 * The oracle: a call's fate read straight from the parsed rules.
 *
 * Written from the documentation, not from src/compiler/'s code, and kept
 * naive on purpose: every call walks its syscall's rules in order and
 * evaluates each comparison as written, so a mistake in the compiler's
 * normal forms, plans or emitter cannot repeat itself here.
 *
 * The precedence (DESIGN.md 3.0, pinscope.policy(5) "Several rules for one
 * syscall", the comments of the compiler's effective_rules()):
 *  - a --deny (PS_FROM_DENY) beats everything, the later of two wins;
 *  - else an OCI profile's entries, first match in the profile's order;
 *  - else the rules naming the syscall (PS_FROM_RULE): identical ones are
 *    one; if every one only allows under a condition, either condition
 *    allows; any other pair is a conflict the compiler must refuse;
 *  - else the group rules (PS_FROM_GROUP), the later wins;
 *  - a rule gives its action where its condition holds; elsewhere its
 *    `; return E` action, or the default action without one.
 * The default action: with a file or --allow (any_allow_source), kill the
 * process or --default-action; with only --deny lists, allow, and
 * --default-action then says what the plain denial (kill) does.
 * A deny list that does not name io_uring_setup denies it all the same,
 * as a plain denial (pinscope(1), IO_URING), except to the learner.
 * The policy's own default (@default, an OCI defaultAction) stands where
 * --default-action is not given.
 * runc's ENOSYS rule (pinscope-formats(5), OCI profiles): under an OCI
 * profile whose default neither allows nor logs, a call of an arch whose
 * number is above the highest that arch's profile names, the policy's
 * rules name and pinscope itself rules (execve, execveat, seccomp), and
 * that no rule names, fails with ENOSYS; not for an arch the profile
 * names nothing above 0 on, and not to the learner.
 *
 * Arguments (DESIGN.md 3.2): a condition is about the value the syscall
 * gets, which the kernel's wrapper casts from the register: the low 32
 * bits of an int (sign-extended) or unsigned int, the low 16 of a
 * umode_t, every i386 argument's low 32 bits. The types are the generated
 * tables' (data/argwidths.tsv), searched and applied here on their own.
 * With --arch all, a rule's condition on an argument that an i386 or x32
 * namesake takes differently (not among its first `same` arguments, and
 * read by either syscall) must be refused.
 */
#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

#include "argwidths.h"
#include "oracle.h"
#include "syscalls.h"

/*
 * The tables' line for ABI's NAME, by a plain walk; NULL if none. The
 * checks ask for one syscall thousands of times in a row: the last answer
 * is kept (the tests are single-threaded).
 */
static const struct ps_argwidth *kernel_proto(enum ps_arch abi,
					      const char *name)
{
	const struct ps_argwidth_table *t = &ps_argwidth_tables[abi];
	static const struct ps_argwidth *last;
	static enum ps_arch last_abi;
	static char last_name[64];
	unsigned int i;

	if (!name)
		return NULL;
	if (last_name[0] && last_abi == abi && !strcmp(last_name, name))
		return last;
	last = NULL;
	for (i = 0; i < t->n && !last; i++)
		if (!strcmp(t->e[i].name, name))
			last = &t->e[i];
	last_abi = abi;
	snprintf(last_name, sizeof(last_name), "%s", name);
	return last;
}

void ps_oracle_kernel_args(enum ps_arch abi, const char *name,
			   const uint64_t regs[6], uint64_t args[6])
{
	const struct ps_argwidth *w = kernel_proto(abi, name);
	unsigned int i;

	for (i = 0; i < 6; i++) {
		uint64_t r = regs[i];

		switch (w && i < w->n ? w->read[i] : PS_READ_64) {
		case PS_READ_U32:
			r &= 0xffffffffULL;
			break;
		case PS_READ_S32:
			r &= 0xffffffffULL;
			if (r & 0x80000000ULL)
				r |= 0xffffffff00000000ULL;
			break;
		case PS_READ_U16:
			r &= 0xffffULL;
			break;
		}
		args[i] = r;
	}
}

/* Whether argument A of ABI's NAME means what x86_64's does. */
static bool same_meaning(enum ps_arch abi, const char *name, unsigned int a)
{
	const struct ps_argwidth *w = kernel_proto(abi, name);
	const struct ps_argwidth *x = kernel_proto(PS_ARCH_X86_64, name);

	if (!w || w->same < 0)
		return false;
	if (a < (unsigned int)w->same)
		return true;
	return x && a >= w->n && a >= x->n;
}

static unsigned int layout_refusals(const struct ps_policy *p)
{
	static const enum ps_arch abis[] = { PS_ARCH_I386, PS_ARCH_X32 };
	unsigned int i, j, k, c, n = 0;

	for (i = 0; i < p->n; i++) {
		const struct ps_rule *r = &p->rules[i];
		const char *name = ps_syscall_name_arch(PS_ARCH_X86_64, r->nr);
		bool refused = false;

		for (k = 0; k < ARRAY_SIZE(abis); k++) {
			if (!name || ps_syscall_lookup_arch(abis[k], name) < 0)
				continue;
			for (j = 0; j < r->cond.n; j++)
				for (c = 0; c < r->cond.conjs[j].n; c++)
					if (!same_meaning(abis[k], name,
							  r->cond.conjs[j]
								  .cmps[c]
								  .arg))
						refused = true;
		}
		n += refused;
	}
	return n;
}

static bool cmp_holds(const struct ps_cmp *c, const uint64_t args[6])
{
	uint64_t a = args[c->arg];

	switch (c->op) {
	case PS_OP_EQ:
		return a == c->value;
	case PS_OP_NE:
		return a != c->value;
	case PS_OP_LT:
		return a < c->value;
	case PS_OP_LE:
		return a <= c->value;
	case PS_OP_GT:
		return a > c->value;
	case PS_OP_GE:
		return a >= c->value;
	case PS_OP_MASKED_EQ:
		return (a & c->mask) == c->value;
#ifdef PINSCOPE_EXPR_H /* policy.h on the expression algebra (expr.h) */
	case PS_OP_MASKED_NE:
		return (a & c->mask) != c->value;
#endif
	}
	abort(); /* an operator this oracle does not know: fix it */
}

/* A disjunction of conjunctions; no conjunction is false. */
static bool cond_holds(const struct ps_expr *e, const uint64_t args[6])
{
	unsigned int i, j;

	for (i = 0; i < e->n; i++) {
		const struct ps_conj *c = &e->conjs[i];

		for (j = 0; j < c->n && cmp_holds(&c->cmps[j], args); j++)
			;
		if (j == c->n)
			return true;
	}
	return false;
}

static bool same_action(const struct ps_action *a, const struct ps_action *b)
{
	if (a->type != b->type)
		return false;
	return a->type != PS_ACT_ERRNO || a->errnum == b->errnum;
}

static bool same_cmp(const struct ps_cmp *a, const struct ps_cmp *b)
{
	return a->arg == b->arg && a->op == b->op && a->value == b->value &&
	       a->mask == b->mask;
}

/* Written the same (as the parser built them): merged, not a conflict. */
static bool same_rule(const struct ps_rule *a, const struct ps_rule *b)
{
	unsigned int i, j;

	if (!same_action(&a->then, &b->then) || a->has_else != b->has_else ||
	    (a->has_else && !same_action(&a->otherwise, &b->otherwise)) ||
	    a->cond.n != b->cond.n)
		return false;
	for (i = 0; i < a->cond.n; i++) {
		const struct ps_conj *x = &a->cond.conjs[i],
				     *y = &b->cond.conjs[i];

		if (x->n != y->n)
			return false;
		for (j = 0; j < x->n; j++)
			if (!same_cmp(&x->cmps[j], &y->cmps[j]))
				return false;
	}
	return true;
}

static bool allows_only_if(const struct ps_rule *r)
{
	return r->then.type == PS_ACT_ALLOW && !r->has_else;
}

static int sc_cmp(const void *a, const void *b)
{
	const struct ps_oracle_sc *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

static const struct ps_oracle_sc *find_sc(const struct ps_oracle *o, int nr)
{
	struct ps_oracle_sc key = { .nr = nr };

	if (!o->n_scs)
		return NULL;
	return bsearch(&key, o->scs, o->n_scs, sizeof(key), sc_cmp);
}

/* Origins are listed weakest first (policy.h): the strongest present wins. */
static enum ps_origin winning_origin(const struct ps_oracle_sc *sc)
{
	enum ps_origin best = PS_FROM_GROUP;
	unsigned int i;

	for (i = 0; i < sc->n; i++)
		if (sc->rules[i]->origin > best)
			best = sc->rules[i]->origin;
	return best;
}

/* Named rules of SC that differ from every earlier one: into OUT. */
static unsigned int distinct_named(const struct ps_oracle_sc *sc,
				   const struct ps_rule **out)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < sc->n; i++) {
		const struct ps_rule *r = sc->rules[i];

		if (r->origin != PS_FROM_RULE)
			continue;
		for (j = 0; j < n && !same_rule(out[j], r); j++)
			;
		if (j == n)
			out[n++] = r;
	}
	return n;
}

static bool is_conflict(const struct ps_oracle_sc *sc,
			const struct ps_rule **scratch)
{
	unsigned int i, n;

	if (winning_origin(sc) != PS_FROM_RULE)
		return false;
	n = distinct_named(sc, scratch);
	for (i = 0; i < n && n > 1; i++)
		if (!allows_only_if(scratch[i]))
			return true;
	return false;
}

void ps_oracle_init(struct ps_oracle *o, const struct ps_policy *p,
		    const struct ps_filter_options *opt, FILE *log)
{
	const struct ps_rule **scratch;
	unsigned int i, k;

	memset(o, 0, sizeof(*o));
	o->policy = p;
	o->opt = *opt;
	o->execve_nr = ps_syscall_lookup_arch(PS_ARCH_X86_64, "execve");
	o->execveat_nr = ps_syscall_lookup_arch(PS_ARCH_X86_64, "execveat");
	o->seccomp_nr = ps_syscall_lookup_arch(PS_ARCH_X86_64, "seccomp");
	if (!p->n)
		return;
	if (opt->arch_all)
		o->layouts = layout_refusals(p);
	/* one entry per syscall, its rules in policy order */
	o->scs = xcalloc(p->n, sizeof(*o->scs));
	for (i = 0; i < p->n; i++) {
		struct ps_oracle_sc *sc = NULL;

		for (k = 0; k < o->n_scs; k++)
			if (o->scs[k].nr == p->rules[i].nr)
				sc = &o->scs[k];
		if (!sc) {
			sc = &o->scs[o->n_scs++];
			sc->nr = p->rules[i].nr;
			sc->rules = xcalloc(p->n, sizeof(*sc->rules));
		}
		sc->rules[sc->n++] = &p->rules[i];
	}
	qsort(o->scs, o->n_scs, sizeof(*o->scs), sc_cmp);
	scratch = xcalloc(p->n, sizeof(*scratch));
	for (k = 0; k < o->n_scs; k++) {
		if (!is_conflict(&o->scs[k], scratch))
			continue;
		o->conflicts++;
		if (log)
			fprintf(log,
				"# oracle: the rules for syscall %d conflict\n",
				o->scs[k].nr);
	}
	free(scratch);
}

void ps_oracle_free(struct ps_oracle *o)
{
	unsigned int i;

	for (i = 0; i < o->n_scs; i++)
		free(o->scs[i].rules);
	free(o->scs);
	memset(o, 0, sizeof(*o));
}

static struct ps_action default_action(const struct ps_oracle *o)
{
	struct ps_action a = { PS_ACT_ALLOW, 0 };

	if (o->policy->any_allow_source) {
		a.type = PS_ACT_KILL_PROCESS;
		if (o->opt.default_set)
			a = o->opt.default_action;
		else if (o->policy->default_set)
			a = o->policy->default_action;
	}
	return a;
}

/* runc's ENOSYS rule for ABI's number NR, its native namesake NATIVE */
static bool enosys_rule(const struct ps_oracle *o, enum ps_arch abi, int nr,
			int native)
{
	static const char *const own[] = { "execve", "execveat", "seccomp" };
	const struct ps_policy *p = o->policy;
	struct ps_action def = default_action(o);
	long top = p->oci_last_nr[abi];
	unsigned int i;

	if (!p->oci_enosys || o->opt.trace || !top ||
	    def.type == PS_ACT_ALLOW || def.type == PS_ACT_LOG)
		return false;
	if (native >= 0 && find_sc(o, native))
		return false;
	for (i = 0; i < p->n; i++) {
		int rnr = p->rules[i].nr;
		const char *name = ps_syscall_name_arch(PS_ARCH_X86_64, rnr);
		long at = name ? ps_syscall_lookup_arch(abi, name) : -1;

		if (ps_is_i386_only(rnr))
			at = abi == PS_ARCH_I386 ? rnr - PS_I386_ONLY : -1;

		if (at > top)
			top = at;
	}
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (ps_syscall_lookup_arch(abi, own[i]) > top)
			top = ps_syscall_lookup_arch(abi, own[i]);
	return (long)(uint32_t)nr > top;
}

static struct ps_action rule_action(const struct ps_rule *r,
				    const struct ps_action *def,
				    const uint64_t args[6])
{
	if (cond_holds(&r->cond, args))
		return r->then;
	return r->has_else ? r->otherwise : *def;
}

struct ps_action ps_oracle_action(const struct ps_oracle *o, int nr,
				  const uint64_t args[6])
{
	const struct ps_oracle_sc *sc = find_sc(o, nr);
	struct ps_action def = default_action(o);
	const struct ps_rule *last = NULL;
	enum ps_origin best;
	unsigned int i;

	if (!sc && !o->policy->any_allow_source && !o->opt.trace &&
	    nr == ps_syscall_lookup("io_uring_setup")) {
		struct ps_action kill = { PS_ACT_KILL_PROCESS, 0 };

		return o->opt.default_set ? o->opt.default_action : kill;
	}
	if (!sc)
		return def;
	best = winning_origin(sc);
	if (best == PS_FROM_RULE) {
		const struct ps_rule *first = NULL;
		bool all_allow_ifs = true;

		for (i = 0; i < sc->n; i++) {
			const struct ps_rule *r = sc->rules[i];

			if (r->origin != PS_FROM_RULE)
				continue;
			if (!first)
				first = r;
			if (!allows_only_if(r))
				all_allow_ifs = false;
		}
		if (!all_allow_ifs) /* one rule (or a conflict: refused) */
			return rule_action(first, &def, args);
		for (i = 0; i < sc->n; i++)
			if (sc->rules[i]->origin == PS_FROM_RULE &&
			    cond_holds(&sc->rules[i]->cond, args))
				return sc->rules[i]->then;
		return def;
	}
	if (best != PS_FROM_DENY && best != PS_FROM_GROUP) {
		/*
		 * An OCI profile's entries (between named rules and denials):
		 * tried in the profile's order, the first whose condition
		 * holds deciding; one with an else decides wherever it is.
		 */
		for (i = 0; i < sc->n; i++) {
			const struct ps_rule *r = sc->rules[i];

			if (r->origin != best)
				continue;
			if (cond_holds(&r->cond, args))
				return r->then;
			if (r->has_else)
				return r->otherwise;
		}
		return def;
	}
	for (i = 0; i < sc->n; i++)
		if (sc->rules[i]->origin == best)
			last = sc->rules[i];
	if (best == PS_FROM_DENY && !o->policy->any_allow_source &&
	    o->opt.default_set && last->then.type == PS_ACT_KILL_PROCESS) {
		/* a deny list's plain denial is what --default-action says */
		struct ps_rule r = *last;

		r.then = o->opt.default_action;
		return rule_action(&r, &def, args);
	}
	return rule_action(last, &def, args);
}

/* Every refusal is the kernel's; only the exec gate notifies (plan.c). */
static uint32_t seccomp_ret(const struct ps_action *a)
{
	switch (a->type) {
	case PS_ACT_ALLOW:
		return SECCOMP_RET_ALLOW;
	case PS_ACT_KILL_PROCESS:
		return SECCOMP_RET_KILL_PROCESS;
	case PS_ACT_KILL_THREAD:
		return SECCOMP_RET_KILL_THREAD;
	case PS_ACT_TRAP:
		return SECCOMP_RET_TRAP;
	case PS_ACT_LOG:
		return SECCOMP_RET_LOG;
	case PS_ACT_ERRNO:
		return SECCOMP_RET_ERRNO |
		       ((uint32_t)a->errnum & SECCOMP_RET_DATA);
	}
	abort();
}

/*
 * Exec mode with the gate: a seccomp() that would make a listener is
 * refused first (the default's refusal, EPERM where it allows).
 */
static bool makes_listener(const struct ps_oracle *o, int nr,
			   const uint64_t args[6])
{
	return o->opt.exec_gate && nr >= 0 && nr == o->seccomp_nr &&
	       (uint32_t)args[0] == SECCOMP_SET_MODE_FILTER &&
	       (args[1] & SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

/* The loader's own needs (options' first) pass before the policy. */
static bool first_allows(const struct ps_oracle *o, int nr,
			 const uint64_t args[6])
{
	unsigned int i;

	for (i = 0; o->opt.first && i < o->opt.first->n; i++) {
		if (o->opt.first->rules[i].nr == nr &&
		    ps_expr_eval(&o->opt.first->rules[i].cond, args))
			return true;
	}
	return false;
}

int ps_oracle_native_nr(uint32_t arch, int nr)
{
	enum ps_arch abi;
	const char *name;

	if (!ps_arch_of(arch, nr, &abi))
		return -2;
	if (abi == PS_ARCH_X86_64)
		return ps_is_i386_only(nr) ? -1 : nr; /* no native syscall */
	/* the kernels' tables (syscalls_test holds them to libseccomp) */
	name = ps_syscall_name_arch(abi, nr);
	if (!name)
		return -1;
	/* an i386-only syscall is ruled by its i386 name (PS_I386_ONLY) */
	if (ps_syscall_lookup_arch(PS_ARCH_X86_64, name) < 0 &&
	    abi == PS_ARCH_I386)
		return PS_I386_ONLY + nr;
	return ps_syscall_lookup_arch(PS_ARCH_X86_64, name);
}

struct ps_verdict ps_oracle_decide(const struct ps_oracle *o,
				   const struct seccomp_data *d)
{
	static const struct ps_action eperm = { PS_ACT_ERRNO, EPERM };
	bool native = d->arch == AUDIT_ARCH_X86_64 &&
		      !((uint32_t)d->nr & PS_X32_BIT);
	struct ps_verdict v;
	struct ps_action a;
	enum ps_arch abi;
	uint64_t regs[6], args[6];
	int nr;

	v.want = v.also = SECCOMP_RET_KILL_PROCESS;
	if (d->arch == AUDIT_ARCH_X86_64 && d->nr == -1) {
		/*
		 * -1: no syscall at all (a tracer's "skip it"; the kernel runs
		 * nothing). Killed as an x32 number, or given the default
		 * action as libseccomp does: both are safe.
		 */
		a = default_action(o);
		/* an x32 number above every other: runc's ENOSYS rule's */
		if (o->opt.arch_all && enosys_rule(o, PS_ARCH_X32, d->nr, -1))
			a = (struct ps_action){ PS_ACT_ERRNO, ENOSYS };
		v.also = o->opt.trace ? SECCOMP_RET_TRACE : seccomp_ret(&a);
		return v;
	}
	if (!native && !o->opt.arch_all)
		return v;
	nr = ps_oracle_native_nr(d->arch, d->nr);
	if (nr == -2)
		return v;
	if (o->opt.trace) {
		v.want = v.also = SECCOMP_RET_TRACE;
		return v;
	}
	memcpy(regs, d->args, sizeof(regs));
	memcpy(args, d->args, sizeof(args));
	if (nr >= 0 && ps_arch_of(d->arch, d->nr, &abi))
		ps_oracle_kernel_args(abi, ps_syscall_name_arch(abi, d->nr),
				      regs, args);
	a = nr >= 0 ? ps_oracle_action(o, nr, args) : default_action(o);
	if (ps_arch_of(d->arch, d->nr, &abi) && enosys_rule(o, abi, d->nr, nr))
		a = (struct ps_action){ PS_ACT_ERRNO, ENOSYS };
	if (nr >= 0 && nr == o->execve_nr && o->opt.exec_gate) {
		/*
		 * The launcher's own execve must pass: it goes to the
		 * launcher, or is simply allowed when the policy allows it
		 * (an execve no rule names is allowed, as systemd does).
		 * --no-exec: always to the launcher.
		 */
		if (!find_sc(o, nr))
			a.type = PS_ACT_ALLOW;
		v.want = v.also = SECCOMP_RET_USER_NOTIF;
		if (a.type == PS_ACT_ALLOW && !o->opt.no_exec)
			v.also = SECCOMP_RET_ALLOW;
		return v;
	}
	/* the loader's own exec, which the program cannot tell from others */
	if (o->opt.loader_exec && (nr == o->execve_nr || nr == o->execveat_nr))
		a.type = PS_ACT_ALLOW;
	if (o->opt.no_exec && nr >= 0 &&
	    (nr == o->execveat_nr || (!o->opt.exec_gate && nr == o->execve_nr)))
		a = eperm;
	if (first_allows(o, nr, args))
		a = (struct ps_action){ PS_ACT_ALLOW, 0 };
	v.want = v.also = seccomp_ret(&a);
	if (makes_listener(o, nr, args)) {
		struct ps_action refuse = default_action(o);

		/* refused where the gate is; the policy decides elsewhere */
		if (refuse.type == PS_ACT_ALLOW || refuse.type == PS_ACT_LOG)
			refuse = eperm;
		v.want = seccomp_ret(&refuse);
	}
	return v;
}

const char *ps_ret_name(uint32_t ret, char *buf, size_t len)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return "kill-process";
	case SECCOMP_RET_KILL_THREAD:
		return "kill-thread";
	case SECCOMP_RET_TRAP:
		snprintf(buf, len, "trap:%u", ret & SECCOMP_RET_DATA);
		return buf;
	case SECCOMP_RET_ERRNO:
		snprintf(buf, len, "errno:%u", ret & SECCOMP_RET_DATA);
		return buf;
	case SECCOMP_RET_USER_NOTIF:
		return "notify";
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "trace:%u", ret & SECCOMP_RET_DATA);
		return buf;
	case SECCOMP_RET_LOG:
		return "log";
	case SECCOMP_RET_ALLOW:
		return "allow";
	}
	snprintf(buf, len, "%#x", ret);
	return buf;
}
