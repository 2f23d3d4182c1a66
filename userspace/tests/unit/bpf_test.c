// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF model (src/bpf.c) against hand-computed values and against the
 * kernel it models: filters loaded in children decide real getppid calls,
 * whose errno must be what ps_bpf_run() predicts, and the kernel must
 * refuse exactly the programs ps_bpf_check() refuses.
 */
#include "kselftest_harness.h"

#include "bpf.h"

#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#define NATIVE_ARCH 0 /* the kernel tests skip */
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LO 0
#define HI 4
#else
#define LO 4
#define HI 0
#endif

#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_IP_LO (offsetof(struct seccomp_data, instruction_pointer) + LO)
#define OFF_IP_HI (offsetof(struct seccomp_data, instruction_pointer) + HI)
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]) + LO)
#define ARG_HI(i) (offsetof(struct seccomp_data, args[i]) + HI)

#define ST(code, k) BPF_STMT(code, k)
#define JMP(code, k, jt, jf) BPF_JUMP(code, k, jt, jf)
#define RET_ERRNO(n) ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (n))
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift64: the same values on every run, so a failure repeats */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static struct seccomp_data data6(int nr, uint64_t ip, uint64_t a0, uint64_t a1,
				 uint64_t a2, uint64_t a3, uint64_t a4,
				 uint64_t a5)
{
	struct seccomp_data d = {
		.nr = nr,
		.arch = NATIVE_ARCH,
		.instruction_pointer = ip,
		.args = { a0, a1, a2, a3, a4, a5 },
	};

	return d;
}

/* ---------------------------------------------------------------- check */

struct bad_prog {
	const char *name;
	struct sock_filter prog[8];
	size_t len;
	const char *at; /* "instruction N", or NULL for the length */
	const char *reason; /* a word of the reason */
};

