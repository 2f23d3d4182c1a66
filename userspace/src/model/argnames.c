// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names for syscall argument values, each from its argument's own family.
 *
 * A prefix alone is not a family: F_ holds fcntl's commands but also the
 * seal bits and lock types of the same small values (F_SEAL_SHRINK and
 * F_SETFD are both 2, F_EXLCK and F_SETFL both 4), PR_ holds prctl's
 * options and each option's sub-options (PR_SET_MM_MAP_SIZE and
 * PR_SET_NAME are both 15), TC holds the TCP_ socket options. So the
 * commands and options are listed here by name, as the kernel's uapi
 * headers define them, and their values come from this system's headers:
 * a name those headers lack is simply never used.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "argnames.h"
#include "policy.h"

enum family_kind {
	ONE_VALUE, /* one constant: a command, an option, a family */
	FLAGS, /* single-bit constants, or'ed */
	CLONE_FLAGS, /* CLONE_* above the low byte, the exit signal in it */
};

struct family {
	enum family_kind kind;
	const char *const *names; /* members, in order of preference */
	const char *const *prefixes; /* then a constant with one of these */
	const char *const *refuse; /* ... that is not one of these */
	uint64_t min; /* smaller values are no member */
};

/* fcntl(2)'s commands (linux/fcntl.h, asm-generic/fcntl.h) */
static const char *const fcntl_cmds[] = { "F_DUPFD",
					  "F_GETFD",
					  "F_SETFD",
					  "F_GETFL",
					  "F_SETFL",
					  "F_GETLK",
					  "F_SETLK",
					  "F_SETLKW",
					  "F_SETOWN",
					  "F_GETOWN",
					  "F_SETSIG",
					  "F_GETSIG",
					  "F_SETOWN_EX",
					  "F_GETOWN_EX",
					  "F_GETOWNER_UIDS",
					  "F_OFD_GETLK",
					  "F_OFD_SETLK",
					  "F_OFD_SETLKW",
					  "F_SETLEASE",
					  "F_GETLEASE",
					  "F_NOTIFY",
					  "F_DUPFD_QUERY",
					  "F_CREATED_QUERY",
					  "F_CANCELLK",
					  "F_DUPFD_CLOEXEC",
					  "F_SETPIPE_SZ",
					  "F_GETPIPE_SZ",
					  "F_ADD_SEALS",
					  "F_GET_SEALS",
					  "F_GET_RW_HINT",
					  "F_SET_RW_HINT",
					  "F_GET_FILE_RW_HINT",
					  "F_SET_FILE_RW_HINT",
					  NULL };

/*
 * prctl(2)'s options: the "#define PR_" lines of linux/prctl.h, whose
 * sub-options are "# define" (PR_SET_MM_*, PR_CAP_AMBIENT_*, ...).
 */
