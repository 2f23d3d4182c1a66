// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arguments as the kernel reads them: look-ups in the generated tables,
 * and the value a syscall gets from a register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argwidths.h"
#include "policy.h"

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ps_argwidth *)elem)->name);
}

const struct ps_argwidth *ps_argwidth_find(enum ps_arch arch, const char *name)
{
	const struct ps_argwidth_table *t;

	if ((unsigned int)arch >= PS_N_ARCH || !name)
		return NULL;
	t = &ps_argwidth_tables[arch];
	return bsearch(name, t->e, t->n, sizeof(*t->e), by_name);
}

static enum ps_read read_of(const struct ps_argwidth *w, unsigned int arg)
{
	if (!w || arg >= w->n)
		return PS_READ_64;
	return (enum ps_read)w->read[arg];
}

enum ps_read ps_arg_read(enum ps_arch arch, const char *name, unsigned int arg)
{
	return read_of(ps_argwidth_find(arch, name), arg);
}

void ps_arg_reads(enum ps_arch arch, const char *name, enum ps_read out[6])
{
	const struct ps_argwidth *w = ps_argwidth_find(arch, name);
	unsigned int i;

	for (i = 0; i < 6; i++)
		out[i] = read_of(w, i);
}

uint64_t ps_read_value(enum ps_read r, uint64_t v)
{
	switch (r) {
	case PS_READ_U32:
		return (uint32_t)v;
	case PS_READ_S32:
		return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
	case PS_READ_U16:
		return (uint16_t)v;
	case PS_READ_64:
		break;
	}
	return v;
}

void ps_args_read(enum ps_arch arch, const char *name, const uint64_t in[6],
		  uint64_t out[6])
{
	enum ps_read r[6];
	unsigned int i;

	ps_arg_reads(arch, name, r);
	for (i = 0; i < 6; i++)
		out[i] = ps_read_value(r[i], in[i]);
}

const char *ps_read_name(enum ps_read r)
{
	switch (r) {
	case PS_READ_U32:
		return "a 32-bit unsigned";
	case PS_READ_S32:
		return "a 32-bit signed";
	case PS_READ_U16:
		return "a 16-bit unsigned";
	case PS_READ_64:
		break;
	}
	return "a 64-bit";
}

bool ps_arg_carries(enum ps_arch arch, const char *name, unsigned int arg)
{
	const struct ps_argwidth *w = ps_argwidth_find(arch, name);
	const struct ps_argwidth *native =
		ps_argwidth_find(PS_ARCH_X86_64, name);

	if (arch == PS_ARCH_X86_64)
		return true;
	if (!w)
		return false;
	if (w->same >= 0 && arg < (unsigned int)w->same)
		return true;
	/* a register neither syscall reads: nothing to carry, nothing lost */
	return w->same >= 0 && native && arg >= w->n && arg >= native->n;
}

/*
 * Whether (x & MASK) == VALUE can hold for some x the syscall may get
 * under reading R: the bits R fixes are 0 above bit 15 or 31, or, for a
 * signed int, copies of bit 31.
 */
static bool masked_possible(enum ps_read r, uint64_t mask, uint64_t value)
{
	uint64_t hi = mask & ~(uint64_t)UINT32_MAX;

	if (value & ~mask)
		return false;
	switch (r) {
	case PS_READ_U32:
		return !(value >> 32);
	case PS_READ_U16:
		return !(value >> 16);
	case PS_READ_S32:
		/* the upper half all 0 (bit 31 clear) or all 1 (set) */
		if (!(value & hi))
			return !hi || !(mask & 0x80000000u) ||
			       !(value & 0x80000000u);
		if ((value & hi) != hi)
			return false;
		return !(mask & 0x80000000u) || (value & 0x80000000u);
	case PS_READ_64:
		break;
	}
	return true;
}

