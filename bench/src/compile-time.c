// SPDX-License-Identifier: GPL-2.0-only
/*
 * compile-time [-o] [-d ACTION] [-w PREFIX] RUNS POLICY: what building
 * POLICY's filter costs in-process, pinscope's compiler against libseccomp
 * 2.5.4.
 *
 * pinscope: parsing (ps_policy_load_buffer from memory, so no disk I/O is
 * counted; with -o, POLICY is an OCI profile, read by ps_oci_load as
 * `run --oci` reads it, from the page cache) and ps_filter_build, timed
 * apart, as `pinscope compile` builds it. libseccomp: the same filter, one seccomp_rule_add_array per
 * conjunction of each decision of pinscope's plan (a masked `!=`, which
 * libseccomp lacks, becomes one rule per mask bit), from seccomp_init to
 * seccomp_export_bpf into a memfd, once as its binary tree
 * (SCMP_FLTATR_CTL_OPTIMIZE=2) and once in its default linear layout. The
 * rule arrays are made before the clock starts, and the three builds take
 * turns, so that a busy machine slows them alike. Where the policy admits
 * i386 and x32 (a profile whose archMap names them, as Docker's does),
 * libseccomp's filter has those architectures too, as runc builds it,
 * without the names libseccomp does not know (runc skips them) and
 * without runc's ENOSYS stub for the numbers above the profile's, which
 * runc builds apart from libseccomp.
 *
 * Prints `size PLANS RULES LENGTH` (syscalls in pinscope's plan, rules
 * given to libseccomp, pinscope's program length), then one line per
 * figure, WHAT MEDIAN MEAN FASTEST, in microseconds per compile. -w writes
 * the three programs as PREFIX-pinscope.bpf, PREFIX-tree.bpf and
 * PREFIX-linear.bpf.
 */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "oci.h"

struct lrule {
	int nr;
	uint32_t action;
	unsigned int n;
	struct scmp_arg_cmp cmp[6];
};

struct lrules {
	struct lrule *r;
	unsigned int n, cap;
	uint32_t def;
	bool arch_all;		/* also SCMP_ARCH_X86 and SCMP_ARCH_X32 */
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void push(struct lrules *rs, const struct lrule *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 64;
		rs->r = realloc(rs->r, rs->cap * sizeof(*rs->r));
		if (!rs->r)
			exit(2);
	}
	rs->r[rs->n++] = *r;
}

/*
 * The rules for comparisons I.. of C, given R's first ones: each masked
 * `!=` forks into one rule per bit of its mask, the bit differing.
 */
