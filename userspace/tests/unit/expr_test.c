// SPDX-License-Identifier: GPL-2.0-only
/*
 * The expression algebra at its edges: normal forms, negation, AND, OR
 * and the tautology test each keep the meaning, checked by evaluating the
 * expressions before and after on every value that could tell them apart
 * (each constant, its neighbours, both 32-bit halves, 0 and all ones,
 * each mask bit flipped), plus the normal forms' own promises.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "util.h"

#include "kselftest_harness.h"

static struct ps_cmp cmp(unsigned int arg, enum ps_op op, uint64_t value,
			 uint64_t mask)
{
	return (struct ps_cmp){
		.arg = arg, .op = op, .value = value, .mask = mask
	};
}

/* E := one conjunction of the N comparisons */
static void conj_of(struct ps_expr *e, const struct ps_cmp *c, unsigned int n)
{
	struct ps_conj cj = { 0 };
	unsigned int i;

	for (i = 0; i < n; i++)
		ps_conj_add(&cj, &c[i]);
	ps_expr_add_conj(e, &cj);
}

/* The values that can tell two conditions on these constants apart. */
struct values {
	uint64_t v[4096];
	unsigned int n;
};

static void add_value(struct values *vs, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < vs->n; i++)
		if (vs->v[i] == v)
			return;
	if (vs->n < ARRAY_SIZE(vs->v))
		vs->v[vs->n++] = v;
}

static void add_edges(struct values *vs, uint64_t c)
{
	unsigned int b;

	add_value(vs, c);
	add_value(vs, c + 1);
	add_value(vs, c - 1);
	add_value(vs, c & 0xffffffffu);
	add_value(vs, c & ~(uint64_t)0xffffffffu);
	for (b = 0; b < 64; b += 7)
		add_value(vs, c ^ ((uint64_t)1 << b));
}

static void values_of(const struct ps_expr *e, struct values *vs)
{
	unsigned int i, j;

	add_value(vs, 0);
	add_value(vs, UINT64_MAX);
	add_value(vs, 0x80000000u);
	add_value(vs, 0xffffffff80000000ull);
	for (i = 0; i < e->n; i++)
		for (j = 0; j < e->conjs[i].n; j++) {
			add_edges(vs, e->conjs[i].cmps[j].value);
			add_edges(vs, e->conjs[i].cmps[j].mask);
			add_edges(vs, e->conjs[i].cmps[j].value |
					      ~e->conjs[i].cmps[j].mask);
		}
}

/*
 * Where A and B differ over argument vectors whose arguments 0 and 1 take
 * the interesting values; -1 when they agree everywhere.
 */
static long first_difference(const struct ps_expr *a, const struct ps_expr *b,
			     bool negated, uint64_t *where)
{
	static struct values vs;
	uint64_t args[6] = { 0 };
	unsigned int i, j;

	vs.n = 0;
	values_of(a, &vs);
	values_of(b, &vs);
	for (i = 0; i < vs.n; i++) {
		for (j = 0; j < vs.n; j += (vs.n / 40) + 1) {
			args[0] = vs.v[i];
			args[1] = vs.v[j];
			args[2] = vs.v[(i + j) % vs.n];
			if (ps_expr_eval(a, args) !=
			    (negated ^ ps_expr_eval(b, args))) {
				memcpy(where, args, sizeof(args));
				return (long)i;
			}
		}
	}
	return -1;
}

#define ASSERT_SAME(a, b, negated)                                           \
	do {                                                                 \
		uint64_t _w[6];                                              \
		ASSERT_EQ(-1, first_difference(a, b, negated, _w))           \
		{                                                            \
			TH_LOG("differ at arg0=%#llx arg1=%#llx arg2=%#llx", \
			       (unsigned long long)_w[0],                    \
			       (unsigned long long)_w[1],                    \
			       (unsigned long long)_w[2]);                   \
		}                                                            \
	} while (0)

/* A random comparison on arguments 0 to 2, around a few anchor values. */
static struct ps_cmp random_cmp(unsigned int *seed)
{
	static const uint64_t anchors[] = {
		0,
		1,
		5,
		0xfff,
		0x1000,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ull,
		0x100000005ull,
		0x1000000000ull,
		0xffffffff00000000ull,
		0xfffffffffffffffeull,
		UINT64_MAX,
	};
	struct ps_cmp c = { 0 };
	uint64_t v = anchors[rand_r(seed) % ARRAY_SIZE(anchors)];

