// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope learn: run a command under a tracer and write the smallest
 * policy that lets it run.
 *
 * The command runs under a seccomp filter whose every answer is
 * SECCOMP_RET_TRACE, so the tracer stops it once per syscall
 * (PTRACE_O_TRACESECCOMP) instead of strace's twice, and follows forks,
 * clones, threads and execs.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "compile.h"
#include "launch.h"
#include "policy.h"

#define MAX_NR 1024
#define MAX_VALUES 64

/* Which argument of which syscall is worth a filter, and how. */
struct arg_rule {
	const char *syscall;
	unsigned int arg;
	bool as_mask;		/* flags: "in" the union seen; else "==" each */
	const char *prefix;	/* names for its constants */
};

static const struct arg_rule arg_rules[] = {
	{ "ioctl", 1, false, "" },
	{ "prctl", 0, false, "PR_" },
	{ "socket", 0, false, "AF_" },
	{ "mmap", 2, true, "PROT_" },
	{ "mprotect", 2, true, "PROT_" },
	{ "fcntl", 1, false, "F_" },
	{ "clone", 0, true, "CLONE_" },
};

struct seen {
	unsigned long count;
	unsigned int n_values;
	uint64_t values[MAX_VALUES];
	uint64_t mask;		/* as_mask rules: the union */
	bool overflow;		/* too many values: no filter */
	const struct arg_rule *rule;
};

struct learner {
	struct seen calls[MAX_NR];
	bool args;
	bool preload;
	bool skipped_own_exec;
	pid_t child;
	int status;
	unsigned long total;
};

static void usage(FILE *out)
{
	fputs("usage: pinscope learn [-o FILE] [--merge FILE] [--args] [--preload] -- CMD [ARGS]\n"
	      "Run CMD (and everything it starts) under a tracer and write the policy\n"
	      "that lets it run: one line per syscall, most frequent first, with the\n"
	      "count as a comment.\n\n"
	      "  -o, --output FILE   write the policy here (default: standard output)\n"
	      "      --merge FILE    add this run's calls to a policy learned before\n"
	      "      --args          argument filters for ioctl requests, prctl options,\n"
	      "                      socket families, mmap/mprotect protections, fcntl\n"
	      "                      commands and clone flags\n"
	      "      --preload       learn only what CMD needs after start-up (for\n"
	      "                      pinscope run --preload)\n"
	      "  -h, --help          this help\n",
	      out);
}

static const struct arg_rule *arg_rule_for(int nr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arg_rules); i++)
		if (ps_syscall_lookup(arg_rules[i].syscall) == nr)
			return &arg_rules[i];
	return NULL;
}

static void record(struct learner *l, int nr, const uint64_t args[6])
{
	struct seen *s;
	uint64_t v;
	unsigned int i;

	if (nr < 0 || nr >= MAX_NR)
		return;
	s = &l->calls[nr];
	s->count++;
	l->total++;
	if (!s->rule)
		s->rule = arg_rule_for(nr);
	if (!s->rule)
		return;
	v = args[s->rule->arg];
	if (s->rule->as_mask) {
		s->mask |= v;
		return;
	}
	for (i = 0; i < s->n_values; i++)
		if (s->values[i] == v)
			return;
	if (s->n_values == MAX_VALUES)
		s->overflow = true;
	else
		s->values[s->n_values++] = v;
}

/* ---- the tracer ---- */

static void child_start(struct learner *l, struct sock_fprog *prog, char *path,
			char **argv, int memfd)
{
	extern char **environ;
	char buf[16];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
		ps_warn("PTRACE_TRACEME: %s (is ptrace scope 3 on?)", strerror(errno));
		_exit(126);
	}
	raise(SIGSTOP);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(126);
	if (l->preload) {
		snprintf(buf, sizeof(buf), "%d", memfd);
		setenv("PINSCOPE_FILTER_FD", buf, 1);
	} else if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0) {
		ps_warn("cannot load the tracing filter: %s", strerror(errno));
		_exit(126);
	}
	execve(path, argv, environ);
	ps_warn("%s: cannot execute: %s", path, strerror(errno));
	_exit(127);
}

