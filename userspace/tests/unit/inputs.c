// SPDX-License-Identifier: GPL-2.0-only
/*
 * The calls that test a program. A miscompiled comparison shows at its
 * edges: a value and its neighbours, one 32-bit half matching without the
 * other, a mask bit flipped. So the candidates for each argument are
 * built from the constants the rules compare it with, and each argument
 * is varied alone around a base that satisfies a conjunction (so the
 * other comparisons hold and the one varied decides), then in random
 * combinations, within a bound that keeps a check fast.
 *
 * The kernel reads an int parameter as its register's low 32 bits (a
 * umode_t as 16, every i386 argument as 32), so a caller may put anything
 * above them: each constant's low half (and low 16 bits) also comes with
 * garbage above it, and with its sign extended, and i386 calls come with
 * whole 64-bit registers (int 0x80 from a 64-bit process) as well as
 * narrowed ones.
 */
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "oracle.h"

#define LO32 0x00000000ffffffffULL
#define HI32 0xffffffff00000000ULL
#define MAX_BASES 24
/* syscall numbers swept for each ABI, beyond the highest in use */
#define NATIVE_SWEEP 600
#define I386_SWEEP 500

struct vals {
	uint64_t *v;
	unsigned int n, cap;
};

static uint64_t next_random(uint64_t *state) /* splitmix64 */
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void vals_add(struct vals *s, uint64_t x)
{
	PS_PUSH(s->v, s->n, s->cap);
	s->v[s->n++] = x;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void vals_unique(struct vals *s)
{
	unsigned int i, k = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), u64_cmp);
	for (i = 1; i < s->n; i++)
		if (s->v[i] != s->v[k])
			s->v[++k] = s->v[i];
	s->n = k + 1;
}

static bool is_masked(const struct ps_cmp *c)
{
	return c->op == PS_OP_MASKED_EQ
#ifdef PINSCOPE_EXPR_H
	       || c->op == PS_OP_MASKED_NE
#endif
		;
}

/* The edges of one comparison's constant. */
static void add_edges(struct vals *s, const struct ps_cmp *c)
{
	uint64_t v = c->value, m = c->mask, bit;

	vals_add(s, v);
	vals_add(s, v + 1);
	vals_add(s, v - 1);
	vals_add(s, ~v);
	vals_add(s, v & LO32); /* the low half alone */
	vals_add(s, v & HI32); /* the high half alone */
	vals_add(s, (v & LO32) | HI32);
	vals_add(s, v | LO32);
	vals_add(s, (v & LO32) + 1);
	vals_add(s, (v & HI32) - 1);
	vals_add(s, v ^ (1ULL << 31));
	vals_add(s, v ^ (1ULL << 32));
	vals_add(s, v ^ (1ULL << 63));
	/* what a 32- or 16-bit parameter gets, under upper-half garbage */
	vals_add(s, (v & LO32) | 0x1234567800000000ULL);
	vals_add(s, (v & LO32) | 0xfffffffe00000000ULL);
	vals_add(s, (uint64_t)(int64_t)(int32_t)(uint32_t)v);
	vals_add(s, ((uint64_t)(int64_t)(int32_t)(uint32_t)v) ^ (1ULL << 40));
	vals_add(s, v ^ HI32);
	vals_add(s, (v & 0xffff) | 0xabcd0000ULL);
	vals_add(s, (v & 0xffff) | 0xffffffffffff0000ULL);
	vals_add(s, v ^ 0x10000);
	if (!is_masked(c))
		return;
	vals_add(s, m);
	vals_add(s, ~m);
	vals_add(s, v | ~m); /* the bits outside the mask: noise */
	for (bit = 1; bit; bit <<= 1) {
		if (!(m & bit))
			continue;
		vals_add(s, v ^ bit); /* each mask bit set or cleared */
		vals_add(s, (v ^ bit) | ~m);
		vals_add(s, bit);
	}
}

static void add_generic(struct vals *s, uint64_t *rs)
{
	static const uint64_t edges[] = {
		0,
		1,
		~0ULL,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ULL,
		0xffffffff80000000ULL,
		1ULL << 63,
		~(1ULL << 63),
		HI32,
		0x1000,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edges); i++)
		vals_add(s, edges[i]);
	for (i = 0; i < 4; i++)
		vals_add(s, next_random(rs));
}