	c.arg = (unsigned int)rand_r(seed) % 3;
	c.op = (enum ps_op)(rand_r(seed) % 8);
	c.value = v + (uint64_t)(rand_r(seed) % 3) - 1;
	c.mask = anchors[rand_r(seed) % ARRAY_SIZE(anchors)] ^
		 ((uint64_t)1 << (rand_r(seed) % 64));
	if (c.op == PS_OP_MASKED_EQ || c.op == PS_OP_MASKED_NE) {
		/* mostly values inside the mask, sometimes not */
		if (rand_r(seed) % 4)
			c.value &= c.mask;
	}
	return c;
}

static void random_expr(struct ps_expr *e, unsigned int *seed)
{
	unsigned int n = 1 + (unsigned int)rand_r(seed) % 3, i, k;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < n; i++) {
		struct ps_cmp c[4];
		unsigned int m = 1 + (unsigned int)rand_r(seed) % 4;

		for (k = 0; k < m; k++)
			c[k] = random_cmp(seed);
		conj_of(e, c, m);
	}
}

TEST(operators_and_their_complements)
{
	static const uint64_t vals[] = {
		0, 1, 4, 5, 6, 0xffffffff, 0x100000005ull, UINT64_MAX
	};
	unsigned int op, i;

	for (op = PS_OP_EQ; op <= PS_OP_MASKED_NE; op++) {
		struct ps_cmp c = cmp(0, (enum ps_op)op, 5, 0x100000007ull);
		struct ps_cmp n = c;

		n.op = ps_op_not(c.op);
		ASSERT_EQ(c.op, ps_op_not(n.op));
		for (i = 0; i < ARRAY_SIZE(vals); i++)
			ASSERT_NE(ps_cmp_eval(&c, vals[i]),
				  ps_cmp_eval(&n, vals[i]))
			{
				TH_LOG("op %u and its complement agree at %#llx",
				       op, (unsigned long long)vals[i]);
			}
	}
}