static void warn_moot(const struct ps_rule *r, const char *name,
		      const struct ps_cmp *c, enum ps_read rd)
{
	char buf[160];
	FILE *m = fmemopen(buf, sizeof(buf), "w");
	bool ne = c->op == PS_OP_NE || c->op == PS_OP_MASKED_NE;

	if (!m)
		return;
	ps_cmp_print(m, c);
	fclose(m);
	ps_warning_at(
		&r->loc,
		"'%s' always %s: %s's arg%u is %s int to the kernel, which drops the upper bits this compares",
		buf, ne ? "holds" : "fails", name, c->arg, ps_read_name(rd));
	if (rd == PS_READ_S32 && !(c->value >> 32) && (c->value & 0x80000000u))
		ps_note_at(&r->loc, "as an int, %#llx is %d: write that",
			   (unsigned long long)c->value, (int32_t)c->value);
}

/* The comparisons of R that the kernel's reading of NAME decides alone. */
static void check_moot(const struct ps_rule *r, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < r->cond.n; i++) {
		const struct ps_conj *cj = &r->cond.conjs[i];

		for (j = 0; j < cj->n; j++) {
			const struct ps_cmp *c = &cj->cmps[j];
			enum ps_read rd =
				ps_arg_read(PS_ARCH_X86_64, name, c->arg);
			uint64_t mask = ~(uint64_t)0;

			if (rd == PS_READ_64)
				continue;
			switch (c->op) {
			case PS_OP_MASKED_EQ:
			case PS_OP_MASKED_NE:
				mask = c->mask;
				/* fall through */
			case PS_OP_EQ:
			case PS_OP_NE:
				if (!masked_possible(rd, mask, c->value & mask))
					warn_moot(r, name, c, rd);
				break;
			default:
				break;
			}
		}
	}
}

/* Refuses R's conditions on arguments ARCH's NAME takes differently. */
static int check_layout(const struct ps_rule *r, const char *name,
			enum ps_arch arch)
{
	const struct ps_argwidth *w = ps_argwidth_find(arch, name);
	const struct ps_argwidth *native =
		ps_argwidth_find(PS_ARCH_X86_64, name);
	unsigned int i, j;

	for (i = 0; i < r->cond.n; i++) {
		const struct ps_conj *cj = &r->cond.conjs[i];

		for (j = 0; j < cj->n; j++) {
			unsigned int a = cj->cmps[j].arg;

			if (ps_arg_carries(arch, name, a))
				continue;
			if (!w || w->same < 0)
				ps_error_at(
					&r->loc,
					"with --arch all, %s '%s' is decided by this rule, but pinscope has no prototype of its entry point%s%s to tell what its arg%u is",
					ps_arch_name(arch), name, w ? " " : "",
					w ? w->entry : "", a);
			else
				ps_error_at(
					&r->loc,
					"with --arch all, %s '%s' is decided by this rule, but its arg%u is not x86_64's: %s runs %s, not %s, whose arguments differ from arg%d on",
					ps_arch_name(arch), name, a,
					ps_arch_name(arch), w->entry,
					native ? native->entry : "?", w->same);
			ps_note_at(
				&r->loc,
				"drop the conditions on arg%u, or leave --arch native: the filter then kills every %s call",
				a, ps_arch_name(arch));
			return 1;
		}
	}
	return 0;
}

static bool has_cmps(const struct ps_expr *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		if (e->conjs[i].n)
			return true;
	return false;
}

int ps_policy_check_reads(const struct ps_policy *p, bool arch_all)
{
	static const enum ps_arch others[] = { PS_ARCH_I386, PS_ARCH_X32 };
	unsigned int i, k;
	int errors = 0;

	for (i = 0; i < p->n; i++) {
		const struct ps_rule *r = &p->rules[i];
		const char *name = ps_syscall_name(r->nr);

		/*
		 * an i386-only syscall's conditions are about its own
		 * arguments; a rule without any has nothing to check (most
		 * rules: the name lookups of the ABIs were 15% of compiling
		 * Docker's profile)
		 */
		if (ps_is_i386_only(r->nr) || !has_cmps(&r->cond))
			continue;
		check_moot(r, name);
		for (k = 0; arch_all && k < ARRAY_SIZE(others); k++)
			if (ps_syscall_lookup_arch(others[k], name) >= 0)
				errors += check_layout(r, name, others[k]);
	}
	return errors;
}
