// SPDX-License-Identifier: GPL-2.0-only
/*
 * From rules to a filter.
 *
 * Each syscall's rules become disjoint regions of its argument space, one
 * action each, so no two libseccomp rules of a syscall ever overlap: where
 * rules overlap libseccomp 2.5 picks one by its own priorities (a rule with
 * no argument test overrides every argument rule), which is not the policy's
 * meaning. Each region is a disjunction of conjunctions with at most one
 * comparison per argument, because libseccomp refuses two comparisons of one
 * argument in a rule (EINVAL), or, for `a0 > 1 && a0 < 5`, silently keeps
 * only the first. Ranges and exclusions on one argument are therefore
 * rewritten as unions of aligned blocks, each one masked compare.
 */
#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"

#define MAX_CONJS 4096		/* per syscall region: beyond is a mistake */

struct interval {
	uint64_t lo, hi;
};

/* A set of u64 values: sorted, disjoint closed intervals. */
struct iset {
	unsigned int n;
	struct interval iv[130];
};

static void iset_full(struct iset *s)
{
	s->n = 1;
	s->iv[0].lo = 0;
	s->iv[0].hi = UINT64_MAX;
}

static void iset_intersect(struct iset *s, uint64_t lo, uint64_t hi)
{
	unsigned int i, k = 0;

	for (i = 0; i < s->n; i++) {
		uint64_t a = s->iv[i].lo > lo ? s->iv[i].lo : lo;
		uint64_t b = s->iv[i].hi < hi ? s->iv[i].hi : hi;

		if (a <= b) {
			s->iv[k].lo = a;
			s->iv[k].hi = b;
			k++;
		}
	}
	s->n = k;
}

/* Removes one value; returns false when the set grew past its storage. */
static bool iset_remove(struct iset *s, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct interval *iv = &s->iv[i];

		if (v < iv->lo || v > iv->hi)
			continue;
		if (iv->lo == iv->hi) {
			memmove(iv, iv + 1, (s->n - i - 1) * sizeof(*iv));
			s->n--;
		} else if (v == iv->lo) {
			iv->lo++;
		} else if (v == iv->hi) {
			iv->hi--;
		} else {
			if (s->n == ARRAY_SIZE(s->iv))
				return false;
			memmove(iv + 1, iv, (s->n - i) * sizeof(*iv));
			s->n++;
			iv[0].hi = v - 1;
			iv[1].lo = v + 1;
		}
		return true;
	}
	return true;
}

static bool iset_is_full(const struct iset *s)
{
	return s->n == 1 && s->iv[0].lo == 0 && s->iv[0].hi == UINT64_MAX;
}

/* ---- DNF expressions ---- */

static void conj_push(struct ps_conj *c, const struct ps_cmp *cmp)
{
	c->cmps = xrealloc(c->cmps, c->n + 1, sizeof(*c->cmps));
	c->cmps[c->n++] = *cmp;
}

static int cmp_order(const void *a, const void *b)
{
	const struct ps_cmp *x = a, *y = b;

	if (x->arg != y->arg)
		return x->arg < y->arg ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return 0;
}

static bool conj_equal(const struct ps_conj *a, const struct ps_conj *b)
{
	return a->n == b->n &&
	       (!a->n || !memcmp(a->cmps, b->cmps, a->n * sizeof(*a->cmps)));
}

/* Adds C (taking its comparisons) unless an equal one is there. */
static void expr_push_unique(struct ps_expr *e, struct ps_conj *c)
{
	unsigned int i;

	if (c->n)
		qsort(c->cmps, c->n, sizeof(*c->cmps), cmp_order);
	for (i = 0; i < e->n; i++) {
		if (conj_equal(&e->conjs[i], c)) {
			free(c->cmps);
			memset(c, 0, sizeof(*c));
			return;
		}
	}
	/* true absorbs everything */
	if (c->n == 0) {
		ps_expr_free(e);
	} else if (ps_expr_is_true(e)) {
		free(c->cmps);
		memset(c, 0, sizeof(*c));
		return;
	}
	e->conjs = xrealloc(e->conjs, e->n + 1, sizeof(*e->conjs));
	e->conjs[e->n++] = *c;
	memset(c, 0, sizeof(*c));
}

/* Appends [lo, hi] as single comparisons of ARG: one, or aligned blocks. */
static void interval_alternatives(unsigned int arg, uint64_t lo, uint64_t hi,
				  struct ps_cmp *out, unsigned int *n)
{
	struct ps_cmp c = { .arg = arg };

