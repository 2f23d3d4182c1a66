// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emitter: a plan as a seccomp BPF program.
 *
 * Layout: the architecture check (x86_64; i386 and x32 only with
 * --arch all, else killed), then a search over syscall numbers, then each
 * syscall's decisions. The search is a tree of JGE (and JEQ) tests on the
 * number alone over intervals of numbers with the same outcome, balanced
 * by the syscalls' weights (@frequency), so a syscall whose decision does
 * not depend on its arguments ends in a return reached without loading
 * them: the kernel's action cache (5.11+) then answers it without running
 * the filter at all. Each 64-bit comparison is two 32-bit ones, high half
 * first, exactly (the kernel's classic BPF has 32-bit registers).
 *
 * A comparison is made with the value the syscall gets, not the register
 * (argwidths.h): for a parameter the kernel reads as 32 bits the register's
 * upper half is never loaded, since a caller may fill it with anything. An
 * unsigned one's upper half is 0, so its test folds at compile time; a
 * signed one's is the sign of its low word, computed (bit 31 shifted down
 * and negated: 0 or 0xffffffff), so the same two-halves comparison holds.
 * The readings are per ABI (every i386 argument is 32 bits), so a plan's
 * code is shared only between ABIs that read its arguments alike.
 *
 * The program is built backwards, from its last instruction to its
 * first, so that every jump's target already exists when the jump is
 * written: a conditional jump reaches 255 instructions ahead, and a
 * target further away is reached through a JA placed next to the jump
 * (or, for a return, a copy of the return). Syscalls with the same
 * decisions share one copy of the code.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "argwidths.h"
#include "compile.h"
#include "syscalls.h"

/*
 * Every refusal is the kernel's own (DESIGN 3.2): a kill or an errno never
 * waits for the launcher's answer, so it holds whether the launcher lives,
 * is killed, or is interrupted, and whoever traces the caller. The
 * launcher names refused calls from the kernel's log of them (--report
 * asks for that log with SECCOMP_FILTER_FLAG_LOG); only the exec gate
 * notifies, and its fallback when nobody answers is a refusal too.
 */
uint32_t ps_filter_ret(const struct ps_filter *f, const struct ps_action *a)
{
	/*
	 * --complain: the launcher lets the call run and records it. Not
	 * the boundary, which is why the one rule the sandbox must never
	 * pass (a listener of its own) stays the kernel's (ps_decision_ret()).
	 */
	if (f->opt.complain && a->type != PS_ACT_ALLOW && a->type != PS_ACT_LOG)
		return SECCOMP_RET_USER_NOTIF;
	return ps_filter_ret_kernel(a);
}

uint32_t ps_decision_ret(const struct ps_filter *f, const struct ps_plan *p,
			 unsigned int i)
{
	if (p->listener_rule && i == 0)
		return ps_filter_ret_kernel(&p->d[0].action);
	if (p->notify)
		return SECCOMP_RET_USER_NOTIF;
	return ps_filter_ret(f, &p->d[i].action);
}

uint32_t ps_filter_ret_kernel(const struct ps_action *a)
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
	return SECCOMP_RET_KILL_PROCESS;
}

#define X32_SYSCALL_BIT 0x40000000u
/* kept below 255 so that the two jumps of one test may each add one */
#define REACH 253

/* A jump's destination: an instruction already written, or a return. */
struct target {
	bool is_ret;
	uint32_t ret;
	size_t pos; /* counted from the program's end, 1 = last */
};

/* A plan whose code was written, for one ABI. */
struct written {
	enum ps_arch arch;
	unsigned int plan;
};

struct emitter {
	struct sock_filter *buf; /* filled from the end: buf[cap - len..] */
	size_t cap, len;
	/* where each return value was last written */
	struct {
		uint32_t ret;
		size_t pos;
	} rets[16];
	unsigned int n_rets, next_ret;
	/* per ABI, the entry of each plan's code once written; 0: not yet */
	size_t *entry[PS_N_ARCH];
	/* per ABI and plan, how the syscall reads each argument (ps_read) */
	unsigned char (*reads[PS_N_ARCH])[6];
	/*
	 * The plans whose code was written, in order: the only ones a later
	 * plan can share, as each plan equal to one of them took its entry.
	 * Looking through all plans of all ABIs for each plan written made
	 * the search quadratic (9% of p100's compile).
	 */
	struct written *written;
	unsigned int n_written;
	enum ps_arch arch; /* whose spans are being written */
	const unsigned char *rd; /* the readings of the plan being written */
	const struct ps_filter *f;
};

