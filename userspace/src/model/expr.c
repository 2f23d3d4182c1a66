// SPDX-License-Identifier: GPL-2.0-only
/*
 * The expression algebra (see expr.h). Conditions stay in disjunctive
 * normal form; a conjunction is normalized one argument at a time into
 * at most one interval, one mask and the exclusions that still matter,
 * which is what the emitter then turns into 32-bit halves.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "util.h"

bool ps_cmp_eval(const struct ps_cmp *c, uint64_t v)
{
	switch (c->op) {
	case PS_OP_EQ:
		return v == c->value;
	case PS_OP_NE:
		return v != c->value;
	case PS_OP_LT:
		return v < c->value;
	case PS_OP_LE:
		return v <= c->value;
	case PS_OP_GT:
		return v > c->value;
	case PS_OP_GE:
		return v >= c->value;
	case PS_OP_MASKED_EQ:
		return (v & c->mask) == c->value;
	case PS_OP_MASKED_NE:
		return (v & c->mask) != c->value;
	}
	return false;
}

bool ps_expr_eval(const struct ps_expr *e, const uint64_t args[6])
{
	unsigned int i, j;

	for (i = 0; i < e->n; i++) {
		const struct ps_conj *c = &e->conjs[i];

		for (j = 0; j < c->n; j++)
			if (!ps_cmp_eval(&c->cmps[j], args[c->cmps[j].arg]))
				break;
		if (j == c->n)
			return true;
	}
	return false;
}

enum ps_op ps_op_not(enum ps_op op)
{
	static const enum ps_op not [] = {
		[PS_OP_EQ] = PS_OP_NE,
		[PS_OP_NE] = PS_OP_EQ,
		[PS_OP_LT] = PS_OP_GE,
		[PS_OP_GE] = PS_OP_LT,
		[PS_OP_LE] = PS_OP_GT,
		[PS_OP_GT] = PS_OP_LE,
		[PS_OP_MASKED_EQ] = PS_OP_MASKED_NE,
		[PS_OP_MASKED_NE] = PS_OP_MASKED_EQ,
	};

	return not [op];
}

/* ---- storage ---- */

void ps_expr_free(struct ps_expr *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		free(e->conjs[i].cmps);
	free(e->conjs);
	e->conjs = NULL;
	e->n = 0;
}

/*
 * The arrays of comparisons and conjunctions grow by doubling, so that
 * building an expression does not reallocate at every step: an array of
 * N elements always has room for the next power of two (see grow()).
 */