	if (lo == hi) {
		c.op = PS_OP_EQ;
		c.value = lo;
		out[(*n)++] = c;
		return;
	}
	if (lo == 0) {
		c.op = PS_OP_LE;
		c.value = hi;
		out[(*n)++] = c;
		return;
	}
	if (hi == UINT64_MAX) {
		c.op = PS_OP_GE;
		c.value = lo;
		out[(*n)++] = c;
		return;
	}
	/* the largest aligned power-of-two block at lo that fits, repeatedly */
	for (;;) {
		uint64_t size = lo & -lo;	/* alignment of lo (lo != 0) */

		while (size > 1 && lo + (size - 1) > hi)
			size >>= 1;
		c.op = size == 1 ? PS_OP_EQ : PS_OP_MASKED_EQ;
		c.mask = size == 1 ? 0 : ~(size - 1);
		c.value = lo;
		out[(*n)++] = c;
		if (lo + (size - 1) >= hi)
			return;
		lo += size;
	}
}

/*
 * Appends the aligned blocks of [lo, hi] that meet the cube
 * (x & m) == v, each intersection one comparison.
 */
static void interval_blocks(uint64_t lo, uint64_t hi, uint64_t m, uint64_t v,
			    unsigned int arg, struct ps_cmp *out, unsigned int *n)
{
	for (;;) {
		/* the largest aligned block at lo within [lo, hi] */
		uint64_t size = lo ? lo & -lo : 0;	/* 0: 2^64 */
		uint64_t bm, span;

		while (size != 1 && (size == 0 ? hi != UINT64_MAX :
						 lo + (size - 1) > hi))
			size = size ? size >> 1 : (uint64_t)1 << 63;
		span = size ? size - 1 : UINT64_MAX;
		bm = ~span;
		if (!((lo ^ v) & bm & m)) {
			struct ps_cmp c = { .arg = arg };

			c.mask = bm | m;
			c.value = (lo & bm) | (v & m);
			c.op = c.mask == UINT64_MAX ? PS_OP_EQ : PS_OP_MASKED_EQ;
			if (c.op == PS_OP_EQ)
				c.mask = 0;
			out[(*n)++] = c;
		}
		if (hi - lo <= span)
			return;
		lo += size;
	}
}

/*
 * The comparisons of one argument within a conjunction, as a disjunction
 * of single comparisons. Returns the count, 0 for "false", -1 for "true"
 * (no constraint), -2 for a combination we cannot state exactly.
 */
/*
 * The values the comparisons of ARG in CMPS allow: the ranges in S, and
 * one mask constraint (arg & *M) == *V. Returns 1, 0 when nothing is
 * allowed, -2 when the ranges outgrow S.
 */
static int arg_constraint(const struct ps_cmp *cmps, unsigned int n,
			  unsigned int arg, struct iset *s, uint64_t *m,
			  uint64_t *v)
{
	unsigned int i;

	iset_full(s);
	*m = 0;
	*v = 0;
	for (i = 0; i < n; i++) {
		const struct ps_cmp *c = &cmps[i];

		if (c->arg != arg)
			continue;
		switch (c->op) {
		case PS_OP_EQ:
			iset_intersect(s, c->value, c->value);
			break;
		case PS_OP_NE:
			if (!iset_remove(s, c->value))
				return -2;
			break;
		case PS_OP_LT:
			if (c->value == 0)
				goto none;
			iset_intersect(s, 0, c->value - 1);
			break;
		case PS_OP_LE:
			iset_intersect(s, 0, c->value);
			break;
		case PS_OP_GT:
			if (c->value == UINT64_MAX)
				goto none;
			iset_intersect(s, c->value + 1, UINT64_MAX);
			break;
		case PS_OP_GE:
			iset_intersect(s, c->value, UINT64_MAX);
			break;
		case PS_OP_MASKED_EQ:
			/* two masks agree where they overlap, or nothing holds */
			if ((*v ^ c->value) & *m & c->mask)
				goto none;
			*m |= c->mask;
			*v |= c->value & c->mask;
			break;
		}
	}
	return s->n ? 1 : 0;
none:
	s->n = 0;
	return 0;
}

static int arg_alternatives(const struct ps_cmp *cmps, unsigned int n,
			    unsigned int arg, struct ps_cmp *out)
{
	struct iset s;
	uint64_t m, v;
	unsigned int i, k = 0;
	int ret = arg_constraint(cmps, n, arg, &s, &m, &v);

	if (ret <= 0)
		return ret;
	if (m) {
		if (iset_is_full(&s)) {
			struct ps_cmp c = { .arg = arg };

			c.op = m == UINT64_MAX ? PS_OP_EQ : PS_OP_MASKED_EQ;
			c.mask = m == UINT64_MAX ? 0 : m;
			c.value = v;
			out[0] = c;
			return 1;
		}
		/* the mask's cube, cut by each aligned block of the ranges */
		for (i = 0; i < s.n; i++)
			interval_blocks(s.iv[i].lo, s.iv[i].hi, m, v, arg, out, &k);
		return (int)k;
	}
	if (iset_is_full(&s))
		return -1;
	for (i = 0; i < s.n; i++)
		interval_alternatives(arg, s.iv[i].lo, s.iv[i].hi, out, &k);
	return (int)k;
}

/* Enough for 130 intervals of up to 128 aligned blocks each. */
#define MAX_ALTS (130 * 128)