static void put(struct emitter *e, uint16_t code, uint8_t jt, uint8_t jf,
		uint32_t k)
{
	if (e->len == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 256;
		struct sock_filter *b = xcalloc(cap, sizeof(*b));

		if (e->len)
			memcpy(b + cap - e->len, e->buf + e->cap - e->len,
			       e->len * sizeof(*b));
		free(e->buf);
		e->buf = b;
		e->cap = cap;
	}
	e->len++;
	e->buf[e->cap - e->len] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static struct target at(size_t pos)
{
	return (struct target){ .pos = pos };
}

static struct target ret(uint32_t value)
{
	return (struct target){ .is_ret = true, .ret = value };
}

static size_t emit_ret(struct emitter *e, uint32_t value)
{
	put(e, BPF_RET | BPF_K, 0, 0, value);
	e->rets[e->next_ret].ret = value;
	e->rets[e->next_ret].pos = e->len;
	if (e->n_rets < ARRAY_SIZE(e->rets))
		e->n_rets++;
	e->next_ret = (e->next_ret + 1) % ARRAY_SIZE(e->rets);
	return e->len;
}

/*
 * T as a position a jump written next can reach: a return already near,
 * or a new copy of it; an instruction near, or a JA to it.
 */
static size_t reach(struct emitter *e, struct target t)
{
	unsigned int i;

	if (t.is_ret) {
		for (i = 0; i < e->n_rets; i++)
			if (e->rets[i].ret == t.ret &&
			    e->len - e->rets[i].pos <= REACH)
				return e->rets[i].pos;
		return emit_ret(e, t.ret);
	}
	if (e->len - t.pos <= REACH)
		return t.pos;
	put(e, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(e->len - t.pos));
	return e->len;
}

static bool same(struct target a, struct target b)
{
	return a.is_ret == b.is_ret &&
	       (a.is_ret ? a.ret == b.ret : a.pos == b.pos);
}

/* if (A OP K) T else F; returns the position of the test. */
static struct target jump(struct emitter *e, uint16_t op, uint32_t k,
			  struct target t, struct target f)
{
	size_t pt, pf;

	if (same(t, f))
		return t;
	pt = reach(e, t);
	pf = reach(e, f);
	put(e, BPF_JMP | op | BPF_K, (uint8_t)(e->len - pt),
	    (uint8_t)(e->len - pf), k);
	return at(e->len);
}

/* Makes T the instruction just below, for one that falls through to it. */
static void adjacent(struct emitter *e, struct target t)
{
	if (t.is_ret) {
		const struct sock_filter *last =
			e->len ? &e->buf[e->cap - e->len] : NULL;

		if (!last || last->code != (BPF_RET | BPF_K) ||
		    last->k != t.ret)
			emit_ret(e, t.ret);
	} else if (t.pos != e->len) {
		put(e, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(e->len - t.pos));
	}
}

static struct target load(struct emitter *e, uint32_t offset,
			  struct target next)
{
	adjacent(e, next);
	put(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, offset);
	return at(e->len);
}

/*
 * Whether TEST is a test just written, which needs its value loaded. When
 * the test folded away (its outcome does not depend on the value),
 * nothing is loaded.
 */
static bool needs_load(const struct emitter *e, struct target test)
{
	const struct sock_filter *i;

	if (test.is_ret || test.pos != e->len)
		return false;
	i = &e->buf[e->cap - e->len];
	return BPF_CLASS(i->code) == BPF_ALU ||
	       (BPF_CLASS(i->code) == BPF_JMP && BPF_OP(i->code) != BPF_JA);
}

static uint32_t arg_lo(unsigned int arg)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg);
}

static uint32_t arg_hi(unsigned int arg)
{
	return arg_lo(arg) + 4;
}

static enum ps_read reading(const struct emitter *e, unsigned int arg)
{
	return (enum ps_read)e->rd[arg];
}

/* The syscall's value of ARG has an upper half of 0, whatever the caller's. */
static bool hi_zero(const struct emitter *e, unsigned int arg)
{
	return reading(e, arg) == PS_READ_U32 || reading(e, arg) == PS_READ_U16;
}