/* A value of one comparison's argument that makes it hold. */
static uint64_t satisfying(const struct ps_cmp *c)
{
	switch (c->op) {
	case PS_OP_EQ:
	case PS_OP_LE:
	case PS_OP_GE:
		return c->value;
	case PS_OP_NE:
	case PS_OP_GT:
		return c->value + 1;
	case PS_OP_LT:
		return c->value ? c->value - 1 : 0;
	case PS_OP_MASKED_EQ:
		return c->value;
#ifdef PINSCOPE_EXPR_H
	case PS_OP_MASKED_NE:
		return (c->value & c->mask) ^ (c->mask & -c->mask);
#endif
	}
	return 0;
}

struct gen {
	struct vals cand[6];
	uint64_t bases[MAX_BASES][6];
	unsigned int n_bases;
	uint64_t (*out)[6];
	unsigned int n, limit;
};

static void emit(struct gen *g, const uint64_t args[6])
{
	if (g->n < g->limit)
		memcpy(g->out[g->n++], args, sizeof(g->out[0]));
}

static void add_base(struct gen *g, const uint64_t args[6])
{
	if (g->n_bases < MAX_BASES)
		memcpy(g->bases[g->n_bases++], args, sizeof(g->bases[0]));
}

unsigned int ps_inputs_args(const struct ps_policy *p, int nr,
			    unsigned int limit, uint64_t seed,
			    uint64_t (*args)[6])
{
	uint64_t rs = seed ^ ((uint64_t)(unsigned int)nr << 32);
	uint64_t zero[6] = { 0 }, ones[6], v[6];
	unsigned long total, step, k = 0, start;
	struct gen g = { .out = args, .limit = limit };
	unsigned int i, j, a, c;

	memset(ones, 0xff, sizeof(ones));
	add_base(&g, zero);
	add_base(&g, ones);
	for (a = 0; a < 6; a++)
		add_generic(&g.cand[a], &rs);
	for (i = 0; i < p->n; i++) {
		const struct ps_rule *r = &p->rules[i];

		if (r->nr != nr)
			continue;
		for (j = 0; j < r->cond.n; j++) {
			const struct ps_conj *cj = &r->cond.conjs[j];

			memset(v, 0, sizeof(v));
			for (c = 0; c < cj->n; c++) {
				add_edges(&g.cand[cj->cmps[c].arg],
					  &cj->cmps[c]);
				v[cj->cmps[c].arg] = satisfying(&cj->cmps[c]);
			}
			if (cj->n)
				add_base(&g, v);
		}
	}
	for (a = 0; a < 6; a++)
		vals_unique(&g.cand[a]);

	/* each argument alone around each base, evenly thinned to fit */
	total = 0;
	for (a = 0; a < 6; a++)
		total += g.cand[a].n;
	total = (total + 1) * g.n_bases;
	step = total > limit * 3UL / 4 ? total / (limit * 3UL / 4 + 1) + 1 : 1;
	start = next_random(&rs) % step;
	for (i = 0; i < g.n_bases; i++) {
		if (k++ % step == start)
			emit(&g, g.bases[i]);
		for (a = 0; a < 6; a++) {
			for (c = 0; c < g.cand[a].n; c++) {
				if (k++ % step != start)
					continue;
				memcpy(v, g.bases[i], sizeof(v));
				v[a] = g.cand[a].v[c];
				emit(&g, v);
			}
		}
	}
	/* then combinations: several arguments off their base at once */
	while (g.n < limit) {
		memcpy(v, g.bases[next_random(&rs) % g.n_bases], sizeof(v));
		for (a = 0; a < 6; a++)
			if (next_random(&rs) & 1)
				v[a] = g.cand[a].v[next_random(&rs) %
						   g.cand[a].n];
		emit(&g, v);
	}
	for (a = 0; a < 6; a++)
		free(g.cand[a].v);
	return g.n;
}

