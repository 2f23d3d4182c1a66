// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seccomp program as text, in the syntax of the kernel's bpf_asm and
 * bpf_dbg (tools/bpf), with the loads of struct seccomp_data named.
 */
#include <linux/audit.h>
#include <stddef.h>
#include <stdio.h>

#include "bpf.h"
#include "util.h"

static void print_load(FILE *out, uint32_t k)
{
	if (k == offsetof(struct seccomp_data, nr))
		fputs("ld [nr]", out);
	else if (k == offsetof(struct seccomp_data, arch))
		fputs("ld [arch]", out);
	else if (k == offsetof(struct seccomp_data, instruction_pointer))
		fputs("ld [ip]", out);
	else if (k == offsetof(struct seccomp_data, instruction_pointer) + 4)
		fputs("ld [ip.hi]", out);
	else if (k >= offsetof(struct seccomp_data, args) &&
		 k < sizeof(struct seccomp_data))
		fprintf(out, "ld [arg%zu.%s]",
			(k - offsetof(struct seccomp_data, args)) / 8,
			(k - offsetof(struct seccomp_data, args)) % 8 ? "hi" :
									"lo");
	else
		fprintf(out, "ld [%u]", k);
}

const char *ps_bpf_ret_name(uint32_t k)
{
	switch (k & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return "kill-process";
	case SECCOMP_RET_KILL_THREAD:
		return "kill-thread";
	case SECCOMP_RET_TRAP:
		return "trap";
	case SECCOMP_RET_ERRNO:
		return "errno";
	case SECCOMP_RET_USER_NOTIF:
		return "notify";
	case SECCOMP_RET_TRACE:
		return "trace";
	case SECCOMP_RET_LOG:
		return "log";
	case SECCOMP_RET_ALLOW:
		return "allow";
	}
	return "?";
}

void ps_bpf_print(FILE *out, const struct sock_filter *prog, size_t len)
{
	static const char *const jumps[] = {
		[BPF_JEQ >> 4] = "jeq",
		[BPF_JGT >> 4] = "jgt",
		[BPF_JGE >> 4] = "jge",
		[BPF_JSET >> 4] = "jset",
	};
	static const char *const alu[] = {
		[BPF_ADD >> 4] = "add", [BPF_SUB >> 4] = "sub",
		[BPF_MUL >> 4] = "mul", [BPF_DIV >> 4] = "div",
		[BPF_OR >> 4] = "or",	[BPF_AND >> 4] = "and",
		[BPF_LSH >> 4] = "lsh", [BPF_RSH >> 4] = "rsh",
		[BPF_NEG >> 4] = "neg", [BPF_MOD >> 4] = "mod",
		[BPF_XOR >> 4] = "xor",
	};
	size_t i;

	for (i = 0; i < len; i++) {
		const struct sock_filter *p = &prog[i];
		unsigned int op = BPF_OP(p->code) >> 4;

		fprintf(out, "%4zu: ", i);
		switch (BPF_CLASS(p->code)) {
		case BPF_LD:
			if (BPF_MODE(p->code) == BPF_ABS)
				print_load(out, p->k);
			else if (BPF_MODE(p->code) == BPF_IMM)
				fprintf(out, "ld #%#x", p->k);
			else if (BPF_MODE(p->code) == BPF_MEM)
				fprintf(out, "ld M[%u]", p->k);
			else
				fputs("ld #len", out);
			break;
		case BPF_LDX:
			if (BPF_MODE(p->code) == BPF_MEM)
				fprintf(out, "ldx M[%u]", p->k);
			else if (BPF_MODE(p->code) == BPF_LEN)
				fputs("ldx #len", out);
			else
				fprintf(out, "ldx #%#x", p->k);
			break;
		case BPF_ST:
			fprintf(out, "st M[%u]", p->k);
			break;
		case BPF_STX:
			fprintf(out, "stx M[%u]", p->k);
			break;
		case BPF_ALU:
			if (BPF_OP(p->code) == BPF_NEG)
				fputs("neg", out);
			else if (op < ARRAY_SIZE(alu) && alu[op])
				fprintf(out,
					BPF_SRC(p->code) == BPF_X ? "%s x" :
								    "%s #%#x",
					alu[op], p->k);
			else
				fprintf(out, "alu?%#x", p->code);
			break;
		case BPF_JMP:
			if (BPF_OP(p->code) == BPF_JA) {
				fprintf(out, "ja %zu", i + 1 + p->k);
			} else if (op < ARRAY_SIZE(jumps) && jumps[op]) {
				if (BPF_SRC(p->code) == BPF_X)
					fprintf(out, "%s x", jumps[op]);
				else
					fprintf(out, "%s #%#x", jumps[op],
						p->k);
				fprintf(out, ", %zu, %zu", i + 1 + p->jt,
					i + 1 + p->jf);
			} else {
				fprintf(out, "jmp?%#x", p->code);
			}
			break;
		case BPF_RET:
			if (BPF_RVAL(p->code) == BPF_A)
				fputs("ret a", out);
			else if ((p->k & SECCOMP_RET_ACTION_FULL) ==
				 SECCOMP_RET_ERRNO)
				fprintf(out, "ret errno %u",
					p->k & SECCOMP_RET_DATA);
			else
				fprintf(out, "ret %s", ps_bpf_ret_name(p->k));
			break;
		case BPF_MISC:
			fputs(BPF_MISCOP(p->code) == BPF_TAX ? "tax" : "txa",
			      out);
			break;
		}
		fputc('\n', out);
	}
}