TEST(contradictions_normalize_to_false)
{
	const struct ps_cmp cases[][2] = {
		{ cmp(0, PS_OP_LT, 0, 0), cmp(0, PS_OP_LT, 0, 0) },
		{ cmp(0, PS_OP_GT, UINT64_MAX, 0),
		  cmp(0, PS_OP_GT, UINT64_MAX, 0) },
		{ cmp(0, PS_OP_GT, 5, 0), cmp(0, PS_OP_LT, 6, 0) },
		{ cmp(0, PS_OP_EQ, 5, 0), cmp(0, PS_OP_NE, 5, 0) },
		/* a value with a bit the mask clears is never equal */
		{ cmp(0, PS_OP_MASKED_EQ, 0x10, 0x0f), cmp(1, PS_OP_EQ, 1, 0) },
		{ cmp(0, PS_OP_MASKED_EQ, 1, 1),
		  cmp(0, PS_OP_MASKED_EQ, 0, 1) },
		{ cmp(0, PS_OP_MASKED_NE, 0, 0), cmp(1, PS_OP_EQ, 1, 0) },
		{ cmp(0, PS_OP_EQ, 6, 0), cmp(0, PS_OP_MASKED_EQ, 1, 1) },
		{ cmp(0, PS_OP_MASKED_EQ, 0x4, 0x6),
		  cmp(0, PS_OP_MASKED_NE, 0x4, 0x4) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ps_expr e = { 0 };

		conj_of(&e, cases[i], 2);
		ps_expr_normalize(&e);
		ASSERT_TRUE(ps_expr_is_false(&e))
		{
			TH_LOG("case %u is not false after normalizing", i);
		}
		ps_expr_free(&e);
	}
}

TEST(normal_form_is_cheapest_exact_form)
{
	struct ps_expr e = { 0 };
	const struct ps_cmp a[] = {
		cmp(0, PS_OP_GT, 1, 0), cmp(0, PS_OP_LT, 5, 0),
		cmp(0, PS_OP_GE, 2, 0), cmp(0, PS_OP_NE, 2, 0),
		cmp(0, PS_OP_NE, 4, 0), cmp(0, PS_OP_NE, 9, 0),
	};
	const struct ps_cmp full[] = { cmp(1, PS_OP_MASKED_EQ, 7, UINT64_MAX) };

	/* 1 < x < 5, x >= 2, x != 2, x != 4: only 3 is left */
	conj_of(&e, a, ARRAY_SIZE(a));
	ps_expr_normalize(&e);
	ASSERT_EQ(1U, e.n);
	ASSERT_EQ(1U, e.conjs[0].n);
	ASSERT_EQ(PS_OP_EQ, e.conjs[0].cmps[0].op);
	ASSERT_EQ(3ULL, (unsigned long long)e.conjs[0].cmps[0].value);
	ps_expr_free(&e);
	/* a full mask is an equality */
	conj_of(&e, full, 1);
	ps_expr_normalize(&e);
	ASSERT_EQ(PS_OP_EQ, e.conjs[0].cmps[0].op);
	ps_expr_free(&e);
}

TEST(absorption_and_duplicates)
{
	struct ps_expr e = { 0 };
	const struct ps_cmp one[] = { cmp(0, PS_OP_EQ, 1, 0) };
	const struct ps_cmp two[] = { cmp(0, PS_OP_EQ, 1, 0),
				      cmp(1, PS_OP_EQ, 2, 0) };

	conj_of(&e, two, 2);
	conj_of(&e, one, 1);
	conj_of(&e, one, 1);
	ps_expr_normalize(&e);
	ASSERT_EQ(1U, e.n)
	{
		TH_LOG("a0 == 1 covers the other two conjunctions");
	}
	ASSERT_EQ(1U, e.conjs[0].n);
	ps_expr_free(&e);
}

TEST(tautologies_are_recognized_and_nothing_else)
{
	struct ps_expr t = { 0 }, f = { 0 };
	const struct ps_cmp lt[] = { cmp(0, PS_OP_LT, 0x1000000000ull, 0) };
	const struct ps_cmp ge[] = { cmp(0, PS_OP_GE, 0x1000000000ull, 0) };
	const struct ps_cmp le[] = { cmp(0, PS_OP_LE, 5, 0) };
	const struct ps_cmp gt[] = { cmp(0, PS_OP_GT, 6, 0) };
	const struct ps_cmp m1[] = { cmp(2, PS_OP_MASKED_EQ, 0, 0x8) };
	const struct ps_cmp m2[] = { cmp(2, PS_OP_MASKED_NE, 0, 0x8) };

	conj_of(&t, lt, 1);
	conj_of(&t, ge, 1);
	ASSERT_TRUE(ps_expr_is_tautology(&t, 64));
	conj_of(&t, m1, 1);
	ASSERT_TRUE(ps_expr_is_tautology(&t, 64));
	ps_expr_free(&t);
	conj_of(&t, m1, 1);
	conj_of(&t, m2, 1);
	ASSERT_TRUE(ps_expr_is_tautology(&t, 64));
	/* 6 is in neither */
	conj_of(&f, le, 1);
	conj_of(&f, gt, 1);
	ASSERT_FALSE(ps_expr_is_tautology(&f, 64));
	ps_expr_free(&t);
	ps_expr_free(&f);
}

TEST(random_normalize_keeps_meaning)
{
	unsigned int seed = 1, i;

	for (i = 0; i < 3000; i++) {
		struct ps_expr e, n;

		random_expr(&e, &seed);
		ps_expr_copy(&n, &e);
		ps_expr_normalize(&n);
		ASSERT_SAME(&e, &n, false);
		ps_expr_free(&e);
		ps_expr_free(&n);
	}
}

TEST(random_not_and_or_keep_meaning)
{
	unsigned int seed = 7, i;

	for (i = 0; i < 1500; i++) {
		struct ps_expr a, b, n, both, either;
		uint64_t args[6] = { 0 };
		unsigned int k;

		random_expr(&a, &seed);
		random_expr(&b, &seed);
		if (ps_expr_not(&a, &n, 4096))
			ASSERT_SAME(&a, &n, true);
		else
			ASSERT_TRUE(ps_expr_is_false(&n));
		ps_expr_copy(&both, &a);
		ps_expr_and(&both, &b);
		ps_expr_copy(&either, &a);
		ps_expr_or(&either, &b);
		/* spot checks of && and || against the parts */
		for (k = 0; k < 200; k++) {
			args[0] = ((uint64_t)rand_r(&seed) << 33) ^
				  (uint64_t)rand_r(&seed);
			args[1] = k & 1 ? a.n && a.conjs[0].n ?
					  a.conjs[0].cmps[0].value :
					  0 :
					  (uint64_t)rand_r(&seed);
			args[2] = k & 2 ? UINT64_MAX : (uint64_t)k;
			ASSERT_EQ(ps_expr_eval(&a, args) &&
					  ps_expr_eval(&b, args),
				  ps_expr_eval(&both, args));
			ASSERT_EQ(ps_expr_eval(&a, args) ||
					  ps_expr_eval(&b, args),
				  ps_expr_eval(&either, args));
		}
		ps_expr_free(&a);
		ps_expr_free(&b);
		ps_expr_free(&n);
		ps_expr_free(&both);
		ps_expr_free(&either);
	}
}

TEST(negation_gives_up_past_its_limit)
{
	struct ps_expr e = { 0 }, n;
	unsigned int i;

	/* (a0 == i && a1 == i) for 12 i: 2^12 conjunctions negated */
	for (i = 0; i < 12; i++) {
		const struct ps_cmp c[] = { cmp(0, PS_OP_EQ, i, 0),
					    cmp(1, PS_OP_EQ, i, 0) };

		conj_of(&e, c, 2);
	}
	ASSERT_FALSE(ps_expr_not(&e, &n, 64));
	ASSERT_TRUE(ps_expr_is_false(&n));
	ASSERT_FALSE(ps_expr_is_tautology(&e, 64));
	ps_expr_free(&e);
}

TEST(touching_intervals_of_one_argument_merge)
{
	struct ps_expr e = { 0 }, before;
	unsigned int i;

	/* arg0 == 0 .. 3999, one rule each, then one range 5000 to 6000 */
	for (i = 0; i < 4000; i++) {
		const struct ps_cmp c[] = { cmp(0, PS_OP_EQ, i, 0) };

		conj_of(&e, c, 1);
	}
	{
		const struct ps_cmp r[] = { cmp(0, PS_OP_GE, 5000, 0),
					    cmp(0, PS_OP_LE, 6000, 0) };

		conj_of(&e, r, 2);
	}
	ps_expr_copy(&before, &e);
	ps_expr_normalize(&e);
	ASSERT_EQ(2U, e.n)
	{
		TH_LOG("4000 consecutive values are one interval, the range another");
	}
	ASSERT_EQ(1U, e.conjs[0].n);
	ASSERT_EQ(PS_OP_LE, e.conjs[0].cmps[0].op);
	ASSERT_EQ(3999U, e.conjs[0].cmps[0].value);
	ASSERT_SAME(&before, &e, false);
	ps_expr_free(&e);
	ps_expr_free(&before);
}

TEST(many_conjunctions_absorb_in_order)
{
	struct ps_expr e = { 0 };
	unsigned int i;

	/* a1 == i && a0 == 1, each twice, then a0 == 1 absorbs them all */
	for (i = 0; i < 6000; i++) {
		const struct ps_cmp c[] = { cmp(1, PS_OP_EQ, 2 * (i % 3000), 0),
					    cmp(0, PS_OP_EQ, 1, 0) };

		conj_of(&e, c, 2);
	}
	ps_expr_normalize(&e);
	ASSERT_EQ(3000U, e.n)
	{
		TH_LOG("duplicates go, the first of each stays");
	}
	ASSERT_EQ(2U * 2999, e.conjs[2999].cmps[1].value);
	{
		const struct ps_cmp one[] = { cmp(0, PS_OP_EQ, 1, 0) };

		conj_of(&e, one, 1);
	}
	ps_expr_normalize(&e);
	ASSERT_EQ(1U, e.n);
	ASSERT_EQ(1U, e.conjs[0].n);
	ps_expr_free(&e);
}

/* Many small conjunctions over few values: merging and absorption meet. */
TEST(random_wide_disjunctions_keep_meaning)
{
	unsigned int seed = 11, i, k;

	for (i = 0; i < 400; i++) {
		struct ps_expr e = { 0 }, n;
		unsigned int m = 2 + (unsigned int)rand_r(&seed) % 40;

		for (k = 0; k < m; k++) {
			static const enum ps_op ops[] = { PS_OP_EQ, PS_OP_LE,
							  PS_OP_GE, PS_OP_NE };
			struct ps_cmp c[2];
			unsigned int w = 1 + (unsigned int)rand_r(&seed) % 2, j;

			for (j = 0; j < w; j++)
				c[j] = cmp((unsigned int)rand_r(&seed) % 2,
					   ops[rand_r(&seed) % 4],
					   (uint64_t)(rand_r(&seed) % 12) +
						   (rand_r(&seed) % 5 ?
							    0 :
							    UINT64_MAX - 12),
					   0);
			conj_of(&e, c, w);
		}
		ps_expr_copy(&n, &e);
		ps_expr_normalize(&n);
		ASSERT_SAME(&e, &n, false);
		ps_expr_free(&e);
		ps_expr_free(&n);
	}
}

TEST_HARNESS_MAIN