static int trace(struct learner *l)
{
	const long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
			  PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			  PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	int status, execve_nr = ps_syscall_lookup("execve");
	pid_t pid;

	if (waitpid(l->child, &status, 0) != l->child || !WIFSTOPPED(status)) {
		ps_warn("the command did not start");
		return -1;
	}
	if (ptrace(PTRACE_SETOPTIONS, l->child, 0, opts) < 0) {
		ps_warn("PTRACE_SETOPTIONS: %s", strerror(errno));
		kill(l->child, SIGKILL);
		return -1;
	}
	ptrace(PTRACE_CONT, l->child, 0, 0);
	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		int sig = 0;

		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == l->child)
				l->status = status;
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
			struct user_regs_struct r;
			uint64_t args[6];

			if (ptrace(PTRACE_GETREGS, pid, 0, &r) == 0) {
				args[0] = r.rdi;
				args[1] = r.rsi;
				args[2] = r.rdx;
				args[3] = r.r10;
				args[4] = r.r8;
				args[5] = r.r9;
				/* the launcher's own exec is not the command's */
				if ((int)r.orig_rax == execve_nr && pid == l->child &&
				    !l->skipped_own_exec && !l->preload)
					l->skipped_own_exec = true;
				else
					record(l, (int)r.orig_rax, args);
			}
		} else if (status >> 16) {
			/* fork, clone, exec events: nothing to deliver */
		} else if (WSTOPSIG(status) != SIGSTOP &&
			   WSTOPSIG(status) != SIGTRAP) {
			sig = WSTOPSIG(status);
		}
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	return 0;
}

/* ---- writing the policy ---- */

static const char *constant_name(uint64_t v, const char *prefix)
{
	/* AF_FILE and AF_LOCAL are older names of the same family */
	if (!strcmp(prefix, "AF_") && v == AF_UNIX)
		return "AF_UNIX";
	/* ioctls have no common prefix: terminal ones (TCGETS...) first */
	return ps_constant_name(v, *prefix ? prefix : "T");
}

static void print_value(FILE *out, uint64_t v, const char *prefix)
{
	const char *name = constant_name(v, prefix);

	if (name)
		fputs(name, out);
	else
		fprintf(out, "%#llx", (unsigned long long)v);
}

/* "PROT_READ|PROT_WRITE" for a union of flags, named where possible */
static void print_mask(FILE *out, uint64_t mask, const char *prefix)
{
	uint64_t bit, rest = 0;
	bool first = true;

	if (!mask) {
		fputs("0", out);
		return;
	}
	for (bit = 1; bit; bit <<= 1) {
		const char *name;

		if (!(mask & bit))
			continue;
		name = constant_name(bit, prefix);
		if (!name) {
			rest |= bit;
			continue;
		}
		fprintf(out, "%s%s", first ? "" : "|", name);
		first = false;
	}
	if (rest)
		fprintf(out, "%s%#llx", first ? "" : "|", (unsigned long long)rest);
}

static void print_rule(FILE *out, int nr, const struct seen *s, bool args)
{
	unsigned int i;

	fprintf(out, "%s: ", ps_syscall_name(nr));
	if (!args || !s->rule || s->overflow) {
		fputs("1", out);
	} else if (s->rule->as_mask) {
		fprintf(out, "arg%u in ", s->rule->arg);
		print_mask(out, s->mask, s->rule->prefix);
	} else {
		for (i = 0; i < s->n_values; i++) {
			fprintf(out, "%sarg%u == ", i ? " || " : "", s->rule->arg);
			print_value(out, s->values[i], s->rule->prefix);
		}
	}
	fprintf(out, "  # %lu\n", s->count);
}

static int by_count(const void *a, const void *b, void *ctx)
{
	const struct learner *l = ctx;
	int x = *(const int *)a, y = *(const int *)b;

	if (l->calls[x].count != l->calls[y].count)
		return l->calls[x].count < l->calls[y].count ? 1 : -1;
	return strcmp(ps_syscall_name(x), ps_syscall_name(y)) < 0 ? -1 : 1;
}

static void write_policy(FILE *out, struct learner *l, char **argv)
{
	int order[MAX_NR], n = 0, i;

	for (i = 0; i < MAX_NR; i++)
		if (l->calls[i].count)
			order[n++] = i;
	qsort_r(order, (size_t)n, sizeof(order[0]), by_count, l);
	fprintf(out, "# learned by pinscope learn%s from:", l->preload ? " --preload" : "");
	for (i = 0; argv[i]; i++)
		fprintf(out, " %s", argv[i]);
	fprintf(out, "\n# %lu calls of %d syscalls, most frequent first\n", l->total, n);
	for (i = 0; i < n; i++)
		print_rule(out, order[i], &l->calls[order[i]], l->args);
}

/*
 * --merge: the calls an earlier learned policy allowed count as seen, with
 * the values of their argument filters.
 */