static const char *const prctl_options[] = { "PR_SET_PDEATHSIG",
					     "PR_GET_PDEATHSIG",
					     "PR_GET_DUMPABLE",
					     "PR_SET_DUMPABLE",
					     "PR_GET_UNALIGN",
					     "PR_SET_UNALIGN",
					     "PR_GET_KEEPCAPS",
					     "PR_SET_KEEPCAPS",
					     "PR_GET_FPEMU",
					     "PR_SET_FPEMU",
					     "PR_GET_FPEXC",
					     "PR_SET_FPEXC",
					     "PR_GET_TIMING",
					     "PR_SET_TIMING",
					     "PR_SET_NAME",
					     "PR_GET_NAME",
					     "PR_GET_ENDIAN",
					     "PR_SET_ENDIAN",
					     "PR_GET_SECCOMP",
					     "PR_SET_SECCOMP",
					     "PR_CAPBSET_READ",
					     "PR_CAPBSET_DROP",
					     "PR_GET_TSC",
					     "PR_SET_TSC",
					     "PR_GET_SECUREBITS",
					     "PR_SET_SECUREBITS",
					     "PR_SET_TIMERSLACK",
					     "PR_GET_TIMERSLACK",
					     "PR_TASK_PERF_EVENTS_DISABLE",
					     "PR_TASK_PERF_EVENTS_ENABLE",
					     "PR_MCE_KILL",
					     "PR_MCE_KILL_GET",
					     "PR_SET_MM",
					     "PR_SET_PTRACER",
					     "PR_SET_CHILD_SUBREAPER",
					     "PR_GET_CHILD_SUBREAPER",
					     "PR_SET_NO_NEW_PRIVS",
					     "PR_GET_NO_NEW_PRIVS",
					     "PR_GET_TID_ADDRESS",
					     "PR_SET_THP_DISABLE",
					     "PR_GET_THP_DISABLE",
					     "PR_MPX_ENABLE_MANAGEMENT",
					     "PR_MPX_DISABLE_MANAGEMENT",
					     "PR_SET_FP_MODE",
					     "PR_GET_FP_MODE",
					     "PR_CAP_AMBIENT",
					     "PR_SVE_SET_VL",
					     "PR_SVE_GET_VL",
					     "PR_GET_SPECULATION_CTRL",
					     "PR_SET_SPECULATION_CTRL",
					     "PR_PAC_RESET_KEYS",
					     "PR_SET_TAGGED_ADDR_CTRL",
					     "PR_GET_TAGGED_ADDR_CTRL",
					     "PR_SET_IO_FLUSHER",
					     "PR_GET_IO_FLUSHER",
					     "PR_SET_SYSCALL_USER_DISPATCH",
					     "PR_PAC_SET_ENABLED_KEYS",
					     "PR_PAC_GET_ENABLED_KEYS",
					     "PR_SCHED_CORE",
					     "PR_SME_SET_VL",
					     "PR_SME_GET_VL",
					     "PR_SET_MDWE",
					     "PR_GET_MDWE",
					     "PR_SET_MEMORY_MERGE",
					     "PR_GET_MEMORY_MERGE",
					     "PR_RISCV_V_SET_CONTROL",
					     "PR_RISCV_V_GET_CONTROL",
					     "PR_RISCV_SET_ICACHE_FLUSH_CTX",
					     "PR_PPC_GET_DEXCR",
					     "PR_PPC_SET_DEXCR",
					     "PR_GET_SHADOW_STACK_STATUS",
					     "PR_SET_SHADOW_STACK_STATUS",
					     "PR_LOCK_SHADOW_STACK_STATUS",
					     "PR_TIMER_CREATE_RESTORE_IDS",
					     "PR_FUTEX_HASH",
					     "PR_GET_AUXV",
					     "PR_SET_VMA",
					     NULL };

/* futex(2)'s operations, shared and process-private (FUTEX_PRIVATE_FLAG) */
static const char *const futex_ops[] = { "FUTEX_WAIT",
					 "FUTEX_WAKE",
					 "FUTEX_FD",
					 "FUTEX_REQUEUE",
					 "FUTEX_CMP_REQUEUE",
					 "FUTEX_WAKE_OP",
					 "FUTEX_LOCK_PI",
					 "FUTEX_UNLOCK_PI",
					 "FUTEX_TRYLOCK_PI",
					 "FUTEX_WAIT_BITSET",
					 "FUTEX_WAKE_BITSET",
					 "FUTEX_WAIT_REQUEUE_PI",
					 "FUTEX_CMP_REQUEUE_PI",
					 "FUTEX_LOCK_PI2",
					 "FUTEX_WAIT_PRIVATE",
					 "FUTEX_WAKE_PRIVATE",
					 "FUTEX_REQUEUE_PRIVATE",
					 "FUTEX_CMP_REQUEUE_PRIVATE",
					 "FUTEX_WAKE_OP_PRIVATE",
					 "FUTEX_LOCK_PI_PRIVATE",
					 "FUTEX_UNLOCK_PI_PRIVATE",
					 "FUTEX_TRYLOCK_PI_PRIVATE",
					 "FUTEX_WAIT_BITSET_PRIVATE",
					 "FUTEX_WAKE_BITSET_PRIVATE",
					 "FUTEX_WAIT_REQUEUE_PI_PRIVATE",
					 "FUTEX_CMP_REQUEUE_PI_PRIVATE",
					 "FUTEX_LOCK_PI2_PRIVATE",
					 NULL };