static const struct bad_prog bad_progs[] = {
	{ "unknown opcode",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR), ST(0xffff, 0),
	    ST(BPF_RET | BPF_K, 0) },
	  3,
	  "instruction 1",
	  "unknown opcode" },
	{ "unknown class-valid opcode",
	  { ST(BPF_ALU | 0xf0 | BPF_K, 1), ST(BPF_RET | BPF_K, 0) },
	  2,
	  "instruction 0",
	  "unknown opcode" },
	{ "half-word load (classic, not seccomp)",
	  { ST(BPF_LD | BPF_H | BPF_ABS, OFF_NR), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "not allowed in seccomp" },
	{ "byte load",
	  { ST(BPF_LD | BPF_B | BPF_ABS, OFF_NR), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "not allowed in seccomp" },
	{ "indirect load",
	  { ST(BPF_LD | BPF_W | BPF_IND, 0), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "not allowed in seccomp" },
	{ "msh load",
	  { ST(BPF_LDX | BPF_B | BPF_MSH, 0), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "not allowed in seccomp" },
	{ "mod by constant",
	  { ST(BPF_ALU | BPF_MOD | BPF_K, 3), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "not allowed in seccomp" },
	{ "mod by x",
	  { ST(BPF_LDX | BPF_IMM, 3), ST(BPF_ALU | BPF_MOD | BPF_X, 0),
	    ST(BPF_RET | BPF_A, 0) },
	  3,
	  "instruction 1",
	  "not allowed in seccomp" },
	{ "misaligned load",
	  { ST(BPF_LD | BPF_W | BPF_ABS, 2), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "aligned word" },
	{ "load past seccomp_data",
	  { ST(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
	    ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "aligned word" },
	{ "socket extension load",
	  { ST(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_AD_OFF + SKF_AD_PROTOCOL),
	    ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "socket extension" },
	{ "jump true past the end",
	  { JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), ST(BPF_RET | BPF_K, 0),
	    ST(BPF_RET | BPF_K, 0) },
	  3,
	  "instruction 0",
	  "past the end" },
	{ "jump false past the end",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	    JMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1), ST(BPF_RET | BPF_K, 0) },
	  3,
	  "instruction 1",
	  "past the end" },
	{ "ja past the end",
	  { ST(BPF_JMP | BPF_JA, 1), ST(BPF_RET | BPF_K, 0) },
	  2,
	  "instruction 0",
	  "past the end" },
	{ "ja that wraps",
	  { ST(BPF_JMP | BPF_JA, 0xffffffff), ST(BPF_RET | BPF_K, 0) },
	  2,
	  "instruction 0",
	  "past the end" },
	{ "scratch word 16 read",
	  { ST(BPF_ST, 0), ST(BPF_LD | BPF_MEM, 16), ST(BPF_RET | BPF_A, 0) },
	  3,
	  "instruction 1",
	  "scratch word 16" },
	{ "scratch word 16 written",
	  { ST(BPF_STX, 16), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "scratch word 16" },
	{ "division by constant 0",
	  { ST(BPF_ALU | BPF_DIV | BPF_K, 0), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "constant 0" },
	{ "left shift by 32",
	  { ST(BPF_ALU | BPF_LSH | BPF_K, 32), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "shifts by 32" },
	{ "right shift by 40",
	  { ST(BPF_ALU | BPF_RSH | BPF_K, 40), ST(BPF_RET | BPF_A, 0) },
	  2,
	  "instruction 0",
	  "shifts by 40" },
	{ "no return at the end",
	  { ST(BPF_RET | BPF_K, 0), ST(BPF_LD | BPF_IMM, 0) },
	  2,
	  "instruction 1",
	  "not a return" },
	{ "scratch word read before any write",
	  { ST(BPF_LDX | BPF_MEM, 3), ST(BPF_RET | BPF_K, 0) },
	  2,
	  "instruction 0",
	  "may not have been written" },
	{ "scratch word written on one branch only",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	    JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), ST(BPF_ST, 2),
	    ST(BPF_LD | BPF_MEM, 2), ST(BPF_RET | BPF_A, 0) },
	  5,
	  "instruction 3",
	  "may not have been written" },
	{ "scratch word written after ja skips it",
	  { ST(BPF_JMP | BPF_JA, 1), ST(BPF_ST, 0), ST(BPF_LD | BPF_MEM, 0),
	    ST(BPF_RET | BPF_A, 0) },
	  4,
	  "instruction 2",
	  "may not have been written" },
	{ "empty program", { ST(BPF_RET | BPF_K, 0) }, 0, NULL, "1 to 4096" },
};

/* Programs the kernel takes, some of them at the edges of the rules. */
struct good_prog {
	const char *name;
	struct sock_filter prog[8];
	size_t len;
};

static const struct good_prog good_progs[] = {
	{ "one return", { ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) }, 1 },
	{ "return a", { ST(BPF_RET | BPF_A, 0) }, 1 },
	{ "last word of seccomp_data",
	  { ST(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data) - 4),
	    ST(BPF_RET | BPF_A, 0) },
	  2 },
	{ "len loads",
	  { ST(BPF_LD | BPF_W | BPF_LEN, 0), ST(BPF_LDX | BPF_W | BPF_LEN, 0),
	    ST(BPF_RET | BPF_A, 0) },
	  3 },
	{ "scratch word 15, written on both branches",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	    JMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 2), ST(BPF_ST, 15),
	    ST(BPF_JMP | BPF_JA, 1), ST(BPF_STX, 15), ST(BPF_LDX | BPF_MEM, 15),
	    ST(BPF_RET | BPF_A, 0) },
	  7 },
	/* check_load_and_stores() does not reset its state after a return */
	{ "unreachable read after a return",
	  { ST(BPF_ST, 4), ST(BPF_RET | BPF_K, 0), ST(BPF_LD | BPF_MEM, 4),
	    ST(BPF_RET | BPF_A, 0) },
	  4 },
	{ "shift by 31 and division by x",
	  { ST(BPF_ALU | BPF_LSH | BPF_K, 31),
	    ST(BPF_ALU | BPF_RSH | BPF_K, 31), ST(BPF_ALU | BPF_DIV | BPF_X, 0),
	    ST(BPF_RET | BPF_A, 0) },
	  4 },
	{ "jumps to the last instruction",
	  { JMP(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 1), ST(BPF_JMP | BPF_JA, 0),
	    ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) },
	  3 },
};

static bool has(const char *s, const char *word)
{
	return word == NULL || strstr(s, word) != NULL;
}

TEST(check_refuses_each_kind_of_bad_program)
{
	char why[256];
	size_t i;

	for (i = 0; i < LEN(bad_progs); i++) {
		const struct bad_prog *b = &bad_progs[i];

		why[0] = '\0';
		ASSERT_EQ(-1, ps_bpf_check(b->prog, b->len, why, sizeof(why)))
		{
			TH_LOG("'%s' was accepted", b->name);
		}
		ASSERT_TRUE(has(why, b->reason) && has(why, b->at))
		{
			TH_LOG("'%s': reason '%s' does not name '%s' and '%s'",
			       b->name, why, b->at ? b->at : "", b->reason);
		}
	}
}

TEST(check_accepts_good_programs)
{
	char why[256];
	size_t i;

	for (i = 0; i < LEN(good_progs); i++) {
		why[0] = 'x';
		ASSERT_EQ(0, ps_bpf_check(good_progs[i].prog, good_progs[i].len,
					  why, sizeof(why)))
		{
			TH_LOG("'%s' refused: %s", good_progs[i].name, why);
		}
		ASSERT_EQ('\0', why[0])
		{
			TH_LOG("'%s': accepted with a reason",
			       good_progs[i].name);
		}
	}
}

TEST(check_counts_instructions)
{
	static struct sock_filter prog[BPF_MAXINSNS + 1];
	char why[256];
	size_t i;

	for (i = 0; i < LEN(prog); i++)
		prog[i] = (struct sock_filter)ST(BPF_RET | BPF_K, 0);
	ASSERT_EQ(0, ps_bpf_check(prog, BPF_MAXINSNS, why, sizeof(why)))
	{
		TH_LOG("%d instructions refused: %s", BPF_MAXINSNS, why);
	}
	ASSERT_EQ(-1, ps_bpf_check(prog, BPF_MAXINSNS + 1, why, sizeof(why)));
	ASSERT_TRUE(has(why, "4097 instructions"))
	{
		TH_LOG("reason: %s", why);
	}
	ASSERT_EQ(-1, ps_bpf_check(NULL, 1, why, sizeof(why)));
	/* no room for a reason is no reason to crash */
	ASSERT_EQ(-1, ps_bpf_check(prog, 0, NULL, 0));
}

/* ---------------------------------------------------------------- run */

struct run_case {
	const char *name;
	struct sock_filter prog[10];
	size_t len;
	uint32_t want;
	unsigned int steps;
};

#define A_IS(k) ST(BPF_LD | BPF_IMM, k)
#define X_IS(k) ST(BPF_LDX | BPF_IMM, k)
#define RET_A ST(BPF_RET | BPF_A, 0)
#define ALU_K(op, a, k) { A_IS(a), ST(BPF_ALU | (op) | BPF_K, k), RET_A }, 3
#define ALU_X(op, a, x) \
	{ A_IS(a), X_IS(x), ST(BPF_ALU | (op) | BPF_X, 0), RET_A }, 4

/* the data every case runs on: each word distinct */
#define RUN_DATA                                                            \
	data6(39, 0x1122334455667788ull, 0xa0a1a2a3b0b1b2b3ull, 2, 3, 4, 5, \
	      0xffffffff00000006ull)

/* a jump: the result says which way it went */
#define JUMP(op, src, a, k, x)                        \
	{                                             \
		A_IS(a),                              \
		X_IS(x),                              \
		JMP(BPF_JMP | (op) | (src), k, 1, 0), \
		ST(BPF_RET | BPF_K, 0xf),             \
		ST(BPF_RET | BPF_K, 0x7),             \
	},                                            \
		5

static const struct run_case run_cases[] = {
	{ "ld nr", { ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR), RET_A }, 2, 39, 2 },
	{ "ld arch",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH), RET_A },
	  2,
	  NATIVE_ARCH,
	  2 },
	{ "ld ip low",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_IP_LO), RET_A },
	  2,
	  0x55667788,
	  2 },
	{ "ld ip high",
	  { ST(BPF_LD | BPF_W | BPF_ABS, OFF_IP_HI), RET_A },
	  2,
	  0x11223344,
	  2 },
	{ "ld arg0 low",
	  { ST(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)), RET_A },
	  2,
	  0xb0b1b2b3,
	  2 },
	{ "ld arg0 high",
	  { ST(BPF_LD | BPF_W | BPF_ABS, ARG_HI(0)), RET_A },
	  2,
	  0xa0a1a2a3,
	  2 },
	{ "ld arg5 high",
	  { ST(BPF_LD | BPF_W | BPF_ABS, ARG_HI(5)), RET_A },
	  2,
	  0xffffffff,
	  2 },
	{ "ld len", { ST(BPF_LD | BPF_W | BPF_LEN, 0), RET_A }, 2, 64, 2 },
	{ "ldx len",
	  { ST(BPF_LDX | BPF_W | BPF_LEN, 0), ST(BPF_MISC | BPF_TXA, 0),
	    RET_A },
	  3,
	  64,
	  3 },
	{ "ld imm", { A_IS(0xdeadbeef), RET_A }, 2, 0xdeadbeef, 2 },
	{ "st and ld mem",
	  { A_IS(7), ST(BPF_ST, 3), A_IS(1), ST(BPF_LD | BPF_MEM, 3), RET_A },
	  5,
	  7,
	  5 },
	{ "stx and ldx mem",
	  { X_IS(9), ST(BPF_STX, 15), X_IS(1), ST(BPF_LDX | BPF_MEM, 15),
	    ST(BPF_MISC | BPF_TXA, 0), RET_A },
	  6,
	  9,
	  6 },
	{ "tax",
	  { A_IS(5), ST(BPF_MISC | BPF_TAX, 0), A_IS(0),
	    ST(BPF_ALU | BPF_ADD | BPF_X, 0), RET_A },
	  5,
	  5,
	  5 },
	{ "add k wraps", ALU_K(BPF_ADD, 0xffffffff, 2), 1, 3 },
	{ "add x", ALU_X(BPF_ADD, 40, 2), 42, 4 },
	{ "sub k wraps", ALU_K(BPF_SUB, 1, 2), 0xffffffff, 3 },
	{ "sub x", ALU_X(BPF_SUB, 50, 8), 42, 4 },
	{ "mul k keeps 32 bits", ALU_K(BPF_MUL, 0x10000, 0x10001), 0x10000, 3 },
	{ "mul x", ALU_X(BPF_MUL, 6, 7), 42, 4 },
	{ "div k is unsigned", ALU_K(BPF_DIV, 0xfffffffe, 2), 0x7fffffff, 3 },
	{ "div x", ALU_X(BPF_DIV, 85, 2), 42, 4 },
	{ "div x by 0 returns 0", ALU_X(BPF_DIV, 85, 0), 0, 3 },
	{ "mod k", ALU_K(BPF_MOD, 47, 5), 2, 3 },
	{ "mod x", ALU_X(BPF_MOD, 47, 5), 2, 4 },
	{ "mod x by 0 returns 0", ALU_X(BPF_MOD, 47, 0), 0, 3 },
	{ "and k", ALU_K(BPF_AND, 0xf0f0, 0xff00), 0xf000, 3 },
	{ "and x", ALU_X(BPF_AND, 0xf0f0, 0x0ff0), 0x00f0, 4 },
	{ "or k", ALU_K(BPF_OR, 0xf0, 0x0f), 0xff, 3 },
	{ "or x", ALU_X(BPF_OR, 0x50000, 0x2a), 0x5002a, 4 },
	{ "xor k", ALU_K(BPF_XOR, 0xff, 0x0f), 0xf0, 3 },
	{ "xor x", ALU_X(BPF_XOR, 0xffffffff, 0xffffffd5), 42, 4 },
	{ "lsh k", ALU_K(BPF_LSH, 0x80000001, 1), 2, 3 },
	{ "lsh k 31", ALU_K(BPF_LSH, 3, 31), 0x80000000, 3 },
	{ "lsh x", ALU_X(BPF_LSH, 21, 1), 42, 4 },
	{ "lsh x 32 is lsh 0", ALU_X(BPF_LSH, 21, 32), 21, 4 },
	{ "lsh x 33 is lsh 1", ALU_X(BPF_LSH, 21, 33), 42, 4 },
	{ "rsh k is logical", ALU_K(BPF_RSH, 0x80000000, 31), 1, 3 },
	{ "rsh x", ALU_X(BPF_RSH, 84, 1), 42, 4 },
	{ "rsh x 0xffffffff is rsh 31", ALU_X(BPF_RSH, 0x80000000, 0xffffffff),
	  1, 4 },
	{ "neg",
	  { A_IS(42), ST(BPF_ALU | BPF_NEG, 0), RET_A },
	  3,
	  0xffffffd6,
	  3 },
	{ "ja skips",
	  { ST(BPF_JMP | BPF_JA, 1), ST(BPF_RET | BPF_K, 1),
	    ST(BPF_RET | BPF_K, 2) },
	  3,
	  2,
	  2 },
	{ "ja 0 goes on",
	  { ST(BPF_JMP | BPF_JA, 0), ST(BPF_RET | BPF_K, 1) },
	  2,
	  1,
	  2 },
	{ "jeq k taken", JUMP(BPF_JEQ, BPF_K, 5, 5, 0), 0x7, 4 },
	{ "jeq k not taken", JUMP(BPF_JEQ, BPF_K, 5, 6, 0), 0xf, 4 },
	{ "jeq x taken", JUMP(BPF_JEQ, BPF_X, 5, 0, 5), 0x7, 4 },
	{ "jeq x not taken", JUMP(BPF_JEQ, BPF_X, 5, 5, 6), 0xf, 4 },
	{ "jgt k is unsigned", JUMP(BPF_JGT, BPF_K, 0x80000000, 1, 0), 0x7, 4 },
	{ "jgt k equal", JUMP(BPF_JGT, BPF_K, 5, 5, 0), 0xf, 4 },
	{ "jgt x taken", JUMP(BPF_JGT, BPF_X, 6, 0, 5), 0x7, 4 },
	{ "jgt x equal", JUMP(BPF_JGT, BPF_X, 5, 0, 5), 0xf, 4 },
	{ "jge k equal", JUMP(BPF_JGE, BPF_K, 5, 5, 0), 0x7, 4 },
	{ "jge k below", JUMP(BPF_JGE, BPF_K, 4, 5, 0), 0xf, 4 },
	{ "jge k high constant",
	  JUMP(BPF_JGE, BPF_K, 0x7fffffff, 0x80000000, 0), 0xf, 4 },
	{ "jge x equal", JUMP(BPF_JGE, BPF_X, 5, 0, 5), 0x7, 4 },
	{ "jge x below", JUMP(BPF_JGE, BPF_X, 4, 0, 5), 0xf, 4 },
	{ "jset k", JUMP(BPF_JSET, BPF_K, 6, 2, 0), 0x7, 4 },
	{ "jset k clear", JUMP(BPF_JSET, BPF_K, 6, 9, 0), 0xf, 4 },
	{ "jset x", JUMP(BPF_JSET, BPF_X, 0x80000000, 0, 0x80000000), 0x7, 4 },
	{ "jset x clear", JUMP(BPF_JSET, BPF_X, 0x7fffffff, 0, 0x80000000), 0xf,
	  4 },
	{ "jump by jf",
	  { A_IS(1), JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
	    ST(BPF_RET | BPF_K, 1), ST(BPF_RET | BPF_K, 2),
	    ST(BPF_RET | BPF_K, 3) },
	  5,
	  3,
	  3 },
	{ "ret k",
	  { ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5),
	    ST(BPF_RET | BPF_K, 1) },
	  2,
	  SECCOMP_RET_ERRNO | 5,
	  1 },
};