/* The low half of ARG's value, for TEST: a umode_t keeps 16 bits. */
static struct target load_lo(struct emitter *e, unsigned int arg,
			     struct target test)
{
	if (!needs_load(e, test))
		return test;
	if (reading(e, arg) == PS_READ_U16)
		put(e, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xffff);
	put(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_lo(arg));
	return at(e->len);
}

/*
 * The upper half of ARG's value, for TEST: the register's for a 64-bit
 * parameter; for a signed int the sign of its low word, 0 - (lo >> 31),
 * which seccomp's checker admits (BPF_NEG, kernel/seccomp.c). An unsigned
 * one's is 0, and its callers fold the test instead.
 */
static struct target load_hi(struct emitter *e, unsigned int arg,
			     struct target test)
{
	if (!needs_load(e, test))
		return test;
	if (reading(e, arg) == PS_READ_S32) {
		put(e, BPF_ALU | BPF_NEG, 0, 0, 0);
		put(e, BPF_ALU | BPF_RSH | BPF_K, 0, 0, 31);
		put(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_lo(arg));
	} else {
		put(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_hi(arg));
	}
	return at(e->len);
}

/* (half & m) == v on the loaded half: T or F. */
static struct target masked_half(struct emitter *e, uint32_t m, uint32_t v,
				 struct target t, struct target f)
{
	struct target test;

	if (m == 0)
		return t; /* nothing of this half is tested */
	if (v == 0 && m != UINT32_MAX)
		return jump(e, BPF_JSET, m, f, t);
	test = jump(e, BPF_JEQ, v, t, f);
	if (m != UINT32_MAX && !test.is_ret && test.pos == e->len) {
		put(e, BPF_ALU | BPF_AND | BPF_K, 0, 0, m);
		test = at(e->len);
	}
	return test;
}

/* x > v (or x >= v with OR_EQUAL) for 64-bit x: T or F. */
static struct target greater(struct emitter *e, unsigned int arg, uint64_t v,
			     bool or_equal, struct target t, struct target f)
{
	uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
	struct target low, high;

	/* an unsigned int never reaches a V of 2^32 or more */
	if (hi_zero(e, arg) && hi)
		return f;
	/* the low half decides when the high halves are equal */
	if (or_equal && lo == 0)
		low = t;
	else
		low = load_lo(e, arg,
			      jump(e, or_equal ? BPF_JGE : BPF_JGT, lo, t, f));
	if (hi_zero(e, arg))
		return low;
	/* past the JGT, a high half of 0 can only be equal */
	high = hi == 0 ? low : jump(e, BPF_JEQ, hi, low, f);
	if (hi != UINT32_MAX)
		high = jump(e, BPF_JGT, hi, t, high);
	return load_hi(e, arg, high);
}

/* One comparison: T where it holds, F where not. */
static struct target emit_cmp(struct emitter *e, const struct ps_cmp *c,
			      struct target t, struct target f)
{
	uint32_t vhi = (uint32_t)(c->value >> 32), vlo = (uint32_t)c->value;
	uint32_t mhi = (uint32_t)(c->mask >> 32), mlo = (uint32_t)c->mask;
	struct target low;

	switch (c->op) {
	case PS_OP_NE:
		return emit_cmp(
			e, &(struct ps_cmp){ c->arg, PS_OP_EQ, c->value, 0 }, f,
			t);
	case PS_OP_LT:
		return greater(e, c->arg, c->value, true, f, t);
	case PS_OP_LE:
		return greater(e, c->arg, c->value, false, f, t);
	case PS_OP_GT:
		return greater(e, c->arg, c->value, false, t, f);
	case PS_OP_GE:
		return greater(e, c->arg, c->value, true, t, f);
	case PS_OP_MASKED_NE:
		return emit_cmp(e,
				&(struct ps_cmp){ c->arg, PS_OP_MASKED_EQ,
						  c->value, c->mask },
				f, t);
	case PS_OP_EQ:
		mhi = mlo = UINT32_MAX;
		/* fall through */
	case PS_OP_MASKED_EQ:
		if ((vhi & ~mhi) || (vlo & ~mlo))
			return f; /* never equal */
		if (hi_zero(e, c->arg) && vhi)
			return f; /* bits the syscall never gets */
		low = load_lo(e, c->arg, masked_half(e, mlo, vlo, t, f));
		if (hi_zero(e, c->arg))
			return low;
		return load_hi(e, c->arg, masked_half(e, mhi, vhi, low, f));
	}
	return f;
}

static struct target emit_conj(struct emitter *e, const struct ps_conj *c,
			       struct target t, struct target f)
{
	unsigned int i;