/*
 * ioctl requests of terminals and files: every one is at least 0x5401
 * ('T' << 8 | 1), which leaves out the tcflow(), tcflush() and
 * tcsetattr() arguments (TCOOFF, TCIFLUSH, TCSANOW: 0 to 3) and the
 * TIOCM_ and TIOCPKT_ bits. FIONREAD, not its alias TIOCINQ.
 */
static const char *const ioctl_names[] = { "FIONREAD", NULL };
static const char *const ioctl_prefixes[] = { "TCG", "TCSE", "TCSB", "TCX",
					      "TCF", "TIOC", "FIO",  NULL };

/* AF_FILE and AF_LOCAL are other names of AF_UNIX, AF_ROUTE of AF_NETLINK */
static const char *const af_names[] = { "AF_UNIX", "AF_NETLINK", NULL };
static const char *const af_prefixes[] = { "AF_", NULL };
static const char *const af_refuse[] = { "AF_MAX", NULL };

static const char *const prot_prefixes[] = { "PROT_", NULL };
static const char *const clone_prefixes[] = { "CLONE_", NULL };
/* sizes of struct clone_args, not flags (CLONE_ARGS_SIZE_VER0 is 64) */
static const char *const clone_refuse[] = { "CLONE_ARGS_SIZE_VER0",
					    "CLONE_ARGS_SIZE_VER1",
					    "CLONE_ARGS_SIZE_VER2",
					    "CLONE_ARGS_SIZE_VER3", NULL };

static const struct family fcntl_family = {
	.kind = ONE_VALUE,
	.names = fcntl_cmds,
};
static const struct family prctl_family = {
	.kind = ONE_VALUE,
	.names = prctl_options,
};
static const struct family futex_family = {
	.kind = ONE_VALUE,
	.names = futex_ops,
};
static const struct family ioctl_family = {
	.kind = ONE_VALUE,
	.names = ioctl_names,
	.prefixes = ioctl_prefixes,
	.min = 0x5401,
};
static const struct family af_family = {
	.kind = ONE_VALUE,
	.names = af_names,
	.prefixes = af_prefixes,
	.refuse = af_refuse,
};
static const struct family prot_family = {
	.kind = FLAGS,
	.prefixes = prot_prefixes,
};
static const struct family clone_family = {
	.kind = CLONE_FLAGS,
	.prefixes = clone_prefixes,
	.refuse = clone_refuse,
};
/* unshare(2) and setns(2): no exit signal, CLONE_NEWTIME is 0x80 */
static const struct family ns_family = {
	.kind = FLAGS,
	.prefixes = clone_prefixes,
	.refuse = clone_refuse,
};

static const struct {
	const char *syscall;
	unsigned int arg;
	const struct family *family;
} families[] = {
	{ "fcntl", 1, &fcntl_family },	      { "prctl", 0, &prctl_family },
	{ "ioctl", 1, &ioctl_family },	      { "futex", 1, &futex_family },
	{ "socket", 0, &af_family },	      { "socketpair", 0, &af_family },
	{ "mmap", 2, &prot_family },	      { "mprotect", 2, &prot_family },
	{ "pkey_mprotect", 2, &prot_family }, { "clone", 0, &clone_family },
	{ "unshare", 0, &ns_family },	      { "setns", 1, &ns_family },
};

static const struct family *family_of(int nr, unsigned int arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (families[i].arg == arg &&
		    ps_syscall_lookup(families[i].syscall) == nr)
			return families[i].family;
	return NULL;
}