static int merge_policy(struct learner *l, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[4096];
	unsigned int lineno = 0;

	if (!f) {
		ps_warn("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[64], *spec, *hash;
		struct seen *s;
		unsigned long count = 1;
		int nr;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' ||
		    sscanf(line, "%63[a-z0-9_]:", name) != 1)
			continue;
		nr = ps_syscall_lookup(name);
		if (nr < 0 || nr >= MAX_NR) {
			ps_warn("%s:%u: unknown syscall '%s'", path, lineno, name);
			fclose(f);
			return -1;
		}
		spec = strchr(line, ':') + 1;
		hash = strchr(spec, '#');
		if (hash) {
			count = strtoul(hash + 1, NULL, 10);
			*hash = '\0';
		}
		s = &l->calls[nr];
		s->count += count ? count : 1;
		l->total += count ? count : 1;
		s->rule = arg_rule_for(nr);
		if (!s->rule)
			continue;
		if (!strstr(spec, "arg")) {
			s->overflow = true;	/* allowed outright before */
			continue;
		}
		/* our own output: "argN == V || ..." or "argN in A|B" */
		{
			struct ps_policy p;
			char *one = xasprintf("%s: %s", name, spec);
			unsigned int i, k;

			ps_policy_init(&p);
			if (ps_policy_load_buffer(&p, path, one, strlen(one)) == 0 &&
			    p.n == 1) {
				const struct ps_expr *e = &p.rules[0].cond;

				for (i = 0; i < e->n; i++)
					for (k = 0; k < e->conjs[i].n; k++) {
						const struct ps_cmp *c = &e->conjs[i].cmps[k];

						if (c->op == PS_OP_EQ) {
							uint64_t args[6] = { 0 };

							args[c->arg] = c->value;
							s->count--;
							l->total--;
							record(l, nr, args);
						} else if (c->op == PS_OP_MASKED_EQ) {
							s->mask |= ~c->mask;
						}
					}
			}
			ps_policy_free(&p);
			free(one);
		}
	}
	fclose(f);
	return 0;
}

int cmd_learn(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "merge", required_argument, NULL, 'm' },
		{ "args", no_argument, NULL, 'a' },
		{ "preload", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct learner *l = xcalloc(1, sizeof(*l));
	const char *output = NULL, *merge = NULL;
	struct ps_policy policy;
	struct ps_filter f;
	struct ps_filter_options fo = { 0 };
	FILE *out = stdout;
	char *path;
	int c, memfd = -1, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'm':
			merge = optarg;
			break;
		case 'a':
			l->args = true;
			break;
		case 'p':
			l->preload = true;
			break;
		case 'h':
			usage(stdout);
			free(l);
			return 0;
		default:
			usage(stderr);
			free(l);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ps_warn("learn: no command to run (after --)");
		usage(stderr);
		free(l);
		return EXIT_USAGE;
	}
	if (merge && merge_policy(l, merge) < 0) {
		free(l);
		return EXIT_USAGE;
	}
	/* an empty policy whose every native call goes to the tracer */
	ps_policy_init(&policy);
	fo.preload = l->preload;
	fo.trace_all = true;
	if (ps_filter_build(&f, &policy, &fo) < 0) {
		ps_policy_free(&policy);
		free(l);
		return EXIT_USAGE;
	}
	ps_policy_free(&policy);
	path = ps_resolve_command(argv[optind]);
	if (!path) {
		ps_warn("%s: %s", argv[optind], strerror(errno));
		ps_filter_free(&f);
		free(l);
		return 127;
	}
	if (l->preload) {
		memfd = ps_preload_prepare(&f, path);
		if (memfd < 0) {
			ps_filter_free(&f);
			free(path);
			free(l);
			return EXIT_USAGE;
		}
	}
	fflush(NULL);
	l->child = fork();
	if (l->child == 0)
		child_start(l, &f.prog, path, argv + optind, memfd);
	if (memfd >= 0)
		close(memfd);
	ret = l->child < 0 ? -1 : trace(l);
	ps_filter_free(&f);
	free(path);
	if (ret < 0) {
		free(l);
		return EXIT_USAGE;
	}
	if (output && !(out = fopen(output, "we"))) {
		ps_warn("cannot write %s: %s", output, strerror(errno));
		free(l);
		return EXIT_USAGE;
	}
	write_policy(out, l, argv + optind);
	if (out != stdout && fclose(out)) {
		ps_warn("cannot write %s: %s", output, strerror(errno));
		free(l);
		return EXIT_USAGE;
	}
	if (WIFSIGNALED(l->status))
		ps_warn("%s died of signal %d", argv[optind], WTERMSIG(l->status));
	ret = WIFEXITED(l->status) ? WEXITSTATUS(l->status) :
				     128 + WTERMSIG(l->status);
	free(l);
	return ret;
}
