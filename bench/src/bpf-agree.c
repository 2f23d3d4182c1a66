// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf-agree A.bpf B.bpf: whether two seccomp programs decide alike, so that
 * the bench compares builds of one policy and not of two. Runs both in
 * pinscope's interpreter for every native x86_64 syscall with the first
 * three arguments drawn from values around the bench policies' constants
 * (both 32-bit halves, the edges of their comparisons and masks); the
 * other arguments stay 0. Prints: INPUTS DIFFERING, then up to three
 * differing calls.
 */
#include <linux/audit.h>
#include <stdio.h>

#include "bpf.h"
#include "syscalls.h"

static const uint64_t values[] = {
	0, 1, 2, 3, 4, 8, 38, 39, 40, 41, 4095, 4096, 4097, 0x20000, 0x20008,
	0x7e020000, 0xffffffff, 0x100000000ull, 0x100000002ull, ~0ull,
};
#define N_VALUES (sizeof(values) / sizeof(values[0]))

static size_t load(const char *path, struct sock_filter *prog)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return 0;
	len = fread(prog, sizeof(prog[0]), BPF_MAXINSNS + 1, f);
	fclose(f);
	return len;
}

int main(int argc, char **argv)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[PS_ARCH_X86_64];
	static struct sock_filter a[BPF_MAXINSNS + 1], b[BPF_MAXINSNS + 1];
	unsigned long inputs = 0, differ = 0;
	size_t na, nb, i, k;
	char why[256];

	if (argc != 3) {
		fprintf(stderr, "usage: bpf-agree A.bpf B.bpf\n");
		return 2;
	}
	na = load(argv[1], a);
	nb = load(argv[2], b);
	if (ps_bpf_check(a, na, why, sizeof(why)) < 0 ||
	    ps_bpf_check(b, nb, why, sizeof(why)) < 0) {
		fprintf(stderr, "bpf-agree: %s\n", why);
		return 1;
	}
	for (i = 0; i < t->n; i++)
		for (k = 0; k < N_VALUES * N_VALUES * N_VALUES; k++) {
			struct seccomp_data d = {
				.nr = t->by_name[i].nr,
				.arch = AUDIT_ARCH_X86_64,
				.args = { values[k % N_VALUES],
					  values[k / N_VALUES % N_VALUES],
					  values[k / N_VALUES / N_VALUES] },
			};

			inputs++;
			if (ps_bpf_run(a, na, &d, NULL) == ps_bpf_run(b, nb, &d, NULL))
				continue;
			if (differ++ < 3)
				fprintf(stderr, "bpf-agree: differ: %s(%#llx, %#llx, %#llx)\n",
					t->by_name[i].name,
					(unsigned long long)d.args[0],
					(unsigned long long)d.args[1],
					(unsigned long long)d.args[2]);
		}
	printf("%lu %lu\n", inputs, differ);
	return 0;
}