static unsigned int room(unsigned int n)
{
	unsigned int r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/* Makes room in *ARR for element N (of SIZE bytes). */
static void grow(void **arr, unsigned int n, size_t size)
{
	if (n == 0 || !(n & (n - 1)))
		*arr = xrealloc(*arr, n ? 2 * (size_t)n : 1, size);
}

static void conj_copy(struct ps_conj *dst, const struct ps_conj *src)
{
	dst->n = src->n;
	dst->cmps = NULL;
	if (src->n) {
		dst->cmps = xmalloc(room(src->n) * sizeof(*dst->cmps));
		memcpy(dst->cmps, src->cmps, src->n * sizeof(*src->cmps));
	}
}

void ps_expr_copy(struct ps_expr *dst, const struct ps_expr *src)
{
	unsigned int i;

	dst->n = src->n;
	dst->conjs = src->n ? xcalloc(room(src->n), sizeof(*dst->conjs)) : NULL;
	for (i = 0; i < src->n; i++)
		conj_copy(&dst->conjs[i], &src->conjs[i]);
}

bool ps_expr_is_true(const struct ps_expr *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		if (e->conjs[i].n == 0)
			return true;
	return false;
}

bool ps_expr_is_false(const struct ps_expr *e)
{
	return e->n == 0;
}

void ps_expr_set_true(struct ps_expr *e)
{
	ps_expr_free(e);
	e->n = 1;
	e->conjs = xcalloc(1, sizeof(*e->conjs));
}

void ps_conj_add(struct ps_conj *c, const struct ps_cmp *cmp)
{
	grow((void **)&c->cmps, c->n, sizeof(*c->cmps));
	c->cmps[c->n++] = *cmp;
}

void ps_expr_add_conj(struct ps_expr *e, struct ps_conj *c)
{
	grow((void **)&e->conjs, e->n, sizeof(*e->conjs));
	e->conjs[e->n++] = *c;
	memset(c, 0, sizeof(*c));
}

/* ---- one argument of a conjunction ---- */

/*
 * What a conjunction says of one argument: lo <= x <= hi, (x & m) == v,
 * x not in ne[], (x & nm[i]) != nv[i]. Exclusions that the rest already
 * decides are dropped when the argument is emitted.
 */
struct arg_set {
	uint64_t lo, hi, m, v;
	unsigned int n_ne, n_mne;
	uint64_t *ne;
	struct ps_cmp *mne;
};

static int u64_order(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
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
	return (x->value > y->value) - (x->value < y->value);
}

/* Whether X meets every constraint of S. */
static bool arg_set_holds(const struct arg_set *s, uint64_t x)
{
	unsigned int i;

	if (x < s->lo || x > s->hi || (x & s->m) != s->v)
		return false;
	for (i = 0; i < s->n_ne; i++)
		if (x == s->ne[i])
			return false;
	for (i = 0; i < s->n_mne; i++)
		if ((x & s->mne[i].mask) == s->mne[i].value)
			return false;
	return true;
}

/* Folds one comparison into S; false when S can no longer hold. */
static bool arg_set_add(struct arg_set *s, const struct ps_cmp *c)
{
	switch (c->op) {
	case PS_OP_EQ:
		if (c->value < s->lo || c->value > s->hi)
			return false;
		s->lo = s->hi = c->value;
		return true;
	case PS_OP_LT:
		if (c->value == 0)
			return false;
		if (c->value - 1 < s->hi)
			s->hi = c->value - 1;
		break;
	case PS_OP_LE:
		if (c->value < s->hi)
			s->hi = c->value;
		break;
	case PS_OP_GT:
		if (c->value == UINT64_MAX)
			return false;
		if (c->value + 1 > s->lo)
			s->lo = c->value + 1;
		break;
	case PS_OP_GE:
		if (c->value > s->lo)
			s->lo = c->value;
		break;
	case PS_OP_NE:
		s->ne = xrealloc(s->ne, s->n_ne + 1, sizeof(*s->ne));
		s->ne[s->n_ne++] = c->value;
		return true;
	case PS_OP_MASKED_EQ:
		/* bits the mask clears can never equal set bits of the value */
		if (c->value & ~c->mask)
			return false;
		if ((s->v ^ c->value) & s->m & c->mask)
			return false;
		s->m |= c->mask;
		s->v |= c->value;
		return true;
	case PS_OP_MASKED_NE:
		if (c->value & ~c->mask)
			return true; /* always different */
		if (c->mask == 0)
			return false; /* 0 != 0 */
		s->mne = xrealloc(s->mne, s->n_mne + 1, sizeof(*s->mne));
		s->mne[s->n_mne++] = *c;
		return true;
	}
	return s->lo <= s->hi;
}

static void push(struct ps_conj *out, unsigned int arg, enum ps_op op,
		 uint64_t value, uint64_t mask)
{
	struct ps_cmp c = { .arg = arg, .op = op, .value = value, .mask = mask };

	ps_conj_add(out, &c);
}

/*
 * Appends the normal form of S for ARG to OUT: the cheapest comparisons
 * that mean exactly S. Returns false when S holds for no value.
 */
static bool arg_set_emit(struct arg_set *s, unsigned int arg,
			 struct ps_conj *out)
{
	unsigned int i;

	if (s->lo > s->hi)
		return false;
	/* a full mask pins one value */
	if (s->m == UINT64_MAX) {
		if (!arg_set_holds(s, s->v))
			return false;
		push(out, arg, PS_OP_EQ, s->v, 0);
		return true;
	}
	/* exclusions at the interval's ends narrow it */
	if (s->n_ne)
		qsort(s->ne, s->n_ne, sizeof(*s->ne), u64_order);
	for (i = 0; i < s->n_ne && s->lo < s->hi; i++)
		if (s->ne[i] == s->lo)
			s->lo++;
	for (i = s->n_ne; i-- > 0 && s->lo < s->hi;)
		if (s->ne[i] == s->hi)
			s->hi--;
	if (s->lo == s->hi) {
		if (!arg_set_holds(s, s->lo))
			return false;
		push(out, arg, PS_OP_EQ, s->lo, 0);
		return true;
	}
	if (s->lo > 0 && s->hi < UINT64_MAX) {
		push(out, arg, PS_OP_GE, s->lo, 0);
		push(out, arg, PS_OP_LE, s->hi, 0);
	} else if (s->lo > 0) {
		push(out, arg, PS_OP_GE, s->lo, 0);
	} else if (s->hi < UINT64_MAX) {
		push(out, arg, PS_OP_LE, s->hi, 0);
	}
	if (s->m)
		push(out, arg, PS_OP_MASKED_EQ, s->v, s->m);
	for (i = 0; i < s->n_ne; i++) {
		uint64_t x = s->ne[i];

		if ((i && x == s->ne[i - 1]) || x < s->lo || x > s->hi ||
		    (x & s->m) != s->v)
			continue; /* excluded already */
		push(out, arg, PS_OP_NE, x, 0);
	}
	if (s->n_mne)
		qsort(s->mne, s->n_mne, sizeof(*s->mne), cmp_order);
	for (i = 0; i < s->n_mne; i++) {
		const struct ps_cmp *c = &s->mne[i];

		if (i && !cmp_order(c, &s->mne[i - 1]))
			continue;
		/* the mask decides these bits already */
		if (!(c->mask & ~s->m)) {
			if ((s->v & c->mask) == c->value)
				return false;
			continue;
		}
		push(out, arg, PS_OP_MASKED_NE, c->value, c->mask);
	}
	return true;
}

/* C in normal form; false when C holds for nothing. */
static bool conj_normalize(struct ps_conj *c)
{
	struct ps_conj out = { 0 };
	unsigned int arg, i;
	bool ok = true;

	for (arg = 0; arg < 6 && ok; arg++) {
		struct arg_set s = { .lo = 0, .hi = UINT64_MAX };
		bool any = false;

		for (i = 0; i < c->n && ok; i++) {
			if (c->cmps[i].arg != arg)
				continue;
			any = true;
			ok = arg_set_add(&s, &c->cmps[i]) && s.lo <= s.hi;
		}
		if (ok && any)
			ok = arg_set_emit(&s, arg, &out);
		free(s.ne);
		free(s.mne);
	}
	free(c->cmps);
	*c = out;
	if (!ok) {
		free(c->cmps);
		memset(c, 0, sizeof(*c));
	}
	return ok;
}

/* ---- the conjunctions of a disjunction, in near-linear time ---- */

/* Up to this many conjunctions, pairs and the stack cost less than tables. */
#define FEW_CONJS 8

/*
 * An expression merged from thousands of rules (`read: arg0 == N`, one a
 * line) must not cost the square of its size, let alone the cube: the
 * comparisons are numbered through a hash table, and a conjunction is
 * only checked against those filed under one of its own comparisons.
 */
static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

static uint64_t cmp_hash(const struct ps_cmp *c)
{
	return mix(mix(mix(c->arg * 8u + c->op, c->value), c->mask), 0);
}

/* Open addressing over indices (0: empty slot, so each is stored + 1). */
struct index_table {
	unsigned int *slot;
	size_t mask;
};

static void table_init(struct index_table *t, size_t n)
{
	size_t size = 16;

	while (size < 2 * n)
		size <<= 1;
	t->slot = xcalloc(size, sizeof(*t->slot));
	t->mask = size - 1;
}

/*
 * The slot where the element equal to KEY (by SAME) is, or the empty one
 * where it would go.
 */
static unsigned int *table_find(struct index_table *t, uint64_t hash,
				bool (*same)(const void *ctx, unsigned int i),
				const void *ctx)
{
	size_t at = hash & t->mask;

	while (t->slot[at] && !same(ctx, t->slot[at] - 1))
		at = (at + 1) & t->mask;
	return &t->slot[at];
}

struct cmp_ids {
	const struct ps_cmp *key; /* the comparison looked up */
	struct ps_cmp *cmps; /* one of each, by id */
	unsigned int *count; /* conjunctions with each */
	unsigned int n;
};

static bool same_cmp(const void *ctx, unsigned int i)
{
	const struct cmp_ids *ids = ctx;

	return !cmp_order(ids->key, &ids->cmps[i]);
}

struct conj_set {
	const struct ps_conj *key;
	const struct ps_conj *conjs;
};

static bool same_conj(const void *ctx, unsigned int i)
{
	const struct conj_set *s = ctx;
	const struct ps_conj *a = s->key, *b = &s->conjs[i];
	unsigned int k;

	if (a->n != b->n)
		return false;
	for (k = 0; k < a->n; k++)
		if (cmp_order(&a->cmps[k], &b->cmps[k]))
			return false;
	return true;
}

/*
 * Drops the conjunctions that another makes redundant: those that include
 * all of another's comparisons and more, and of equal ones all but the
 * first (normal conjunctions list their comparisons in one canonical
 * order, so equal ones are equal arrays): true in DROP for those.
 */
static void drop_absorbed(const struct ps_expr *e, bool *drop)
{
	struct index_table cmp_table, conj_table;
	struct cmp_ids ids = { 0 };
	struct conj_set set = { .conjs = e->conjs };
	unsigned int **id_of, *key, *stamp, *bucket_start, *bucket;
	unsigned int total = 0, i, j, k;

	table_init(&conj_table, e->n);
	for (i = 0; i < e->n; i++) {
		uint64_t h = 0;
		unsigned int *slot;

		for (k = 0; k < e->conjs[i].n; k++)
			h = mix(h, cmp_hash(&e->conjs[i].cmps[k]));
		set.key = &e->conjs[i];
		slot = table_find(&conj_table, mix(h, e->conjs[i].n), same_conj,
				  &set);
		if (*slot)
			drop[i] = true; /* an equal one came first */
		else
			*slot = i + 1;
		total += e->conjs[i].n;
	}
	free(conj_table.slot);

	/* each distinct comparison an id, and how many conjunctions have it */
	table_init(&cmp_table, total);
	ids.cmps = xmalloc(((size_t)total + 1) * sizeof(*ids.cmps));
	ids.count = xcalloc((size_t)total + 1, sizeof(*ids.count));
	id_of = xcalloc(e->n, sizeof(*id_of));
	for (i = 0; i < e->n; i++) {
		if (drop[i])
			continue;
		id_of[i] =
			xmalloc(((size_t)e->conjs[i].n + 1) * sizeof(**id_of));
		for (k = 0; k < e->conjs[i].n; k++) {
			const struct ps_cmp *c = &e->conjs[i].cmps[k];
			unsigned int *slot;

			ids.key = c;
			slot = table_find(&cmp_table, cmp_hash(c), same_cmp,
					  &ids);
			if (!*slot) {
				ids.cmps[ids.n] = *c;
				*slot = ++ids.n;
			}
			id_of[i][k] = *slot - 1;
			ids.count[*slot - 1]++;
		}
	}
	free(cmp_table.slot);

	/*
	 * Each conjunction filed under its rarest comparison: one that
	 * absorbs B has all its comparisons in B, that one among them.
	 */
	key = xcalloc(e->n, sizeof(*key));
	bucket_start = xcalloc((size_t)ids.n + 2, sizeof(*bucket_start));
	bucket = xcalloc(e->n, sizeof(*bucket));
	for (i = 0; i < e->n; i++) {
		if (drop[i])
			continue;
		for (k = 1, key[i] = id_of[i][0]; k < e->conjs[i].n; k++)
			if (ids.count[id_of[i][k]] < ids.count[key[i]])
				key[i] = id_of[i][k];
		bucket_start[key[i] + 2]++;
	}
	for (j = 0; j < ids.n; j++)
		bucket_start[j + 2] += bucket_start[j + 1];
	for (i = 0; i < e->n; i++)
		if (!drop[i])
			bucket[bucket_start[key[i] + 1]++] = i;
	/* bucket_start[id] .. bucket_start[id + 1]: the conjunctions under id */
	stamp = xcalloc((size_t)ids.n + 1, sizeof(*stamp));
	for (i = 0; i < e->n; i++) {
		const struct ps_conj *b = &e->conjs[i];

		if (drop[i])
			continue;
		for (k = 0; k < b->n; k++)
			stamp[id_of[i][k]] = i + 1;
		for (k = 0; k < b->n && !drop[i]; k++) {
			unsigned int id = id_of[i][k], x;

			for (x = bucket_start[id]; x < bucket_start[id + 1];
			     x++) {
				unsigned int a = bucket[x], m;

				/* equal ones are gone: only a smaller one absorbs */
				if (a == i || e->conjs[a].n >= b->n)
					continue;
				for (m = 0; m < e->conjs[a].n; m++)
					if (stamp[id_of[a][m]] != i + 1)
						break;
				if (m == e->conjs[a].n) {
					drop[i] = true;
					break;
				}
			}
		}
	}
	for (i = 0; i < e->n; i++)
		free(id_of[i]);
	free(id_of);
	free(key);
	free(bucket_start);
	free(bucket);
	free(stamp);
	free(ids.cmps);
	free(ids.count);
}

/*
 * A conjunction that is one interval of one argument: [*LO, *HI] of
 * *ARG. Normal conjunctions write one as `==`, `>=`, `<=` or `>= && <=`.
 */
static bool conj_interval(const struct ps_conj *c, unsigned int *arg,
			  uint64_t *lo, uint64_t *hi)
{
	unsigned int k;

	if (c->n < 1 || c->n > 2)
		return false;
	*lo = 0;
	*hi = UINT64_MAX;
	*arg = c->cmps[0].arg;
	for (k = 0; k < c->n; k++) {
		const struct ps_cmp *x = &c->cmps[k];

		if (x->arg != *arg)
			return false;
		if (x->op == PS_OP_EQ && c->n == 1)
			*lo = *hi = x->value;
		else if (x->op == PS_OP_GE)
			*lo = x->value;
		else if (x->op == PS_OP_LE)
			*hi = x->value;
		else
			return false;
	}
	return *lo <= *hi;
}

struct interval {
	uint64_t lo, hi;
	unsigned int at; /* the conjunction it came from */
};

static int interval_order(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/* OUT := the normal conjunction of interval IV of ARG (not every value). */
static void interval_conj(struct ps_conj *out, unsigned int arg,
			  const struct interval *iv)
{
	memset(out, 0, sizeof(*out));
	if (iv->lo == iv->hi) {
		push(out, arg, PS_OP_EQ, iv->lo, 0);
		return;
	}
	if (iv->lo > 0)
		push(out, arg, PS_OP_GE, iv->lo, 0);
	if (iv->hi < UINT64_MAX)
		push(out, arg, PS_OP_LE, iv->hi, 0);
}

/*
 * Intervals of one argument that touch or overlap become one
 * (`arg0 == 0 || arg0 == 1 || arg0 == 2` is `arg0 <= 2`), so that a
 * thousand rules for consecutive values cost two comparisons, not a
 * thousand. The merged intervals take the place of the first of them;
 * an argument whose intervals all stay apart is left as written.
 * Returns whether anything merged.
 */
static bool merge_intervals(struct ps_expr *e)
{
	struct interval few[FEW_CONJS];
	struct interval *iv =
		e->n <= FEW_CONJS ? few : xmalloc((size_t)e->n * sizeof(*iv));
	struct ps_conj *out;
	unsigned int arg, i, j, k, n, m;
	bool merged = false;

	for (arg = 0; arg < 6; arg++) {
		unsigned int first = e->n;
		uint64_t lo, hi;
		unsigned int a;

		for (i = 0, n = 0; i < e->n; i++) {
			if (!conj_interval(&e->conjs[i], &a, &lo, &hi) ||
			    a != arg)
				continue;
			iv[n++] = (struct interval){ lo, hi, i };
			if (first == e->n)
				first = i;
		}
		if (n < 2)
			continue;
		qsort(iv, n, sizeof(*iv), interval_order);
		for (i = 1, m = 0; i < n; i++) {
			if (iv[m].hi == UINT64_MAX ||
			    iv[i].lo <= iv[m].hi + 1) {
				if (iv[i].hi > iv[m].hi)
					iv[m].hi = iv[i].hi;
			} else {
				iv[++m] = iv[i];
			}
		}
		if (++m == n)
			continue; /* nothing touches: as written */
		for (k = 0; k < m; k++) {
			if (iv[k].lo == 0 && iv[k].hi == UINT64_MAX) {
				/* every value: the whole expression holds */
				if (iv != few)
					free(iv);
				ps_expr_set_true(e);
				return true;
			}
		}
		out = xcalloc(room(e->n - n + m), sizeof(*out));
		for (i = 0, k = 0; i < e->n; i++) {
			if (!conj_interval(&e->conjs[i], &a, &lo, &hi) ||
			    a != arg) {
				out[k++] = e->conjs[i];
				continue;
			}
			free(e->conjs[i].cmps);
			if (i == first)
				for (j = 0; j < m; j++)
					interval_conj(&out[k++], arg, &iv[j]);
		}
		free(e->conjs);
		e->conjs = out;
		e->n = k;
		merged = true;
	}
	if (iv != few)
		free(iv);
	return merged;
}

/* Drops the conjunctions drop_absorbed() finds redundant. */
/* Every comparison of A is one of B's: B adds nothing to A || B. */
static bool conj_implied_by(const struct ps_conj *a, const struct ps_conj *b)
{
	unsigned int i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (!cmp_order(&a->cmps[i], &b->cmps[j]))
				break;
		if (j == b->n)
			return false;
	}
	return true;
}

/*
 * What drop_absorbed() finds, pair by pair: for the few conjunctions of
 * most rules, cheaper than its tables (measured: the p100 bench's build
 * time).
 */
static void drop_absorbed_few(const struct ps_expr *e, bool *drop)
{
	unsigned int i, j;

	for (i = 0; i < e->n; i++)
		for (j = 0; j < e->n && !drop[i]; j++)
			drop[i] = j != i &&
				  conj_implied_by(&e->conjs[j], &e->conjs[i]) &&
				  (j < i || !conj_implied_by(&e->conjs[i],
							     &e->conjs[j]));
}

static void absorb(struct ps_expr *e)
{
	bool few[FEW_CONJS] = { false };
	bool *drop = e->n <= FEW_CONJS ? few : xcalloc(e->n, sizeof(*drop));
	unsigned int i, k;

	if (drop == few)
		drop_absorbed_few(e, drop);
	else
		drop_absorbed(e, drop);
	for (i = 0, k = 0; i < e->n; i++) {
		if (drop[i])
			free(e->conjs[i].cmps);
		else
			e->conjs[k++] = e->conjs[i];
	}
	if (drop != few)
		free(drop);
	e->n = k;
}

void ps_expr_normalize(struct ps_expr *e)
{
	unsigned int i, k = 0;

	/* "always" is normal already, and the commonest condition of all */
	if (e->n == 1 && e->conjs[0].n == 0)
		return;
	for (i = 0; i < e->n; i++) {
		if (!conj_normalize(&e->conjs[i]))
			continue;
		e->conjs[k++] = e->conjs[i];
	}
	e->n = k;
	/*
	 * A conjunction whose comparisons include all of another's adds
	 * nothing to the disjunction; of equal ones the first stays.
	 */
	for (i = 0; i < e->n; i++) {
		if (e->conjs[i].n)
			continue;
		/* "always" absorbs everything */
		ps_expr_set_true(e);
		return;
	}
	/* a merged interval may include another conjunction's: once more */
	if (e->n > 1) {
		absorb(e);
		if (merge_intervals(e) && e->n > 1 && !ps_expr_is_true(e))
			absorb(e);
	}
	if (!e->n) {
		free(e->conjs);
		e->conjs = NULL;
	}
}

void ps_expr_and(struct ps_expr *a, const struct ps_expr *b)
{
	struct ps_expr out = { 0 };
	unsigned int i, j, k;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++) {
			struct ps_conj c = { 0 };

			for (k = 0; k < a->conjs[i].n; k++)
				ps_conj_add(&c, &a->conjs[i].cmps[k]);
			for (k = 0; k < b->conjs[j].n; k++)
				ps_conj_add(&c, &b->conjs[j].cmps[k]);
			ps_expr_add_conj(&out, &c);
		}
	}
	ps_expr_free(a);
	*a = out;
	ps_expr_normalize(a);
}

