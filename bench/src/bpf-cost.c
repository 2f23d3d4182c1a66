// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf-cost FILE.bpf NAME...: runs a seccomp BPF program (raw sock_filter,
 * as `pinscope compile -o` writes it) in a small classic-BPF interpreter,
 * for each named x86_64 syscall with zero arguments, and prints the mean
 * and the largest number of instructions executed, and the program length.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(const struct sock_filter *p, unsigned int len,
	       const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	unsigned int pc = 0;
	int steps = 0;

	while (pc < len) {
		const struct sock_filter *i = &p[pc++];
		uint32_t k = i->k, src = BPF_SRC(i->code) == BPF_X ? X : k;

		steps++;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS)
				memcpy(&A, (const char *)d + k, 4);
			else if (BPF_MODE(i->code) == BPF_MEM)
				A = M[k];
			else if (BPF_MODE(i->code) == BPF_IMM)
				A = k;
			break;
		case BPF_LDX:
			X = BPF_MODE(i->code) == BPF_MEM ? M[k] : k;
			break;
		case BPF_ST:
			M[k] = A;
			break;
		case BPF_STX:
			M[k] = X;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND: A &= src; break;
			case BPF_OR: A |= src; break;
			case BPF_ADD: A += src; break;
			case BPF_SUB: A -= src; break;
			case BPF_RSH: A >>= src; break;
			case BPF_LSH: A <<= src; break;
			default: return -1;
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(i->code)) {
			case BPF_JA: pc += k; break;
			case BPF_JEQ: pc += A == src ? i->jt : i->jf; break;
			case BPF_JGT: pc += A > src ? i->jt : i->jf; break;
			case BPF_JGE: pc += A >= src ? i->jt : i->jf; break;
			case BPF_JSET: pc += (A & src) ? i->jt : i->jf; break;
			default: return -1;
			}
			break;
		case BPF_RET:
			return steps;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sock_filter prog[4096];
	struct seccomp_data d;
	unsigned int len;
	int i, steps, max = 0, n = 0;
	double sum = 0;
	FILE *f;

	if (argc < 3 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bpf-cost FILE.bpf SYSCALL...\n");
		return 2;
	}
	len = (unsigned int)fread(prog, sizeof(prog[0]), 4096, f);
	fclose(f);
	for (i = 2; i < argc; i++) {
		memset(&d, 0, sizeof(d));
		d.arch = AUDIT_ARCH_X86_64;
		d.nr = seccomp_syscall_resolve_name(argv[i]);
		if (d.nr < 0)
			continue;
		steps = run(prog, len, &d);
		if (steps < 0) {
			fprintf(stderr, "bpf-cost: cannot run the program\n");
			return 1;
		}
		sum += steps;
		n++;
		if (steps > max)
			max = steps;
	}
	printf("%.1f %d %u\n", n ? sum / n : 0, max, len);
	return 0;
}
