// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's view of a seccomp program, modelled on Linux 6.1: the checks
 * of bpf_check_classic() and check_load_and_stores() (net/core/filter.c)
 * and seccomp_check_filter() (kernel/seccomp.c), the meaning the program
 * has once bpf_convert_filter() has turned it into eBPF, and the action
 * cache's emulation, seccomp_is_const_allow().
 *
 * The tests hold each of the three against the real kernel, so a change
 * here that drifts from it fails there first.
 */
#include "bpf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Mnemonics for the messages: the classic codes the kernel knows. */
static const char *insn_name(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return "ld word [k]";
	case BPF_LD | BPF_H | BPF_ABS:
		return "ld half [k]";
	case BPF_LD | BPF_B | BPF_ABS:
		return "ld byte [k]";
	case BPF_LD | BPF_W | BPF_IND:
		return "ld word [x+k]";
	case BPF_LD | BPF_H | BPF_IND:
		return "ld half [x+k]";
	case BPF_LD | BPF_B | BPF_IND:
		return "ld byte [x+k]";
	case BPF_LD | BPF_W | BPF_LEN:
		return "ld len";
	case BPF_LD | BPF_IMM:
		return "ld #k";
	case BPF_LD | BPF_MEM:
		return "ld M[k]";
	case BPF_LDX | BPF_W | BPF_LEN:
		return "ldx len";
	case BPF_LDX | BPF_B | BPF_MSH:
		return "ldx 4*([k]&0xf)";
	case BPF_LDX | BPF_IMM:
		return "ldx #k";
	case BPF_LDX | BPF_MEM:
		return "ldx M[k]";
	case BPF_ST:
		return "st M[k]";
	case BPF_STX:
		return "stx M[k]";
	case BPF_ALU | BPF_ADD | BPF_K:
		return "add #k";
	case BPF_ALU | BPF_ADD | BPF_X:
		return "add x";
	case BPF_ALU | BPF_SUB | BPF_K:
		return "sub #k";
	case BPF_ALU | BPF_SUB | BPF_X:
		return "sub x";
	case BPF_ALU | BPF_MUL | BPF_K:
		return "mul #k";
	case BPF_ALU | BPF_MUL | BPF_X:
		return "mul x";
	case BPF_ALU | BPF_DIV | BPF_K:
		return "div #k";
	case BPF_ALU | BPF_DIV | BPF_X:
		return "div x";
	case BPF_ALU | BPF_MOD | BPF_K:
		return "mod #k";
	case BPF_ALU | BPF_MOD | BPF_X:
		return "mod x";
	case BPF_ALU | BPF_AND | BPF_K:
		return "and #k";
	case BPF_ALU | BPF_AND | BPF_X:
		return "and x";
	case BPF_ALU | BPF_OR | BPF_K:
		return "or #k";
	case BPF_ALU | BPF_OR | BPF_X:
		return "or x";
	case BPF_ALU | BPF_XOR | BPF_K:
		return "xor #k";
	case BPF_ALU | BPF_XOR | BPF_X:
		return "xor x";
	case BPF_ALU | BPF_LSH | BPF_K:
		return "lsh #k";
	case BPF_ALU | BPF_LSH | BPF_X:
		return "lsh x";
	case BPF_ALU | BPF_RSH | BPF_K:
		return "rsh #k";
	case BPF_ALU | BPF_RSH | BPF_X:
		return "rsh x";
	case BPF_ALU | BPF_NEG:
		return "neg";
	case BPF_JMP | BPF_JA:
		return "ja k";
	case BPF_JMP | BPF_JEQ | BPF_K:
		return "jeq #k";
	case BPF_JMP | BPF_JEQ | BPF_X:
		return "jeq x";
	case BPF_JMP | BPF_JGT | BPF_K:
		return "jgt #k";
	case BPF_JMP | BPF_JGT | BPF_X:
		return "jgt x";
	case BPF_JMP | BPF_JGE | BPF_K:
		return "jge #k";
	case BPF_JMP | BPF_JGE | BPF_X:
		return "jge x";
	case BPF_JMP | BPF_JSET | BPF_K:
		return "jset #k";
	case BPF_JMP | BPF_JSET | BPF_X:
		return "jset x";
	case BPF_RET | BPF_K:
		return "ret #k";
	case BPF_RET | BPF_A:
		return "ret a";
	case BPF_MISC | BPF_TAX:
		return "tax";
	case BPF_MISC | BPF_TXA:
		return "txa";
	}
	return NULL;
}

/* chk_code_allowed(): the opcodes of classic BPF, for any user. */
static bool classic_known(uint16_t code)
{
	return insn_name(code) != NULL;
}

/*
 * seccomp_check_filter()'s list. MOD is missing on purpose: the kernel
 * never added it for seccomp, and nor do we. The loads of struct
 * seccomp_data are checked apart.
 */
