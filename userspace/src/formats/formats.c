// SPDX-License-Identifier: GPL-2.0-only
/*
 * The writers: a compiled filter's decisions as a minijail policy, an OCI
 * profile or a systemd drop-in. They start from the plans, not from the
 * rules, so what they write is what the filter does, whatever the source.
 *
 * Each syscall's ordered decisions are first made disjoint (a decision
 * holds where it holds and no earlier one does), because neither minijail
 * nor OCI has an order among rules: each region is then an action with a
 * condition, and the regions of the default action are left out.
 *
 * Minijail's atoms cannot say (arg & M) == V for V other than 0, so such
 * a comparison is spelt out as `in` and `&` on single bits. OCI's args
 * cannot compare one argument twice in one entry (runc then ORs them), so
 * an argument with several comparisons is written as the union of the
 * masked values ("cubes") it admits, found by splitting on bits: a range
 * costs at most two cubes per bit, an exclusion one per bit.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "argwidths.h"
#include "formats.h"
#include "groups.h"
#include "syscalls.h"

#define NOT_LIMIT 256 /* conjunctions a negation may grow to */
#define MAX_CUBES 512 /* per argument of one conjunction */
#define MAX_ENTRIES 4096 /* OCI entries per syscall */

int ps_format_parse(const char *name, enum ps_format *fmt)
{
	if (!strcmp(name, "minijail"))
		*fmt = PS_FORMAT_MINIJAIL;
	else if (!strcmp(name, "oci"))
		*fmt = PS_FORMAT_OCI;
	else if (!strcmp(name, "systemd"))
		*fmt = PS_FORMAT_SYSTEMD;
	else
		return -1;
	return 0;
}

/* ---- disjoint regions ---- */

struct region {
	struct ps_action action;
	struct ps_expr when;
};

struct regions {
	struct region *r;
	unsigned int n;
};

static void regions_free(struct regions *rs)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		ps_expr_free(&rs->r[i].when);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

/* PLAN's non-default actions, each with where it (alone) decides. */
static int plan_regions(const struct ps_filter *f, const struct ps_plan *plan,
			struct regions *rs)
{
	struct ps_expr covered = { 0 };
	unsigned int i, k;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < plan->n; i++) {
		const struct ps_decision *d = &plan->d[i];
		struct ps_expr r, neg;

		ps_expr_copy(&r, &d->when);
		if (covered.n) {
			if (!ps_expr_not(&covered, &neg, NOT_LIMIT)) {
				ps_warn("%s: its conditions are too many to write out",
					ps_syscall_name(plan->nr));
				ps_expr_free(&r);
				ps_expr_free(&covered);
				regions_free(rs);
				return -1;
			}
			ps_expr_and(&r, &neg);
			ps_expr_free(&neg);
		}
		ps_expr_or(&covered, &d->when);
		if (ps_expr_is_false(&r) ||
		    ps_action_equal(&d->action, &f->default_action)) {
			ps_expr_free(&r);
			continue;
		}
		for (k = 0; k < rs->n; k++)
			if (ps_action_equal(&rs->r[k].action, &d->action))
				break;
		if (k < rs->n) {
			ps_expr_or(&rs->r[k].when, &r);
			ps_expr_free(&r);
			continue;
		}
		rs->r = xrealloc(rs->r, rs->n + 1, sizeof(*rs->r));
		rs->r[rs->n].action = d->action;
		rs->r[rs->n++].when = r;
	}
	ps_expr_free(&covered);
	return 0;
}

/* ---- DNF arithmetic that keeps the atoms as they are ---- */

static void conj_append(struct ps_conj *dst, const struct ps_conj *src)
{
	unsigned int i;

	for (i = 0; i < src->n; i++)
		ps_conj_add(dst, &src->cmps[i]);
}

/* ACC := ACC && ALT, multiplied out, not normalized. */
static void dnf_and(struct ps_expr *acc, const struct ps_expr *alt)
{
	struct ps_expr out = { 0 };
	unsigned int i, j;

	for (i = 0; i < acc->n; i++)
		for (j = 0; j < alt->n; j++) {
			struct ps_conj c = { 0 };

			conj_append(&c, &acc->conjs[i]);
			conj_append(&c, &alt->conjs[j]);
			ps_expr_add_conj(&out, &c);
		}
	ps_expr_free(acc);
	*acc = out;
}

static void dnf_add_one(struct ps_expr *e, unsigned int arg, enum ps_op op,
			uint64_t value, uint64_t mask)
{
	struct ps_cmp c = { arg, op, value, mask };
	struct ps_conj one = { 0 };

	ps_conj_add(&one, &c);
	ps_expr_add_conj(e, &one);
}

/* ---- minijail ---- */

/*
 * C in minijail's atoms (== != < <= > >=, `in M`: (x & ~M) == 0, `& M`:
 * (x & M) != 0), as a DNF into OUT.
 */