/*
 * Scratch space for one argument's alternatives (slot 6: negation). Half
 * a megabyte each: allocated once, since allocating it per conjunction
 * made malloc grow and trim the heap hundreds of times per launch.
 */
static struct ps_cmp *scratch(unsigned int slot)
{
	static struct ps_cmp *buf[7];

	if (!buf[slot])
		buf[slot] = xcalloc(MAX_ALTS, sizeof(struct ps_cmp));
	return buf[slot];
}

/*
 * Rewrites conjunction C into conjunctions with one comparison per
 * argument, added to OUT. Returns -1 when it cannot be said exactly.
 */
static int normalize_conj(const struct ps_conj *c, struct ps_expr *out)
{
	struct ps_cmp *alts[6];
	int counts[6];
	unsigned int idx[6] = { 0 };
	unsigned int arg;
	int ret = 0;

	for (arg = 0; arg < 6; arg++) {
		alts[arg] = scratch(arg);
		counts[arg] = arg_alternatives(c->cmps, c->n, arg, alts[arg]);
		if (counts[arg] == -2) {
			ret = -1;
			goto out;
		}
		if (counts[arg] == 0)
			goto out;	/* false: adds nothing */
	}
	/* the cross product of the arguments' alternatives */
	for (;;) {
		struct ps_conj n = { 0 };

		for (arg = 0; arg < 6; arg++)
			if (counts[arg] > 0)
				conj_push(&n, &alts[arg][idx[arg]]);
		expr_push_unique(out, &n);
		if (out->n > MAX_CONJS) {
			ret = -1;
			goto out;
		}
		for (arg = 0; arg < 6; arg++) {
			if (counts[arg] <= 0)
				continue;
			if (++idx[arg] < (unsigned int)counts[arg])
				break;
			idx[arg] = 0;
		}
		if (arg == 6)
			break;
	}
out:
	return ret;
}

/* A && B, normalized; A is replaced. */
static int expr_and(struct ps_expr *a, const struct ps_expr *b)
{
	struct ps_expr out = { 0 };
	unsigned int i, j, k;
	int ret = 0;

	for (i = 0; i < a->n && !ret; i++) {
		for (j = 0; j < b->n && !ret; j++) {
			struct ps_conj c = { 0 };

			for (k = 0; k < a->conjs[i].n; k++)
				conj_push(&c, &a->conjs[i].cmps[k]);
			for (k = 0; k < b->conjs[j].n; k++)
				conj_push(&c, &b->conjs[j].cmps[k]);
			ret = normalize_conj(&c, &out);
			free(c.cmps);
		}
	}
	ps_expr_free(a);
	*a = out;
	return ret;
}

static void negate_cmp(const struct ps_cmp *c, struct ps_expr *out)
{
	struct ps_cmp n = *c;
	struct ps_conj one = { 0 };
	uint64_t bit;

	switch (c->op) {
	case PS_OP_EQ:
		n.op = PS_OP_NE;
		break;
	case PS_OP_NE:
		n.op = PS_OP_EQ;
		break;
	case PS_OP_LT:
		n.op = PS_OP_GE;
		break;
	case PS_OP_LE:
		n.op = PS_OP_GT;
		break;
	case PS_OP_GT:
		n.op = PS_OP_LE;
		break;
	case PS_OP_GE:
		n.op = PS_OP_LT;
		break;
	case PS_OP_MASKED_EQ:
		/* some bit of the mask differs: one masked compare per bit */
		for (bit = 1; bit; bit <<= 1) {
			if (!(c->mask & bit))
				continue;
			n.mask = bit;
			n.value = ~c->value & bit;
			conj_push(&one, &n);
			expr_push_unique(out, &one);
		}
		return;
	}
	conj_push(&one, &n);
	expr_push_unique(out, &one);
}

/*
 * !C for a conjunction of range comparisons of one argument: the
 * complement of its set, rather than one alternative per comparison,
 * which would multiply out into needless blocks.
 */
static bool negate_interval_conj(const struct ps_conj *c, struct ps_expr *out)
{
	struct ps_cmp *alts;
	struct ps_cmp full = { .arg = c->cmps[0].arg };
	unsigned int i, n = 0;
	uint64_t prev = 0, m, v;
	bool at_start = true;
	struct iset s;

	for (i = 0; i < c->n; i++)
		if (c->cmps[i].arg != c->cmps[0].arg ||
		    c->cmps[i].op == PS_OP_MASKED_EQ)
			return false;
	/* the set, then its gaps */
	if (arg_constraint(c->cmps, c->n, full.arg, &s, &m, &v) == -2)
		return false;
	alts = scratch(6);
	for (i = 0; i <= s.n; i++) {
		uint64_t lo = at_start ? 0 : prev + 1;
		bool has_hi = i < s.n;
		uint64_t hi;

		if (has_hi && s.iv[i].lo == 0) {
			at_start = false;
			prev = s.iv[i].hi;
			continue;
		}
		if (!at_start && prev == UINT64_MAX)
			break;
		hi = has_hi ? s.iv[i].lo - 1 : UINT64_MAX;
		if (lo == 0 && hi == UINT64_MAX) {
			struct ps_conj t = { 0 };

			expr_push_unique(out, &t);	/* the empty set's complement */
		} else {
			interval_alternatives(full.arg, lo, hi, alts, &n);
		}
		at_start = false;
		if (has_hi)
			prev = s.iv[i].hi;
	}
	for (i = 0; i < n; i++) {
		struct ps_conj one = { 0 };

		conj_push(&one, &alts[i]);
		expr_push_unique(out, &one);
	}
	return true;
}