static bool seccomp_allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	}
	return false;
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static int refuse(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define REFUSE(pc, code, fmt, ...)                                      \
	refuse(why, whylen, "instruction %zu (%s): " fmt, (size_t)(pc), \
	       insn_name(code) ? insn_name(code) : "?", ##__VA_ARGS__)

/* The per-instruction checks of bpf_check_classic(), in its order. */
static int check_classic_insn(const struct sock_filter *prog, size_t len,
			      size_t pc, char *why, size_t whylen)
{
	const struct sock_filter *f = &prog[pc];

	if (!classic_known(f->code))
		return refuse(why, whylen,
			      "instruction %zu: unknown opcode 0x%04x", pc,
			      f->code);

	switch (f->code) {
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
		if (f->k == 0)
			return REFUSE(pc, f->code, "divides by the constant 0");
		break;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		if (f->k >= 32)
			return REFUSE(pc, f->code, "shifts by %u, 32 or more",
				      f->k);
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			return REFUSE(
				pc, f->code,
				"scratch word %u does not exist (%d words)",
				f->k, BPF_MEMWORDS);
		break;
	case BPF_JMP | BPF_JA:
		/* unsigned: k is at most what is left after this one */
		if (f->k >= len - pc - 1)
			return REFUSE(
				pc, f->code,
				"jumps %u forward, past the end of the %zu-instruction program",
				f->k, len);
		break;
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		/*
		 * The kernel lets the socket extensions (SKF_AD_*) through
		 * here; seccomp_check_filter() refuses them all, so they
		 * are refused here at once, with the same result.
		 */
		if (f->k >= (uint32_t)SKF_AD_OFF)
			return REFUSE(
				pc, f->code,
				"loads socket extension 0x%x, not struct seccomp_data",
				f->k);
		break;
	default:
		if (is_cond_jump(f->code) &&
		    (pc + f->jt + 1 >= len || pc + f->jf + 1 >= len))
			return REFUSE(
				pc, f->code,
				"jumps (%u true, %u false) past the end of the %zu-instruction program",
				f->jt, f->jf, len);
		break;
	}
	return 0;
}

/*
 * check_load_and_stores(): a scratch word read must have been written on
 * every path there. The kernel walks the program in order, meeting the
 * state of each jump at its target; after a jump the fall-through state is
 * "all written", as only jumps lead on. A return does not reset it, so an
 * unreachable read after a return may pass: we do the same.
 */
static int check_mem(const struct sock_filter *prog, size_t len, char *why,
		     size_t whylen)
{
	uint16_t masks[BPF_MAXINSNS];
	uint16_t valid = 0;
	size_t pc;

	memset(masks, 0xff, len * sizeof(masks[0]));
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];

		valid &= masks[pc];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= 1u << f->k;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1u << f->k)))
				return REFUSE(
					pc, f->code,
					"reads scratch word %u, which may not have been written",
					f->k);
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + f->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (is_cond_jump(f->code)) {
				masks[pc + 1 + f->jt] &= valid;
				masks[pc + 1 + f->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

/* seccomp_check_filter(): what seccomp adds to classic BPF's checks. */
static int check_seccomp(const struct sock_filter *prog, size_t len, char *why,
			 size_t whylen)
{
	size_t pc;

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];

		if (!seccomp_allowed(f->code))
			return REFUSE(pc, f->code, "not allowed in seccomp");
		if (f->code == (BPF_LD | BPF_W | BPF_ABS) &&
		    (f->k >= sizeof(struct seccomp_data) || f->k & 3))
			return REFUSE(
				pc, f->code,
				"offset %u is not an aligned word of struct seccomp_data (%zu bytes)",
				f->k, sizeof(struct seccomp_data));
	}
	return 0;
}