static void minijail_atoms(const struct ps_cmp *c, struct ps_expr *out)
{
	uint64_t m = c->mask, v = c->value, bit;
	struct ps_conj conj = { 0 };

	memset(out, 0, sizeof(*out));
	switch (c->op) {
	case PS_OP_MASKED_EQ:
		if (v & ~m)
			return; /* never */
		if (m & ~v) {
			struct ps_cmp z = { c->arg, PS_OP_MASKED_EQ, 0,
					    m & ~v };

			ps_conj_add(&conj, &z);
		}
		for (bit = 1; bit; bit <<= 1) {
			struct ps_cmp s = { c->arg, PS_OP_MASKED_NE, 0, bit };

			if (v & bit)
				ps_conj_add(&conj, &s);
		}
		ps_expr_add_conj(out, &conj);
		return;
	case PS_OP_MASKED_NE:
		if (v & ~m) {
			ps_expr_set_true(out);
			return;
		}
		if (m & ~v)
			dnf_add_one(out, c->arg, PS_OP_MASKED_NE, 0, m & ~v);
		for (bit = 1; bit; bit <<= 1)
			if (v & bit)
				dnf_add_one(out, c->arg, PS_OP_MASKED_EQ, 0,
					    bit);
		return;
	default:
		ps_conj_add(&conj, c);
		ps_expr_add_conj(out, &conj);
	}
}

static void minijail_print_cmp(FILE *out, const struct ps_cmp *c)
{
	static const char *const ops[] = {
		[PS_OP_EQ] = "==", [PS_OP_NE] = "!=", [PS_OP_LT] = "<",
		[PS_OP_LE] = "<=", [PS_OP_GT] = ">",  [PS_OP_GE] = ">=",
	};
	unsigned long long v = c->value;

	if (c->op == PS_OP_MASKED_EQ) /* value 0 here */
		fprintf(out, "arg%u in %#llx", c->arg,
			~(unsigned long long)c->mask);
	else if (c->op == PS_OP_MASKED_NE)
		fprintf(out, "arg%u & %#llx", c->arg,
			(unsigned long long)c->mask);
	else
		fprintf(out, "arg%u %s %#llx", c->arg, ops[c->op], v);
}

static void minijail_print_expr(FILE *out, const struct ps_expr *e)
{
	struct ps_expr dnf = { 0 };
	unsigned int i, j;

	for (i = 0; i < e->n; i++) {
		struct ps_expr acc = { 0 };

		ps_expr_set_true(&acc);
		for (j = 0; j < e->conjs[i].n; j++) {
			struct ps_expr alt;

			minijail_atoms(&e->conjs[i].cmps[j], &alt);
			dnf_and(&acc, &alt);
			ps_expr_free(&alt);
		}
		for (j = 0; j < acc.n; j++) {
			struct ps_conj c = { 0 };

			conj_append(&c, &acc.conjs[j]);
			ps_expr_add_conj(&dnf, &c);
		}
		ps_expr_free(&acc);
	}
	for (i = 0; i < dnf.n; i++) {
		if (i)
			fputs(" || ", out);
		for (j = 0; j < dnf.conjs[i].n; j++) {
			if (j)
				fputs(" && ", out);
			minijail_print_cmp(out, &dnf.conjs[i].cmps[j]);
		}
	}
	ps_expr_free(&dnf);
}

/* An action as a policy says it: after ':' or ';', or after @default-action */
static void minijail_action(FILE *out, const struct ps_action *a)
{
	const char *name;
	char buf[32];

	/* minijail spells only errno its own way: "return NAME" */
	if (a->type != PS_ACT_ERRNO) {
		fprintf(out, "%s", ps_action_name(a, buf, sizeof(buf)));
		return;
	}
	name = ps_errno_name(a->errnum);
	if (name)
		fprintf(out, "return %s", name);
	else
		fprintf(out, "return %d", a->errnum);
}

static const struct region *find_action(const struct regions *rs,
					enum ps_action_type type, bool want)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		if ((rs->r[i].action.type == type) == want)
			return &rs->r[i];
	return NULL;
}

