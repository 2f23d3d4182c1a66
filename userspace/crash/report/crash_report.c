// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope crash-report: attach to a crashed process, print the signal, the
 * fault address, the registers and a backtrace of every thread, detach.
 * Every thread is stopped before any is reported, so the report is one
 * moment of the process. libunwind's ptrace support does the unwinding.
 *
 * libpinscope-crash runs it from the crashing thread's signal handler: the
 * handler passes what only it knows (the siginfo, the crashing thread, the
 * address of its signal frame) in argv, and says through --sync-fd when it
 * has named the reporter with PR_SET_PTRACER, so the attach is never tried
 * too early. The crashed thread is inside the handler, so its registers at
 * the fault come from that signal frame, not from PTRACE_GETREGS.
 *
 * It is a program of its own (pinscope crash-report runs it), so that
 * libunwind is loaded only when there is a crash to report: linked into
 * pinscope, its four libraries cost every launch a quarter of a millisecond.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libunwind-ptrace.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#define MAX_FRAMES 64

struct thread {
	pid_t tid;
	bool attached;
	int pass_on; /* a signal its stop intercepted, delivered at detach */
};

struct mapping {
	unsigned long start, end;
	char *path;
};

struct crash {
	pid_t pid;
	int signo; /* 0: not given (run by hand) */
	int code;
	bool have_code;
	unsigned long addr;
	pid_t crashed_tid; /* 0: not given */
	unsigned long context; /* the crashed thread's ucontext_t, or 0 */
	char said; /* the handler's PR_SET_PTRACER outcome, 0 if unknown */
	struct thread *threads;
	size_t n_threads, cap_threads;
	struct mapping *maps;
	size_t n_maps, cap_maps;
};

/*
 * The ptrace scope in force and the LSM that sets it; both may stack, and
 * the higher scope decides. -1 when neither is active.
 */
static int ptrace_scope(const char **lsm)
{
	int pinscope =
		ps_read_int_file("/proc/sys/kernel/pinscope/ptrace_scope");
	int yama = ps_read_int_file("/proc/sys/kernel/yama/ptrace_scope");

	if (pinscope < 0 && yama < 0) {
		*lsm = NULL;
		return -1;
	}
	if (pinscope == yama)
		*lsm = "pinscope and Yama";
	else
		*lsm = pinscope > yama ? "pinscope" : "Yama";
	return pinscope > yama ? pinscope : yama;
}

/* The pid of PID's tracer, 0 when it has none. */
static long tracer_of(pid_t pid)
{
	char v[32];

	return ps_proc_status(pid, "TracerPid", v, sizeof(v)) > 0 ?
		       strtol(v, NULL, 10) :
		       0;
}

/* Why the first thread's attach was refused, in the terms of the scope in force. */
static void explain_refusal(const struct crash *c, int err)
{
	const char *lsm, *named;
	int scope = ptrace_scope(&lsm);
	long tracer;

	if (err == ENOENT || err == ESRCH) {
		ps_warn("crash-report: no process %d", c->pid);
		return;
	}
	ps_warn("crash-report: cannot attach to %d: %s (%s)", c->pid,
		strerror(err),
		strerrorname_np(err) ? strerrorname_np(err) : "?");
	if (err != EPERM)
		return;
	tracer = tracer_of(c->pid);
	if (tracer > 0 && tracer != getpid()) {
		fprintf(stderr,
			"  %d is already traced by %ld: a process has one tracer\n",
			c->pid, tracer);
		return;
	}
	switch (c->said) {
	case 'y':
		named = "the crashed process named this reporter with PR_SET_PTRACER, and still\n"
			"  the attach was refused";
		break;
	case 'n':
		named = "the crashed process did not name this reporter with PR_SET_PTRACER\n"
			"  (PINSCOPE_CRASH_NO_PTRACER is set)";
		break;
	case 'e':
		named = "the crashed process could not name this reporter: its PR_SET_PTRACER failed";
		break;
	default:
		named = "the process did not name this reporter with PR_SET_PTRACER\n"
			"  (pinscope ptracer --allow PID names one)";
	}
	switch (scope) {
	case 1:
		fprintf(stderr,
			"  %s ptrace scope 1: %s.\n"
			"  Only ancestors, and the tracer a process names with PR_SET_PTRACER,\n"
			"  may attach.\n",
			lsm, named);
		break;
	case 2:
		fprintf(stderr,
			"  %s ptrace scope 2: only a process with CAP_SYS_PTRACE may attach,\n"
			"  and this reporter lacks it; PR_SET_PTRACER does not count.\n",
			lsm);
		break;
	case 3:
		fprintf(stderr,
			"  %s ptrace scope 3: no process may attach, not even root; only a boot\n"
			"  with a lower scope (pinscope.ptrace_scope=) allows reports.\n",
			lsm);
		break;
	default:
		fprintf(stderr,
			"  No ptrace scope is in force: %d runs as another user, is not dumpable\n"
			"  (a set-id program, or PR_SET_DUMPABLE 0), or another LSM refused.\n",
			c->pid);
	}
}