/* !E, normalized: the conjunction of each conjunction's negation. */
static int expr_not(const struct ps_expr *e, struct ps_expr *out)
{
	unsigned int i, j;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	ps_expr_set_true(out);
	for (i = 0; i < e->n && !ret; i++) {
		struct ps_expr neg = { 0 };

		if (e->conjs[i].n == 0) {
			ps_expr_free(out);	/* !true */
			break;
		}
		if (!negate_interval_conj(&e->conjs[i], &neg))
			for (j = 0; j < e->conjs[i].n; j++)
				negate_cmp(&e->conjs[i].cmps[j], &neg);
		ret = expr_and(out, &neg);
		ps_expr_free(&neg);
	}
	return ret;
}

static int expr_normalize(struct ps_expr *e)
{
	struct ps_expr t = { 0 };
	int ret;

	ps_expr_set_true(&t);
	ret = expr_and(&t, e);
	ps_expr_free(e);
	*e = t;
	return ret;
}

static void expr_or(struct ps_expr *a, const struct ps_expr *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		struct ps_conj c = { 0 };
		unsigned int k;

		for (k = 0; k < b->conjs[i].n; k++)
			conj_push(&c, &b->conjs[i].cmps[k]);
		expr_push_unique(a, &c);
	}
}

void ps_expr_print(FILE *out, const struct ps_expr *e)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	unsigned int i, j;

	if (e->n == 0) {
		fputs("never", out);
		return;
	}
	for (i = 0; i < e->n; i++) {
		const struct ps_conj *c = &e->conjs[i];

		if (i)
			fputs(" || ", out);
		if (c->n == 0)
			fputs("always", out);
		for (j = 0; j < c->n; j++) {
			const struct ps_cmp *p = &c->cmps[j];

			if (j)
				fputs(" && ", out);
			if (p->op == PS_OP_MASKED_EQ)
				fprintf(out, "arg%u & %#llx == %#llx", p->arg,
					(unsigned long long)p->mask,
					(unsigned long long)p->value);
			else
				fprintf(out, "arg%u %s %#llx", p->arg, ops[p->op],
					(unsigned long long)p->value);
		}
	}
}

/* ---- which rules count ---- */

static bool rule_equal(const struct ps_rule *a, const struct ps_rule *b)
{
	unsigned int i;

	if (!ps_action_equal(&a->then, &b->then) || a->has_else != b->has_else ||
	    (a->has_else && !ps_action_equal(&a->otherwise, &b->otherwise)) ||
	    a->cond.n != b->cond.n)
		return false;
	for (i = 0; i < a->cond.n; i++)
		if (!conj_equal(&a->cond.conjs[i], &b->cond.conjs[i]))
			return false;
	return true;
}

static bool is_plain_allow_if(const struct ps_rule *r)
{
	return r->then.type == PS_ACT_ALLOW && !r->has_else;
}

static int plan_rules(struct ps_plan *plan, const struct ps_rule **rules,
		      unsigned int n);

/*
 * The rules that decide NR, in order. A --deny beats everything; a rule
 * naming the syscall beats a group it is in; among groups the later wins
 * (as in systemd's lists). Two different rules naming one syscall are
 * a conflict, unless both only allow under a condition: then either
 * condition allows, as minijail's compiler merges them.
 */
static int effective_rules(const struct ps_policy *p, int nr,
			   const struct ps_rule **out, unsigned int *n_out)
{
	enum ps_origin best = PS_FROM_GROUP;
	const struct ps_rule *first = NULL;
	unsigned int i, n = 0;
	bool any = false;

	for (i = 0; i < p->n; i++) {
		if (p->rules[i].nr != nr)
			continue;
		if (!any || p->rules[i].origin > best)
			best = p->rules[i].origin;
		any = true;
	}
	for (i = 0; i < p->n; i++) {
		const struct ps_rule *r = &p->rules[i];
		unsigned int j;
		bool dup = false;

		if (r->nr != nr || r->origin != best)
			continue;
		if (best != PS_FROM_RULE) {
			out[0] = r;	/* later wins */
			n = 1;
			continue;
		}
		for (j = 0; j < n; j++)
			if (rule_equal(out[j], r))
				dup = true;
		if (dup)
			continue;
		if (first && !(is_plain_allow_if(first) && is_plain_allow_if(r))) {
			ps_error_at(&r->loc, "rule for '%s' conflicts with an earlier one",
				    ps_syscall_name(nr));
			ps_note_at(&first->loc, "the earlier rule for '%s' is here",
				   ps_syscall_name(nr));
			return -1;
		}
		if (!first)
			first = r;
		out[n++] = r;
	}
	*n_out = n;
	return 0;
}