static int minijail_rule(FILE *out, const struct ps_filter *f, int nr,
			 const struct regions *rs)
{
	const struct region *allow = find_action(rs, PS_ACT_ALLOW, true);
	const struct region *other = find_action(rs, PS_ACT_ALLOW, false);
	const char *name = ps_syscall_name(nr);
	struct ps_expr both = { 0 }, neg;
	bool covers;

	if (!rs->n)
		return 0;
	if (rs->n > 2) {
		ps_warn("%s: %u actions depend on its arguments; a minijail rule has one condition and one alternative",
			name, rs->n);
		return -1;
	}
	fprintf(out, "%s: ", name);
	if (!other) {
		if (ps_expr_is_true(&allow->when))
			fputs("1", out);
		else
			minijail_print_expr(out, &allow->when);
		fputc('\n', out);
		return 0;
	}
	if (!allow && ps_expr_is_true(&other->when)) {
		minijail_action(out, &other->action);
		fputc('\n', out);
		return 0;
	}
	if (!allow && f->default_action.type == PS_ACT_ALLOW) {
		/* allowed where OTHER does not hold: that is the default */
		if (!ps_expr_not(&other->when, &neg, NOT_LIMIT))
			goto cannot;
		minijail_print_expr(out, &neg);
		ps_expr_free(&neg);
		fputs("; ", out);
		minijail_action(out, &other->action);
		fputc('\n', out);
		return 0;
	}
	if (!allow)
		goto cannot;
	/* "allow if A, else OTHER": only if the default is never reached */
	ps_expr_copy(&both, &allow->when);
	ps_expr_or(&both, &other->when);
	covers = ps_expr_is_tautology(&both, NOT_LIMIT);
	ps_expr_free(&both);
	if (!covers)
		goto cannot;
	minijail_print_expr(out, &allow->when);
	fputs("; ", out);
	minijail_action(out, &other->action);
	fputc('\n', out);
	return 0;
cannot:
	fputs("# (not expressible)\n", out);
	ps_warn("%s: allowed under one condition, refused otherwise under another, and the default elsewhere: minijail's language cannot say that",
		name);
	return -1;
}

static int write_minijail(FILE *out, const struct ps_filter *f,
			  const char *origin)
{
	static const struct ps_action kill = { PS_ACT_KILL_PROCESS, 0 };
	unsigned int i;
	int ret = 0;

	fprintf(out, "# pinscope policy, from %s\n", origin);
	if (f->opt.arch_all)
		fputs("# the source admits x32 and i386 calls: run with --arch all\n",
		      out);
	if (!ps_action_equal(&f->default_action, &kill)) {
		fputs("@default-action ", out);
		minijail_action(out, &f->default_action);
		fputc('\n', out);
	}
	for (i = 0; i < f->n_plans; i++) {
		struct regions rs;

		if (plan_regions(f, &f->plans[i], &rs) < 0) {
			ret = -1;
			continue;
		}
		if (minijail_rule(out, f, f->plans[i].nr, &rs) < 0)
			ret = -1;
		regions_free(&rs);
	}
	if (f->opt.landlock)
		ps_landlock_write(out, f->opt.landlock);
	return ret;
}

/* ---- OCI ---- */

/* Where cube (CM, CV) stands against C: inside 1, outside -1, mixed 0. */
static int cube_vs(const struct ps_cmp *c, uint64_t cm, uint64_t cv)
{
	uint64_t lo = cv, hi = cv | ~cm, k = c->value, m = c->mask;
	bool point = cm == UINT64_MAX;

	switch (c->op) {
	case PS_OP_EQ:
		return point && cv == k ? 1 : (k & cm) != cv ? -1 : 0;
	case PS_OP_NE:
		return (k & cm) != cv ? 1 : point ? -1 : 0;
	case PS_OP_LT:
		return hi < k ? 1 : lo >= k ? -1 : 0;
	case PS_OP_LE:
		return hi <= k ? 1 : lo > k ? -1 : 0;
	case PS_OP_GT:
		return lo > k ? 1 : hi <= k ? -1 : 0;
	case PS_OP_GE:
		return lo >= k ? 1 : hi < k ? -1 : 0;
	case PS_OP_MASKED_EQ:
		if ((k & ~m) || ((cv ^ k) & m & cm))
			return -1;
		return (m & ~cm) ? 0 : 1;
	case PS_OP_MASKED_NE:
		if ((k & ~m) || ((cv ^ k) & m & cm))
			return 1;
		return (m & ~cm) ? 0 : -1;
	}
	return 0;
}

struct cubes {
	uint64_t (*c)[2]; /* care mask, value */
	unsigned int n, cap;
	bool overflow;
};

/* The cubes inside every comparison of CS, by splitting (CM, CV). */
static void split(const struct ps_cmp *cs, unsigned int n, uint64_t cm,
		  uint64_t cv, struct cubes *out)
{
	uint64_t relevant = 0, bit;
	unsigned int i;
	bool mixed = false;

	if (out->overflow)
		return;
	for (i = 0; i < n; i++) {
		int w = cube_vs(&cs[i], cm, cv);

		if (w < 0)
			return;
		if (w == 0) {
			mixed = true;
			relevant |= (cs[i].op == PS_OP_MASKED_EQ ||
				     cs[i].op == PS_OP_MASKED_NE) ?
					    cs[i].mask & ~cm :
					    ~cm;
		}
	}
	if (!mixed) {
		if (out->n == MAX_CUBES) {
			out->overflow = true;
			return;
		}
		PS_PUSH(out->c, out->n, out->cap);
		out->c[out->n][0] = cm;
		out->c[out->n++][1] = cv;
		return;
	}
	for (bit = 1ULL << 63; !(relevant & bit); bit >>= 1)
		;
	split(cs, n, cm | bit, cv, out);
	split(cs, n, cm | bit, cv | bit, out);
}