void ps_expr_append(struct ps_expr *a, const struct ps_expr *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		struct ps_conj c;

		conj_copy(&c, &b->conjs[i]);
		ps_expr_add_conj(a, &c);
	}
}

void ps_expr_or(struct ps_expr *a, const struct ps_expr *b)
{
	ps_expr_append(a, b);
	ps_expr_normalize(a);
}

bool ps_expr_not(const struct ps_expr *e, struct ps_expr *out,
		 unsigned int limit)
{
	unsigned int i, j;

	memset(out, 0, sizeof(*out));
	ps_expr_set_true(out);
	/*
	 * !(a || b || ...) of single comparisons is one conjunction: built
	 * at once, where multiplying out one at a time costs the square.
	 */
	for (i = 0; i < e->n && e->conjs[i].n == 1; i++)
		;
	if (e->n && i == e->n) {
		for (i = 0; i < e->n; i++) {
			struct ps_cmp n = e->conjs[i].cmps[0];

			n.op = ps_op_not(n.op);
			ps_conj_add(&out->conjs[0], &n);
		}
		ps_expr_normalize(out);
		return true;
	}
	for (i = 0; i < e->n; i++) {
		const struct ps_conj *c = &e->conjs[i];
		struct ps_expr neg = { 0 };

		/* !(a && b) == !a || !b */
		for (j = 0; j < c->n; j++) {
			struct ps_conj one = { 0 };
			struct ps_cmp n = c->cmps[j];

			n.op = ps_op_not(n.op);
			ps_conj_add(&one, &n);
			ps_expr_add_conj(&neg, &one);
		}
		ps_expr_and(out, &neg);
		ps_expr_free(&neg);
		if (out->n > limit) {
			ps_expr_free(out);
			return false;
		}
		if (!out->n)
			break;
	}
	return true;
}