static void add_region(struct ps_plan *plan, const struct ps_action *a,
		       struct ps_expr *when)
{
	unsigned int i;

	if (when->n == 0)
		return;
	for (i = 0; i < plan->n; i++) {
		if (ps_action_equal(&plan->regions[i].action, a)) {
			expr_or(&plan->regions[i].when, when);
			ps_expr_free(when);
			return;
		}
	}
	plan->regions = xrealloc(plan->regions, plan->n + 1,
				 sizeof(*plan->regions));
	plan->regions[plan->n].action = *a;
	plan->regions[plan->n].when = *when;
	memset(when, 0, sizeof(*when));
	plan->n++;
}

/*
 * Rules that only allow under a condition are joined first: their
 * union needs no negation, which would multiply out for nothing.
 */
static unsigned int join_allow_ifs(const struct ps_rule **rules, unsigned int n,
				   struct ps_rule *joined)
{
	unsigned int i, k;

	for (i = 0; i < n; i++)
		if (!is_plain_allow_if(rules[i]))
			return 0;
	if (n < 2)
		return 0;
	*joined = *rules[0];
	memset(&joined->cond, 0, sizeof(joined->cond));
	for (i = 0; i < n; i++) {
		for (k = 0; k < rules[i]->cond.n; k++) {
			struct ps_conj c = { 0 };
			unsigned int j;

			for (j = 0; j < rules[i]->cond.conjs[k].n; j++)
				conj_push(&c, &rules[i]->cond.conjs[k].cmps[j]);
			expr_push_unique(&joined->cond, &c);
		}
	}
	return 1;
}

static int plan_syscall(struct ps_plan *plan, const struct ps_rule **rules,
			unsigned int n)
{
	struct ps_rule joined;
	const struct ps_rule *one = &joined;

	if (join_allow_ifs(rules, n, &joined)) {
		int ret = plan_rules(plan, &one, 1);

		ps_expr_free(&joined.cond);
		return ret;
	}
	return plan_rules(plan, rules, n);
}

static int plan_rules(struct ps_plan *plan, const struct ps_rule **rules,
		      unsigned int n)
{
	struct ps_expr remaining = { 0 };
	unsigned int i;
	int ret = 0;

	ps_expr_set_true(&remaining);
	for (i = 0; i < n && remaining.n && !ret; i++) {
		const struct ps_rule *r = rules[i];
		struct ps_expr then = { 0 }, otherwise = { 0 }, cond = { 0 };

		ps_expr_copy(&cond, &r->cond);
		ret = expr_normalize(&cond);
		ps_expr_copy(&then, &remaining);
		if (!ret)
			ret = expr_and(&then, &cond);
		/* what is left for later rules: only worth computing if used */
		if (!ret && (r->has_else || i + 1 < n))
			ret = expr_not(&r->cond, &otherwise);
		if (!ret && (r->has_else || i + 1 < n))
			ret = expr_and(&remaining, &otherwise);
		if (!ret) {
			add_region(plan, &r->then, &then);
			if (r->has_else) {
				add_region(plan, &r->otherwise, &remaining);
				ps_expr_free(&remaining);
			}
		}
		if (ret) {
			ps_error_at(&r->loc,
				    "this rule cannot be compiled exactly with libseccomp (one argument compared with a mask and a range, or too many alternatives); split it");
		}
		ps_expr_free(&then);
		ps_expr_free(&otherwise);
		ps_expr_free(&cond);
	}
	ps_expr_free(&remaining);
	return ret;
}

/* ---- libseccomp ---- */