static const struct {
	int signo; /* 0: any signal */
	int code;
	const char *name, *what;
} codes[] = {
	{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR", "address not mapped" },
	{ SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR",
	  "access not allowed by the mapping" },
	{ SIGSEGV, SEGV_PKUERR, "SEGV_PKUERR", "protection key" },
	{ SIGBUS, BUS_ADRALN, "BUS_ADRALN", "misaligned address" },
	{ SIGBUS, BUS_ADRERR, "BUS_ADRERR",
	  "no such physical address (past a file's end?)" },
	{ SIGBUS, BUS_OBJERR, "BUS_OBJERR", "hardware error" },
	{ SIGBUS, BUS_MCEERR_AR, "BUS_MCEERR_AR", "memory error, consumed" },
	{ SIGBUS, BUS_MCEERR_AO, "BUS_MCEERR_AO",
	  "memory error, not consumed" },
	{ SIGILL, ILL_ILLOPC, "ILL_ILLOPC", "illegal opcode" },
	{ SIGILL, ILL_ILLOPN, "ILL_ILLOPN", "illegal operand" },
	{ SIGILL, ILL_ILLADR, "ILL_ILLADR", "illegal addressing mode" },
	{ SIGILL, ILL_ILLTRP, "ILL_ILLTRP", "illegal trap" },
	{ SIGILL, ILL_PRVOPC, "ILL_PRVOPC", "privileged opcode" },
	{ SIGILL, ILL_PRVREG, "ILL_PRVREG", "privileged register" },
	{ SIGILL, ILL_COPROC, "ILL_COPROC", "coprocessor error" },
	{ SIGILL, ILL_BADSTK, "ILL_BADSTK", "internal stack error" },
	{ SIGFPE, FPE_INTDIV, "FPE_INTDIV", "integer divide by zero" },
	{ SIGFPE, FPE_INTOVF, "FPE_INTOVF", "integer overflow" },
	{ SIGFPE, FPE_FLTDIV, "FPE_FLTDIV", "floating-point divide by zero" },
	{ SIGFPE, FPE_FLTOVF, "FPE_FLTOVF", "floating-point overflow" },
	{ SIGFPE, FPE_FLTUND, "FPE_FLTUND", "floating-point underflow" },
	{ SIGFPE, FPE_FLTRES, "FPE_FLTRES", "floating-point inexact result" },
	{ SIGFPE, FPE_FLTINV, "FPE_FLTINV",
	  "invalid floating-point operation" },
	{ SIGFPE, FPE_FLTSUB, "FPE_FLTSUB", "subscript out of range" },
	{ 0, SI_USER, "SI_USER", "sent by kill" },
	{ 0, SI_KERNEL, "SI_KERNEL", "sent by the kernel" },
	{ 0, SI_QUEUE, "SI_QUEUE", "sent by sigqueue" },
	{ 0, SI_TKILL, "SI_TKILL", "sent by tgkill or raise, as abort does" },
	{ 0, SI_TIMER, "SI_TIMER", "a timer expired" },
	{ 0, SI_ASYNCIO, "SI_ASYNCIO", "asynchronous I/O completed" },
};

static void print_signal(const struct crash *c)
{
	const char *abbrev = sigabbrev_np(c->signo);
	size_t i;

	printf(" got SIG%s (signal %d)", abbrev ? abbrev : "?", c->signo);
	/* only a fault the CPU raised has an address */
	if (c->have_code && c->code > 0 && c->code != SI_KERNEL)
		printf(" at address %#lx", c->addr);
	if (!c->have_code)
		return;
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		if (codes[i].code == c->code &&
		    (!codes[i].signo || codes[i].signo == c->signo)) {
			printf(", %s: %s", codes[i].name, codes[i].what);
			return;
		}
	}
	printf(", si_code %d", c->code);
}

static void add_thread(struct crash *c, pid_t tid, bool attached, int pass_on)
{
	PS_PUSH(c->threads, c->n_threads, c->cap_threads);
	c->threads[c->n_threads].tid = tid;
	c->threads[c->n_threads].attached = attached;
	c->threads[c->n_threads++].pass_on = pass_on;
}