bool ps_expr_is_tautology(const struct ps_expr *e, unsigned int limit)
{
	struct ps_expr n;
	bool taut;

	if (ps_expr_is_true(e))
		return true;
	if (!ps_expr_not(e, &n, limit))
		return false;
	taut = n.n == 0;
	ps_expr_free(&n);
	return taut;
}

/* ---- printing ---- */

void ps_cmp_print(FILE *out, const struct ps_cmp *c)
{
	static const char *const ops[] = {
		[PS_OP_EQ] = "==", [PS_OP_NE] = "!=", [PS_OP_LT] = "<",
		[PS_OP_LE] = "<=", [PS_OP_GT] = ">",  [PS_OP_GE] = ">=",
	};
	unsigned long long v = c->value, m = c->mask;

	if (c->op == PS_OP_MASKED_NE && !v)
		fprintf(out, "arg%u & %#llx", c->arg, m);
	else if (c->op == PS_OP_MASKED_EQ && !v)
		fprintf(out, "arg%u in %#llx", c->arg, ~m);
	else if (c->op == PS_OP_MASKED_EQ || c->op == PS_OP_MASKED_NE)
		fprintf(out, "(arg%u & %#llx) %s %#llx", c->arg, m,
			c->op == PS_OP_MASKED_EQ ? "==" : "!=", v);
	else
		fprintf(out, "arg%u %s %#llx", c->arg, ops[c->op], v);
}

void ps_expr_print(FILE *out, const struct ps_expr *e)
{
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
			if (j)
				fputs(" && ", out);
			ps_cmp_print(out, &c->cmps[j]);
		}
	}
}
