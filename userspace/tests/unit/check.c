// SPDX-License-Identifier: GPL-2.0-only
/*
 * The comparison driver: a compiled program, run in the interpreter over
 * the generated calls, against what the oracle says each must get.
 */
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "check.h"
#include "oracle.h"
#include "syscalls.h"

/* differences printed per check: the first few say enough */
#define MAX_LOGGED 8

struct check {
	struct ps_oracle oracle;
	const struct sock_fprog *prog;
	FILE *log;
	unsigned int diffs;
	unsigned long inputs;
};

const char *ps_call_name(const struct seccomp_data *d, char *buf, size_t len)
{
	enum ps_arch abi;
	const char *name = NULL, *abi_name = "arch?";

	if (ps_arch_of(d->arch, d->nr, &abi)) {
		abi_name = ps_arch_name(abi);
		name = ps_syscall_name_arch(abi, d->nr);
	}
	snprintf(buf, len,
		 "%s %s[%d](%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) arch %#x",
		 abi_name, name ? name : "?", d->nr,
		 (unsigned long long)d->args[0], (unsigned long long)d->args[1],
		 (unsigned long long)d->args[2], (unsigned long long)d->args[3],
		 (unsigned long long)d->args[4], (unsigned long long)d->args[5],
		 d->arch);
	return buf;
}

static void check_one(const struct seccomp_data *d, void *ctx)
{
	struct check *c = ctx;
	struct ps_verdict v = ps_oracle_decide(&c->oracle, d);
	uint32_t got = ps_bpf_run(c->prog->filter, c->prog->len, d, NULL);
	char call[256], w[32], a[32], g[32];

	c->inputs++;
	if (ps_verdict_ok(&v, got))
		return;
	if (c->log && c->diffs < MAX_LOGGED) {
		fprintf(c->log, "# differs: %s: want %s",
			ps_call_name(d, call, sizeof(call)),
			ps_ret_name(v.want, w, sizeof(w)));
		if (v.also != v.want)
			fprintf(c->log, " or %s",
				ps_ret_name(v.also, a, sizeof(a)));
		fprintf(c->log, ", got %s\n", ps_ret_name(got, g, sizeof(g)));
	}
	c->diffs++;
}

unsigned int ps_check_program_limit(const struct ps_policy *p,
				    const struct ps_filter_options *opt,
				    const struct sock_fprog *prog, FILE *log,
				    unsigned int limit, unsigned long *n_inputs)
{
	struct check c = { .prog = prog, .log = log };
	char why[256];

	if (n_inputs)
		*n_inputs = 0;
	if (ps_bpf_check(prog->filter, prog->len, why, sizeof(why)) < 0) {
		if (log)
			fprintf(log,
				"# the kernel would refuse the program: %s\n",
				why);
		return 1;
	}
	ps_oracle_init(&c.oracle, p, opt, NULL);
	ps_inputs_policy(p, limit, 0x5eccdeadbeefULL, check_one, &c);
	ps_oracle_free(&c.oracle);
	if (log && c.diffs > MAX_LOGGED)
		fprintf(log, "# ... %u differences in all, of %lu calls\n",
			c.diffs, c.inputs);
	if (n_inputs)
		*n_inputs = c.inputs;
	return c.diffs;
}

unsigned int ps_check_program(const struct ps_policy *p,
			      const struct ps_filter_options *opt,
			      const struct sock_fprog *prog, FILE *log)
{
	return ps_check_program_limit(p, opt, prog, log, PS_CHECK_INPUTS, NULL);
}

int ps_crosvm_next(DIR *dir, char *path, size_t len)
{
	struct dirent *e;

	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);

		if (n < 8 || strcmp(e->d_name + n - 7, ".policy"))
			continue;
		snprintf(path, len, "%s/%s", CROSVM_DIR, e->d_name);
		return 1;
	}
	return 0;
}

int ps_crosvm_load(const char *path, struct ps_policy *p)
{
	static const char *const newer[] = {
		"MADV_GUARD_INSTALL=102", "MADV_GUARD_REMOVE=103",
		"PR_GET_AUXV=0x41555856", "MFD_NOEXEC_SEAL=8",
		"TCGETS2=0x802c542a",
	};
	unsigned int i;

	ps_policy_init(p);
	ps_policy_add_include_dir(p, CROSVM_DIR);
	for (i = 0; i < sizeof(newer) / sizeof(newer[0]); i++)
		if (ps_policy_define(p, newer[i]) < 0)
			return -1;
	return ps_policy_load_file(p, path);
}