TEST(run_gives_each_instruction_its_kernel_meaning)
{
	struct seccomp_data d = RUN_DATA;
	char why[256];
	size_t i;

	for (i = 0; i < LEN(run_cases); i++) {
		const struct run_case *c = &run_cases[i];
		unsigned int steps = 0;
		uint32_t got;

		/* MOD is classic BPF, which seccomp does not load */
		if (!strstr(c->name, "mod")) {
			ASSERT_EQ(0, ps_bpf_check(c->prog, c->len, why,
						  sizeof(why)))
			{
				TH_LOG("'%s' refused: %s", c->name, why);
			}
		}
		got = ps_bpf_run(c->prog, c->len, &d, &steps);
		ASSERT_EQ(c->want, got)
		{
			TH_LOG("'%s' returned 0x%x, wanted 0x%x", c->name, got,
			       c->want);
		}
		ASSERT_EQ(c->steps, steps)
		{
			TH_LOG("'%s' ran %u instructions, wanted %u", c->name,
			       steps, c->steps);
		}
	}
	/* steps are optional */
	ASSERT_EQ(39u,
		  ps_bpf_run(run_cases[0].prog, run_cases[0].len, &d, NULL));
}

TEST(run_stops_unchecked_programs_with_0)
{
	struct seccomp_data d = RUN_DATA;
	const struct sock_filter off_end[] = { A_IS(5) };
	const struct sock_filter bad_load[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, 62), RET_A
	};
	const struct sock_filter bad_op[] = { ST(0xffff, 0), RET_A };
	unsigned int steps;

	ASSERT_EQ(0u, ps_bpf_run(off_end, LEN(off_end), &d, &steps));
	ASSERT_EQ(1u, steps);
	ASSERT_EQ(0u, ps_bpf_run(bad_load, LEN(bad_load), &d, &steps));
	ASSERT_EQ(1u, steps);
	ASSERT_EQ(0u, ps_bpf_run(bad_op, LEN(bad_op), &d, &steps));
	ASSERT_EQ(0u, ps_bpf_run(off_end, 0, &d, &steps));
	ASSERT_EQ(0u, steps);
}