static int expand(struct lrules *rs, struct lrule *r, const struct ps_conj *c,
		  unsigned int i)
{
	static const enum scmp_compare ops[] = {
		[PS_OP_EQ] = SCMP_CMP_EQ, [PS_OP_NE] = SCMP_CMP_NE,
		[PS_OP_LT] = SCMP_CMP_LT, [PS_OP_LE] = SCMP_CMP_LE,
		[PS_OP_GT] = SCMP_CMP_GT, [PS_OP_GE] = SCMP_CMP_GE,
		[PS_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	const struct ps_cmp *cmp = &c->cmps[i];
	unsigned int j, b;

	if (i == c->n) {
		push(rs, r);
		return 0;
	}
	/* libseccomp 2.5.4 refuses two comparisons of one argument (EINVAL) */
	for (j = 0; j < r->n; j++)
		if (r->cmp[j].arg == cmp->arg) {
			fprintf(stderr, "compile-time: %s: two comparisons of arg%u, which libseccomp cannot take\n",
				ps_syscall_name(r->nr), cmp->arg);
			return -1;
		}
	r->cmp[r->n].arg = cmp->arg;
	if (cmp->op != PS_OP_MASKED_NE) {
		r->cmp[r->n].op = ops[cmp->op];
		r->cmp[r->n].datum_a = cmp->op == PS_OP_MASKED_EQ ? cmp->mask :
								   cmp->value;
		r->cmp[r->n].datum_b = cmp->value;
		r->n++;
		if (expand(rs, r, c, i + 1) < 0)
			return -1;
		r->n--;
		return 0;
	}
	for (b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;

		if (!(cmp->mask & bit))
			continue;
		r->cmp[r->n].op = SCMP_CMP_MASKED_EQ;
		r->cmp[r->n].datum_a = bit;
		r->cmp[r->n].datum_b = ~cmp->value & bit;
		r->n++;
		if (expand(rs, r, c, i + 1) < 0)
			return -1;
		r->n--;
	}
	return 0;
}

/* libseccomp's rules for F's plan; -1 where it cannot say the same. */
static int plan_rules(const struct ps_filter *f, struct lrules *rs)
{
	unsigned int i, j, k;

	rs->def = ps_filter_ret(f, &f->default_action);
	rs->arch_all = f->opt.arch_all;
	for (i = 0; i < f->n_plans; i++) {
		const struct ps_plan *p = &f->plans[i];
		/*
		 * libseccomp names i386's own syscalls by pseudo-numbers; with
		 * other architectures it must know each name, and runc skips
		 * the names it does not (2.5.4 stops before Linux 6.11)
		 */
		int nr = rs->arch_all ?
				 seccomp_syscall_resolve_name(ps_syscall_name(p->nr)) :
				 p->nr;

		if (nr == __NR_SCMP_ERROR)
			continue;

		/* libseccomp has no order among a syscall's rules */
		for (j = 1; j < p->n; j++)
			if (!ps_action_equal(&p->d[j].action, &p->d[0].action))
				fprintf(stderr, "compile-time: %s: ordered decisions given to libseccomp as a union\n",
					ps_syscall_name(p->nr));
		for (j = 0; j < p->n; j++) {
			struct lrule r = { .nr = nr };

			r.action = ps_filter_ret(f, &p->d[j].action);
			if (r.action == rs->def)
				continue;	/* libseccomp refuses it: EACCES */
			for (k = 0; k < p->d[j].when.n; k++)
				if (expand(rs, &r, &p->d[j].when.conjs[k], 0) < 0)
					return -1;
		}
	}
	return 0;
}

/* One libseccomp build, exported into FD (empty); 0 or -errno. */
static int scmp_build(const struct lrules *rs, bool tree, int fd)
{
	scmp_filter_ctx ctx = seccomp_init(rs->def);
	unsigned int i;
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			       SCMP_ACT_KILL_PROCESS);
	if (!ret && tree)
		ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!ret && rs->arch_all)
		ret = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (!ret && rs->arch_all)
		ret = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	for (i = 0; !ret && i < rs->n; i++)
		ret = seccomp_rule_add_array(ctx, rs->r[i].action, rs->r[i].nr,
					     rs->r[i].n, rs->r[i].cmp);
	if (!ret)
		ret = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	return ret;
}

/* One libseccomp build into FD, its time in *T; -1 after a message. */
static int scmp_timed(const struct lrules *rs, bool tree, int fd, double *t)
{
	double t0;
	int ret;

	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	alarm(60);
	t0 = now_us();
	ret = scmp_build(rs, tree, fd);
	*t = now_us() - t0;
	alarm(0);
	if (ret < 0)
		fprintf(stderr, "compile-time: libseccomp: %s\n", strerror(-ret));
	return ret < 0 ? -1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%s %.1f %.1f %.1f\n", what, t[n / 2], sum / n, t[0]);
}

