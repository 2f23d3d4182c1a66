// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy parser: minijail's policy language (the semantics of
 * `minijail0 -S`), pinscope's extensions (@groups, per-rule actions) and
 * the command-line lists. It only builds rules; the compiler (plan.c)
 * decides what the rules mean together.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "groups.h"
#include "policy.h"
#include "syscalls.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_GROUP_DEPTH 8
/*
 * Files one policy may read, includes and @frequency files counted: 16
 * files that each include the next 4 times would be read 4^15 times, and
 * no depth limit stops that. ChromeOS's and crosvm's read a handful.
 */
#define MAX_FILES 256
/*
 * Parentheses, ~ and - nested in one value: each level is a call, and
 * 30,000 of them overflowed the stack. Nobody writes more than a few.
 */
#define MAX_NESTING 64
/* Policies are small text files: a device or a FIFO would never end. */
#define MAX_POLICY_SIZE (4 << 20)

/*
 * Where a run of a logical line's bytes came from: those from AT on are
 * line LINENO's from its first column, up to the next run (each physical
 * line of a logical one is a run; a comment ends its bytes).
 */
struct origin {
	size_t at;
	unsigned int lineno;
};

/*
 * One logical line: continuation lines joined, each byte's origin kept
 * as runs. A line and a column for every byte of the file cost more to
 * fill than the lexer's work, and large buffers made glibc's malloc
 * consolidate its free lists on every policy read.
 */
struct line {
	char *text;
	size_t len, cap;
	struct origin *origins;
	unsigned int n_origins, cap_origins;
};

struct token;

struct parser {
	struct ps_policy *policy;
	const char *file;
	struct line *ln;
	size_t pos;
	/* the include chain, for loops and notes */
	const char **stack;
	unsigned int depth;
	/* how deep parse_term() is in ( ), ~ and - of one value */
	unsigned int nesting;
	/* the token peek() read last, so next() need not lex it again */
	size_t peeked_at;
	bool peeked;
	struct token *peek_cache;
};

void ps_policy_init(struct ps_policy *p)
{
	memset(p, 0, sizeof(*p));
}

void ps_policy_free(struct ps_policy *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		ps_expr_free(&p->rules[i].cond);
		free(p->rules[i].text);
	}
	free(p->rules);
	for (i = 0; i < p->n_include_dirs; i++)
		free(p->include_dirs[i]);
	for (i = 0; i < p->n_files; i++)
		free(p->files[i]);
	for (i = 0; i < p->n_defines; i++)
		free(p->define_names[i]);
	free(p->define_names);
	free(p->define_values);
	free(p->files);
	free(p->include_dirs);
	free(p->frequencies);
	ps_landlock_free(&p->landlock);
	memset(p, 0, sizeof(*p));
}

static bool is_ident_char(char c, bool first);

/* ---- reading files into logical lines ---- */

static void line_free(struct line *l)
{
	free(l->text);
	free(l->origins);
	memset(l, 0, sizeof(*l));
}

/* Appends the N bytes at S, line LINENO's from its first column, to L. */
static void line_add(struct line *l, const char *s, size_t n,
		     unsigned int lineno)
{
	if (!n)
		return;
	/* room for them and the terminating NUL */
	if (l->len + n + 1 > l->cap) {
		while (l->len + n + 1 > l->cap)
			l->cap = l->cap ? 2 * l->cap : 256;
		l->text = xrealloc(l->text, l->cap, 1);
	}
	PS_PUSH(l->origins, l->n_origins, l->cap_origins);
	l->origins[l->n_origins++] = (struct origin){ l->len, lineno };
	memcpy(l->text + l->len, s, n);
	l->len += n;
}

/*
 * Split TEXT into logical lines: a backslash at the end of a line joins
 * it with the next, and '#' starts a comment (to the end of the logical
 * line). Calls FN for each. Whole lines are searched with memchr and
 * copied at once: byte by byte this loop cost a tenth of a compile.
 */
static int for_each_line(struct parser *ps, const char *text, size_t len,
			 int (*fn)(struct parser *ps))
{
	size_t i = 0;
	unsigned int lineno = 1;
	int ret = 0;
	/* one buffer serves every line */
	struct line l = { 0 };

	while (i < len) {
		bool comment = false, more;

		l.len = 0;
		l.n_origins = 0;
		do {
			const char *nl = memchr(text + i, '\n', len - i);
			size_t end = nl ? (size_t)(nl - text) : len, keep = end;
			const char *hash;

			more = nl && end > i && text[end - 1] == '\\';
			if (more)
				keep = end - 1;
			if (!comment) {
				hash = memchr(text + i, '#', keep - i);
				if (hash) {
					keep = (size_t)(hash - text);
					comment = true;
				}
				line_add(&l, text + i, keep - i, lineno);
			}
			i = nl ? end + 1 : len;
			lineno += nl != NULL;
		} while (more);
		if (!l.len)
			continue;
		l.text[l.len] = '\0';
		ps->ln = &l;
		ps->pos = 0;
		ps->peeked = false;
		if (fn(ps) < 0)
			ret = -1;
		ps->ln = NULL;
	}
	line_free(&l);
	return ret;
}

/* ---- the lexer over one logical line ---- */

enum tok_type { T_END, T_IDENT, T_NUMBER, T_OP };

struct token {
	enum tok_type type;
	size_t start;
	size_t len; /* strlen(text): what next() consumes */
	char text[96]; /* longer words are cut: no name is that long */
};