/* ---------------------------------------------------------- const_allow */

#define ALLOW ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define KILL ST(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)

TEST(const_allow_follows_arch_and_nr)
{
	/* what a compiler emits: arch check, x32 bit, a search on nr */
	const struct sock_filter prog[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
		KILL,
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
		JMP(BPF_JMP | BPF_JSET | BPF_K, 0x40000000, 5, 0),
		JMP(BPF_JMP | BPF_JGE | BPF_K, 100, 3, 0),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 4, 0),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 60, 0, 3),
		RET_ERRNO(1),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 231, 1, 0),
		KILL,
		ALLOW,
	};
	char why[256];

	ASSERT_EQ(0, ps_bpf_check(prog, LEN(prog), why, sizeof(why)))
	{
		TH_LOG("%s", why);
	}
	ASSERT_TRUE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 39));
	ASSERT_TRUE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 61));
	ASSERT_TRUE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 99));
	ASSERT_TRUE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 231));
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 60))
	{
		TH_LOG("a syscall refused with an errno is not an allow");
	}
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 100));
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH,
					0x40000000 | 39));
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), AUDIT_ARCH_I386, 39));
	/* a negative nr is the unsigned word the kernel compares */
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, -1));
}

TEST(const_allow_gives_up_on_what_it_cannot_know)
{
	/* nr 1 is decided by an argument, nr 2 by the ip, nr 3 is not */
	const struct sock_filter prog[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 2, 0),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 4, 0),
		ALLOW,
		ST(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		ALLOW,
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_IP_HI),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		ALLOW,
		KILL,
	};
	/* instructions it does not follow, even when harmless */
	const struct sock_filter imm[] = { A_IS(1), ALLOW };
	const struct sock_filter add[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
		ST(BPF_ALU | BPF_ADD | BPF_K, 1),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 40, 0, 1), ALLOW, KILL
	};
	const struct sock_filter and[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
		ST(BPF_ALU | BPF_AND | BPF_K, 0xff),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1), ALLOW, KILL
	};
	const struct sock_filter jeq_x[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR), X_IS(39),
		JMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), ALLOW, KILL
	};
	const struct sock_filter ret_a[] = { A_IS(SECCOMP_RET_ALLOW), RET_A };
	const struct sock_filter ja[] = { ST(BPF_JMP | BPF_JA, 1), KILL,
					  ALLOW };

	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 1))
	{
		TH_LOG("an argument load must make it give up");
	}
	ASSERT_FALSE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 2))
	{
		TH_LOG("an instruction pointer load must make it give up");
	}
	ASSERT_TRUE(ps_bpf_const_allow(prog, LEN(prog), NATIVE_ARCH, 3));
	ASSERT_FALSE(ps_bpf_const_allow(imm, LEN(imm), NATIVE_ARCH, 3));
	ASSERT_FALSE(ps_bpf_const_allow(add, LEN(add), NATIVE_ARCH, 39));
	ASSERT_TRUE(ps_bpf_const_allow(and, LEN(and), NATIVE_ARCH, 0x127));
	ASSERT_FALSE(ps_bpf_const_allow(and, LEN(and), NATIVE_ARCH, 0x128));
	ASSERT_FALSE(ps_bpf_const_allow(jeq_x, LEN(jeq_x), NATIVE_ARCH, 39));
	ASSERT_FALSE(ps_bpf_const_allow(ret_a, LEN(ret_a), NATIVE_ARCH, 39));
	ASSERT_TRUE(ps_bpf_const_allow(ja, LEN(ja), NATIVE_ARCH, 39));
	ASSERT_FALSE(ps_bpf_const_allow(ja, 0, NATIVE_ARCH, 39));
}

/*
 * Random programs of the instructions it follows: when they load nothing
 * but nr and arch, it must agree with running them; when they also load
 * arguments, whenever it says "allow", running them says so too, whatever
 * the arguments and the instruction pointer.
 */