struct oci_entry {
	struct ps_action action;
	struct ps_conj args; /* at most one per index, sorted */
	json_object *names;
};

struct oci_writer {
	struct oci_entry *e;
	unsigned int n, cap;
};

static bool same_args(const struct ps_conj *a, const struct ps_conj *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->cmps[i].arg != b->cmps[i].arg ||
		    a->cmps[i].op != b->cmps[i].op ||
		    a->cmps[i].value != b->cmps[i].value ||
		    (a->cmps[i].op == PS_OP_MASKED_EQ &&
		     a->cmps[i].mask != b->cmps[i].mask))
			return false;
	return true;
}

static void oci_add(struct oci_writer *w, const char *name,
		    const struct ps_action *a, struct ps_conj *args)
{
	unsigned int i;

	for (i = 0; i < w->n; i++)
		if (ps_action_equal(&w->e[i].action, a) &&
		    same_args(&w->e[i].args, args))
			break;
	if (i == w->n) {
		PS_PUSH(w->e, w->n, w->cap);
		w->e[i].action = *a;
		w->e[i].args = *args;
		w->e[i].names = json_object_new_array();
		w->n++;
	} else {
		free(args->cmps);
	}
	memset(args, 0, sizeof(*args));
	/* one name once per entry: regions of a syscall are disjoint */
	if (!json_object_array_length(w->e[i].names) ||
	    strcmp(json_object_get_string(json_object_array_get_idx(
			   w->e[i].names,
			   json_object_array_length(w->e[i].names) - 1)),
		   name))
		json_object_array_add(w->e[i].names,
				      json_object_new_string(name));
}

/*
 * The alternatives for argument ARG of a conjunction, each at most one
 * OCI comparison, into ALT (a DNF; a true alternative: no comparison).
 */
static int oci_arg(const struct ps_conj *c, unsigned int arg,
		   struct ps_expr *alt)
{
	struct ps_cmp *mine = xcalloc(c->n, sizeof(*mine));
	struct cubes cubes = { 0 };
	unsigned int i, n = 0;

	memset(alt, 0, sizeof(*alt));
	for (i = 0; i < c->n; i++)
		if (c->cmps[i].arg == arg)
			mine[n++] = c->cmps[i];
	if (!n) {
		ps_expr_set_true(alt);
	} else if (n == 1 && mine[0].op != PS_OP_MASKED_NE) {
		dnf_add_one(alt, arg, mine[0].op, mine[0].value, mine[0].mask);
	} else {
		split(mine, n, 0, 0, &cubes);
		if (cubes.overflow) {
			free(cubes.c);
			free(mine);
			return -1;
		}
		for (i = 0; i < cubes.n; i++) {
			uint64_t cm = cubes.c[i][0], cv = cubes.c[i][1];

			if (!cm) { /* every value */
				ps_expr_free(alt);
				ps_expr_set_true(alt);
				break;
			}
			if (cm == UINT64_MAX)
				dnf_add_one(alt, arg, PS_OP_EQ, cv, 0);
			else
				dnf_add_one(alt, arg, PS_OP_MASKED_EQ, cv, cm);
		}
	}
	free(cubes.c);
	free(mine);
	return 0;
}

/*
 * A cube's numbers, kept within 2^53 where an equal comparison allows:
 * JSON tools that read numbers as doubles (jq 1.6, JavaScript) round a
 * mask such as ~1 (18446744073709551614) to 2^64, which no reader can take
 * back. Where the kernel reads the argument as 32 or 16 bits, the bits of
 * the mask above them are dropped: a value differing only there is the
 * same call to the kernel (argwidths.h). A cube of the low values, (x &
 * ~(2^k - 1)) == 0, is x <= 2^k - 1.
 */
static void oci_narrow(int nr, unsigned int arg, struct ps_expr *alt)
{
	enum ps_read r = ps_arg_read(PS_ARCH_NATIVE, ps_syscall_name(nr), arg);
	uint64_t keep = r == PS_READ_U16 ? 0xffff :
			r == PS_READ_64	 ? UINT64_MAX :
					   0xffffffff;
	unsigned int i;

	for (i = 0; i < alt->n; i++) {
		struct ps_cmp *c = alt->conjs[i].cmps;
		uint64_t low;

		if (alt->conjs[i].n != 1 || c->op != PS_OP_MASKED_EQ)
			continue;
		low = ~c->mask;
		if (!c->value && !(low & (low + 1))) {
			c->op = PS_OP_LE;
			c->value = low;
			c->mask = 0;
		} else {
			c->mask &= keep;
			c->value &= keep;
		}
	}
}