/* The seccomp action the kernel runs for A, given who listens. */
static uint32_t scmp_action(const struct ps_filter *f, const struct ps_action *a)
{
	bool notify = f->opt.launcher;

	switch (a->type) {
	case PS_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case PS_ACT_KILL_PROCESS:
		/* the launcher names the syscall, then kills */
		return notify ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS;
	case PS_ACT_KILL_THREAD:
		return notify && f->opt.report ? SCMP_ACT_NOTIFY :
						 SCMP_ACT_KILL_THREAD;
	case PS_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case PS_ACT_LOG:
		return SCMP_ACT_LOG;
	case PS_ACT_ERRNO:
		return notify && f->opt.report ? SCMP_ACT_NOTIFY :
						 SCMP_ACT_ERRNO(a->errnum);
	}
	return SCMP_ACT_KILL_PROCESS;
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

struct ps_action ps_filter_decide(const struct ps_filter *f, int nr,
				  const uint64_t args[6])
{
	const struct ps_plan *plan = ps_filter_plan(f, nr);
	unsigned int i;

	if (plan)
		for (i = 0; i < plan->n; i++)
			if (ps_expr_eval(&plan->regions[i].when, args))
				return plan->regions[i].action;
	return f->default_action;
}

static int conj_order(const void *a, const void *b)
{
	const struct ps_conj *x = *(const struct ps_conj *const *)a;
	const struct ps_conj *y = *(const struct ps_conj *const *)b;
	unsigned int i;
	int c;

	for (i = 0; i < x->n && i < y->n; i++) {
		c = cmp_order(&x->cmps[i], &y->cmps[i]);
		if (c)
			return c;
	}
	return (x->n > y->n) - (x->n < y->n);
}

static int add_scmp_rules(struct ps_filter *f, const struct ps_plan *plan,
			  uint32_t action, const struct ps_expr *when)
{
	static const enum scmp_compare ops[] = {
		SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE,
		SCMP_CMP_GT, SCMP_CMP_GE, SCMP_CMP_MASKED_EQ,
	};
	const struct ps_conj **order;
	unsigned int i, j;
	int rc = 0;

	/*
	 * In a canonical order, lowest arguments first: libseccomp 2.5.4
	 * leaks tree nodes when some rule orders are added (found by make
	 * fuzz), and the order does not change what the rules mean.
	 */
	order = xcalloc(when->n, sizeof(*order));
	for (i = 0; i < when->n; i++)
		order[i] = &when->conjs[i];
	qsort(order, when->n, sizeof(*order), conj_order);
	for (i = 0; i < when->n && rc == 0; i++) {
		const struct ps_conj *c = order[i];
		struct scmp_arg_cmp cmps[6];

		for (j = 0; j < c->n; j++) {
			cmps[j].arg = c->cmps[j].arg;
			cmps[j].op = ops[c->cmps[j].op];
			if (c->cmps[j].op == PS_OP_MASKED_EQ) {
				cmps[j].datum_a = c->cmps[j].mask;
				cmps[j].datum_b = c->cmps[j].value;
			} else {
				cmps[j].datum_a = c->cmps[j].value;
				cmps[j].datum_b = 0;
			}
		}
		rc = seccomp_rule_add_array(f->ctx, action, plan->nr, c->n, cmps);
		if (rc < 0)
			ps_error_at(plan->rule ? &plan->rule->loc : NULL,
				    "libseccomp refused a rule for '%s': %s",
				    ps_syscall_name(plan->nr), strerror(-rc));
	}
	free(order);
	return rc < 0 ? -1 : 0;
}

static struct ps_plan *plan_for(struct ps_filter *f, int nr)
{
	struct ps_plan *plan = (struct ps_plan *)ps_filter_plan(f, nr);

	if (plan)
		return plan;
	unsigned int at = f->n_plans;

	/* kept sorted by insertion, for bsearch */
	while (at > 0 && f->plans[at - 1].nr > nr)
		at--;
	f->plans = xrealloc(f->plans, f->n_plans + 1, sizeof(*f->plans));
	memmove(&f->plans[at + 1], &f->plans[at],
		(f->n_plans - at) * sizeof(*f->plans));
	f->n_plans++;
	plan = &f->plans[at];
	memset(plan, 0, sizeof(*plan));
	plan->nr = nr;
	return plan;
}

/*
 * The launcher's own execve must pass (systemd allows it the same way).
 * Unless the policy allows every execve anyway, execve goes to the
 * launcher, which lets its own through and decides the rest by the policy
 * (or, with --no-exec, refuses them).
 */
static void plan_execve(struct ps_filter *f)
{
	static const struct ps_action allow = { PS_ACT_ALLOW, 0 };
	struct ps_plan *plan;
	struct ps_expr always = { 0 };
	bool always_allowed;

	if (!f->opt.launcher)
		return;
	plan = plan_for(f, ps_syscall_lookup("execve"));
	if (plan->n == 0 && f->default_action.type != PS_ACT_ALLOW) {
		/* not named: allowed, as systemd does */
		ps_expr_set_true(&always);
		add_region(plan, &allow, &always);
	}
	always_allowed = plan->n == 0 ||
			 (plan->n == 1 &&
			  plan->regions[0].action.type == PS_ACT_ALLOW &&
			  ps_expr_is_true(&plan->regions[0].when));
	f->execve_notify = f->opt.no_exec || !always_allowed;
}

static void refuse_always(struct ps_filter *f, const char *name)
{
	static const struct ps_action eperm = { PS_ACT_ERRNO, EPERM };
	struct ps_plan *plan = plan_for(f, ps_syscall_lookup(name));
	struct ps_expr always = { 0 };
	unsigned int i;

	for (i = 0; i < plan->n; i++)
		ps_expr_free(&plan->regions[i].when);
	plan->n = 0;
	ps_expr_set_true(&always);
	add_region(plan, &eperm, &always);
}

static int build_ctx(struct ps_filter *f, volatile int *progress)
{
	uint32_t def = f->opt.trace_all ? SCMP_ACT_TRACE(0) :
					  scmp_action(f, &f->default_action);
	unsigned int i, j;
	int rc;

	f->ctx = seccomp_init(def);
	if (!f->ctx) {
		ps_warn("libseccomp could not start a filter");
		return -1;
	}
	rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_NNP, 1);
	/* a binary tree of syscall numbers: O(log n) per call, not O(n) */
	if (!rc && !f->opt.linear)
		rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!rc)
		rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_ACT_BADARCH,
				      SCMP_ACT_KILL_PROCESS);
	if (!rc && f->opt.arch_all) {
		rc = seccomp_arch_add(f->ctx, SCMP_ARCH_X86);
		if (!rc || rc == -EEXIST)
			rc = seccomp_arch_add(f->ctx, SCMP_ARCH_X32);
		if (rc == -EEXIST)
			rc = 0;
	}
	if (rc) {
		ps_warn("libseccomp: %s", strerror(-rc));
		return -1;
	}
	for (i = 0; i < f->n_plans; i++) {
		const struct ps_plan *plan = &f->plans[i];
		bool execve = f->execve_notify &&
			      plan->nr == ps_syscall_lookup("execve");

		*progress = plan->nr;
		if (execve) {
			if (def == SCMP_ACT_NOTIFY)
				continue;
			rc = seccomp_rule_add(f->ctx, SCMP_ACT_NOTIFY, plan->nr, 0);
			if (rc < 0) {
				ps_warn("libseccomp refused the execve rule: %s",
					strerror(-rc));
				return -1;
			}
			continue;
		}
		for (j = 0; j < plan->n; j++) {
			uint32_t a = scmp_action(f, &plan->regions[j].action);

			/* the default does it already; libseccomp refuses it */
			if (a == def)
				continue;
			if (add_scmp_rules(f, plan, a, &plan->regions[j].when) < 0)
				return -1;
		}
	}
	return 0;
}