TEST(const_allow_agrees_with_running_the_program)
{
	static const uint16_t codes[] = {
		BPF_LD | BPF_W | BPF_ABS,   BPF_JMP | BPF_JEQ | BPF_K,
		BPF_JMP | BPF_JGE | BPF_K,  BPF_JMP | BPF_JGT | BPF_K,
		BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JA,
		BPF_ALU | BPF_AND | BPF_K,  BPF_RET | BPF_K,
	};
	unsigned int progs, allows = 0, exact = 0, t;

	for (progs = 0; progs < 4000; progs++) {
		bool args = progs % 2; /* else loads of nr and arch only */
		struct sock_filter p[12];
		size_t len = 2 + rnd() % 10, i;
		uint32_t nr = rnd() % 8;
		bool constant;

		for (i = 0; i < len; i++) {
			uint16_t code = codes[rnd() % LEN(codes)];
			uint32_t k = rnd() % 8;

			if (code == (BPF_LD | BPF_W | BPF_ABS))
				k = 4 * (rnd() % (args ? 16 : 2));
			else if (code == (BPF_RET | BPF_K))
				k = rnd() % 2 ? SECCOMP_RET_ALLOW : 0;
			else if (code == (BPF_JMP | BPF_JA))
				k = rnd() % 3;
			p[i] = (struct sock_filter)JMP(code, k, rnd() % 3,
						       rnd() % 3);
		}
		p[len - 1] = (struct sock_filter)ALLOW;
		if (ps_bpf_check(p, len, NULL, 0))
			continue;
		constant = ps_bpf_const_allow(p, len, NATIVE_ARCH, nr);
		allows += constant;
		exact += !args;
		for (t = 0; t < (args ? 50 : 1); t++) {
			struct seccomp_data d = data6(nr, rnd(), rnd(), rnd(),
						      rnd(), rnd(), rnd(),
						      rnd() % 4);
			bool allowed = ps_bpf_run(p, len, &d, NULL) ==
				       SECCOMP_RET_ALLOW;

			ASSERT_TRUE(args ? !constant || allowed :
					   constant == allowed)
			{
				TH_LOG("program %u, nr %u: const allow %d, but the run %s",
				       progs, nr, constant,
				       allowed ? "allows" : "does not allow");
			}
		}
	}
	ASSERT_TRUE(allows > 300 && exact > 300)
	{
		TH_LOG("too few programs of each kind: %u constant, %u exact",
		       allows, exact);
	}
}

/* -------------------------------------------------------- the kernel */

/*
 * The kernel's part runs in children: each loads a filter and makes calls,
 * writing each outcome to shared memory before the next, so a child that a
 * filter kills leaves the outcome of the call that killed it, and the next
 * child goes on from there.
 */
enum {
	OUT_PENDING = -100, /* not reached */
	OUT_ALLOWED, /* getppid ran */
	OUT_ZERO, /* returned 0: SECCOMP_RET_ERRNO with 0 */
	OUT_KILLED, /* died of SIGSYS */
	OUT_ODD, /* anything else */
	OUT_LOADED = 0, /* seccomp() took the filter */
};

struct shared {
	int cur; /* the item a child works on */
	int done; /* how far a child got, once it stops */
	int out[];
};

static struct shared *shared_map(size_t n)
{
	struct shared *s = mmap(NULL, sizeof(*s) + n * sizeof(int),
				PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (s == MAP_FAILED)
		return NULL;
	for (i = 0; i < n; i++)
		s->out[i] = OUT_PENDING;
	return s;
}

/* no core files from the children a filter kills */
static void child_setup(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static long load(const struct sock_filter *prog, size_t len)
{
	struct sock_fprog fp = {
		.len = (unsigned short)len,
		.filter = (struct sock_filter *)prog,
	};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
}

/*
 * Runs WORK(s, i, arg) for i from 0 to N-1 in children, each going on
 * until WORK returns true (it can go no further, as its filter is loaded)
 * or the filter kills it. An item that killed its child gets OUT_KILLED,
 * with the signal checked. Returns -1 if a child died otherwise.
 */
static int in_children(struct shared *s, int n,
		       bool (*work)(struct shared *, int, const void *),
		       const void *arg)
{
	int first = 0, i, status;
	bool reaped;

	while (first < n) {
		pid_t pid;

		__atomic_store_n(&s->done, -1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&s->cur, first, __ATOMIC_SEQ_CST);
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			child_setup();
			for (i = first; i < n; i++) {
				__atomic_store_n(&s->cur, i, __ATOMIC_SEQ_CST);
				if (work(s, i, arg)) {
					i++;
					break;
				}
			}
			__atomic_store_n(&s->done, i, __ATOMIC_SEQ_CST);
			/* a filter may refuse exit itself: SIGKILL ends it */
			for (;;)
				syscall(SYS_exit_group, 0);
		}
		reaped = false;
		while (__atomic_load_n(&s->done, __ATOMIC_SEQ_CST) < 0 &&
		       !reaped) {
			reaped = waitpid(pid, &status, WNOHANG) == pid;
			if (!reaped)
				usleep(50);
		}
		if (__atomic_load_n(&s->done, __ATOMIC_SEQ_CST) >= 0) {
			if (!reaped) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
			first = s->done;
			continue;
		}
		/* it died at item cur, which has no outcome yet */
		i = s->cur;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS ||
		    s->out[i] != OUT_PENDING)
			return -1;
		s->out[i] = OUT_KILLED;
		first = i + 1;
	}
	return 0;
}

/* ------------------------------------------- the kernel refuses the same */

static bool try_load(struct shared *s, int i, const void *arg)
{
	const struct sock_filter *const *progs = arg;
	size_t len = progs[i][0].k; /* a header: its length */

	if (load(progs[i] + 1, len) == 0) {
		s->out[i] = OUT_LOADED;
		return true; /* this child is filtered now */
	}
	s->out[i] = errno;
	return false;
}