/* Only the bytes in use: the lexer copies a token on every peek. */
static void token_copy(struct token *to, const struct token *from)
{
	to->type = from->type;
	to->start = from->start;
	to->len = from->len;
	memcpy(to->text, from->text, from->len + 1);
}

/* The operators of two characters: ||, &&, ==, !=, <=, >= */
static bool two_char_op(char c, char d)
{
	return (c == '|' && d == '|') || (c == '&' && d == '&') ||
	       (d == '=' && (c == '=' || c == '!' || c == '<' || c == '>'));
}

static struct ps_loc loc_at(const struct parser *ps, size_t pos)
{
	struct ps_loc loc = { ps->file, 0, 0 };

	if (ps->ln) {
		const struct origin *o = ps->ln->origins;
		unsigned int i = ps->ln->n_origins - 1;

		if (pos > ps->ln->len)
			pos = ps->ln->len;
		/* the end of the line is one column after its last byte */
		while (i > 0 && o[i].at > pos)
			i--;
		loc.line = o[i].lineno;
		loc.col = 1 + (unsigned int)(pos - o[i].at);
	}
	return loc;
}

static int error_at(struct parser *ps, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int error_at(struct parser *ps, size_t pos, const char *fmt, ...)
{
	struct ps_loc loc = loc_at(ps, pos);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps_error_at(&loc, "%s", msg);
	ps->policy->errors++;
	return -1;
}

static void skip_space(struct parser *ps)
{
	while (ps->pos < ps->ln->len &&
	       (ps->ln->text[ps->pos] == ' ' || ps->ln->text[ps->pos] == '\t' ||
		ps->ln->text[ps->pos] == '\r'))
		ps->pos++;
}

static bool is_ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* Reads the next token without consuming it. */
static void peek(struct parser *ps, struct token *t)
{
	const char *s = ps->ln->text;
	size_t p, n;

	skip_space(ps);
	p = ps->pos;
	if (ps->peeked && ps->peeked_at == p && ps->peek_cache) {
		token_copy(t, ps->peek_cache);
		return;
	}
	t->start = p;
	if (p >= ps->ln->len) {
		t->type = T_END;
		t->len = 0;
		t->text[0] = '\0';
		return;
	}
	if (is_ident_char(s[p], true)) {
		n = p;
		while (n < ps->ln->len && is_ident_char(s[n], n == p))
			n++;
		t->type = T_IDENT;
	} else if (s[p] >= '0' && s[p] <= '9') {
		n = p;
		while (n < ps->ln->len && ((s[n] >= '0' && s[n] <= '9') ||
					   (s[n] >= 'a' && s[n] <= 'z') ||
					   (s[n] >= 'A' && s[n] <= 'Z')))
			n++;
		t->type = T_NUMBER;
	} else {
		/* two-character operators first, then one character */
		n = p + (p + 1 < ps->ln->len && two_char_op(s[p], s[p + 1]) ?
				 2 :
				 1);
		t->type = T_OP;
	}
	if (n - p >= sizeof(t->text))
		n = p + sizeof(t->text) - 1;
	memcpy(t->text, s + p, n - p);
	t->text[n - p] = '\0';
	/* a NUL in the line is a token of no length, as strlen sees it */
	t->len = s[p] ? n - p : 0;
	if (ps->peek_cache) {
		token_copy(ps->peek_cache, t);
		ps->peeked_at = p;
		ps->peeked = true;
	}
}

static void next(struct parser *ps, struct token *t)
{
	peek(ps, t);
	ps->pos = t->start + t->len;
}

static bool accept_op(struct parser *ps, const char *op)
{
	struct token t;

	peek(ps, &t);
	if (t.type == T_OP && !strcmp(t.text, op)) {
		ps->pos = t.start + t.len;
		return true;
	}
	return false;
}

static const char *describe(const struct token *t)
{
	return t->type == T_END ? "end of line" : t->text;
}

/* ---- values: constants, numbers, |, ~, ( ) ---- */

static bool policy_constant(const struct ps_policy *p, const char *name,
			    uint64_t *value)
{
	unsigned int i;

	for (i = 0; i < p->n_defines; i++) {
		if (!strcmp(p->define_names[i], name)) {
			*value = p->define_values[i];
			return true;
		}
	}
	return ps_constant_lookup(name, value);
}

void ps_policy_add_include_dir(struct ps_policy *p, const char *dir)
{
	p->include_dirs = xrealloc(p->include_dirs, p->n_include_dirs + 1,
				   sizeof(char *));
	p->include_dirs[p->n_include_dirs++] = xstrdup(dir);
}

int ps_policy_define(struct ps_policy *p, const char *def)
{
	const char *eq = strchr(def, '=');
	uint64_t v;
	size_t i;

	if (!eq || eq == def || !ps_parse_u64(eq + 1, &v)) {
		ps_warn("bad -D '%s': want NAME=NUMBER", def);
		return -1;
	}
	for (i = 0; def + i < eq; i++) {
		if (!is_ident_char(def[i], i == 0) || def[i] == '-') {
			ps_warn("bad -D '%s': '%.*s' is not a name", def,
				(int)(eq - def), def);
			return -1;
		}
	}
	p->define_names =
		xrealloc(p->define_names, p->n_defines + 1, sizeof(char *));
	p->define_values =
		xrealloc(p->define_values, p->n_defines + 1, sizeof(uint64_t));
	p->define_names[p->n_defines] = xasprintf("%.*s", (int)(eq - def), def);
	p->define_values[p->n_defines++] = v;
	return 0;
}

static int parse_value(struct parser *ps, uint64_t *out);
static int parse_nested_term(struct parser *ps, uint64_t *out);

/* A term, counting how deep it is nested. */
static int parse_term(struct parser *ps, uint64_t *out)
{
	struct token t;
	int ret;

	peek(ps, &t);
	if (ps->nesting >= MAX_NESTING)
		return error_at(
			ps, t.start,
			"value nested deeper than %d levels of '(', '~' and '-'",
			MAX_NESTING);
	ps->nesting++;
	ret = parse_nested_term(ps, out);
	ps->nesting--;
	return ret;
}

static int parse_nested_term(struct parser *ps, uint64_t *out)
{
	struct token t;

	next(ps, &t);
	if (t.type == T_OP && !strcmp(t.text, "~")) {
		if (parse_term(ps, out) < 0)
			return -1;
		*out = ~*out;
		return 0;
	}
	if (t.type == T_OP && !strcmp(t.text, "-")) {
		if (parse_term(ps, out) < 0)
			return -1;
		*out = (uint64_t)0 - *out;
		return 0;
	}
	if (t.type == T_OP && !strcmp(t.text, "(")) {
		if (parse_value(ps, out) < 0)
			return -1;
		if (!accept_op(ps, ")")) {
			peek(ps, &t);
			return error_at(ps, t.start, "expected ')', found '%s'",
					describe(&t));
		}
		return 0;
	}
	if (t.type == T_NUMBER) {
		if (!ps_parse_u64(t.text, out))
			return error_at(ps, t.start, "invalid number '%s'",
					t.text);
		return 0;
	}
	if (t.type == T_IDENT) {
		if (!policy_constant(ps->policy, t.text, out))
			return error_at(
				ps, t.start,
				"unknown constant '%s' (not in this system's headers; -D %s=VALUE defines it)",
				t.text, t.text);
		return 0;
	}
	return error_at(ps, t.start,
			"expected a number or a constant, found '%s'",
			describe(&t));
}

static int parse_value(struct parser *ps, uint64_t *out)
{
	uint64_t v;

	if (parse_term(ps, out) < 0)
		return -1;
	while (accept_op(ps, "|")) {
		if (parse_term(ps, &v) < 0)
			return -1;
		*out |= v;
	}
	return 0;
}

/* ---- expressions, built straight into disjunctive normal form ---- */

/*
 * The grammar of a rule line (minijail's, with pinscope's extensions):
 *
 *   line       := name ':' spec | '@include' PATH | '@frequency' PATH
 *                 | '@default-action' action
 *   name       := SYSCALL | '@' GROUP
 *   spec       := '1' | action | expr [ ';' [ action ] ]
 *   action     := 'return' [ ERRNO ] | 'allow' | 'kill' | 'kill-process'
 *                 | 'kill-thread' | 'trap' | 'log' | 'errno' ERRNO
 *   expr       := conj { '||' conj }
 *   conj       := atom { '&&' atom }
 *   atom       := 'arg' [0-5] op value
 *   op         := '==' | '!=' | '<' | '<=' | '>' | '>=' | '&' | 'in'
 *   value      := term { '|' term }
 *   term       := NUMBER | CONSTANT | '~' term | '-' term | '(' value ')'
 *                 (at most MAX_NESTING terms inside one another)
 *
 * `argN & M` holds when some bit of M is set, `argN in M` when no bit
 * outside M is. A bare `return` after an expression is minijail's "kill
 * otherwise": kill-process, whatever --default-action says; a bare
 * `return` as the whole spec is minijail0 -S's "the default action" (a
 * rule that never allows). ERRNO is a name or 0 to 65535 (SECCOMP_RET_DATA,
 * as minijail takes it); above 4095 it is 4095, the kernel's cap.
 * `@default-action ACTION` sets what every call no rule allows gets
 * (kill-process unless it says; the command line's --default-action
 * wins), so a profile converted from OCI keeps its defaultAction. Only
 * the extensions (groups, action keywords, @default-action) are errors
 * in strict minijail mode.
 */

/* One comparison; false into *NEVER when it can hold for no value. */
static int parse_atom(struct parser *ps, struct ps_cmp *cmp, bool *never)
{
	struct token t;
	uint64_t v;

	memset(cmp, 0, sizeof(*cmp));
	next(ps, &t);
	if (t.type != T_IDENT || strncmp(t.text, "arg", 3) ||
	    strlen(t.text) != 4 || t.text[3] < '0' || t.text[3] > '5')
		return error_at(
			ps, t.start,
			"expected an argument (arg0 to arg5), found '%s'",
			describe(&t));
	cmp->arg = (unsigned int)(t.text[3] - '0');
	next(ps, &t);
	if (t.type == T_OP && !strcmp(t.text, "=="))
		cmp->op = PS_OP_EQ;
	else if (t.type == T_OP && !strcmp(t.text, "!="))
		cmp->op = PS_OP_NE;
	else if (t.type == T_OP && !strcmp(t.text, "<"))
		cmp->op = PS_OP_LT;
	else if (t.type == T_OP && !strcmp(t.text, "<="))
		cmp->op = PS_OP_LE;
	else if (t.type == T_OP && !strcmp(t.text, ">"))
		cmp->op = PS_OP_GT;
	else if (t.type == T_OP && !strcmp(t.text, ">="))
		cmp->op = PS_OP_GE;
	else if (t.type == T_OP && !strcmp(t.text, "&"))
		cmp->op = PS_OP_MASKED_NE; /* (arg & M) != 0 */
	else if (t.type == T_IDENT && !strcmp(t.text, "in"))
		cmp->op = PS_OP_MASKED_EQ; /* (arg & ~M) == 0 */
	else
		return error_at(
			ps, t.start,
			"expected an operator (== != < <= > >= & in), found '%s'",
			describe(&t));
	if (parse_value(ps, &v) < 0)
		return -1;
	if (cmp->op == PS_OP_MASKED_NE) {
		cmp->mask = v;
		*never |= v == 0;
	} else if (cmp->op == PS_OP_MASKED_EQ) {
		cmp->mask = ~v;
	} else {
		cmp->value = v;
	}
	return 0;
}

/* expr, kept as written (the oracle of the tests reads it so). */
static int parse_expr(struct parser *ps, struct ps_expr *out)
{
	memset(out, 0, sizeof(*out));
	do {
		struct ps_conj conj = { 0 };
		bool never = false;

		do {
			struct ps_cmp cmp;

			if (parse_atom(ps, &cmp, &never) < 0) {
				free(conj.cmps);
				ps_expr_free(out);
				return -1;
			}
			ps_conj_add(&conj, &cmp);
		} while (accept_op(ps, "&&"));
		if (never)
			free(conj.cmps);
		else
			ps_expr_add_conj(out, &conj);
	} while (accept_op(ps, "||"));
	return 0;
}

/* ---- actions inside policies ---- */

static int parse_errno_token(struct parser *ps, int *err)
{
	struct token t;
	uint64_t v;

	next(ps, &t);
	if (t.type == T_IDENT) {
		*err = ps_errno_lookup(t.text);
		if (*err < 0)
			return error_at(ps, t.start, "unknown errno '%s'",
					t.text);
		return 0;
	}
	/*
	 * minijail takes any value of SECCOMP_RET_DATA; the kernel fails
	 * the call with at most 4095 (MAX_ERRNO), so that is the meaning
	 */
	if (t.type == T_NUMBER && ps_parse_u64(t.text, &v) && v <= 0xffff) {
		*err = v > 4095 ? 4095 : (int)v;
		return 0;
	}
	return error_at(
		ps, t.start,
		"expected an errno (a name such as EPERM, or 0 to 65535), found '%s'",
		describe(&t));
}

/*
 * "return ERRNO" (minijail) or, as an extension, an action keyword.
 * Returns 1 when the next tokens are not an action at all, 2 for a bare
 * `return` where BARE_OK.
 */
static int parse_action(struct parser *ps, struct ps_action *a, bool bare_ok)
{
	struct token t;
	enum ps_action_type type;

	peek(ps, &t);
	if (t.type != T_IDENT)
		return 1;
	memset(a, 0, sizeof(*a));
	if (!strcmp(t.text, "return")) {
		next(ps, &t);
		peek(ps, &t);
		if (t.type == T_END && bare_ok)
			return 2;
		a->type = PS_ACT_ERRNO;
		return parse_errno_token(ps, &a->errnum);
	}
	if (!ps_action_keyword(t.text, &type))
		return 1;
	if (ps->policy->minijail_strict)
		return error_at(
			ps, t.start,
			"action '%s' is a pinscope extension (strict minijail mode: use 'return ERRNO')",
			t.text);
	next(ps, &t);
	a->type = type;
	if (a->type == PS_ACT_ERRNO)
		return parse_errno_token(ps, &a->errnum);
	return 0;
}

/* ---- rules ---- */

static void add_rule(struct ps_policy *p, const struct ps_rule *r)
{
	PS_PUSH(p->rules, p->n, p->cap);
	p->rules[p->n++] = *r;
}

/*
 * Adds RULE for NAME (a syscall or an @group). Each group member gets a
 * copy of the rule's expression and text; a syscall named alone takes
 * TEMPLATE's own when TAKE (the template is left empty), which spares a
 * copy and a free on every line of a policy.
 */
static int add_named(struct ps_policy *p, const char *name,
		     struct ps_rule *template, const struct ps_loc *loc,
		     unsigned int depth, bool quiet_unknown, bool take)
{
	struct ps_rule r = *template;
	const struct ps_group *g;
	const char *const *m;
	int nr;

	if (name[0] == '@') {
		g = ps_group_find(name);
		if (!g) {
			const char *near = ps_group_suggest(name);

			if (near)
				ps_error_at(
					loc,
					"unknown group '%s' (did you mean '%s'?)",
					name, near);
			else
				ps_error_at(
					loc,
					"unknown group '%s' (see 'pinscope groups')",
					name);
			p->errors++;
			return -1;
		}
		if (depth > MAX_GROUP_DEPTH)
			return 0;
		for (m = g->members; *m; m++) {
			r.origin = template->origin == PS_FROM_DENY ?
					   PS_FROM_DENY :
					   PS_FROM_GROUP;
			if (add_named(p, *m, &r, loc, depth + 1, true, false) <
			    0)
				return -1;
		}
		return 0;
	}
	/* a rule may name an i386-only syscall (for --arch all); a group not */
	nr = quiet_unknown ? ps_syscall_lookup(name) :
			     ps_syscall_lookup_rule(name);
	if (nr < 0) {
		/* groups name syscalls of every architecture */
		if (quiet_unknown)
			return 0;
		if (ps_syscall_lookup_arch(PS_ARCH_I386, name) >= 0 ||
		    ps_syscall_lookup_arch(PS_ARCH_X32, name) >= 0)
			ps_error_at(
				loc,
				"syscall '%s' does not exist on this architecture",
				name);
		else if (ps_syscall_suggest(name))
			ps_error_at(loc,
				    "unknown syscall '%s' (did you mean '%s'?)",
				    name, ps_syscall_suggest(name));
		else
			ps_error_at(loc, "unknown syscall '%s'", name);
		p->errors++;
		return -1;
	}
	r.nr = nr;
	r.loc = *loc;
	r.loc.file = template->loc.file;
	if (take) {
		/* r has the template's expression and text: now the rule's */
		memset(&template->cond, 0, sizeof(template->cond));
		template->text = NULL;
	} else {
		ps_expr_copy(&r.cond, &template->cond);
		r.text = template->text ? xstrdup(template->text) : NULL;
	}
	if (!r.text)
		r.text = xstrdup(name);
	add_rule(p, &r);
	return 0;
}

/* "name: spec" once the name and colon are read */
static int parse_rule_spec(struct parser *ps, const char *name, size_t name_pos)
{
	struct ps_rule r = { 0 };
	struct ps_loc loc = loc_at(ps, name_pos);
	struct token t;
	size_t spec_pos;
	int ret;

	skip_space(ps);
	spec_pos = ps->pos;
	r.loc = loc;
	r.origin = PS_FROM_RULE;
	r.then.type = PS_ACT_ALLOW;
	peek(ps, &t);
	if (t.type == T_END)
		return error_at(ps, t.start, "missing rule after '%s:'", name);

	if (t.type == T_NUMBER && !strcmp(t.text, "1")) {
		next(ps, &t);
		ps_expr_set_true(&r.cond);
	} else if ((ret = parse_action(ps, &r.then, true)) <= 0 || ret == 2) {
		if (ret < 0)
			return -1;
		/* a bare `return`: minijail0 -S gives the default action */
		if (ret == 2)
			r.then.type = PS_ACT_ALLOW;
		else
			ps_expr_set_true(&r.cond);
	} else {
		if (parse_expr(ps, &r.cond) < 0)
			return -1;
		if (accept_op(ps, ";")) {
			r.has_else = true;
			ret = parse_action(ps, &r.otherwise, true);
			if (ret < 0)
				goto fail;
			if (ret == 2) {
				/* minijail's "kill otherwise", whatever the default */
				r.otherwise.type = PS_ACT_KILL_PROCESS;
			} else if (ret > 0) {
				peek(ps, &t);
				error_at(
					ps, t.start,
					"expected 'return ERRNO' after ';', found '%s'",
					describe(&t));
				goto fail;
			}
		}
	}
	peek(ps, &t);
	if (t.type != T_END) {
		error_at(ps, t.start, "unexpected '%s' after the rule", t.text);
		goto fail;
	}
	r.text = xconcat(name, ": ", ps->ln->text + spec_pos);
	r.loc.file = ps->file;
	ret = add_named(ps->policy, name, &r, &loc, 0, false, true);
	ps_expr_free(&r.cond);
	free(r.text);
	return ret;
fail:
	ps_expr_free(&r.cond);
	return -1;
}

static int load_file(struct parser *parent, const char *path,
		     const struct ps_loc *from);
static int count_file(struct parser *ps, const char *path,
		      const struct ps_loc *from);

static char *include_path(struct parser *ps, const char *arg)
{
	struct ps_policy *p = ps->policy;
	const char *base;
	struct stat st;
	unsigned int i;

	if (arg[0] == '/') {
		if (!stat(arg, &st) || !p->n_include_dirs)
			return xstrdup(arg);
		base = strrchr(arg, '/') + 1;
		for (i = 0; i < p->n_include_dirs; i++) {
			char *c = xasprintf("%s/%s", p->include_dirs[i], base);

			if (!stat(c, &st))
				return c;
			free(c);
		}
		return xstrdup(arg);
	}
	/* relative to the including file, as a reader would expect */
	base = strrchr(ps->file, '/');
	if (!base)
		return xstrdup(arg);
	return xasprintf("%.*s/%s", (int)(base - ps->file), ps->file, arg);
}

/*
 * A line of a @frequency file (minijail's): `SYSCALL: COUNT`, how often
 * the syscall is called. It weighs the emitter's search, nothing else.
 */
static int parse_frequency_line(struct parser *ps)
{
	struct ps_policy *p = ps->policy;
	struct token t, name;
	uint64_t count;
	int nr;

	peek(ps, &name);
	if (name.type == T_END)
		return 0;
	next(ps, &name);
	if (name.type != T_IDENT)
		return error_at(ps, name.start,
				"expected a syscall name, found '%s'",
				describe(&name));
	if (!accept_op(ps, ":")) {
		peek(ps, &t);
		return error_at(ps, t.start,
				"expected ':' after '%s', found '%s'",
				name.text, describe(&t));
	}
	next(ps, &t);
	if (t.type != T_NUMBER || !ps_parse_u64(t.text, &count))
		return error_at(ps, t.start, "expected a count, found '%s'",
				describe(&t));
	peek(ps, &t);
	if (t.type != T_END)
		return error_at(ps, t.start, "unexpected '%s' after the count",
				t.text);
	nr = ps_syscall_lookup(name.text);
	if (nr < 0)
		return 0; /* another architecture's, as in the corpus */
	PS_PUSH(p->frequencies, p->n_frequencies, p->cap_frequencies);
	p->frequencies[p->n_frequencies].nr = nr;
	p->frequencies[p->n_frequencies++].count = count;
	return 0;
}

/*
 * minijail's own parser skips @frequency, so a missing file is not an
 * error; a file that is there must be well formed.
 */
static int load_frequencies(struct parser *parent, const char *path,
			    const struct ps_loc *from)
{
	struct ps_policy *p = parent->policy;
	struct parser ps = { 0 };
	char *text = NULL;
	size_t len = 0;
	const char *why;
	int ret;

	if (count_file(parent, path, from) < 0)
		return -1;
	why = ps_read_file(path, MAX_POLICY_SIZE, &text, &len);
	if (why) {
		if (errno == ENOENT)
			return 0;
		ps_error_at(from, "cannot read frequencies '%s': %s", path,
			    why);
		p->errors++;
		return -1;
	}
	PS_PUSH(p->files, p->n_files, p->cap_files);
	p->files[p->n_files] = xstrdup(path);
	ps.policy = p;
	ps.file = p->files[p->n_files++];
	ret = for_each_line(&ps, text, len, parse_frequency_line);
	free(text);
	return ret;
}

/* "@default-action ACTION": one per policy, whatever the files */
static int parse_default(struct parser *ps, size_t pos)
{
	struct ps_policy *p = ps->policy;
	struct ps_action a;
	struct token t;
	int ret;

	if (p->minijail_strict)
		return error_at(
			ps, pos,
			"'@default-action' is a pinscope extension (strict minijail mode)");
	ret = parse_action(ps, &a, false);
	if (ret < 0)
		return -1;
	peek(ps, &t);
	if (ret > 0)
		return error_at(
			ps, t.start,
			"expected an action after '@default-action' (allow, kill-process, kill-thread, trap, log, errno NAME, return ERRNO), found '%s'",
			describe(&t));
	if (t.type != T_END)
		return error_at(ps, t.start, "unexpected '%s' after the action",
				t.text);
	if (p->default_set && !ps_action_equal(&p->default_action, &a))
		return error_at(
			ps, pos,
			"a second '@default-action' with another action");
	p->default_set = true;
	p->default_action = a;
	return 0;
}

/* The next word of the line (up to a blank): its start, and its length (0 at the end). */
static size_t next_word(struct parser *ps, size_t *start)
{
	size_t n;

	skip_space(ps);
	*start = n = ps->pos;
	while (n < ps->ln->len && ps->ln->text[n] != ' ' &&
	       ps->ln->text[n] != '\t' && ps->ln->text[n] != '\r')
		n++;
	ps->pos = n;
	return n - *start;
}

/* One argument of an @landlock line of word W, at START. */
static int landlock_arg(struct parser *ps, const struct ps_landlock_word *w,
			const char *arg, size_t start)
{
	struct ps_landlock *ll = &ps->policy->landlock;
	struct ps_loc loc = loc_at(ps, start);
	uint64_t scope;
	int port;

	if (w->type == PS_LL_PATHS) {
		if (arg[arg[0] == '?'] != '/')
			return error_at(
				ps, start,
				"a Landlock path must be absolute, found '%s'",
				arg);
		ps_landlock_add_path(ll, w->word, arg, &loc);
	} else if (w->type == PS_LL_PORTS) {
		port = ps_landlock_parse_port(arg);
		if (port < 0)
			return error_at(ps, start,
					"port '%s' out of range (0 to 65535)",
					arg);
		ps_landlock_add_port(ll, w->access, (uint16_t)port, &loc);
	} else if (w->type == PS_LL_SCOPES) {
		if (!ps_landlock_scope_name(arg, &scope))
			return error_at(
				ps, start,
				"unknown scope '%s' (abstract-unix-socket, signal)",
				arg);
		ps_landlock_add_scope(ll, scope, &loc);
	} else { /* min-abi */
		int v = ps_landlock_parse_min_abi(arg);

		if (v < 0)
			return error_at(
				ps, start,
				"'@landlock min-abi' takes an ABI version (1, 2, ...), found '%s'",
				arg);
		if ((unsigned int)v > ll->min_abi) {
			ll->min_abi = (unsigned int)v;
			ll->min_abi_loc = loc;
		}
	}
	return 0;
}

/*
 * Landlock rules (pinscope.policy(5)):
 *
 *   landlock-line = "@landlock" KIND ARG...
 *   KIND ARG      = ("ro" | "rox" | "rw" | "rwx" | "ioctl-dev" | "list") PATH...
 *                 | ("bind-tcp" | "connect-tcp") PORT...
 *                 | "scope" ("abstract-unix-socket" | "signal")...
 *                 | "min-abi" N
 *                 | "no-tcp"
 *   PATH          = an absolute path without blanks, "?" first: optional
 *   PORT          = 0 .. 65535, decimal
 *
 * An unknown KIND, a bad port or scope is an error at its column.
 */
static int parse_landlock(struct parser *ps, size_t pos)
{
	const struct ps_landlock_word *w;
	char kind[32], words[160], *arg;
	size_t start, n;
	unsigned int args = 0;
	int ret = 0;

	if (ps->policy->minijail_strict)
		return error_at(
			ps, pos,
			"'@landlock' is a pinscope extension (strict minijail mode)");
	n = next_word(ps, &start);
	ps_landlock_words(words, sizeof(words));
	if (!n)
		return error_at(ps, start, "'@landlock' needs a right (%s)",
				words);
	snprintf(kind, sizeof(kind), "%.*s", (int)n, ps->ln->text + start);
	w = n < sizeof(kind) ? ps_landlock_word(kind) : NULL;
	if (!w)
		return error_at(ps, start, "unknown Landlock right '%.*s' (%s)",
				(int)n, ps->ln->text + start, words);
	if (w->type == PS_LL_NO_TCP) {
		struct ps_loc loc = loc_at(ps, start);

		ps_landlock_restrict_tcp(&ps->policy->landlock, &loc);
	}
	while ((n = next_word(ps, &start)) && !ret) {
		if (w->type == PS_LL_NO_TCP ||
		    (w->type == PS_LL_MIN_ABI && args))
			return error_at(ps, start,
					"unexpected '%.*s' after '%s'", (int)n,
					ps->ln->text + start, kind);
		arg = xasprintf("%.*s", (int)n, ps->ln->text + start);
		ret = landlock_arg(ps, w, arg, start);
		free(arg);
		args++;
	}
	if (!ret && !args && w->type != PS_LL_NO_TCP)
		return error_at(ps, start, "'@landlock %s' needs an argument",
				kind);
	return ret;
}

static int parse_directive(struct parser *ps, const char *word, size_t pos)
{
	struct token t;
	struct ps_loc loc = loc_at(ps, pos);
	char *arg, *path;
	size_t start, end;
	int ret;

	if (!strcmp(word, "@default-action"))
		return parse_default(ps, pos);
	if (!strcmp(word, "@landlock"))
		return parse_landlock(ps, pos);
	if (strcmp(word, "@include") && strcmp(word, "@frequency"))
		return error_at(
			ps, pos,
			"unknown directive '%s' (a group rule needs ':')",
			word);
	skip_space(ps);
	start = ps->pos;
	end = ps->ln->len;
	while (end > start &&
	       (ps->ln->text[end - 1] == ' ' || ps->ln->text[end - 1] == '\t' ||
		ps->ln->text[end - 1] == '\r'))
		end--;
	if (end == start) {
		peek(ps, &t);
		return error_at(ps, start, "'%s' needs a file name", word);
	}
	arg = xasprintf("%.*s", (int)(end - start), ps->ln->text + start);
	path = include_path(ps, arg);
	free(arg);
	if (!strcmp(word, "@frequency"))
		ret = load_frequencies(ps, path, &loc);
	else
		ret = load_file(ps, path, &loc);
	free(path);
	return ret;
}

static int parse_line(struct parser *ps)
{
	const char *nul = memchr(ps->ln->text, '\0', ps->ln->len);
	struct token t;
	char name[256];
	size_t pos;

	/* each word is copied as a C string: the rest would vanish unseen ("rw /\0home") */
	if (nul)
		return error_at(ps, (size_t)(nul - ps->ln->text),
				"a NUL byte in the line");
	peek(ps, &t);
	if (t.type == T_END)
		return 0;
	pos = t.start;
	if (t.type == T_OP && !strcmp(t.text, "@")) {
		size_t n;

		next(ps, &t);
		n = ps->pos;
		while (n < ps->ln->len && is_ident_char(ps->ln->text[n], false))
			n++;
		snprintf(name, sizeof(name), "@%.*s", (int)(n - ps->pos),
			 ps->ln->text + ps->pos);
		ps->pos = n;
		if (!accept_op(ps, ":"))
			return parse_directive(ps, name, pos);
		if (ps->policy->minijail_strict)
			return error_at(
				ps, pos,
				"group '%s' is a pinscope extension (strict minijail mode)",
				name);
		return parse_rule_spec(ps, name, pos);
	}
	if (t.type != T_IDENT)
		return error_at(ps, pos, "expected a syscall name, found '%s'",
				t.text);
	next(ps, &t);
	/* not snprintf: on every line, formatting cost more than the lexer */
	_Static_assert(sizeof(name) >= sizeof(t.text), "a token fits");
	memcpy(name, t.text, t.len + 1);
	if (!accept_op(ps, ":")) {
		peek(ps, &t);
		return error_at(ps, t.start,
				"expected ':' after '%s', found '%s'", name,
				describe(&t));
	}
	return parse_rule_spec(ps, name, pos);
}

/*
 * Counts PATH among the files the policy reads: 0, or -1 after the error
 * (once per policy: the includes still waiting would each repeat it).
 */
static int count_file(struct parser *ps, const char *path,
		      const struct ps_loc *from)
{
	struct ps_policy *p = ps->policy;

	if (p->n_files < MAX_FILES)
		return 0;
	if (!p->files_exhausted)
		ps_error_at(
			from,
			"'%s' would be file %u of this policy; at most %d are read (includes that fan out?)",
			path, p->n_files + 1, MAX_FILES);
	p->files_exhausted = true;
	p->errors++;
	return -1;
}

/*
 * Room in P for a rule a line of TEXT at once: doubling a policy's rules
 * through realloc copied them over and again, each a large request that
 * made glibc's malloc consolidate its free lists (a twentieth of a
 * compile). A group adds more; PS_PUSH grows the array then.
 */
static void reserve_rules(struct ps_policy *p, const char *text, size_t len)
{
	const char *at = text, *end = text + len;
	unsigned int lines = 1;

	while ((at = memchr(at, '\n', (size_t)(end - at))) && lines < 65536) {
		at++;
		lines++;
	}
	if (p->cap - p->n < lines) {
		p->cap = p->n + lines;
		p->rules = xrealloc(p->rules, p->cap, sizeof(*p->rules));
	}
}

static int load_text(struct parser *parent, const char *name, const char *text,
		     size_t len)
{
	struct parser ps = { 0 };
	struct token cache;
	int ret;

	ps.policy = parent->policy;
	ps.file = name;
	ps.peek_cache = &cache;
	ps.depth = parent->depth + 1;
	ps.stack = xcalloc(ps.depth, sizeof(*ps.stack));
	if (parent->depth)
		memcpy(ps.stack, parent->stack,
		       parent->depth * sizeof(*ps.stack));
	ps.stack[ps.depth - 1] = name;
	reserve_rules(ps.policy, text, len);
	ret = for_each_line(&ps, text, len, parse_line);
	free(ps.stack);
	return ret;
}

static int load_file(struct parser *parent, const char *path,
		     const struct ps_loc *from)
{
	struct ps_policy *p = parent->policy;
	char real[PATH_MAX];
	char *text = NULL;
	size_t len = 0;
	const char *why;
	unsigned int i;
	int ret;

	if (count_file(parent, path, from) < 0)
		return -1;
	why = ps_read_file(path, MAX_POLICY_SIZE, &text, &len);
	if (!why && !realpath(path, real)) {
		why = strerror(errno);
		free(text);
	}
	if (why) {
		ps_error_at(from, "cannot read policy '%s': %s", path, why);
		p->errors++;
		return -1;
	}
	for (i = 0; i < parent->depth; i++) {
		char other[PATH_MAX];

		if (realpath(parent->stack[i], other) && !strcmp(other, real)) {
			ps_error_at(from, "include loop: '%s' includes itself",
				    path);
			for (i = parent->depth; i-- > 0;)
				ps_note_at(&(struct ps_loc){ parent->stack[i],
							     0, 0 },
					   "included from here");
			p->errors++;
			free(text);
			return -1;
		}
	}
	if (parent->depth >= MAX_INCLUDE_DEPTH) {
		ps_error_at(
			from,
			"cannot include '%s': includes nested deeper than %d",
			path, MAX_INCLUDE_DEPTH);
		p->errors++;
		free(text);
		return -1;
	}
	/* rules point at the name for their locations: the policy owns it */
	PS_PUSH(p->files, p->n_files, p->cap_files);
	p->files[p->n_files] = xstrdup(path);
	ret = load_text(parent, p->files[p->n_files++], text, len);
	free(text);
	return ret;
}

int ps_policy_load_file(struct ps_policy *p, const char *path)
{
	struct parser top = { .policy = p };
	struct ps_loc loc = { path, 0, 0 };

	p->any_allow_source = true;
	return load_file(&top, path, &loc);
}

int ps_policy_load_buffer(struct ps_policy *p, const char *name,
			  const char *text, size_t len)
{
	struct parser top = { .policy = p };

	p->any_allow_source = true;
	return load_text(&top, name, text, len);
}

/* ---- command-line lists ---- */

static int add_list_item(struct ps_policy *p, const char *item, bool deny,
			 const struct ps_action *deny_action,
			 const struct ps_loc *loc)
{
	struct ps_rule r = { 0 };
	char *name = xstrdup(item);
	char *colon = strchr(name, ':');
	int ret;

	r.loc = *loc;
	r.origin = deny ? PS_FROM_DENY : PS_FROM_RULE;
	r.then.type = PS_ACT_ALLOW;
	if (deny) {
		r.then = *deny_action;
		if (colon) {
			*colon = '\0';
			r.then.type = PS_ACT_ERRNO;
			r.then.errnum = ps_errno_value(colon + 1);
			if (r.then.errnum < 0) {
				ps_error_at(loc, "unknown errno '%s' in '%s'",
					    colon + 1, item);
				p->errors++;
				free(name);
				return -1;
			}
		}
	} else if (colon) {
		ps_error_at(loc,
			    "':ERRNO' only goes with denied syscalls: '%s'",
			    item);
		p->errors++;
		free(name);
		return -1;
	}
	if (!*name) {
		ps_error_at(loc, "empty syscall name in the list");
		p->errors++;
		free(name);
		return -1;
	}
	ps_expr_set_true(&r.cond);
	r.text = xasprintf("%s: %s", name, deny ? "deny" : "allow");
	ret = add_named(p, name, &r, loc, 0, false, true);
	ps_expr_free(&r.cond);
	free(r.text);
	free(name);
	return ret;
}

/* Marks denied syscalls whose action --default-action may still change. */
static const struct ps_action deny_default = { PS_ACT_KILL_PROCESS, 0 };

int ps_policy_add_list(struct ps_policy *p, const char *list, bool deny,
		       const struct ps_loc *loc)
{
	char *copy = xstrdup(list), *save = NULL, *item;
	int ret = 0;

	if (!deny)
		p->any_allow_source = true;
	for (item = strtok_r(copy, ", \t", &save); item;
	     item = strtok_r(NULL, ", \t", &save))
		if (add_list_item(p, item, deny, &deny_default, loc) < 0)
			ret = -1;
	free(copy);
	return ret;
}

int ps_policy_add_systemd(struct ps_policy *p, const char *value,
			  const struct ps_loc *loc)
{
	bool deny = false;

	while (*value == ' ')
		value++;
	if (*value == '~') {
		deny = true;
		value++;
	}
	if (!deny) {
		/* systemd accepts @default whenever it builds an allow list */
		if (ps_policy_add_list(p, "@default", false, loc) < 0)
			return -1;
	}
	return ps_policy_add_list(p, value, deny, loc);
}