/* Whether any call goes to the launcher, decided without libseccomp. */
static bool needs_listener(const struct ps_filter *f)
{
	uint32_t def = scmp_action(f, &f->default_action);
	unsigned int i, j;

	if (def == SCMP_ACT_NOTIFY || f->execve_notify)
		return true;
	for (i = 0; i < f->n_plans; i++)
		for (j = 0; j < f->plans[i].n; j++)
			if (scmp_action(f, &f->plans[i].regions[j].action) ==
			    SCMP_ACT_NOTIFY)
				return true;
	return false;
}

static int read_memfd(int fd, void **buf, size_t *len)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	*len = (size_t)st.st_size;
	*buf = xmalloc(*len);
	if (pread(fd, *buf, *len, 0) != (ssize_t)*len) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

#define LIBSECCOMP_SECONDS 10

/*
 * The rule sets that can hang libseccomp: a conjunction that goes on after
 * a comparison other than ==. Others are built in-process, saving a fork.
 */
static bool may_hang_libseccomp(const struct ps_filter *f)
{
	unsigned int i, j, k;

	for (i = 0; i < f->n_plans; i++)
		for (j = 0; j < f->plans[i].n; j++)
			for (k = 0; k < f->plans[i].regions[j].when.n; k++) {
				const struct ps_conj *c = &f->plans[i].regions[j].when.conjs[k];

				if (c->n >= 2 && c->cmps[0].op != PS_OP_EQ)
					return true;
			}
	return false;
}

/* The filter through libseccomp, as BPF (and pseudo-code) in the memfds. */
static int emit_program(struct ps_filter *f, volatile int *progress,
			int bpf_fd, int pfc_fd)
{
	int ret = 0;

	if (build_ctx(f, progress) < 0 || seccomp_export_bpf(f->ctx, bpf_fd) < 0 ||
	    (pfc_fd >= 0 && seccomp_export_pfc(f->ctx, pfc_fd) < 0))
		ret = -1;
	if (f->ctx)
		seccomp_release(f->ctx);
	f->ctx = NULL;
	return ret;
}

/*
 * libseccomp builds the program in a child process, bounded in time:
 * libseccomp 2.5.4 never returns from seccomp_rule_add() for some rule
 * sets (two rules sharing a range comparison of one argument and then
 * comparing different arguments), and a policy must not hang its launcher.
 */