static int oci_region(struct oci_writer *w, int nr, const struct region *r)
{
	const char *name = ps_syscall_name(nr);
	unsigned int i, j, arg;

	for (i = 0; i < r->when.n; i++) {
		struct ps_expr acc = { 0 };

		ps_expr_set_true(&acc);
		for (arg = 0; arg < 6; arg++) {
			struct ps_expr alt;
			int bad = oci_arg(&r->when.conjs[i], arg, &alt);

			if (!bad)
				oci_narrow(nr, arg, &alt);
			if (bad || acc.n * (alt.n ? alt.n : 1) > MAX_ENTRIES) {
				ps_warn("%s: a condition on arg%u needs more than %d OCI entries",
					name, arg, MAX_CUBES);
				ps_expr_free(&alt);
				ps_expr_free(&acc);
				return -1;
			}
			dnf_and(&acc, &alt);
			ps_expr_free(&alt);
		}
		/* comparisons come out by argument index, one each */
		for (j = 0; j < acc.n; j++)
			oci_add(w, name, &r->action, &acc.conjs[j]);
		ps_expr_free(&acc);
	}
	return 0;
}

static const char *oci_action(const struct ps_action *a)
{
	switch (a->type) {
	case PS_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case PS_ACT_ERRNO:
		return "SCMP_ACT_ERRNO";
	case PS_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case PS_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case PS_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case PS_ACT_LOG:
		return "SCMP_ACT_LOG";
	}
	return "SCMP_ACT_KILL_PROCESS";
}

static const char *oci_op(enum ps_op op)
{
	switch (op) {
	case PS_OP_EQ:
		return "SCMP_CMP_EQ";
	case PS_OP_NE:
		return "SCMP_CMP_NE";
	case PS_OP_LT:
		return "SCMP_CMP_LT";
	case PS_OP_LE:
		return "SCMP_CMP_LE";
	case PS_OP_GT:
		return "SCMP_CMP_GT";
	case PS_OP_GE:
		return "SCMP_CMP_GE";
	default:
		return "SCMP_CMP_MASKED_EQ";
	}
}

static json_object *oci_entry_json(struct oci_entry *e)
{
	json_object *o = json_object_new_object();
	unsigned int i;

	json_object_object_add(o, "names", e->names);
	e->names = NULL;
	json_object_object_add(o, "action",
			       json_object_new_string(oci_action(&e->action)));
	if (e->action.type == PS_ACT_ERRNO)
		json_object_object_add(o, "errnoRet",
				       json_object_new_int(e->action.errnum));
	if (e->args.n) {
		json_object *args = json_object_new_array();

		for (i = 0; i < e->args.n; i++) {
			const struct ps_cmp *c = &e->args.cmps[i];
			json_object *a = json_object_new_object();
			bool masked = c->op == PS_OP_MASKED_EQ;

			json_object_object_add(
				a, "index", json_object_new_int((int)c->arg));
			json_object_object_add(
				a, "value",
				json_object_new_uint64(masked ? c->mask :
								c->value));
			if (masked)
				json_object_object_add(
					a, "valueTwo",
					json_object_new_uint64(c->value));
			json_object_object_add(
				a, "op", json_object_new_string(oci_op(c->op)));
			json_object_array_add(args, a);
		}
		json_object_object_add(o, "args", args);
	}
	return o;
}

/*
 * runc's ENOSYS rule (enosys.c) starts above the highest number a profile
 * names. So that the profile means what the filter does, one entry with
 * the default action (which the runtimes drop, having counted its names)
 * names on each arch the number where the rule starts: the filter's own
 * threshold, or the table's last syscall when the filter has no rule (a
 * minijail policy: only numbers beyond the tables then get ENOSYS).
 */
static json_object *oci_enosys_entry(const struct ps_filter *f)
{
	json_object *o, *names = NULL;
	unsigned int a;

	if (f->default_action.type == PS_ACT_ALLOW ||
	    f->default_action.type == PS_ACT_LOG)
		return NULL;
	for (a = 0; a < PS_N_ARCH; a++) {
		int base;
		unsigned int range = ps_syscall_range(a, &base);
		int64_t top = f->enosys_above[a] >= 0 ?
				      f->enosys_above[a] :
				      (int64_t)base + range - 1;
		const char *name = ps_syscall_name_arch(a, (int)top);
		int native;

		if ((a != PS_ARCH_NATIVE && !f->opt.arch_all) || !name)
			continue;
		native = ps_syscall_lookup_arch(PS_ARCH_NATIVE, name);
		if (native >= 0 && ps_filter_plan(f, native))
			continue; /* written already */
		if (!names)
			names = json_object_new_array();
		json_object_array_add(names, json_object_new_string(name));
	}
	if (!names)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "names", names);
	json_object_object_add(
		o, "action",
		json_object_new_string(oci_action(&f->default_action)));
	if (f->default_action.type == PS_ACT_ERRNO)
		json_object_object_add(
			o, "errnoRet",
			json_object_new_int(f->default_action.errnum));
	json_object_object_add(
		o, "comment",
		json_object_new_string(
			"the default action, as everywhere no entry decides: names the highest number, where runc's ENOSYS rule starts"));
	return o;
}