static const struct thread *find_thread(const struct crash *c, pid_t tid)
{
	size_t i;

	for (i = 0; i < c->n_threads; i++)
		if (c->threads[i].tid == tid)
			return &c->threads[i];
	return NULL;
}

/*
 * Interrupt the seized TID and wait until it stops; false if it is gone. A
 * stop for a signal (before our interrupt's) keeps that signal for the
 * detach, which would otherwise swallow it.
 */
static bool stop_thread(struct crash *c, pid_t tid)
{
	int status;

	ptrace(PTRACE_INTERRUPT, tid, 0, 0);
	for (;;) {
		if (waitpid(tid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (!WIFSTOPPED(status))
			return false; /* it exited meanwhile */
		add_thread(c, tid, true, status >> 16 ? 0 : WSTOPSIG(status));
		return true;
	}
}

/*
 * Seize and stop every thread, until a pass over /proc/PID/task finds no
 * new one (threads may start meanwhile). 0, or -errno of the first attach.
 */
static int attach_all(struct crash *c)
{
	char path[64];
	struct dirent *d;
	bool added = true;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", c->pid);
	while (added) {
		added = false;
		dir = opendir(path);
		if (!dir)
			return c->n_threads ? 0 : -errno;
		while ((d = readdir(dir))) {
			pid_t tid = (pid_t)strtol(d->d_name, NULL, 10);

			if (tid <= 0 || find_thread(c, tid))
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0) {
				int err = errno;

				if (err == ESRCH) /* exited meanwhile */
					continue;
				if (!c->n_threads) {
					closedir(dir);
					return -err;
				}
				ps_warn("crash-report: thread %d: %s", tid,
					strerror(err));
				add_thread(c, tid, false,
					   0); /* not tried again */
				continue;
			}
			added |= stop_thread(c, tid);
		}
		closedir(dir);
	}
	return 0;
}

static void detach_all(struct crash *c)
{
	size_t i;

	for (i = 0; i < c->n_threads; i++)
		if (c->threads[i].attached)
			ptrace(PTRACE_DETACH, c->threads[i].tid, 0,
			       (void *)(long)c->threads[i].pass_on);
}

/* /proc/PID/maps, to name the file of each frame */
static void read_maps(struct crash *c)
{
	char path[64], line[PATH_MAX + 128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", c->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		int at = 0;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &start, &end,
			   &at) < 2 ||
		    !at || line[at] != '/')
			continue;
		PS_PUSH(c->maps, c->n_maps, c->cap_maps);
		c->maps[c->n_maps].start = start;
		c->maps[c->n_maps].end = end;
		c->maps[c->n_maps++].path = xstrdup(line + at);
	}
	fclose(f);
}

static const char *file_of(const struct crash *c, unsigned long ip)
{
	size_t i;

	for (i = 0; i < c->n_maps; i++)
		if (ip >= c->maps[i].start && ip < c->maps[i].end)
			return c->maps[i].path;
	return NULL;
}

#ifdef __x86_64__
static void print_regs(const struct user_regs_struct *r)
{
	printf("    rip %016llx  rsp %016llx  rbp %016llx\n"
	       "    rax %016llx  rbx %016llx  rcx %016llx\n"
	       "    rdx %016llx  rsi %016llx  rdi %016llx\n"
	       "    r8  %016llx  r9  %016llx  r10 %016llx\n"
	       "    r11 %016llx  r12 %016llx  r13 %016llx\n"
	       "    r14 %016llx  r15 %016llx  eflags %08llx\n",
	       r->rip, r->rsp, r->rbp, r->rax, r->rbx, r->rcx, r->rdx, r->rsi,
	       r->rdi, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14,
	       r->r15, r->eflags);
}

