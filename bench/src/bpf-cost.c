// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf-cost FILE.bpf CALL...: what a seccomp program (raw sock_filter, as
 * `pinscope compile -o` writes it) costs the kernel, for x86_64 calls
 * given as NAME or 'NAME(A0,A1,...)' (missing arguments are 0).
 *
 * Each call runs in pinscope's interpreter (ps_bpf_run, which counts the
 * instructions executed); the kernel's action cache is emulated over
 * every native syscall (ps_bpf_const_allow, as /proc/PID/seccomp_cache
 * would list them). Prints: MEAN WORST LENGTH CONSTANT NATIVE REFUSED,
 * instructions per call, program length, how many of the NATIVE syscalls
 * the cache answers without running the program, and how many of the
 * given calls the program did not allow.
 */
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "policy.h"
#include "syscalls.h"

/* "NAME" or "NAME(A0,...)" into D; -1 for an unknown name or bad syntax. */
static int parse_call(const char *spec, struct seccomp_data *d)
{
	char name[64];
	const char *p = spec + strcspn(spec, "(");
	size_t n = (size_t)(p - spec);
	unsigned int i;
	char *end;

	memset(d, 0, sizeof(*d));
	d->arch = AUDIT_ARCH_X86_64;
	if (n >= sizeof(name))
		return -1;
	memcpy(name, spec, n);
	name[n] = '\0';
	d->nr = ps_syscall_lookup(name);
	if (d->nr < 0)
		return -1;
	if (!*p)
		return 0;
	for (i = 0, p++; *p && *p != ')' && i < 6; i++) {
		d->args[i] = strtoull(p, &end, 0);
		if (end == p || (*end != ',' && *end != ')'))
			return -1;
		p = *end == ',' ? end + 1 : end;
	}
	return *p == ')' && !p[1] ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[PS_ARCH_X86_64];
	struct sock_filter prog[BPF_MAXINSNS + 1];
	unsigned int len, steps, max = 0, n = 0, refused = 0, cached = 0, i;
	struct seccomp_data d;
	double sum = 0;
	char why[256];
	FILE *f;

	if (argc < 3 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bpf-cost FILE.bpf CALL...\n");
		return 2;
	}
	len = (unsigned int)fread(prog, sizeof(prog[0]), BPF_MAXINSNS + 1, f);
	fclose(f);
	if (ps_bpf_check(prog, len, why, sizeof(why)) < 0) {
		fprintf(stderr, "bpf-cost: %s: %s\n", argv[1], why);
		return 1;
	}
	for (i = 2; i < (unsigned int)argc; i++) {
		if (parse_call(argv[i], &d) < 0) {
			fprintf(stderr, "bpf-cost: bad call '%s'\n", argv[i]);
			return 2;
		}
		if (ps_bpf_run(prog, len, &d, &steps) != SECCOMP_RET_ALLOW)
			refused++;
		sum += steps;
		n++;
		if (steps > max)
			max = steps;
	}
	for (i = 0; i < t->n; i++)
		if (ps_bpf_const_allow(prog, len, AUDIT_ARCH_X86_64,
				       t->by_name[i].nr))
			cached++;
	printf("%.1f %u %u %u %u %u\n", sum / n, max, len, cached, t->n,
	       refused);
	return 0;
}