static int write_oci(FILE *out, const struct ps_filter *f, const char *origin)
{
	struct oci_writer w = { 0 };
	json_object *root = json_object_new_object(), *archs, *scs, *enosys;
	unsigned int i;
	int ret = 0;

	/* what OCI cannot carry is said, here and on stderr */
	if (f->opt.landlock && ps_landlock_any(f->opt.landlock))
		ps_warn("the OCI profile leaves out the %u Landlock path and %u port rules%s: OCI has no Landlock field (runtime-spec pull request 1241 is open)",
			f->opt.landlock->n_paths, f->opt.landlock->n_ports,
			f->opt.landlock->scoped ? " and the scopes" : "");
	/* Docker and Podman skip members they do not know; pinscope too */
	if (origin) {
		char *c = xasprintf(
			"pinscope profile, from %s%s", origin,
			f->opt.landlock && ps_landlock_any(f->opt.landlock) ?
				"; its Landlock rules left out (OCI has no Landlock field: runtime-spec pull request 1241)" :
				"");

		json_object_object_add(root, "comment",
				       json_object_new_string(c));
		free(c);
	}
	json_object_object_add(
		root, "defaultAction",
		json_object_new_string(oci_action(&f->default_action)));
	if (f->default_action.type == PS_ACT_ERRNO)
		json_object_object_add(
			root, "defaultErrnoRet",
			json_object_new_int(f->default_action.errnum));
	archs = json_object_new_array();
	json_object_array_add(archs,
			      json_object_new_string("SCMP_ARCH_X86_64"));
	if (f->opt.arch_all) {
		json_object_array_add(archs,
				      json_object_new_string("SCMP_ARCH_X86"));
		json_object_array_add(archs,
				      json_object_new_string("SCMP_ARCH_X32"));
	}
	json_object_object_add(root, "architectures", archs);
	for (i = 0; i < f->n_plans; i++) {
		struct regions rs;
		unsigned int k;

		if (plan_regions(f, &f->plans[i], &rs) < 0) {
			ret = -1;
			continue;
		}
		for (k = 0; k < rs.n; k++)
			if (oci_region(&w, f->plans[i].nr, &rs.r[k]) < 0)
				ret = -1;
		regions_free(&rs);
	}
	scs = json_object_new_array();
	for (i = 0; i < w.n; i++) {
		json_object_array_add(scs, oci_entry_json(&w.e[i]));
		free(w.e[i].args.cmps);
	}
	free(w.e);
	enosys = oci_enosys_entry(f);
	if (enosys)
		json_object_array_add(scs, enosys);
	json_object_object_add(root, "syscalls", scs);
	if (!ret)
		fprintf(out, "%s\n",
			json_object_to_json_string_ext(
				root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return ret;
}

/* ---- systemd ---- */

struct words {
	FILE *out;
	const char *key; /* "SystemCallFilter=" or "SystemCallFilter=~" */
	size_t col;
};

/* Words on lines of the same setting, which systemd adds together. */
static void word(struct words *w, const char *s)
{
	if (w->col && w->col + 1 + strlen(s) > 76) {
		fputc('\n', w->out);
		w->col = 0;
	}
	if (!w->col)
		w->col = (size_t)fprintf(w->out, "%s%s", w->key, s);
	else
		w->col += (size_t)fprintf(w->out, " %s", s);
}

static void systemd_comment_expr(FILE *out, const char *what, const char *name,
				 const struct ps_expr *e, const char *then)
{
	fprintf(out, "# %s: %s only when ", name, what);
	minijail_print_expr(out, e);
	fprintf(out, "; systemd has no argument filters: %s\n", then);
}

/* Top directories InaccessiblePaths= may hide: none of /proc, /sys, /dev. */
static const char *const hideable[] = {
	"/boot", "/home", "/media", "/mnt", "/opt", "/root",
	"/run",	 "/srv",  "/tmp",   "/var", NULL,
};

/* One "KEY=" line of LL's paths whose rights include ANY of MASK. */
static void systemd_paths(FILE *out, const char *key,
			  const struct ps_landlock *ll, uint64_t mask)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < ll->n_paths; i++) {
		const struct ps_landlock_path *p = &ll->paths[i];

		if (!(p->access & mask) || !ps_landlock_path_sayable(p->path))
			continue;
		fprintf(out, "%s%s%s", any ? " " : key, p->optional ? "-" : "",
			p->path);
		any = true;
	}
	if (any)
		fputc('\n', out);
}