static int write_file(const char *prefix, const char *what, const void *buf,
		      size_t len)
{
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s-%s.bpf", prefix, what);
	out = fopen(path, "w");
	if (!out || fwrite(buf, 1, len, out) != len || fclose(out)) {
		fprintf(stderr, "compile-time: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* libseccomp's program, as exported into FD, written out with -w. */
static int save_export(const char *prefix, const char *what, int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf = len > 0 ? malloc((size_t)len) : NULL;
	int ret;

	if (!buf || pread(fd, buf, (size_t)len, 0) != len) {
		free(buf);
		return -1;
	}
	ret = write_file(prefix, what, buf, (size_t)len);
	free(buf);
	return ret;
}

/*
 * Parse and build POLICY (TEXT, an OCI profile if OCI); -1 after the
 * parser's or compiler's error.
 */
static int build(struct ps_filter *f, const char *path, const char *text,
		 size_t len, bool oci, struct ps_filter_options *opt,
		 double *t_parse, double *t_build)
{
	static const struct ps_oci_options oo = { 0 };
	struct ps_policy p;
	double t0, t1, t2;
	int ret;

	t0 = now_us();
	ps_policy_init(&p);
	ret = oci ? ps_oci_load(&p, path, &oo) :
		    ps_policy_load_buffer(&p, path, text, len);
	/* as run --oci: the profile's architectures */
	if (oci)
		opt->arch_all = p.arch_all;
	t1 = now_us();
	if (ret == 0 && !p.errors)
		ret = ps_filter_build(f, &p, opt);
	else
		ret = -1;
	t2 = now_us();
	ps_policy_free(&p);
	*t_parse = t1 - t0;
	*t_build = t2 - t1;
	return ret;
}

static void on_alarm(int sig)
{
	static const char msg[] = "compile-time: libseccomp did not return within 60 s\n";

	(void)sig;
	/* exits 1 all the same if even the message cannot be written */
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

int main(int argc, char **argv)
{
	struct ps_filter_options opt = { 0 };
	const char *prefix = NULL, *path;
	struct lrules rs = { 0 };
	double *tp, *tb, *tt, *tl, *tn;
	struct ps_filter f;
	char *text;
	size_t len;
	int c, runs, i, fd;
	bool oci = false;
	FILE *in;

	while ((c = getopt(argc, argv, "od:w:")) != -1) {
		if (c == 'd' && !ps_parse_action(optarg, &opt.default_action) &&
		    opt.default_action.type != PS_ACT_ALLOW)
			opt.default_set = true;
		else if (c == 'w')
			prefix = optarg;
		else if (c == 'o')
			oci = true;
		else
			goto usage;
	}
	if (argc - optind != 2 || (runs = atoi(argv[optind])) <= 0)
		goto usage;
	path = argv[optind + 1];
	in = fopen(path, "r");
	text = in ? malloc(1 << 20) : NULL;
	if (!text)
		goto usage;
	len = fread(text, 1, (1 << 20) - 1, in);
	fclose(in);
	text[len] = '\0';

	tp = calloc((size_t)runs, sizeof(double));
	tb = calloc((size_t)runs, sizeof(double));
	tt = calloc((size_t)runs, sizeof(double));
	tl = calloc((size_t)runs, sizeof(double));
	tn = calloc((size_t)runs, sizeof(double));
	fd = memfd_create("bpf", MFD_CLOEXEC);
	if (!tp || !tb || !tt || !tl || !tn || fd < 0)
		return 2;

	/* one untimed round: the rules for libseccomp, the caches warm, -w */
	signal(SIGALRM, on_alarm);
	if (build(&f, path, text, len, oci, &opt, &tp[0], &tb[0]) < 0)
		return 2;
	if (plan_rules(&f, &rs) < 0)
		return 2;
	if (prefix && write_file(prefix, "pinscope", f.prog.filter,
				 f.prog.len * sizeof(struct sock_filter)) < 0)
		return 1;
	printf("size %u %u %u\n", f.n_plans, rs.n, f.prog.len);
	ps_filter_free(&f);
	if (scmp_timed(&rs, true, fd, &tl[0]) < 0 ||
	    (prefix && save_export(prefix, "tree", fd) < 0) ||
	    scmp_timed(&rs, false, fd, &tn[0]) < 0 ||
	    (prefix && save_export(prefix, "linear", fd) < 0))
		return 1;

	/* the three take turns */
	for (i = 0; i < runs; i++) {
		if (build(&f, path, text, len, oci, &opt, &tp[i], &tb[i]) < 0)
			return 2;
		tt[i] = tp[i] + tb[i];
		ps_filter_free(&f);
		if (scmp_timed(&rs, true, fd, &tl[i]) < 0 ||
		    scmp_timed(&rs, false, fd, &tn[i]) < 0)
			return 1;
	}

	report("pinscope-parse", tp, runs);
	report("pinscope-build", tb, runs);
	report("pinscope-total", tt, runs);
	report("libseccomp-tree", tl, runs);
	report("libseccomp-linear", tn, runs);
	free(tp);
	free(tb);
	free(tt);
	free(tl);
	free(tn);
	free(rs.r);
	free(text);
	close(fd);
	return 0;

usage:
	fprintf(stderr, "usage: compile-time [-o] [-d ACTION] [-w PREFIX] RUNS POLICY\n");
	return 2;
}