static const uint16_t classic_codes[] = {
	BPF_LD | BPF_W | BPF_ABS,
	BPF_LD | BPF_H | BPF_ABS,
	BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_IND,
	BPF_LD | BPF_W | BPF_LEN,
	BPF_LD | BPF_IMM,
	BPF_LD | BPF_MEM,
	BPF_LDX | BPF_W | BPF_LEN,
	BPF_LDX | BPF_B | BPF_MSH,
	BPF_LDX | BPF_IMM,
	BPF_LDX | BPF_MEM,
	BPF_ST,
	BPF_STX,
	BPF_ALU | BPF_ADD | BPF_K,
	BPF_ALU | BPF_SUB | BPF_X,
	BPF_ALU | BPF_MUL | BPF_K,
	BPF_ALU | BPF_DIV | BPF_K,
	BPF_ALU | BPF_DIV | BPF_X,
	BPF_ALU | BPF_MOD | BPF_K,
	BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_K,
	BPF_ALU | BPF_XOR | BPF_X,
	BPF_ALU | BPF_LSH | BPF_K,
	BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_K,
	BPF_ALU | BPF_NEG,
	BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K,
	BPF_JMP | BPF_JEQ | BPF_X,
	BPF_JMP | BPF_JGT | BPF_K,
	BPF_JMP | BPF_JGE | BPF_X,
	BPF_JMP | BPF_JSET | BPF_K,
	BPF_RET | BPF_K,
	BPF_RET | BPF_A,
	BPF_MISC | BPF_TAX,
	BPF_MISC | BPF_TXA,
};

static const uint32_t edge_k[] = {
	0,
	1,
	2,
	3,
	4,
	15,
	16,
	31,
	32,
	60,
	62,
	63,
	64,
	0x7fff0000,
	(uint32_t)SKF_AD_OFF,
	(uint32_t)SKF_AD_OFF + SKF_AD_PROTOCOL,
	0xffffffff,
};

/* a random program, most often near the edges of some rule */
static void random_prog(struct sock_filter *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t r = rnd();
		uint16_t code;
		uint32_t k;

		if (r % 20 == 0)
			code = rnd() % 0x100; /* unknown or rare codes */
		else
			code = classic_codes[rnd() % LEN(classic_codes)];
		if (code == BPF_ST || code == BPF_STX ||
		    BPF_MODE(code) == BPF_MEM)
			k = rnd() % 3 ? rnd() % 3 : edge_k[rnd() % LEN(edge_k)];
		else if (code == (BPF_JMP | BPF_JA))
			k = rnd() % (len + 1);
		else
			k = rnd() % 2 ? edge_k[rnd() % LEN(edge_k)] :
					(uint32_t)rnd();
		p[i] = (struct sock_filter)JMP(code, k, rnd() % (len + 1),
					       rnd() % (len + 1));
	}
	if (rnd() % 8)
		p[len - 1].code = rnd() % 2 ? BPF_RET | BPF_K : BPF_RET | BPF_A;
}

TEST(kernel_refuses_exactly_what_check_refuses)
{
	enum { MAXLEN = 9, RANDOM = 1500 };
	size_t n = LEN(bad_progs) + LEN(good_progs) + RANDOM + 2, i, len;
	struct sock_filter(*progs)[MAXLEN + 1] = calloc(n, sizeof(*progs));
	const struct sock_filter **ptrs = calloc(n, sizeof(*ptrs));
	static struct sock_filter longest[BPF_MAXINSNS + 2];
	static struct sock_filter longer[BPF_MAXINSNS + 2];
	struct shared *s = shared_map(n);
	unsigned int refused = 0;
	char why[256];

	ASSERT_TRUE(progs && ptrs && s);
	/* each program behind a header that holds its length */
	for (i = 0; i < LEN(bad_progs); i++) {
		progs[i][0].k = bad_progs[i].len;
		memcpy(progs[i] + 1, bad_progs[i].prog,
		       sizeof(bad_progs[i].prog));
	}
	for (; i < LEN(bad_progs) + LEN(good_progs); i++) {
		const struct good_prog *g = &good_progs[i - LEN(bad_progs)];

		progs[i][0].k = g->len;
		memcpy(progs[i] + 1, g->prog, sizeof(g->prog));
	}
	for (; i < n - 2; i++) {
		len = 1 + rnd() % MAXLEN;
		progs[i][0].k = len;
		random_prog(progs[i] + 1, len);
	}
	for (i = 0; i < n - 2; i++)
		ptrs[i] = progs[i];
	/* the longest program there is, and one more */
	for (len = 1; len < LEN(longest); len++)
		longest[len] = (struct sock_filter)ALLOW;
	memcpy(longer, longest, sizeof(longer));
	longest[0].k = BPF_MAXINSNS;
	longer[0].k = BPF_MAXINSNS + 1;
	ptrs[n - 2] = longest;
	ptrs[n - 1] = longer;

	ASSERT_EQ(0, in_children(s, n, try_load, ptrs))
	{
		TH_LOG("a child died of something else than its filter");
	}
	for (i = 0; i < n; i++) {
		int want;

		len = ptrs[i][0].k;
		want = ps_bpf_check(ptrs[i] + 1, len, why, sizeof(why)) ?
			       EINVAL :
			       OUT_LOADED;
		refused += want == EINVAL;
		ASSERT_EQ(want, s->out[i])
		{
			TH_LOG("program %zu (%zu instructions, first code 0x%x): the kernel says %d (0: loaded), ps_bpf_check says %s",
			       i, len, ptrs[i][1].code, s->out[i],
			       want ? why : "ok");
		}
	}
	/* the random programs are not all of one kind */
	ASSERT_LT(n / 4, refused);
	ASSERT_LT(refused, n - n / 8);
	munmap(s, sizeof(*s) + n * sizeof(int));
	free(progs);
	free(ptrs);
}

/* --------------------------------------------- the kernel runs the same */

struct run_arg {
	const struct sock_filter *prog;
	size_t len;
	const uint64_t (*args)[6];
};

static const char *outcome(int out, char *buf, size_t size)
{
	switch (out) {
	case OUT_PENDING:
		return "not reached";
	case OUT_ALLOWED:
		return "allowed";
	case OUT_ZERO:
		return "returned 0";
	case OUT_KILLED:
		return "killed by SIGSYS";
	case OUT_ODD:
		return "something odd";
	}
	snprintf(buf, size, "errno %d", out);
	return buf;
}

/* the outcome a filter result R gives getppid */
static int predict(uint32_t r)
{
	uint32_t data = r & SECCOMP_RET_DATA;

	switch (r & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return OUT_ALLOWED;
	case SECCOMP_RET_ERRNO:
		return data == 0 ? OUT_ZERO : data > 4095 ? 4095 : (int)data;
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_KILL_PROCESS:
		return OUT_KILLED;
	}
	return OUT_ODD;
}