	for (i = c->n; i-- > 0;)
		t = emit_cmp(e, &c->cmps[i], t, f);
	return t;
}

static uint32_t default_ret(const struct ps_filter *f)
{
	return f->opt.trace ? SECCOMP_RET_TRACE :
			      ps_filter_ret(f, &f->default_action);
}

/* Where no decision of PLAN holds. */
static uint32_t plan_default_ret(const struct ps_filter *f,
				 const struct ps_plan *p)
{
	return p->notify ? SECCOMP_RET_USER_NOTIF : default_ret(f);
}

/* The constant outcome of PLAN, if it has one. */
static bool plan_constant(const struct ps_filter *f, const struct ps_plan *p,
			  uint32_t *out)
{
	if (p->execve_gate || (p->notify && !p->listener_rule)) {
		*out = SECCOMP_RET_USER_NOTIF;
		return true;
	}
	if (p->n == 0) {
		*out = plan_default_ret(f, p);
		return true;
	}
	if (p->n == 1 && ps_expr_is_true(&p->d[0].when)) {
		*out = ps_decision_ret(f, p, 0);
		return true;
	}
	return false;
}

static bool plans_equal(const struct ps_filter *f, const struct ps_plan *a,
			const struct ps_plan *b)
{
	unsigned int i, j;

	if (a->n != b->n || a->notify != b->notify)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct ps_expr *x = &a->d[i].when, *y = &b->d[i].when;

		if (ps_decision_ret(f, a, i) != ps_decision_ret(f, b, i) ||
		    x->n != y->n)
			return false;
		for (j = 0; j < x->n; j++)
			if (x->conjs[j].n != y->conjs[j].n ||
			    (x->conjs[j].n &&
			     memcmp(x->conjs[j].cmps, y->conjs[j].cmps,
				    x->conjs[j].n * sizeof(struct ps_cmp))))
				return false;
	}
	return true;
}

/*
 * The code of plan I for the current ABI (written now unless an equal
 * plan's, read alike, is): its entry.
 */
static struct target emit_plan(struct emitter *e, unsigned int i)
{
	const struct ps_filter *f = e->f;
	struct ps_plan *p = &((struct ps_filter *)f)->plans[i];
	struct target next = ret(plan_default_ret(f, p));
	unsigned char *rd = e->reads[e->arch][i];
	size_t before = e->len, *entry = e->entry[e->arch];
	enum ps_read r[6];
	const struct written *w;
	unsigned int j, k, a;
	uint32_t c;

	if (plan_constant(f, p, &c))
		return ret(c);
	if (entry[i])
		return at(entry[i]);
	ps_arg_reads(e->arch, ps_syscall_name(p->nr), r);
	for (a = 0; a < 6; a++)
		rd[a] = (unsigned char)r[a];
	for (w = e->written; w < e->written + e->n_written; w++) {
		if (memcmp(rd, e->reads[w->arch][w->plan],
			   sizeof(e->reads[w->arch][w->plan])) ||
		    !plans_equal(f, p, &f->plans[w->plan]))
			continue;
		entry[i] = e->entry[w->arch][w->plan];
		return at(entry[i]);
	}
	e->rd = rd;
	for (j = p->n; j-- > 0;) {
		struct target act = ret(ps_decision_ret(f, p, j));

		for (k = p->d[j].when.n; k-- > 0;)
			next = emit_conj(e, &p->d[j].when.conjs[k], act, next);
	}
	/* the entry must be a written instruction, for sharing */
	entry[i] = reach(e, next);
	e->written[e->n_written++] = (struct written){ e->arch, i };
	p->cost = (unsigned int)(e->len - before);
	return at(entry[i]);
}

/* Intervals of syscall numbers with one outcome each. */
struct span {
	uint32_t lo; /* up to the next span's lo - 1 */
	int plan; /* index into f->plans, -1: the default */
	uint32_t ret; /* a constant outcome */
	bool constant;
	unsigned long weight;
};

struct spans {
	struct span *s;
	unsigned int n;
};

static bool span_same(const struct span *a, const struct span *b)
{
	if (a->constant || b->constant)
		return a->constant && b->constant && a->ret == b->ret;
	return a->plan == b->plan;
}

/* Room is made beforehand: a plan's span and the default after it. */
static void span_add(struct spans *sp, const struct span *s)
{
	if (sp->n && span_same(&sp->s[sp->n - 1], s)) {
		sp->s[sp->n - 1].weight += s->weight;
		return;
	}
	sp->s[sp->n++] = *s;
}