static int build_program(struct ps_filter *f)
{
	int bpf_fd = memfd_create("pinscope-bpf", MFD_CLOEXEC);
	int pfc_fd = f->opt.want_pfc ? memfd_create("pinscope-pfc", MFD_CLOEXEC) : -1;
	volatile int *progress;
	struct timespec start, now;
	int status = 0, ret = -1, limit;
	void *buf = NULL;
	size_t len = 0;
	pid_t pid, w;

	progress = mmap(NULL, sizeof(*progress), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (bpf_fd < 0 || (f->opt.want_pfc && pfc_fd < 0) ||
	    progress == MAP_FAILED) {
		ps_warn("cannot compile: %s", strerror(errno));
		goto out;
	}
	*progress = -1;
	fflush(NULL);
	if (!may_hang_libseccomp(f)) {
		/* in-process: the same work, and no child to wait for */
		status = emit_program(f, progress, bpf_fd, pfc_fd) < 0 ? 1 << 8 : 0;
		goto built;
	}
	pid = fork();
	if (pid == 0)
		_exit(emit_program(f, progress, bpf_fd, pfc_fd) < 0 ? 1 : 0);
	if (pid < 0) {
		ps_warn("fork: %s", strerror(errno));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	limit = getenv("PINSCOPE_LIBSECCOMP_TIMEOUT") ?
			atoi(getenv("PINSCOPE_LIBSECCOMP_TIMEOUT")) : 0;
	if (limit <= 0)
		limit = LIBSECCOMP_SECONDS;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ps_warn("libseccomp did not finish the rules of '%s' in %d s: a known libseccomp 2.5.4 defect (rules sharing a range comparison that then compare different arguments); rewrite that syscall's rules",
				*progress >= 0 ? ps_syscall_name(*progress) : "?",
				limit);
			goto out;
		}
		usleep(now.tv_sec == start.tv_sec && now.tv_nsec - start.tv_nsec < 2000000 ?
			       20 : 2000);
	}
built:
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ps_warn("libseccomp could not build the filter");
		goto out;
	}
	if (read_memfd(bpf_fd, &buf, &len) < 0 || !len ||
	    len % sizeof(struct sock_filter)) {
		ps_warn("libseccomp produced no program");
		free(buf);
		goto out;
	}
	f->prog.filter = buf;
	f->prog.len = (unsigned short)(len / sizeof(struct sock_filter));
	if (pfc_fd >= 0) {
		f->pfc_fd = pfc_fd;
		pfc_fd = -1;
	}
	ret = 0;
out:
	if (bpf_fd >= 0)
		close(bpf_fd);
	if (pfc_fd >= 0)
		close(pfc_fd);
	if (progress != MAP_FAILED)
		munmap((void *)progress, sizeof(*progress));
	return ret;
}

int ps_filter_build(struct ps_filter *f, const struct ps_policy *p,
		    const struct ps_filter_options *opt)
{
	const struct ps_rule **rules;
	unsigned int i, n;
	int errors = 0;

	memset(f, 0, sizeof(*f));
	f->pfc_fd = -1;
	f->opt = *opt;
	if (p->any_allow_source) {
		f->default_action.type = PS_ACT_KILL_PROCESS;
		if (opt->default_set)
			f->default_action = opt->default_action;
	} else {
		f->default_action.type = PS_ACT_ALLOW;
	}
	rules = xcalloc(p->n ? p->n : 1, sizeof(*rules));
	for (i = 0; i < p->n; i++) {
		int nr = p->rules[i].nr;
		struct ps_plan *plan;

		if (ps_filter_plan(f, nr))
			continue;
		if (effective_rules(p, nr, rules, &n) < 0) {
			errors++;
			plan_for(f, nr);
			continue;
		}
		plan = plan_for(f, nr);
		plan->rule = rules[0];
		/* deny lists: --default-action sets what denying means */
		if (!p->any_allow_source && opt->default_set && n == 1 &&
		    rules[0]->origin == PS_FROM_DENY &&
		    rules[0]->then.type == PS_ACT_KILL_PROCESS) {
			struct ps_rule r = *rules[0];
			const struct ps_rule *rp = &r;

			r.then = opt->default_action;
			if (plan_syscall(plan, &rp, 1) < 0)
				errors++;
			continue;
		}
		if (plan_syscall(plan, rules, n) < 0)
			errors++;
	}
	free(rules);
	if (errors) {
		ps_filter_free(f);
		return -1;
	}
	plan_execve(f);
	if (opt->no_exec) {
		/*
		 * The exec-mode launcher needs execve once (plan_execve); after
		 * a preloaded start, or for execveat, nothing does.
		 */
		refuse_always(f, "execveat");
		if (opt->preload)
			refuse_always(f, "execve");
	}
	f->uses_notify = f->opt.launcher && needs_listener(f);
	if (build_program(f) < 0) {
		ps_filter_free(f);
		return -1;
	}
	return 0;
}

void ps_filter_free(struct ps_filter *f)
{
	unsigned int i, j;

	for (i = 0; i < f->n_plans; i++) {
		for (j = 0; j < f->plans[i].n; j++)
			ps_expr_free(&f->plans[i].regions[j].when);
		free(f->plans[i].regions);
	}
	free(f->plans);
	free(f->prog.filter);
	if (f->pfc_fd >= 0)
		close(f->pfc_fd);
	memset(f, 0, sizeof(*f));
}