static void call(ps_input_fn fn, void *ctx, uint32_t arch, int nr,
		 const uint64_t args[6], bool narrow)
{
	struct seccomp_data d = {
		.nr = nr,
		.arch = arch,
		.instruction_pointer = 0x7f0000401000ULL,
	};
	unsigned int i;

	for (i = 0; i < 6; i++)
		d.args[i] = narrow ? args[i] & LO32 : args[i];
	fn(&d, ctx);
}

/* The i386 or x32 number of the native syscall NR's namesake, or -1. */
static int namesake(uint32_t arch, int nr, int sweep)
{
	int i, base = arch == AUDIT_ARCH_I386 ? 0 : (int)PS_X32_BIT;

	for (i = 0; i < sweep; i++)
		if (ps_oracle_native_nr(arch, base + i) == nr)
			return base + i;
	return -1;
}

void ps_inputs_policy(const struct ps_policy *p, unsigned int limit,
		      uint64_t seed, ps_input_fn fn, void *ctx)
{
	/* another architecture, x86_64 without its 64-bit flag, none */
	static const uint32_t foreign[] = {
		AUDIT_ARCH_AARCH64,
		AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_64BIT,
		0,
	};
	uint64_t(*args)[6] = xcalloc(limit ? limit : 1, sizeof(*args));
	uint64_t rs = seed, zero[6] = { 0 }, rnd[6];
	bool *named = xcalloc(NATIVE_SWEEP, sizeof(*named));
	unsigned int i, j, n, a;
	int nr, x32, i386;

	for (i = 0; i < p->n; i++) {
		nr = p->rules[i].nr;
		if (nr >= 0 && nr < NATIVE_SWEEP && named[nr])
			continue;
		if (nr >= 0 && nr < NATIVE_SWEEP)
			named[nr] = true;
		n = ps_inputs_args(p, nr, limit, seed, args);
		x32 = namesake(AUDIT_ARCH_X86_64, nr, NATIVE_SWEEP);
		i386 = namesake(AUDIT_ARCH_I386, nr, I386_SWEEP);
		for (j = 0; j < n; j++) {
			call(fn, ctx, AUDIT_ARCH_X86_64, nr, args[j], false);
			/* an eighth of them as the other ABIs' calls */
			if (j % 8)
				continue;
			if (x32 >= 0)
				call(fn, ctx, AUDIT_ARCH_X86_64, x32, args[j],
				     false);
			if (i386 >= 0) {
				call(fn, ctx, AUDIT_ARCH_I386, i386, args[j],
				     true);
				call(fn, ctx, AUDIT_ARCH_I386, i386, args[j],
				     false);
			}
			/* and each refused outright by the x32 bit alone */
			call(fn, ctx, AUDIT_ARCH_X86_64,
			     (int)((uint32_t)nr | PS_X32_BIT), args[j], false);
		}
	}
	/* every other number: zero and random arguments */
	for (nr = 0; nr < NATIVE_SWEEP; nr++) {
		for (a = 0; a < 6; a++)
			rnd[a] = next_random(&rs);
		if (!named[nr]) {
			call(fn, ctx, AUDIT_ARCH_X86_64, nr, zero, false);
			call(fn, ctx, AUDIT_ARCH_X86_64, nr, rnd, false);
		}
		call(fn, ctx, AUDIT_ARCH_X86_64, (int)(PS_X32_BIT + nr), zero,
		     false);
		if (nr < I386_SWEEP)
			call(fn, ctx, AUDIT_ARCH_I386, nr, rnd, nr & 1);
	}
	call(fn, ctx, AUDIT_ARCH_X86_64, 1000, zero, false);
	call(fn, ctx, AUDIT_ARCH_X86_64, 0x3fffffff, zero, false);
	call(fn, ctx, AUDIT_ARCH_X86_64, -1, zero, false);
	call(fn, ctx, AUDIT_ARCH_X86_64, 0x7fffffff, zero, false);
	call(fn, ctx, AUDIT_ARCH_I386, 0x3fffffff, zero, false);
	for (i = 0; i < ARRAY_SIZE(foreign); i++) {
		call(fn, ctx, foreign[i], 0, zero, false);
		call(fn, ctx, foreign[i], 59, zero, false);
		call(fn, ctx, foreign[i], 231, zero, false);
	}
	free(named);
	free(args);
}