int ps_bpf_check(const struct sock_filter *prog, size_t len, char *why,
		 size_t whylen)
{
	uint16_t last;
	size_t pc;

	if (why && whylen)
		why[0] = '\0';
	if (!prog || len == 0 || len > BPF_MAXINSNS)
		return refuse(
			why, whylen,
			"the program has %zu instructions; the kernel takes 1 to %d",
			prog ? len : 0, BPF_MAXINSNS);
	for (pc = 0; pc < len; pc++)
		if (check_classic_insn(prog, len, pc, why, whylen))
			return -1;
	last = prog[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return refuse(
			why, whylen,
			"instruction %zu (%s): the last instruction is not a return",
			len - 1, insn_name(last));
	if (check_mem(prog, len, why, whylen))
		return -1;
	return check_seccomp(prog, len, why, whylen);
}

/* A 32-bit word of D at byte K, as the converted program's load reads it. */
static bool load_word(const struct seccomp_data *d, uint32_t k, uint32_t *v)
{
	if (k > sizeof(*d) - sizeof(*v) || k % 4)
		return false;
	memcpy(v, (const char *)d + k, sizeof(*v));
	return true;
}

/*
 * The semantics are those of the eBPF program bpf_convert_filter() makes
 * (what runs, JIT or interpreter): 32-bit ALU, unsigned compares, and
 * - DIV or MOD by X == 0 ends the filter with 0, SECCOMP_RET_KILL_THREAD;
 * - a shift by X uses X & 31: the interpreter masks so, and the x86-64
 *   and arm64 JITs' 32-bit shifts do the same in hardware. A shift by a
 *   constant of 32 or more never loads.
 * An unchecked program that runs off its end, or meets an instruction
 * seccomp does not run, ends with 0 as well.
 */
uint32_t ps_bpf_run(const struct sock_filter *prog, size_t len,
		    const struct seccomp_data *d, unsigned int *steps)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	uint32_t ret = 0;
	unsigned int n = 0;
	size_t pc = 0;

	while (pc < len) {
		const struct sock_filter *f = &prog[pc++];
		uint32_t k = f->k;
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : k;
		bool taken;

		n++;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (!load_word(d, k, &a))
				goto out;
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
			a = sizeof(*d);
			continue;
		case BPF_LDX | BPF_W | BPF_LEN:
			x = sizeof(*d);
			continue;
		case BPF_LD | BPF_IMM:
			a = k;
			continue;
		case BPF_LDX | BPF_IMM:
			x = k;
			continue;
		case BPF_LD | BPF_MEM:
			a = mem[k % BPF_MEMWORDS];
			continue;
		case BPF_LDX | BPF_MEM:
			x = mem[k % BPF_MEMWORDS];
			continue;
		case BPF_ST:
			mem[k % BPF_MEMWORDS] = a;
			continue;
		case BPF_STX:
			mem[k % BPF_MEMWORDS] = x;
			continue;
		case BPF_MISC | BPF_TAX:
			x = a;
			continue;
		case BPF_MISC | BPF_TXA:
			a = x;
			continue;
		case BPF_ALU | BPF_ADD | BPF_K:
		case BPF_ALU | BPF_ADD | BPF_X:
			a += src;
			continue;
		case BPF_ALU | BPF_SUB | BPF_K:
		case BPF_ALU | BPF_SUB | BPF_X:
			a -= src;
			continue;
		case BPF_ALU | BPF_MUL | BPF_K:
		case BPF_ALU | BPF_MUL | BPF_X:
			a *= src;
			continue;
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_DIV | BPF_X:
			if (!src)
				goto out;
			a /= src;
			continue;
		case BPF_ALU | BPF_MOD | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_X:
			if (!src)
				goto out;
			a %= src;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_ALU | BPF_AND | BPF_X:
			a &= src;
			continue;
		case BPF_ALU | BPF_OR | BPF_K:
		case BPF_ALU | BPF_OR | BPF_X:
			a |= src;
			continue;
		case BPF_ALU | BPF_XOR | BPF_K:
		case BPF_ALU | BPF_XOR | BPF_X:
			a ^= src;
			continue;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_LSH | BPF_X:
			a <<= src & 31;
			continue;
		case BPF_ALU | BPF_RSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_X:
			a >>= src & 31;
			continue;
		case BPF_ALU | BPF_NEG:
			a = -a;
			continue;
		case BPF_JMP | BPF_JA:
			pc += k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JEQ | BPF_X:
			taken = a == src;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_X:
			taken = a > src;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_X:
			taken = a >= src;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_X:
			taken = (a & src) != 0;
			break;
		case BPF_RET | BPF_K:
			ret = k;
			goto out;
		case BPF_RET | BPF_A:
			ret = a;
			goto out;
		default:
			goto out;
		}
		pc += taken ? f->jt : f->jf;
	}
out:
	if (steps)
		*steps = n;
	return ret;
}

/*
 * seccomp_is_const_allow() of 6.1, which the kernel runs on the program as
 * the user wrote it, for each NR of each ARCH it caches. It knows one
 * register, loaded only from nr and arch; any other load, any other ALU
 * than AND with a constant, a compare with X or RET A makes it give up.
 * The bounds checks are ours: the kernel runs it on checked programs only.
 */
bool ps_bpf_const_allow(const struct sock_filter *prog, size_t len,
			uint32_t arch, int nr)
{
	uint32_t reg = 0;
	size_t pc;

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		bool taken;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				reg = (uint32_t)nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				reg = arch;
			else
				return false;
			break;
		case BPF_RET | BPF_K:
			return f->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				taken = reg == f->k;
				break;
			case BPF_JGE:
				taken = reg >= f->k;
				break;
			case BPF_JGT:
				taken = reg > f->k;
				break;
			default:
				taken = (reg & f->k) != 0;
				break;
			}
			pc += taken ? f->jt : f->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg &= f->k;
			break;
		default:
			return false;
		}
	}
	return false;
}