/*
 * The default from LO up to (not including) END: the default action, and
 * ENOSYS above the ENOSYS rule's threshold (enosys.c), split where the
 * threshold falls inside.
 */
static void add_default(const struct ps_filter *f, enum ps_arch arch,
			struct spans *sp, uint32_t lo, uint64_t end)
{
	struct span def = {
		.lo = lo, .plan = -1, .constant = true, .ret = default_ret(f)
	};
	int64_t top = f->enosys_above[arch];

	if (top < 0 || (uint64_t)top + 1 >= end) {
		span_add(sp, &def);
		return;
	}
	if ((int64_t)lo <= top)
		span_add(sp, &def);
	def.lo = (int64_t)lo > top ? lo : (uint32_t)(top + 1);
	def.ret = SECCOMP_RET_ERRNO | ENOSYS;
	def.weight = 0;
	span_add(sp, &def);
}

/*
 * The spans of [LO, HI] for the syscalls of ARCH, each policy syscall at
 * its number on that architecture (found by name; one the architecture
 * lacks is left out, and its numbers get the default).
 */
static void make_spans(const struct ps_filter *f, enum ps_arch arch,
		       uint32_t lo, struct spans *sp)
{
	struct {
		uint32_t nr;
		unsigned int plan;
	} * m;
	unsigned int i, n = 0;

	m = xcalloc(f->n_plans ? f->n_plans : 1, sizeof(*m));
	if (arch == PS_ARCH_X86_64) {
		/* the plans are sorted by their native numbers */
		for (i = 0; i < f->n_plans; i++) {
			if (f->plans[i].nr < 0 ||
			    (uint32_t)f->plans[i].nr < lo ||
			    ps_is_i386_only(f->plans[i].nr))
				continue;
			m[n].nr = (uint32_t)f->plans[i].nr;
			m[n++].plan = i;
		}
	} else {
		/*
		 * Found by name, so in another order: placed by number in one
		 * pass over the numbers ARCH has, rather than sorted.
		 */
		int base;
		unsigned int range = ps_syscall_range(arch, &base), k;
		unsigned int *at = xcalloc(range ? range : 1, sizeof(*at));

		for (i = 0; i < f->n_plans; i++) {
			int nr = ps_syscall_lookup_arch(
				arch, ps_syscall_name(f->plans[i].nr));

			if (nr >= base && (unsigned int)(nr - base) < range)
				at[nr - base] = i + 1;
		}
		for (k = 0; k < range; k++) {
			uint32_t nr = (uint32_t)base + k;

			if (!at[k] || nr < lo)
				continue;
			m[n].nr = nr;
			m[n++].plan = at[k] - 1;
		}
		free(at);
	}
	sp->n = 0;
	/* each plan, the default after it, and one split for ENOSYS */
	sp->s = xcalloc(2 * (size_t)n + 2, sizeof(*sp->s));
	add_default(f, arch, sp, lo, n ? m[0].nr : (uint64_t)UINT32_MAX + 1);
	for (i = 0; i < n; i++) {
		const struct ps_plan *p = &f->plans[m[i].plan];
		struct span s = { .lo = m[i].nr,
				  .plan = (int)m[i].plan,
				  .weight = p->weight };

		s.constant = plan_constant(f, p, &s.ret);
		if (sp->n == 1 && sp->s[0].lo == s.lo)
			sp->n = 0; /* number lo itself is a syscall */
		span_add(sp, &s);
		if (m[i].nr != UINT32_MAX &&
		    (i + 1 == n || m[i + 1].nr > m[i].nr + 1))
			add_default(f, arch, sp, m[i].nr + 1,
				    i + 1 == n ? (uint64_t)UINT32_MAX + 1 :
						 m[i + 1].nr);
	}
	free(m);
}

static struct target span_target(struct emitter *e, const struct span *s)
{
	return s->constant ? ret(s->ret) : emit_plan(e, (unsigned int)s->plan);
}