/* The member of FAM whose value is V, or NULL. */
static const char *member(const struct family *fam, uint64_t v)
{
	const char *const *p;
	uint64_t known;

	if (v < fam->min)
		return NULL;
	for (p = fam->names; p && *p; p++)
		if (ps_constant_lookup(*p, &known) && known == v)
			return *p;
	for (p = fam->prefixes; p && *p; p++) {
		const char *name = ps_constant_name(v, *p);

		if (name && !ps_str_listed(fam->refuse, name))
			return name;
	}
	return NULL;
}

/* The exit signal of a clone(2) call by name, if policies know the name. */
static bool signal_name(unsigned int sig, char *name, size_t len)
{
	const char *abbrev = sig < NSIG ? sigabbrev_np((int)sig) : NULL;
	uint64_t known;

	if (!abbrev)
		return false;
	snprintf(name, len, "SIG%s", abbrev);
	return ps_constant_lookup(name, &known) && known == sig;
}

/* Appends "|TEXT" to BUF (TEXT alone first); nothing once BUF is full. */
static void append(char *buf, size_t len, size_t *at, const char *text)
{
	int n;

	if (*at >= len)
		return;
	n = snprintf(buf + *at, len - *at, "%s%s", *at ? "|" : "", text);
	if (n > 0)
		*at += (size_t)n;
}

static const char *flags_name(const struct family *fam, uint64_t v, char *buf,
			      size_t len)
{
	uint64_t bit, rest = 0;
	size_t at = 0;
	const char *name;
	char text[24];

	buf[0] = '\0';
	if (fam->kind == CLONE_FLAGS && (v & 0xff)) {
		if (signal_name((unsigned int)(v & 0xff), text, sizeof(text)))
			append(buf, len, &at, text);
		else
			rest |= v & 0xff;
		v &= ~(uint64_t)0xff;
	}
	if (!v && !rest && !at) {
		/* PROT_NONE; a clone or an unshare of no flags is plain 0 */
		name = fam->kind == FLAGS ? member(fam, 0) : NULL;
		if (!name)
			return NULL;
		snprintf(buf, len, "%s", name);
		return buf;
	}
	for (bit = 1; bit; bit <<= 1) {
		if (!(v & bit))
			continue;
		name = member(fam, bit);
		if (name)
			append(buf, len, &at, name);
		else
			rest |= bit;
	}
	if (!at)
		return NULL; /* nothing named: the number says it better */
	if (rest) {
		snprintf(text, sizeof(text), "%#llx", (unsigned long long)rest);
		append(buf, len, &at, text);
	}
	return buf;
}

const char *ps_arg_name(int nr, unsigned int arg, uint64_t value, char *buf,
			size_t len)
{
	const struct family *fam = family_of(nr, arg);
	const char *name;

	if (!fam || !len)
		return NULL;
	if (fam->kind != ONE_VALUE)
		return flags_name(fam, value, buf, len);
	name = member(fam, value);
	if (!name)
		return NULL;
	snprintf(buf, len, "%s", name);
	return buf;
}

bool ps_arg_is_flags(int nr, unsigned int arg)
{
	const struct family *fam = family_of(nr, arg);

	return fam && fam->kind != ONE_VALUE;
}

const char *ps_call_format(int nr, const uint64_t args[6], char *buf,
			   size_t len)
{
	char name[PS_ARG_NAME_MAX];
	size_t at;
	unsigned int i;
	int n;

	if (!len)
		return buf;
	n = snprintf(buf, len, "%s(", ps_syscall_name(nr));
	at = n > 0 ? (size_t)n : 0;
	for (i = 0; i < 6 && at < len; i++) {
		const char *s = ps_arg_name(nr, i, args[i], name, sizeof(name));

		if (s)
			n = snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
				     s);
		else
			n = snprintf(buf + at, len - at, "%s%#llx",
				     i ? ", " : "",
				     (unsigned long long)args[i]);
		at += n > 0 ? (size_t)n : 0;
	}
	if (at < len)
		snprintf(buf + at, len - at, ")");
	return buf;
}