/* The crashed thread's registers when it faulted, from its signal frame. */
static bool print_fault_regs(const struct crash *c, pid_t tid)
{
	struct user_regs_struct r;
	ucontext_t uc;
	const greg_t *g = uc.uc_mcontext.gregs;
	struct iovec local = { &uc, sizeof(uc) };
	struct iovec remote = { (void *)c->context, sizeof(uc) };

	if (!c->context || process_vm_readv(tid, &local, 1, &remote, 1, 0) !=
				   (ssize_t)sizeof(uc))
		return false;
	r.rip = (unsigned long long)g[REG_RIP];
	r.rsp = (unsigned long long)g[REG_RSP];
	r.rbp = (unsigned long long)g[REG_RBP];
	r.rax = (unsigned long long)g[REG_RAX];
	r.rbx = (unsigned long long)g[REG_RBX];
	r.rcx = (unsigned long long)g[REG_RCX];
	r.rdx = (unsigned long long)g[REG_RDX];
	r.rsi = (unsigned long long)g[REG_RSI];
	r.rdi = (unsigned long long)g[REG_RDI];
	r.r8 = (unsigned long long)g[REG_R8];
	r.r9 = (unsigned long long)g[REG_R9];
	r.r10 = (unsigned long long)g[REG_R10];
	r.r11 = (unsigned long long)g[REG_R11];
	r.r12 = (unsigned long long)g[REG_R12];
	r.r13 = (unsigned long long)g[REG_R13];
	r.r14 = (unsigned long long)g[REG_R14];
	r.r15 = (unsigned long long)g[REG_R15];
	r.eflags = (unsigned long long)g[REG_EFL];
	printf("    registers at the fault (from the signal frame):\n");
	print_regs(&r);
	printf("    trapno %llx  err %llx  cr2 %016llx\n",
	       (unsigned long long)g[REG_TRAPNO],
	       (unsigned long long)g[REG_ERR], (unsigned long long)g[REG_CR2]);
	return true;
}

static void print_thread_regs(const struct crash *c, pid_t tid)
{
	struct user_regs_struct r;

	if (tid == c->crashed_tid && print_fault_regs(c, tid))
		return;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) == 0) {
		printf("    registers:\n");
		print_regs(&r);
	}
}
#else
static void print_thread_regs(const struct crash *c, pid_t tid)
{
	(void)c;
	(void)tid;
	printf("    registers: printed on x86-64 only\n");
}
#endif

#ifdef __x86_64__
/* Is IP the signal trampoline, mov $15,%rax; syscall (rt_sigreturn)? */
static bool is_trampoline(unw_addr_space_t as, void *ui, unw_word_t ip)
{
	unw_word_t w0, w1;

	if (_UPT_access_mem(as, ip, &w0, 0, ui) < 0 ||
	    _UPT_access_mem(as, ip + 8, &w1, 0, ui) < 0)
		return false;
	return w0 == 0x0f0000000fc0c748UL && (w1 & 0xff) == 0x05;
}
#else
static bool is_trampoline(unw_addr_space_t as, void *ui, unw_word_t ip)
{
	(void)as;
	(void)ui;
	(void)ip;
	return false;
}
#endif

/*
 * A caller's frame holds a return address, which may already belong to the
 * next function when the call was the last instruction (a noreturn call):
 * its name is looked up at ip - 1. The frame a signal interrupted holds the
 * faulting instruction itself, and the frame above it is the signal
 * trampoline, which stripped libcs do not name.
 */
static void print_backtrace(const struct crash *c, pid_t tid)
{
	unw_addr_space_t as = unw_create_addr_space(&_UPT_accessors, 0);
	void *ui = _UPT_create(tid);
	bool exact = true;
	unw_cursor_t cur;
	int depth = 0;

	printf("    backtrace:\n");
	if (!as || !ui || unw_init_remote(&cur, as, ui) < 0) {
		printf("    (none: libunwind cannot start)\n");
		goto out;
	}
	do {
		unw_word_t ip, at, off;
		const char *file;
		char name[256];

		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0)
			break;
		if (is_trampoline(as, ui, ip)) {
			printf("    #%-2d %016lx <signal handler called>\n",
			       depth, (unsigned long)ip);
			exact = true;
			continue;
		}
		at = exact || !ip ? ip : ip - 1;
		exact = false;
		file = file_of(c, (unsigned long)ip);
		if (_UPT_get_proc_name(as, at, name, sizeof(name), &off, ui) ==
		    0)
			printf("    #%-2d %016lx %s+%#lx", depth,
			       (unsigned long)ip, name,
			       (unsigned long)(off + (ip - at)));
		else
			printf("    #%-2d %016lx ?", depth, (unsigned long)ip);
		printf(file ? " (%s)\n" : "\n", file);
	} while (++depth < MAX_FRAMES && unw_step(&cur) > 0);
out:
	if (ui)
		_UPT_destroy(ui);
	if (as)
		unw_destroy_addr_space(as);
}

static void print_thread(const struct crash *c, pid_t tid)
{
	char path[64], comm[64] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", c->pid, tid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("  thread %d (%s)%s%s\n", tid, comm,
	       tid == c->pid ? ", main" : "",
	       tid == c->crashed_tid ? ", crashed" : "");
	print_thread_regs(c, tid);
	print_backtrace(c, tid);
	fflush(stdout);
}