/* Is top directory TOP free of every rule (none in it, none above it)? */
static bool unruled(const struct ps_landlock *ll, const char *top)
{
	size_t n = strlen(top);
	unsigned int i;

	for (i = 0; i < ll->n_paths; i++) {
		const char *p = ll->paths[i].path;

		if (!strncmp(p, top, n) && (p[n] == '/' || !p[n]))
			return false;
		if (!strncmp(top, p, strlen(p)) &&
		    (top[strlen(p)] == '/' || !strcmp(p, "/")))
			return false;
	}
	return true;
}

/*
 * The Landlock rules in systemd's terms, each said for what it is:
 * systemd enforces them with mount namespaces and BPF, not Landlock.
 */
static void systemd_landlock(FILE *out, const struct ps_landlock *ll)
{
	unsigned int i;
	bool any = false;

	fputs("# The Landlock rules as systemd can say them. systemd enforces these with\n"
	      "# mount namespaces (ReadOnlyPaths=, ReadWritePaths=, InaccessiblePaths=,\n"
	      "# ExecPaths=) and BPF (SocketBindAllow=, RestrictAddressFamilies=), not\n"
	      "# Landlock: reading is refused only under the top directories made\n"
	      "# inaccessible, not everywhere no rule names\n",
	      out);
	for (i = 0; i < ll->n_paths; i++)
		if (!ps_landlock_path_sayable(ll->paths[i].path)) {
			fputs("# left out (a blank, control character, '#', '%', quote or backslash in the name): ",
			      out);
			ps_landlock_put_escaped(out, ll->paths[i].path);
			fputc('\n', out);
		}
	if (ll->n_paths) {
		fputs("ReadOnlyPaths=/\n", out);
		systemd_paths(out, "ReadWritePaths=", ll, PS_LL_WRITE);
		fputs("NoExecPaths=/\n", out);
		systemd_paths(out, "ExecPaths=", ll, PS_LL_EXEC);
		for (i = 0; hideable[i]; i++)
			if (unruled(ll, hideable[i])) {
				fprintf(out, "%s-%s",
					any ? " " : "InaccessiblePaths=",
					hideable[i]);
				any = true;
			}
		if (any)
			fputc('\n', out);
	}
	if (ll->tcp) {
		any = false;
		for (i = 0; i < ll->n_ports; i++) {
			if (ll->ports[i].access !=
			    LANDLOCK_ACCESS_NET_BIND_TCP) {
				fprintf(out,
					"# connect-tcp %u: systemd has no rule for a port connected to (IPAddressAllow= is by address)\n",
					ll->ports[i].port);
				continue;
			}
			fprintf(out, "SocketBindAllow=tcp:%u\n",
				ll->ports[i].port);
		}
		fputs("SocketBindDeny=any\n", out);
		fprintf(out, "RestrictAddressFamilies=AF_UNIX AF_NETLINK%s\n",
			ll->n_ports ? " AF_INET AF_INET6" : "");
	}
	if (ll->scoped)
		fputs("# scope (signals, abstract UNIX sockets out of the sandbox): systemd has no\n"
		      "# such rule; PrivateNetwork= gives the unit abstract sockets of its own\n",
		      out);
}

