/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The expression algebra: conditions on a syscall's six 64-bit arguments,
 * in disjunctive normal form. Every comparison has its complement among
 * the operators, so negation never leaves the algebra, and every value is
 * a full unsigned 64-bit number (the emitter splits it into halves).
 */
#ifndef PINSCOPE_EXPR_H
#define PINSCOPE_EXPR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum ps_op {
	PS_OP_EQ,
	PS_OP_NE,
	PS_OP_LT,
	PS_OP_LE,
	PS_OP_GT,
	PS_OP_GE,
	PS_OP_MASKED_EQ, /* (arg & mask) == value */
	PS_OP_MASKED_NE, /* (arg & mask) != value; `arg & M` is (M, 0) */
};

struct ps_cmp {
	unsigned int arg; /* 0 to 5 */
	enum ps_op op;
	uint64_t value;
	uint64_t mask; /* the masked operators only */
};

struct ps_conj { /* every comparison holds; none: true */
	unsigned int n;
	struct ps_cmp *cmps;
};

struct ps_expr { /* some conjunction holds; none: false */
	unsigned int n;
	struct ps_conj *conjs;
};

/* What one comparison or a whole expression says of ARGS. */
bool ps_cmp_eval(const struct ps_cmp *c, uint64_t v);
bool ps_expr_eval(const struct ps_expr *e, const uint64_t args[6]);

void ps_expr_free(struct ps_expr *e);
void ps_expr_copy(struct ps_expr *dst, const struct ps_expr *src);
bool ps_expr_is_true(const struct ps_expr *e);
bool ps_expr_is_false(const struct ps_expr *e);
void ps_expr_set_true(struct ps_expr *e);
void ps_conj_add(struct ps_conj *c, const struct ps_cmp *cmp);
/* Appends C to E, taking its comparisons. */
void ps_expr_add_conj(struct ps_expr *e, struct ps_conj *c);

/*
 * The normal form: each conjunction reduced per argument (one interval,
 * one mask, the exclusions that still matter, in a canonical order),
 * contradictions dropped, duplicates and conjunctions implied by a
 * simpler one removed. The meaning never changes.
 */
void ps_expr_normalize(struct ps_expr *e);

/* A := A && B, A := A || B; both normalized. */
void ps_expr_and(struct ps_expr *a, const struct ps_expr *b);
void ps_expr_or(struct ps_expr *a, const struct ps_expr *b);
/*
 * A := A || B, not normalized: to join many expressions, append each,
 * then normalize once (normalizing costs about what the whole does).
 */
void ps_expr_append(struct ps_expr *a, const struct ps_expr *b);

/*
 * OUT := !E, normalized. Returns false (OUT false) when the result would
 * have more than LIMIT conjunctions: negation of a DNF multiplies out.
 */
bool ps_expr_not(const struct ps_expr *e, struct ps_expr *out,
		 unsigned int limit);

/* Holds for every input: its negation is empty (within LIMIT). */
bool ps_expr_is_tautology(const struct ps_expr *e, unsigned int limit);

/* The complement of an operator: !(a OP b) == (a ps_op_not(OP) b). */
enum ps_op ps_op_not(enum ps_op op);

/* "arg0 == 0x1 && arg2 & 0x4 != 0"; "always", "never". */
void ps_expr_print(FILE *out, const struct ps_expr *e);
void ps_cmp_print(FILE *out, const struct ps_cmp *c);

#endif