/* What the handler said, before any attach: a refused one still tells it. */
static void print_header(const struct crash *c)
{
	char path[64], comm[64] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", c->pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("pinscope crash-report: pid %d (%s)", c->pid, comm);
	if (c->signo)
		print_signal(c);
	if (c->crashed_tid)
		printf(", in thread %d", c->crashed_tid);
	printf("\n");
	fflush(stdout);
}

static void report(struct crash *c)
{
	const struct thread *t;
	size_t i;

	read_maps(c);
	/* the crashed thread first: it is what a reader looks for */
	t = find_thread(c, c->crashed_tid);
	if (t && t->attached)
		print_thread(c, t->tid);
	for (i = 0; i < c->n_threads; i++)
		if (c->threads[i].attached &&
		    c->threads[i].tid != c->crashed_tid)
			print_thread(c, c->threads[i].tid);
}

static void crash_usage(FILE *out)
{
	fputs("usage: pinscope crash-report [OPTIONS] PID\n"
	      "Attach to every thread of PID, print the signal, the fault address, the\n"
	      "registers and a backtrace of each, and detach. libpinscope-crash runs it\n"
	      "from a crashing program's signal handler, with these options:\n\n"
	      "  --signal SIG      the signal that crashed PID\n"
	      "  --code CODE       its si_code\n"
	      "  --address ADDR    its si_addr, the fault address\n"
	      "  --thread TID      the thread that crashed\n"
	      "  --context ADDR    that thread's ucontext_t (its registers at the fault)\n"
	      "  --sync-fd FD      wait for one byte on FD before attaching\n"
	      "  --timeout SECS    give up (die) after SECS seconds\n"
	      "  -h, --help        this help\n",
	      out);
}

static uint64_t number(const char *opt, const char *arg, uint64_t min,
		       uint64_t max)
{
	uint64_t v;

	if (!ps_parse_u64(arg, &v) || v < min || v > max)
		ps_usage_error("crash-report", crash_usage, "bad %s '%s'", opt,
			       arg);
	return v;
}

static int crash_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "code", required_argument, NULL, 'c' },
		{ "address", required_argument, NULL, 'a' },
		{ "thread", required_argument, NULL, 't' },
		{ "context", required_argument, NULL, 'x' },
		{ "sync-fd", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct crash c = { 0 };
	int opt, err, sync_fd = -1;
	size_t i;

	optind = 1;
	while ((opt = ps_getopt("crash-report", argc, argv, "+h", opts)) !=
	       -1) {
		switch (opt) {
		case 's':
			c.signo = (int)number("signal", optarg, 1, 64);
			break;
		case 'c':
			/* negative codes arrive as their 32-bit pattern */
			c.code = (int)(unsigned int)number("code", optarg, 0,
							   UINT32_MAX);
			c.have_code = true;
			break;
		case 'a':
			c.addr = (unsigned long)number("address", optarg, 0,
						       UINT64_MAX);
			break;
		case 't':
			c.crashed_tid =
				(pid_t)number("thread", optarg, 1, 0x3fffffff);
			break;
		case 'x':
			c.context = (unsigned long)number("context", optarg, 0,
							  UINT64_MAX);
			break;
		case 'f':
			sync_fd = (int)number("fd", optarg, 0, 1 << 20);
			break;
		case 'T':
			/* a program that ignored SIGALRM handed that on through exec */
			signal(SIGALRM, SIG_DFL);
			alarm((unsigned int)number("timeout", optarg, 1, 3600));
			break;
		case 'h':
			crash_usage(stdout);
			return 0;
		default:
			crash_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		ps_usage_error("crash-report", crash_usage, "%s",
			       optind < argc ? "one pid only" : "no pid");
	c.pid = (pid_t)number("pid", argv[optind], 1, 0x3fffffff);
	/* the crashed process says when it has named us its tracer */
	if (sync_fd >= 0) {
		while (read(sync_fd, &c.said, 1) < 0 && errno == EINTR)
			;
		close(sync_fd);
	}
	if (!(kill(c.pid, 0) && errno == ESRCH))
		print_header(&c);
	err = attach_all(&c);
	if (err < 0) {
		explain_refusal(&c, -err);
		free(c.threads);
		return 1;
	}
	report(&c);
	detach_all(&c);
	for (i = 0; i < c.n_maps; i++)
		free(c.maps[i].path);
	free(c.maps);
	free(c.threads);
	return 0;
}

int main(int argc, char **argv)
{
	/* a command line of its own: it prints its diagnostics */
	ps_report_to(stderr);
	return crash_report(argc, argv);
}