static bool call_getppid(struct shared *s, int i, const void *arg)
{
	const struct run_arg *ra = arg;
	const uint64_t *a = ra->args[i];
	static pid_t ppid; /* each child starts with 0: unfiltered */
	long r;

	if (!ppid) {
		ppid = getppid();
		if (load(ra->prog, ra->len)) {
			s->out[i] = OUT_ODD;
			return true;
		}
	}
	r = syscall(SYS_getppid, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == -1)
		s->out[i] = errno;
	else if (r == 0)
		s->out[i] = OUT_ZERO;
	else
		s->out[i] = r == ppid ? OUT_ALLOWED : OUT_ODD;
	return false;
}

/* values at the edges of the filters' constants, and random ones */
static uint64_t arg_value(void)
{
	static const uint64_t edges[] = {
		0,
		1,
		2,
		0xfff,
		0x1000,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ull,
		0x100000001ull,
		0xffffffff00000000ull,
		0x7fffffffffffffffull,
		0x8000000000000000ull,
		~0ull,
		31,
		32,
		33,
		63,
		64,
		0x40,
		0x41,
		0xffffff9c,
		0x1ed,
		0x101ed,
		0x8000,
	};

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % LEN(edges)];
	case 1:
		return edges[rnd() % LEN(edges)] << 32 |
		       (uint32_t)edges[rnd() % LEN(edges)];
	case 2:
		return rnd() % 100;
	}
	return rnd();
}

/* the part before each body: anything but getppid of the native arch is
 * allowed, so the child's other calls run */
#define PROLOGUE                                                          \
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH),                           \
		JMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0), ALLOW, \
		ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),                     \
		JMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 1, 0), ALLOW

#define LDW(off) ST(BPF_LD | BPF_W | BPF_ABS, off)
#define ERRNO_OF_A                            \
	ST(BPF_ALU | BPF_AND | BPF_K, 0xfff), \
		ST(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), RET_A

/* ALU with K and X on argument halves */
static const struct sock_filter f_arith[] = {
	PROLOGUE,
	LDW(ARG_LO(0)),
	ST(BPF_MISC | BPF_TAX, 0),
	LDW(ARG_HI(1)),
	ST(BPF_ALU | BPF_ADD | BPF_X, 0),
	ST(BPF_ALU | BPF_MUL | BPF_K, 2654435761u),
	ST(BPF_LDX | BPF_W | BPF_LEN, 0),
	ST(BPF_ALU | BPF_SUB | BPF_X, 0),
	ST(BPF_ST, 0),
	LDW(ARG_LO(2)),
	ST(BPF_ALU | BPF_XOR | BPF_K, 0x5a5a5a5a),
	ST(BPF_MISC | BPF_TAX, 0),
	ST(BPF_LD | BPF_MEM, 0),
	ST(BPF_ALU | BPF_XOR | BPF_X, 0),
	ST(BPF_ALU | BPF_OR | BPF_K, 0x10),
	ST(BPF_ALU | BPF_RSH | BPF_K, 3),
	ERRNO_OF_A,
};

/* 64-bit compares of arg0 and arg1 as two halves, each path its errno */
static const struct sock_filter f_compare[] = {
	PROLOGUE,
	LDW(ARG_HI(0)),
	JMP(BPF_JMP | BPF_JGT | BPF_K, 0, 0, 2), /* arg0 > 0xffffffff */
	LDW(ARG_LO(0)),
	JMP(BPF_JMP | BPF_JSET | BPF_K, 1, 5, 6), /* odd: 11, even: 12 */
	LDW(ARG_LO(0)),
	JMP(BPF_JMP | BPF_JGE | BPF_K, 0x80000000, 0, 1),
	RET_ERRNO(13),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0xfff, 4, 0),
	JMP(BPF_JMP | BPF_JGT | BPF_K, 0x1000, 5, 6),
	RET_ERRNO(11),
	RET_ERRNO(12),
	RET_ERRNO(14),
	RET_ERRNO(15),
	RET_ERRNO(16),
	/* arg0 in 0x1001..0x7fffffff: arg1 decides, on both halves */
	LDW(ARG_HI(1)),
	ST(BPF_MISC | BPF_TAX, 0),
	LDW(ARG_LO(1)),
	JMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), /* halves equal */
	RET_ERRNO(17),
	JMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
	RET_ERRNO(18),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
	RET_ERRNO(0), /* returns 0 */
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
	RET_ERRNO(0xffff), /* capped at 4095 */
	JMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
	ALLOW,
	RET_ERRNO(19),
};

/* shifts and division by amounts from the arguments, NEG */
static const struct sock_filter f_shift_div[] = {
	PROLOGUE,
	LDW(ARG_LO(1)),
	ST(BPF_MISC | BPF_TAX, 0),
	ST(BPF_STX, 1),
	LDW(ARG_LO(0)),
	ST(BPF_ALU | BPF_LSH | BPF_X, 0),
	ST(BPF_ST, 2),
	LDW(ARG_HI(0)),
	ST(BPF_ALU | BPF_RSH | BPF_X, 0),
	ST(BPF_LDX | BPF_MEM, 2),
	ST(BPF_ALU | BPF_ADD | BPF_X, 0),
	ST(BPF_ALU | BPF_NEG, 0),
	ST(BPF_ST, 3),
	LDW(ARG_LO(2)),
	ST(BPF_MISC | BPF_TAX, 0),
	ST(BPF_LD | BPF_MEM, 3),
	ST(BPF_ALU | BPF_DIV | BPF_X, 0), /* arg2 low 0: killed */
	ST(BPF_ALU | BPF_DIV | BPF_K, 3),
	ST(BPF_ALU | BPF_LSH | BPF_K, 1),
	ST(BPF_ALU | BPF_AND | BPF_X, 0),
	ST(BPF_ALU | BPF_OR | BPF_K, 1),
	ERRNO_OF_A,
};

/*
 * How the emitter reads an int and a umode_t (emit.c): the upper half of
 * a signed int synthesised from its low word's sign (rsh 31, neg), never
 * loaded; 16 bits of a mode kept by an and.
 */
static const struct sock_filter f_kernel_reads[] = {
	PROLOGUE,
	LDW(ARG_LO(0)),
	ST(BPF_ALU | BPF_RSH | BPF_K, 31),
	ST(BPF_ALU | BPF_NEG, 0),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 4), /* negative */
	LDW(ARG_LO(0)),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffff9c, 0, 1), /* -100 */
	RET_ERRNO(21),
	RET_ERRNO(22),
	LDW(ARG_LO(1)),
	ST(BPF_ALU | BPF_AND | BPF_K, 0xffff),
	JMP(BPF_JMP | BPF_JGE | BPF_K, 0x8000, 0, 1),
	RET_ERRNO(23),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0x1ed, 0, 1), /* 0755 */
	ALLOW,
	RET_ERRNO(24),
};