/* The search over spans [I, J]: the number is in the accumulator. */
static struct target emit_search(struct emitter *e, const struct span *s,
				 unsigned int i, unsigned int j)
{
	unsigned long total = 0, left = 0, best_cost = ~0UL;
	struct target lo, hi;
	unsigned int k, best = i + 1;

	if (i == j)
		return span_target(e, &s[i]);
	/* a single number between two spans of one outcome: one JEQ */
	if (j == i + 2 && span_same(&s[i], &s[j]) &&
	    s[i + 1].lo + 1 == s[j].lo) {
		hi = span_target(e, &s[i + 1]);
		lo = span_target(e, &s[i]);
		return jump(e, BPF_JEQ, s[i + 1].lo, hi, lo);
	}
	/* split where the weights on both sides are nearest (and counts) */
	for (k = i; k <= j; k++)
		total += s[k].weight * 64 + 1;
	for (k = i + 1; k <= j; k++) {
		unsigned long cost;

		left += s[k - 1].weight * 64 + 1;
		cost = left > total - left ? left : total - left;
		if (cost < best_cost) {
			best_cost = cost;
			best = k;
		}
	}
	hi = emit_search(e, s, best, j);
	lo = emit_search(e, s, i, best - 1);
	return jump(e, BPF_JGE, s[best].lo, hi, lo);
}

/* The number's search for ARCH from LO on: load the number, then test. */
static struct target emit_arch(struct emitter *e, enum ps_arch arch,
			       uint32_t lo)
{
	struct spans sp;
	struct target t;

	e->arch = arch;
	make_spans(e->f, arch, lo, &sp);
	t = emit_search(e, sp.s, 0, sp.n - 1);
	free(sp.s);
	return t;
}

static void report_too_long(const struct ps_filter *f, size_t len)
{
	unsigned int i, k, shown[3], n = 0;

	ps_warn("the filter needs %zu instructions; the kernel takes at most %d",
		len, BPF_MAXINSNS);
	for (k = 0; k < ARRAY_SIZE(shown); k++) {
		unsigned int best = f->n_plans;

		for (i = 0; i < f->n_plans; i++) {
			bool seen = false;
			unsigned int s;

			for (s = 0; s < n; s++)
				seen |= shown[s] == i;
			if (!seen && f->plans[i].cost &&
			    (best == f->n_plans ||
			     f->plans[i].cost > f->plans[best].cost))
				best = i;
		}
		if (best == f->n_plans)
			break;
		shown[n++] = best;
		if (f->plans[best].rule)
			ps_error_at(&f->plans[best].rule->loc,
				    "the rules of '%s' cost %u instructions",
				    ps_syscall_name(f->plans[best].nr),
				    f->plans[best].cost);
	}
}

int ps_emit(struct ps_filter *f)
{
	struct emitter e = { .f = f };
	struct target kill = ret(SECCOMP_RET_KILL_PROCESS);
	struct target native, x32 = kill, i386 = kill, t;
	unsigned int a;

	for (a = 0; a < PS_N_ARCH; a++) {
		e.entry[a] = xcalloc(f->n_plans ? f->n_plans : 1,
				     sizeof(*e.entry[a]));
		e.reads[a] = xcalloc(f->n_plans ? f->n_plans : 1,
				     sizeof(*e.reads[a]));
	}
	e.written = xcalloc(PS_N_ARCH * (f->n_plans ? f->n_plans : 1),
			    sizeof(*e.written));
	if (f->opt.arch_all) {
		t = emit_arch(&e, PS_ARCH_I386, 0);
		t = load(&e, offsetof(struct seccomp_data, nr), t);
		i386 = jump(&e, BPF_JEQ, AUDIT_ARCH_I386, t, kill);
		x32 = emit_arch(&e, PS_ARCH_X32, X32_SYSCALL_BIT);
	}
	native = emit_arch(&e, PS_ARCH_X86_64, 0);
	t = jump(&e, BPF_JGE, X32_SYSCALL_BIT, x32, native);
	t = load(&e, offsetof(struct seccomp_data, nr), t);
	t = jump(&e, BPF_JEQ, AUDIT_ARCH_X86_64, t, i386);
	load(&e, offsetof(struct seccomp_data, arch), t);
	for (a = 0; a < PS_N_ARCH; a++) {
		free(e.entry[a]);
		free(e.reads[a]);
	}
	free(e.written);
	if (e.len > BPF_MAXINSNS) {
		report_too_long(f, e.len);
		free(e.buf);
		return -1;
	}
	f->prog.len = (unsigned short)e.len;
	f->prog.filter = xcalloc(e.len, sizeof(*f->prog.filter));
	memcpy(f->prog.filter, e.buf + e.cap - e.len, e.len * sizeof(*e.buf));
	free(e.buf);
	return 0;
}