static int write_systemd(FILE *out, const struct ps_filter *f,
			 const char *origin)
{
	const struct ps_action *def = &f->default_action;
	bool deny_list = def->type == PS_ACT_ALLOW;
	char buf[64], word_buf[128];
	struct words w = {
		out, deny_list ? "SystemCallFilter=~" : "SystemCallFilter=", 0
	};
	const struct ps_group *g = ps_group_find("@default");
	const char *const *m;
	bool first = true;
	unsigned int i, k;

	fprintf(out,
		"# pinscope: a systemd drop-in, from %s\n"
		"# (for example /etc/systemd/system/UNIT.service.d/seccomp.conf)\n",
		origin);
	if (f->opt.arch_all)
		fputs("# the source admits x32 and i386 calls; SystemCallArchitectures=native\n"
		      "# refuses them\n",
		      out);
	/* first the comments, then the lists they qualify */
	for (i = 0; i < f->n_plans; i++) {
		const char *name = ps_syscall_name(f->plans[i].nr);
		struct regions rs;

		if (plan_regions(f, &f->plans[i], &rs) < 0)
			return -1;
		for (k = 0; k < rs.n; k++) {
			const struct region *r = &rs.r[k];
			const char *act =
				ps_action_name(&r->action, buf, sizeof(buf));
			bool always = ps_expr_is_true(&r->when);

			if (deny_list && !always)
				systemd_comment_expr(out, act, name, &r->when,
						     "allowed always");
			else if (deny_list && (r->action.type == PS_ACT_LOG ||
					       r->action.type == PS_ACT_TRAP))
				fprintf(out,
					"# %s: %s in the policy; systemd cannot say that: allowed\n",
					name, act);
			else if (deny_list &&
				 r->action.type == PS_ACT_KILL_THREAD)
				fprintf(out,
					"# %s: kill-thread in the policy; systemd kills the process\n",
					name);
			else if (!deny_list && r->action.type == PS_ACT_ALLOW &&
				 !always)
				systemd_comment_expr(out, "allowed", name,
						     &r->when,
						     "allowed always");
			else if (!deny_list && r->action.type != PS_ACT_ALLOW)
				fprintf(out,
					"# %s: %s%s in the policy; systemd gives it what every refused call gets\n",
					name, act,
					always ? "" : " under a condition");
		}
		regions_free(&rs);
	}
	if (!deny_list && g) {
		/* systemd allows these in any allow list */
		for (m = g->members; *m; m++) {
			int nr = ps_syscall_lookup(*m);
			uint64_t args[6] = { 0 };

			if (nr < 0 ||
			    ps_filter_decide(f, nr, args).type == PS_ACT_ALLOW)
				continue;
			fprintf(out, "%s %s",
				first ? "# systemd allows @default's calls in any allow list, these too:" :
					"",
				*m);
			first = false;
		}
		if (!first)
			fputc('\n', out);
	}
	if (!deny_list && def->type != PS_ACT_ERRNO &&
	    def->type != PS_ACT_KILL_PROCESS)
		fprintf(out,
			"# the policy's default is %s; systemd kills the process\n",
			ps_action_name(def, buf, sizeof(buf)));
	fputs("[Service]\nNoNewPrivileges=yes\nSystemCallArchitectures=native\n",
	      out);
	for (i = 0; i < f->n_plans; i++) {
		const char *name = ps_syscall_name(f->plans[i].nr);
		struct regions rs;

		if (plan_regions(f, &f->plans[i], &rs) < 0)
			return -1;
		for (k = 0; k < rs.n; k++) {
			const struct region *r = &rs.r[k];
			bool always = ps_expr_is_true(&r->when);

			if (!deny_list && r->action.type == PS_ACT_ALLOW) {
				word(&w, name);
			} else if (deny_list && always &&
				   r->action.type == PS_ACT_ERRNO) {
				const char *e = ps_errno_name(r->action.errnum);

				if (e)
					snprintf(word_buf, sizeof(word_buf),
						 "%s:%s", name, e);
				else
					snprintf(word_buf, sizeof(word_buf),
						 "%s:%d", name,
						 r->action.errnum);
				word(&w, word_buf);
			} else if (deny_list && always &&
				   (r->action.type == PS_ACT_KILL_PROCESS ||
				    r->action.type == PS_ACT_KILL_THREAD)) {
				word(&w, name);
			}
		}
		regions_free(&rs);
	}
	if (w.col)
		fputc('\n', out);
	if (!deny_list && def->type == PS_ACT_ERRNO) {
		const char *e = ps_errno_name(def->errnum);

		if (e)
			fprintf(out, "SystemCallErrorNumber=%s\n", e);
		else
			fprintf(out, "SystemCallErrorNumber=%d\n", def->errnum);
	}
	if (f->opt.landlock && ps_landlock_any(f->opt.landlock))
		systemd_landlock(out, f->opt.landlock);
	return 0;
}

int ps_format_write(FILE *out, const struct ps_filter *f, enum ps_format fmt,
		    const char *origin)
{
	switch (fmt) {
	case PS_FORMAT_MINIJAIL:
		return write_minijail(out, f, origin);
	case PS_FORMAT_OCI:
		return write_oci(out, f, origin);
	case PS_FORMAT_SYSTEMD:
		return write_systemd(out, f, origin);
	}
	return -1;
}

/* Writes TEXT to PATH whole, or not at all. */
static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "we");

	if (!f || fwrite(text, 1, len, f) != len) {
		ps_warn("cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f)) {
		ps_warn("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int ps_format_output(const struct ps_filter *f, enum ps_format fmt,
		     const char *origin, const char *output)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int ret;

	if (!mem) {
		ps_warn("out of memory");
		return EXIT_USAGE;
	}
	ret = ps_format_write(mem, f, fmt, origin);
	fclose(mem);
	if (ret < 0) {
		ps_warn("nothing written: the policy cannot be said in that format");
		free(text);
		return EXIT_USAGE;
	}
	if (output)
		ret = write_file(output, text, len);
	else if (fwrite(text, 1, len, stdout) != len || fflush(stdout))
		ret = -1;
	free(text);
	return ret < 0 ? EXIT_USAGE : 0;
}