/* every argument half, the nr, the arch and the length summed */
static const struct sock_filter f_all_words[] = {
	PROLOGUE,
	ST(BPF_LD | BPF_W | BPF_LEN, 0),
	ST(BPF_ST, 1),
	LDW(ARG_LO(0)),
	ST(BPF_LDX | BPF_MEM, 1),
	ST(BPF_ALU | BPF_ADD | BPF_X, 0),
	ST(BPF_ST, 0),
#define ADD_WORD(off)                                                         \
	LDW(off), ST(BPF_LDX | BPF_MEM, 0), ST(BPF_ALU | BPF_ADD | BPF_X, 0), \
		ST(BPF_ALU | BPF_MUL | BPF_K, 31), ST(BPF_ST, 0)
	ADD_WORD(ARG_HI(0)),
	ADD_WORD(ARG_LO(1)),
	ADD_WORD(ARG_HI(1)),
	ADD_WORD(ARG_LO(2)),
	ADD_WORD(ARG_HI(2)),
	ADD_WORD(ARG_LO(3)),
	ADD_WORD(ARG_HI(3)),
	ADD_WORD(ARG_LO(4)),
	ADD_WORD(ARG_HI(4)),
	ADD_WORD(ARG_LO(5)),
	ADD_WORD(ARG_HI(5)),
	ADD_WORD(OFF_NR),
	ADD_WORD(OFF_ARCH),
#undef ADD_WORD
	ST(BPF_ALU | BPF_AND | BPF_K, 0xfff),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
	ALLOW,
	ST(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
	RET_A,
};

static void agree_with_kernel(struct __test_metadata *_metadata,
			      const char *name, const struct sock_filter *prog,
			      size_t len)
{
	enum { CALLS = 400 };
	uint64_t(*args)[6] = calloc(CALLS, sizeof(*args));
	struct shared *s = shared_map(CALLS);
	struct run_arg ra = { prog, len, (const uint64_t(*)[6])args };
	unsigned int kinds = 0;
	int seen[3] = { OUT_PENDING, OUT_PENDING, OUT_PENDING };
	char why[256], b1[32], b2[32];
	int i, j;

	if (!NATIVE_ARCH)
		SKIP(return, "no seccomp arch constant for this machine");
	ASSERT_TRUE(args && s);
	ASSERT_EQ(0, ps_bpf_check(prog, len, why, sizeof(why)))
	{
		TH_LOG("%s refused: %s", name, why);
	}
	for (i = 0; i < CALLS; i++)
		for (j = 0; j < 6; j++)
			args[i][j] = arg_value();

	ASSERT_EQ(0, in_children(s, CALLS, call_getppid, &ra))
	{
		TH_LOG("%s: a child died of something else than its filter",
		       name);
	}
	for (i = 0; i < CALLS; i++) {
		const uint64_t *a = args[i];
		struct seccomp_data d = data6(__NR_getppid, 0, a[0], a[1], a[2],
					      a[3], a[4], a[5]);
		uint32_t r = ps_bpf_run(prog, len, &d, NULL);

		ASSERT_EQ(predict(r), s->out[i])
		{
			TH_LOG("%s, call %d (0x%llx, 0x%llx, 0x%llx, ...): filter returns 0x%x (%s), the kernel: %s",
			       name, i, (unsigned long long)a[0],
			       (unsigned long long)a[1],
			       (unsigned long long)a[2], r,
			       outcome(predict(r), b1, sizeof(b1)),
			       outcome(s->out[i], b2, sizeof(b2)));
		}
		for (j = 0; j < 3 && seen[j] != predict(r); j++) {
			if (seen[j] == OUT_PENDING) {
				seen[j] = predict(r);
				kinds++;
				break;
			}
		}
	}
	/* a filter that always said the same would prove little */
	ASSERT_LT(1u, kinds)
	{
		TH_LOG("%s: every call had the same outcome", name);
	}
	munmap(s, sizeof(*s) + CALLS * sizeof(int));
	free(args);
}

TEST(kernel_agrees_on_arithmetic)
{
	agree_with_kernel(_metadata, "arith", f_arith, LEN(f_arith));
}

TEST(kernel_agrees_on_64bit_compares)
{
	agree_with_kernel(_metadata, "compare", f_compare, LEN(f_compare));
}

TEST(kernel_agrees_on_shifts_and_division)
{
	agree_with_kernel(_metadata, "shift_div", f_shift_div,
			  LEN(f_shift_div));
}

TEST(kernel_agrees_on_synthesised_upper_halves)
{
	agree_with_kernel(_metadata, "kernel_reads", f_kernel_reads,
			  LEN(f_kernel_reads));
}

TEST(kernel_agrees_on_every_word)
{
	agree_with_kernel(_metadata, "all_words", f_all_words,
			  LEN(f_all_words));
}

#ifdef __x86_64__
/* getppid by a syscall instruction whose address is known */
static long __attribute__((noinline)) getppid_at(uint64_t *ip)
{
	long ret;
	uint64_t at;

	__asm__ volatile("lea 1f(%%rip), %1\n\tsyscall\n1:"
			 : "=a"(ret), "=&r"(at)
			 : "0"((long)__NR_getppid)
			 : "rcx", "r11", "memory");
	*ip = at;
	return ret;
}

TEST(kernel_agrees_on_the_instruction_pointer)
{
	uint64_t ip = 0;
	struct sock_filter prog[] = {
		PROLOGUE,
		LDW(OFF_IP_HI),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		LDW(OFF_IP_LO),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		RET_ERRNO(21),
		RET_ERRNO(22),
	};
	struct seccomp_data d;
	long r;
	int status;
	pid_t pid;

	/* learn the address, then filter on it */
	getppid_at(&ip);
	prog[7].k = ip >> 32;
	prog[9].k = (uint32_t)ip;
	d = data6(__NR_getppid, ip, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(SECCOMP_RET_ERRNO | 21,
		  ps_bpf_run(prog, LEN(prog), &d, NULL));
	d.instruction_pointer ^= 1;
	ASSERT_EQ(SECCOMP_RET_ERRNO | 22,
		  ps_bpf_run(prog, LEN(prog), &d, NULL));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		child_setup();
		if (load(prog, LEN(prog)))
			_exit(1);
		r = getppid_at(&ip);
		_exit(r == -21 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status)
	{
		TH_LOG("the kernel did not match the ip (status 0x%x)", status);
	}
}
#endif

TEST_HARNESS_MAIN
