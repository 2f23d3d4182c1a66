#!/bin/sh
# Host tests of the pinscope command, TAP. Each runs real syscalls in a
# confined child and checks the errno, the signal or the output.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/run.sh
set -u
. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")" && pwd)
pol=$here/policies
probe=$PROGS/probe

# probe_is POLICY_ARGS... -- SYSCALL ARGS... = EXPECTED
probe_is() {
	expected=$1
	shift
	ps 0 "$@" || return 1
	out_is "$expected"
}

# ---- the language ----

t_operators() {
	decides -S "$pol/ops.policy" "getppid 5=ok" "getppid 4=errno ENOTBLK" "getppid 6=errno ENOTBLK" \
		"getpgrp 4=ok" "getpgrp 5=errno ENOTBLK" \
		"getuid 4=ok" "getuid 5=errno ENOTBLK" \
		"geteuid 5=ok" "geteuid 6=errno ENOTBLK" \
		"getgid 6=ok" "getgid 5=errno ENOTBLK" \
		"getegid 5=ok" "getegid 4=errno ENOTBLK" \
		"gettid 2=ok" "gettid 4=ok" "gettid 1=errno ENOTBLK" "gettid 8=errno ENOTBLK" \
		"getpid 0=ok" "getpid 6=ok" "getpid 2=ok" "getpid 1=errno ENOTBLK" "getpid 8=errno ENOTBLK" \
		"sched_yield 1 0=ok" "sched_yield 4 2=ok" "sched_yield 3 2=errno ENOTBLK" "sched_yield 0 0=errno ENOTBLK" \
		"sync 5=errno ENOTBLK" "sync 0x100000005=ok" \
		"setuid 0xffffffff=errno ENOTBLK"
}

t_range_on_one_argument() {
	# a range is two comparisons of one argument, which libseccomp
	# cannot put in one rule
	# pid_t is an int: 0x100000003 is getpgid(3) to the kernel
	for v in 2 3 4 0x100000003; do
		ps 0 run -S "$pol/ops.policy" -- "$probe" getpgid $v || return 1
		out_lacks "ENOTBLK" || return 1
	done
	for v in 0 1 5 0x100000005; do
		ps 0 run -S "$pol/ops.policy" -- "$probe" getpgid $v || return 1
		out_is "errno ENOTBLK" || return 1
	done
}

t_constants_or_and_not() {
	# getsid: arg0 == O_RDWR|O_CREAT || arg0 in ~PROT_EXEC && arg1 == (1|2)
	ps 0 run -S "$pol/ops.policy" -- "$probe" getsid 0x42 || return 1
	out_lacks ENOTBLK || return 1
	ps 0 run -S "$pol/ops.policy" -- "$probe" getsid 3 3 || return 1
	out_lacks ENOTBLK || return 1
	ps 0 run -S "$pol/ops.policy" -- "$probe" getsid 4 3 || return 1
	out_is "errno ENOTBLK" || return 1
	ps 0 run -S "$pol/ops.policy" -- "$probe" getsid 3 1 || return 1
	out_is "errno ENOTBLK"
}

t_expression_without_else_kills() {
	printf 'getppid: arg0 == 5\n@critical: 1\n' > "$tmp/p.policy"
	ps 0 run -S "$tmp/p.policy" -- "$probe" getppid 5 || return 1
	grep -q '^ok' "$tmp/out" || { why="allowed call failed"; return 1; }
	ps 159 run -S "$tmp/p.policy" -- "$probe" getppid 4 || return 1
	if kernel_logs_kills; then
		err_has 'killed: refused syscall getppid \(110\)'
	else
		err_names getppid
	fi
}

t_read_else_is_not_every_read() {
	# the libseccomp trap of DESIGN 3.2: EBADF only where arg0 != 0
	# (readv, as the dynamic loader needs read itself)
	printf 'readv: arg0 == 0; return EBADF\n@critical: 1\n' > "$tmp/p.policy"
	probe_is "ok 0" run -S "$tmp/p.policy" -- "$probe" readv 0 0 0 || return 1
	probe_is "errno EBADF" run -S "$tmp/p.policy" -- "$probe" readv 5 0 0
}

t_rule_actions() {
	A="run -S $pol/actions.policy -- $probe"
	# shellcheck disable=SC2086
	{ ps 0 $A getppid && out_is "errno EACCES"; } || return 1
	# shellcheck disable=SC2086
	{ ps 0 $A getuid && grep -q '^ok' "$tmp/out"; } || { why="log: $why"; return 1; }
	# shellcheck disable=SC2086
	{ ps 0 $A geteuid && grep -q '^ok' "$tmp/out"; } || return 1
	# shellcheck disable=SC2086
	{ ps 0 $A getgid 1 && grep -q '^ok' "$tmp/out"; } || return 1
	# shellcheck disable=SC2086
	{ ps 0 $A getgid 2 && out_is "errno ENOENT"; } || return 1
	for call in gettid getpgrp getpid; do
		# shellcheck disable=SC2086
		ps 159 $A $call || { why="$call: $why"; return 1; }
		out_is "" || return 1
	done
	ps 159 run -S "$pol/actions.policy" -- "$probe" getpid && err_names getpid
}

t_default_actions() {
	probe_is "errno EPERM" run --allow @critical --default-action errno:EPERM -- "$probe" getppid || return 1
	probe_is "errno ENOSYS" run --allow @critical --default-action errno:38 -- "$probe" getppid || return 1
	ps 159 run --allow @critical --default-action kill-thread -- "$probe" getppid || return 1
	ps 159 run --allow @critical --default-action trap -- "$probe" getppid || return 1
	ps 0 run --allow @critical --default-action log -- "$probe" getppid || return 1
	grep -q '^ok' "$tmp/out" || { why="log did not allow"; return 1; }
	ps 159 run --allow @critical -- "$probe" getppid
}

t_line_continuation_and_frequency() {
	ps 0 compile -q "$pol/continue.policy" || return 1
	probe_is "errno EPERM" run -S "$pol/continue.policy" -- "$probe" getpid 3 || return 1
	for v in 1 2; do
		ps 0 run -S "$pol/continue.policy" -- "$probe" getpid $v || return 1
		grep -q '^ok' "$tmp/out" || { why="getpid $v: $(cat "$tmp/out")"; return 1; }
	done
}

t_include() {
	probe_is "errno EPERM" run -S "$pol/include-main.policy" -- "$probe" getppid || return 1
	# an absolute include, found with -I where it is not at its path
	printf '@include /nonexistent/dir/include-sub.policy\ngetppid: return EACCES\n' > "$tmp/abs.policy"
	probe_is "errno EACCES" run -I "$pol" -S "$tmp/abs.policy" -- "$probe" getppid
}

t_include_loop_refused() {
	ps 2 compile "$pol/loop-a.policy" || return 1
	err_has "loop-b.policy:2:1: error: include loop"
}

t_groups() {
	ps 0 groups || return 1
	out_has "@critical" || return 1
	out_has "@system-service" || return 1
	ps 0 groups @default || return 1
	out_has "getpid" || return 1
	ps 0 groups @system-service || return 1
	out_has "openat" || return 1
	ps 2 groups @nosuch || return 1
	probe_is "ok 0" run --allow @system-service -- "$probe" read 0 0 0 || return 1
	ps 159 run --allow @system-service -- "$probe" reboot || return 1
	err_names reboot
}

t_syscalls() {
	ps 0 syscalls getppid 0 || return 1
	out_is "$(printf '110 getppid\n0 read')" || return 1
	ps 2 syscalls nosuchcall
}

t_deny_list_mode() {
	ps 159 run --deny getppid -- "$probe" getppid || return 1
	err_names getppid || return 1
	probe_is "errno EPERM" run --deny getppid:EPERM -- "$probe" getppid || return 1
	ps 0 run --deny getppid -- "$probe" getpid && grep -q '^ok' "$tmp/out" || return 1
	# --default-action says what denying means, like SystemCallErrorNumber=
	probe_is "errno ENETDOWN" run --deny getppid --default-action errno:ENETDOWN -- "$probe" getppid || return 1
	probe_is "errno EPERM" run --deny @clock:EPERM -- "$probe" settimeofday 0 0
}

t_systemd_syntax() {
	ps 0 run --systemd '~uname:ENETDOWN' -- "$PROGS/myos" && false
	[ "$got" = 1 ] || { why="myos exited $got"; return 1; }
	err_has "uname failed: Network is down" || return 1
	ps 159 run --systemd '~uname' -- "$PROGS/myos" || return 1
	ps 0 run --systemd '@system-service' -- "$PROGS/myos" || return 1
	out_is "My OS is Linux!"
}

t_x32_killed() {
	ps 159 run --allow @critical,getppid -- "$probe" --x32 getppid || return 1
	ps 0 run --allow @critical,getppid -- "$probe" getppid
}

t_x32_admitted_with_arch_all() {
	# admitted with --arch all, and the rules still apply to it
	ps 0 run --arch all --allow @critical,getppid -- "$probe" --x32 getppid || return 1
	grep -q '^ok' "$tmp/out" || { why="x32 getppid under --arch all: $(cat "$tmp/out")"; return 1; }
}

t_int80_killed() {
	ps 159 run --allow @critical,getpid -- "$probe" --int80 getpid || return 1
	ps 0 run --arch all --allow @critical,getpid -- "$probe" --int80 getpid || return 1
	grep -q '^ok' "$tmp/out" || { why="int 0x80 getpid under --arch all: $(cat "$tmp/out")"; return 1; }
}

# ---- arguments as the kernel reads them (DESIGN 3.2) ----

# socket's domain is an int: the kernel runs socket(0x100000002, ...) as
# socket(AF_INET, ...). The probe prints "ok FD" only once a socket is
# made, so a kill before any output means no socket was.
t_int_arg_upper_half_refused() {
	printf 'socket: arg0 != AF_INET\n' > "$tmp/sock.policy"
	for v in 0x100000002 0xffffffff00000002 0x8000000000000002; do
		ps 159 run --allow @critical -S "$tmp/sock.policy" -- "$probe" socket $v 1 0 || return 1
		if grep -q '^ok' "$tmp/out"; then
			why="socket($v, SOCK_STREAM, 0) made a socket: $(cat "$tmp/out")"
			return 1
		fi
	done
	# the same upper half on AF_UNIX is AF_UNIX: allowed, a socket made
	ps 0 run --allow @critical -S "$tmp/sock.policy" -- "$probe" socket 0x100000001 1 0 || return 1
	has '^ok [0-9]'
}

# ioctl's request is an unsigned int: 0x100005412 is TIOCSTI, which would
# push input into the terminal (here its pointer is NULL: EFAULT if run)
t_ioctl_request_upper_half_refused() {
	printf 'ioctl: arg1 != TIOCSTI\n' > "$tmp/ioctl.policy"
	ps 159 run --allow @critical -S "$tmp/ioctl.policy" -- "$probe" ioctl 0 0x100005412 0 || return 1
	lacks '.' || return 1
	ps 0 run --allow @critical -S "$tmp/ioctl.policy" -- "$probe" ioctl 0 0x100005413 0 || return 1
	has '^(ok|errno)'
}

# i386's number for NAME, from the kernel's uapi header (libseccomp
# resolves i386 socket to its socketcall multiplexer)
i386_nr() {
	printf '#include <asm/unistd_32.h>\n__NR_%s\n' "$1" | ${CC:-cc} -E -P - | tail -n 1
}

# the same through int 0x80 from this 64-bit process, whose registers
# reach seccomp whole while the kernel reads their low halves
t_int80_upper_half_refused() {
	nr=$(i386_nr socket)
	[ "$nr" -gt 0 ] 2> /dev/null || { why="no i386 socket number: '$nr'"; return 1; }
	printf 'socket: arg0 != AF_INET\n' > "$tmp/sock.policy"
	ps 159 run --arch all --allow @critical -S "$tmp/sock.policy" -- "$probe" --int80 "$nr" 0xffffffff00000002 1 0 || return 1
	lacks '^ok' || return 1
	err_names socket || return 1
	ps 0 run --arch all --allow @critical -S "$tmp/sock.policy" -- "$probe" --int80 "$nr" 0x300000001 1 0 || return 1
	has '^ok [0-9]'
}

# a policy of no rules compiles, with a warning saying what it means
t_empty_policy_is_said() {
	printf '# nothing yet\n' > "$tmp/empty.policy"
	ps 0 compile "$tmp/empty.policy" || return 1
	err_has "the policy has no rules: every call gets the default action \(kill-process\)" || return 1
	ps 0 compile "$pol/cat.policy" || return 1
	lacks 'no rules' "$tmp/err"
}

# --call takes values as a policy writes them: A|B, names, -N
t_explain_call_takes_or_of_constants() {
	printf 'mmap: arg2 in PROT_READ|PROT_WRITE\n@critical: 1\n' > "$tmp/mm.policy"
	ps 0 explain -S "$tmp/mm.policy" --call 'mmap(0, 4096, PROT_READ|PROT_WRITE)' \
		--call 'mmap(0, 4096, PROT_READ | PROT_EXEC)' || return 1
	has '^mmap\(0, 0x1000, 0x3, 0, 0, 0\): allow' || return 1
	has '^mmap\(0, 0x1000, 0x5, 0, 0, 0\): kill-process' || return 1
	ps 2 explain -S "$tmp/mm.policy" --call 'mmap(0, 4096, PROT_BOGUS)' || return 1
	err_has "'PROT_BOGUS' is not a number or a known constant"
}

# explain shows the kernel's decision, not the register's
t_explain_reads_args_as_the_kernel() {
	printf 'socket: arg0 != AF_INET\n' > "$tmp/sock.policy"
	ps 0 explain -S "$tmp/sock.policy" --call 'socket(0x100000002,1,0)' \
		--call 'socket(0x100000001,1,0)' || return 1
	has '^socket\(0x100000002, .*kill-process' || return 1
	has '^socket\(0x100000001, 0x1, 0, 0, 0, 0\): allow'
}

# with --arch all, a condition on an argument i386 takes otherwise is
# refused where it is written; the rule without one carries over
t_i386_layouts_refused() {
	printf 'munmap: 1\nmmap: arg2 == PROT_READ\n' > "$tmp/mmap.policy"
	ps 2 compile --arch all "$tmp/mmap.policy" || return 1
	err_has "mmap.policy:2:1: error: with --arch all, i386 'mmap' is decided by this rule, but its arg2 is not x86_64's: i386 runs compat_sys_ia32_mmap" || return 1
	ps 0 compile "$tmp/mmap.policy" || return 1
	printf 'clone: arg3 == 0\n' > "$tmp/clone.policy"
	ps 2 compile --arch all "$tmp/clone.policy" || return 1
	err_has "clone.policy:1:1: error: .*i386 'clone'.*arg3" || return 1
	printf 'mmap: 1\nclone: arg0 & CLONE_THREAD\n' > "$tmp/ok.policy"
	ps 0 compile --arch all "$tmp/ok.policy"
}

# a constant the kernel never passes: a warning, FILE:LINE:COL
t_unreachable_constant_warns() {
	printf 'ioctl: arg1 == 0x100005412\nopenat: arg0 == 0xffffff9c\n' > "$tmp/w.policy"
	ps 0 compile "$tmp/w.policy" || return 1
	err_has "w.policy:1:1: warning: 'arg1 == 0x100005412' always fails: ioctl's arg1 is a 32-bit unsigned int" || return 1
	err_has "w.policy:2:1: note: as an int, 0xffffff9c is -100: write that"
}

t_no_new_privs_and_seccomp_mode() {
	ps 0 run --allow @critical -- "$probe" --print /proc/self/status || return 1
	grep -q -P '^NoNewPrivs:\t1$' "$tmp/out" || { why="NoNewPrivs not 1"; return 1; }
	grep -q -P '^Seccomp:\t2$' "$tmp/out" || { why="Seccomp not 2"; return 1; }
}

t_no_exec() {
	ps 0 run --deny ptrace -- sh -c '/bin/true; echo rc=$?' || return 1
	out_is "rc=0" || return 1
	ps 0 run --deny ptrace --no-exec -- sh -c '/bin/true; echo rc=$?' || return 1
	out_is "rc=126" || return 1
	err_has "Operation not permitted" || return 1
	err_has "refused execve" || return 1
	# also when a policy allows execve outright
	printf '@system-service: 1\nexecve: 1\n' > "$tmp/p.policy"
	ps 0 run -S "$tmp/p.policy" --no-exec -- sh -c '/bin/true; echo rc=$?' || return 1
	out_is "rc=126"
}

t_report_names_refusals() {
	probe_is "errno EPERM" run --report --allow @critical --default-action errno:EPERM -- "$probe" getppid 7 || return 1
	kernel_logs_kills || { err_has "cannot read the kernel's log"; return; }
	err_has "refused getppid \(110\) in pid [0-9]+: errno:EPERM" || return 1
	ps 159 run --report --allow @critical -- "$probe" getppid 9 || return 1
	err_has "refused getppid \(110\) in pid [0-9]+: kill-process" || return 1
	err_has "killed: refused syscall getppid"
}

t_command_not_found() {
	ps 127 run --allow @critical -- /nonexistent/cmd || return 1
	err_has "/nonexistent/cmd"
}

# ---- the seeds' demonstrations ----

t_seed_critical_ls() {
	ps 2 run --allow @critical --default-action errno:ENOSYS -- ls / || return 1
	err_has "ls: reading directory '/': Function not implemented" || return 1
	ps 2 run --allow @critical --default-action errno:EPERM -- ls / || return 1
	err_has "ls: reading directory '/': Operation not permitted" || return 1
	ps 0 run --allow @critical,getdents64 --default-action errno:EPERM -- ls /proc || return 1
	out_has "self" || return 1
	out_has "1"
}

t_seed_minijail_cat() {
	cd "$pol" || return 1
	# exec mode: cat.policy lacks what the dynamic loader needs
	ps 159 run -S cat.policy -- cat cat.policy || return 1
	err_has "refused syscall|killed by SIGSYS" || return 1
	# minijail0 -S preloads its filter into dynamic programs: so do we
	ps 0 run --preload -S cat.policy -- cat cat.policy || return 1
	out_is "$(cat cat.policy)" || return 1
	ps 1 run --preload -S cat-einval.policy -- cat cat.policy || return 1
	err_has "cat: cat.policy: Invalid argument" || return 1
	# and in exec mode, with the start-up syscalls added
	ps 0 run -S cat.policy --allow @critical -- cat cat.policy || return 1
	out_is "$(cat cat.policy)"
}

t_preload() {
	ps 0 run --preload --allow @critical -- "$probe" --print /proc/self/status || return 1
	grep -q -P '^Seccomp:\t2$' "$tmp/out" || { why="Seccomp not 2 under --preload"; return 1; }
	# only start-up needed read, openat, mmap...: with --preload they
	# can be refused and the program still starts
	probe_is "errno EPERM" run --preload --allow getppid,write,exit_group,newfstatat \
		--default-action errno:EPERM -- "$probe" getpid || return 1
	probe_is "errno EPERM" run --preload --deny getpid:EPERM -- "$probe" getpid || return 1
	# children inherit the filter, not the library
	ps 0 run --preload --deny getpid:EPERM -- sh -c 'echo "[$LD_PRELOAD][$PINSCOPE_FILTER_FD]"' || return 1
	out_is "[][]" || return 1
	ps 0 run --preload --no-exec --deny getpid:EPERM -- sh -c '/bin/true; echo rc=$?' || return 1
	out_is "rc=126" || return 1
	# LD_PRELOAD cannot reach a static program: refused, not run open
	ps 2 run --preload --deny getpid -- /bin/busybox true || return 1
	err_has "statically linked" || return 1
	ps 2 run --preload --report --deny getpid -- true || return 1
	# or, when asked, run in exec mode and say so
	ps 159 run --preload --exec-fallback --deny getppid -- /bin/busybox sh -c 'echo $PPID' || return 1
	err_has "running it in exec mode" || return 1
	ps 2 run --exec-fallback --deny getppid -- true || return 1
	ps 159 run --preload --deny getppid -- "$probe" getppid || return 1
	err_names getppid
}

t_seed_minijail_ls_ioctl() {
	cp "$pol/cat.policy" "$tmp/ls.policy"
	cd "$tmp" || return 1
	ps 159 run --report -S ls.policy --allow @critical -- ls ls.policy || return 1
	err_names ioctl || return 1
	if kernel_logs_kills; then
		err_has "refused ioctl \(16\) in pid [0-9]+: kill-process" || return 1
	fi
	echo "ioctl: arg0 == 1" >> ls.policy
	ps 0 run -S ls.policy --allow @critical -- ls ls.policy || return 1
	out_is "ls.policy"
}

t_seed_myos_enetdown() {
	ps 1 run --deny uname:ENETDOWN -- "$PROGS/myos" || return 1
	err_has "uname failed: Network is down" || return 1
	ps 0 run --deny getppid -- "$PROGS/myos" || return 1
	out_is "My OS is Linux!"
}

t_seed_dup2() {
	ps 159 run -S "$pol/dup2.policy" -- "$PROGS/dup2-demo" || return 1
	out_has "step 3: stderr redirected to stdout" || return 1
	out_lacks "step 4" || return 1
	err_names dup2
}

t_seed_strict_mode() {
	"$PROGS/strict-demo" > "$tmp/out" 2>&1
	got=$?
	[ "$got" = 137 ] || { why="strict-demo exited $got, wanted 137 (SIGKILL)"; return 1; }
	out_has "step 2" && out_lacks "step 3"
}

# ---- bad input: a message with FILE:LINE:COL, status 2, nothing started ----

bad_policy() {
	file=$1
	pattern=$2
	rm -f "$tmp/started"
	ps 2 run -S "$pol/$file" -- touch "$tmp/started" || return 1
	err_has "$pattern" || return 1
	if [ -e "$tmp/started" ]; then
		why="the command ran despite the bad policy"
		return 1
	fi
	ps 2 compile "$pol/$file" && err_has "$pattern"
}

t_bad_syscall() { bad_policy bad-syscall.policy "bad-syscall.policy:1:1: error: unknown syscall 'getppidd'"; }
t_bad_constant() { bad_policy bad-constant.policy "bad-constant.policy:2:18: error: unknown constant 'NO_SUCH_CONSTANT'"; }
t_bad_expression() { bad_policy bad-expr.policy "bad-expr.policy:1:17: error: expected a number or a constant, found '='"; }
t_bad_argument() { bad_policy bad-arg.policy "bad-arg.policy:1:10: error: expected an argument \(arg0 to arg5\), found 'arg7'"; }
t_bad_return() { bad_policy bad-return.policy "bad-return.policy:1:28: error: expected an errno"; }
t_bad_trailing() { bad_policy bad-trailing.policy "bad-trailing.policy:1:22: error: expected an argument"; }
t_bad_group() { bad_policy bad-group.policy "bad-group.policy:1:1: error: unknown group '@nosuchgroup'"; }
t_bad_include() { bad_policy bad-include.policy "bad-include.policy:1:1: error: cannot read policy '.*no-such-file.policy': No such file"; }
t_conflict() {
	bad_policy conflict.policy "conflict.policy:3:1: error: rule for 'getppid' conflicts" || return 1
	err_has "conflict.policy:1:1: note: the earlier rule"
}
t_missing_policy_file() {
	ps 2 run -S /nonexistent.policy -- true || return 1
	err_has "cannot read policy '/nonexistent.policy'"
}

t_bad_flags() {
	ps 2 run --bogus -- true || return 1
	err_has "try 'pinscope run --help'" || return 1
	ps 2 run --default-action sometimes --allow @critical -- true || return 1
	err_has "bad --default-action 'sometimes'" || return 1
	ps 2 run --arch arm --allow @critical -- true || return 1
	ps 2 run -- true || return 1
	err_has "nothing to enforce" || return 1
	ps 2 run --allow @critical || return 1
	err_has "no command" || return 1
	ps 2 run --allow getppid:EPERM -- true || return 1
	err_has "only goes with denied" || return 1
	ps 2 compile --allow @critical -D 1BAD=1 || return 1
	err_has "bad -D '1BAD=1'" || return 1
	ps 2 compile --allow @critical -D NAME || return 1
	ps 2 bogus-command || return 1
	ps 0 --help && out_has "run"
}

# ---- input that once crashed or hung the parser (issue 19) ----
# Each ends at once in status 2 and a message naming the file (and line),
# the command never started. timeout 5 is a guard: a hang fails the test
# instead of blocking the suite; the time taken is printed, not asserted.

# quick STATUS ARGS...: as ps, under timeout 5
quick() {
	q_want=$1
	shift
	q_start=$(date +%s%N)
	timeout 5 "$PINSCOPE" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	got=$?
	echo "# pinscope $1 took $(( ($(date +%s%N) - q_start) / 1000000 )) ms"
	if [ "$got" = 124 ]; then
		why="pinscope $* did not finish within 5 s"
		return 1
	fi
	exited "$q_want" "$got" "$tmp/err" "pinscope $*"
}

# refused_quickly FILE REGEX [RUN OPTIONS]: run -S FILE and compile FILE
# both exit 2 at once with REGEX on stderr, and run starts nothing
refused_quickly() {
	rq_file=$1
	rq_pattern=$2
	rm -f "$tmp/started"
	quick 2 run -S "$rq_file" -- touch "$tmp/started" || return 1
	err_has "$rq_pattern" || return 1
	if [ -e "$tmp/started" ]; then
		why="the command ran despite the bad policy"
		return 1
	fi
	quick 2 compile "$rq_file" && err_has "$rq_pattern"
}

t_deeply_nested_values_are_refused() {
	awk 'BEGIN { printf "@critical: 1\ngetppid: arg0 == "; for (i = 0; i < 30000; i++) printf "~"; print "1" }' > "$tmp/tilde.policy"
	refused_quickly "$tmp/tilde.policy" "tilde.policy:2:[0-9]+: error: value nested deeper than 64" || return 1
	awk 'BEGIN { printf "@critical: 1\ngetppid: arg0 == "; for (i = 0; i < 100000; i++) printf "("; print "1" }' > "$tmp/paren.policy"
	refused_quickly "$tmp/paren.policy" "paren.policy:2:[0-9]+: error: value nested deeper than 64" || return 1
	# what people write still parses
	printf '@critical: 1\ngetppid: arg0 == ~~((((1))))\n' > "$tmp/shallow.policy"
	ps 0 run -S "$tmp/shallow.policy" -- "$probe" getppid 1 || return 1
	out_has "ok"
}

t_fifo_inputs_are_refused_without_blocking() {
	mkfifo "$tmp/fifo" || return 1
	refused_quickly "$tmp/fifo" "fifo: error: cannot read policy '.*fifo': a FIFO" || return 1
	printf '@critical: 1\n@include ./fifo\n' > "$tmp/inc.policy"
	refused_quickly "$tmp/inc.policy" "inc.policy:2:1: error: cannot read policy '.*fifo': a FIFO" || return 1
	printf '@critical: 1\n@frequency ./fifo\n' > "$tmp/freq.policy"
	refused_quickly "$tmp/freq.policy" "freq.policy:2:1: error: cannot read frequencies '.*fifo': a FIFO" || return 1
	rm -f "$tmp/started"
	quick 2 run --oci "$tmp/fifo" -- touch "$tmp/started" || return 1
	err_has "fifo: error: cannot read profile '.*fifo': a FIFO" || return 1
	[ ! -e "$tmp/started" ] || { why="the command ran"; return 1; }
	quick 2 learn -o "$tmp/learned.policy" --merge "$tmp/fifo" -- true || return 1
	err_has "cannot read .*fifo: a FIFO"
}

t_include_fan_out_and_depth_are_capped() {
	# f0 includes f1 four times, f1 f2, ... f15: 4^15 reads unbounded
	mkdir "$tmp/fan" || return 1
	for i in $(seq 0 15); do
		: > "$tmp/fan/f$i.policy"
		if [ "$i" -lt 15 ]; then
			for k in 1 2 3 4; do
				echo "@include ./f$((i + 1)).policy" >> "$tmp/fan/f$i.policy"
			done
		fi
		echo "@critical: 1" >> "$tmp/fan/f$i.policy"
	done
	refused_quickly "$tmp/fan/f0.policy" "f[0-9]+\.policy:[1-4]:1: error: '.*f[0-9]+\.policy' would be file 257 of this policy; at most 256 are read" || return 1
	# a chain of 20 includes
	for i in $(seq 0 19); do
		echo "@include ./c$((i + 1)).policy" > "$tmp/fan/c$i.policy"
	done
	echo "@critical: 1" > "$tmp/fan/c20.policy"
	refused_quickly "$tmp/fan/c0.policy" "c[0-9]+\.policy:1:1: error: cannot include '.*c[0-9]+\.policy': includes nested deeper than 16" || return 1
	# and a cycle
	printf '@critical: 1\n@include ./cycle-b.policy\n' > "$tmp/fan/cycle-a.policy"
	printf 'getppid: 1\n@include ./cycle-a.policy\n' > "$tmp/fan/cycle-b.policy"
	refused_quickly "$tmp/fan/cycle-a.policy" "cycle-b.policy:2:1: error: include loop"
}

t_thousands_of_rules_for_one_syscall_compile() {
	# 4,000 lines of one syscall's conditional rules once took minutes
	awk 'BEGIN { print "@critical: 1"; for (i = 0; i < 4000; i++) print "getppid: arg0 == " i }' > "$tmp/many.policy"
	quick 0 compile -o "$tmp/many.bpf" "$tmp/many.policy" || return 1
	out_has "BPF instructions" || return 1
	# the same alternatives on one line: the very same program
	awk 'BEGIN { print "@critical: 1"; printf "getppid: arg0 == 0"; for (i = 1; i < 4000; i++) printf " || arg0 == %d", i; print "" }' > "$tmp/one-line.policy"
	quick 0 compile -o "$tmp/one-line.bpf" "$tmp/one-line.policy" || return 1
	cmp -s "$tmp/many.bpf" "$tmp/one-line.bpf" ||
		{ why="4,000 rules and one line of 4,000 alternatives compiled apart"; return 1; }
	# and the program means them: 3999 allowed, 4000 killed
	ps 0 run -S "$tmp/many.policy" -- "$probe" getppid 3999 || return 1
	out_has "ok" || return 1
	ps 159 run -S "$tmp/many.policy" -- "$probe" getppid 4000 || return 1
	err_has "refused syscall getppid"
}

# ---- io_uring: the door beside the filter (issue 19) ----

t_deny_list_refuses_io_uring_setup() {
	# a ring makes a directory without mkdir or mkdirat: under a deny
	# list of both, the ring itself is refused, and no directory appears
	ps 159 run --deny mkdir,mkdirat -- "$PROGS/uring-mkdir" "$tmp/made" || return 1
	err_has "refused syscall io_uring_setup" || return 1
	[ ! -e "$tmp/made" ] || { why="the ring made the directory the deny list refuses"; return 1; }
	# the deny list's own action, as its entries get it
	probe_is "errno EPERM" run --deny mkdir --default-action errno:EPERM -- "$probe" io_uring_setup 1 0 || return 1
	ps 159 run --systemd '~mkdir' -- "$probe" io_uring_setup 1 0 || return 1
	# named, it gets what the list says
	probe_is "errno ENOSYS" run --deny mkdir,io_uring_setup:ENOSYS -- "$probe" io_uring_setup 1 0 || return 1
	ps 0 explain --deny mkdir || return 1
	out_has "io_uring_setup: deny (implicit in a deny list"
}

t_policy_allowing_io_uring_is_warned_of() {
	ps 0 compile --allow @critical,io_uring_setup,io_uring_enter || return 1
	err_has "^pinscope: warning: the policy allows io_uring_setup, and a ring does what the policy refuses .*openat" || return 1
	[ "$(grep -c . "$tmp/err")" = 1 ] || { why="not one warning: $(cat "$tmp/err")"; return 1; }
	ps 0 explain --allow @critical,io_uring_setup,io_uring_enter || return 1
	err_has "^pinscope: warning: the policy allows io_uring_setup" || return 1
	# no ring, or a ring that can do nothing refused: no warning
	ps 0 compile --allow @critical || return 1
	[ ! -s "$tmp/err" ] || { why="a warning without io_uring: $(cat "$tmp/err")"; return 1; }
	ps 0 compile --deny mkdir || return 1
	[ ! -s "$tmp/err" ] || { why="a warning for a deny list: $(cat "$tmp/err")"; return 1; }
	# learn: the program made a ring, the policy allows it
	ps 0 learn -o "$tmp/ring.policy" -- "$probe" io_uring_setup 1 0 || return 1
	grep -q '^io_uring_setup:' "$tmp/ring.policy" || { why="io_uring_setup not learned"; return 1; }
	err_has "^pinscope: warning: the policy allows io_uring_setup"
}

# ---- compile --no-exec: a loader's exec cannot be told apart (issue 19) ----

t_compile_no_exec_for_a_loader_is_refused() {
	ps 2 compile --no-exec -o "$tmp/noexec.bpf" --allow @critical || return 1
	err_has "no-exec cannot be kept by a program another loader \(bwrap --seccomp, a runtime\) loads" || return 1
	[ ! -e "$tmp/noexec.bpf" ] || { why="a program was written"; return 1; }
	# the library loads after every exec of the start: there it holds
	ps 0 compile --preload --no-exec -o "$tmp/preload.bpf" --allow @critical
}

t_former_libseccomp_hang_compiles_and_decides() {
	# libseccomp 2.5.4 never returned for these rules; ours are exact
	printf 'getsid: arg0 == 0x42 || arg5 in ~PROT_EXEC && arg1 == 3; return ENOTBLK\n@critical: 1\n' > "$tmp/hang.policy"
	decides -S "$tmp/hang.policy" "getsid 0x42=ok" "getsid 0x43=errno ENOTBLK" "getsid 7 3 0 0 0 3=ok" \
		"getsid 7 3 0 0 0 4=errno ENOTBLK" "getsid 7 4 0 0 0 3=errno ENOTBLK"
}

# Each rule shape libseccomp 2.5.4 miscompiled (issue 11), on the real
# kernel: ENOTBLK says the policy refused, ok that it allowed.
t_exact_range_shapes() {
	cat > "$tmp/shapes.policy" <<-'EOF2'
	getppid: arg1 < 4096 || arg1 >= 0x1000000000; return ENOTBLK
	getpgrp: arg0 > 0x100000000 && arg0 < 0x100000010 || arg0 == 7; return ENOTBLK
	getuid: arg0 >= 0x80000000 && arg0 <= 0xffffffff80000000; return ENOTBLK
	geteuid: arg0 != 0x100000000 && arg0 != 1; return ENOTBLK
	getgid: arg0 & 0x100000001 && arg1 in 0xff; return ENOTBLK
	getegid: arg0 < 10 || arg0 > 20 && arg0 < 30 || arg0 >= 0xffffffff00000000; return ENOTBLK
	@critical: 1
	EOF2
	decides -S "$tmp/shapes.policy" "getppid 0 0x1000=errno ENOTBLK" "getppid 0 0xfff=ok" "getppid 0 0x1000000000=ok" \
		"getppid 0 0xfffffffff=errno ENOTBLK" "getppid 0 0x100000fff=errno ENOTBLK" \
		"getpgrp 0x100000008=ok" "getpgrp 8=errno ENOTBLK" "getpgrp 0x100000010=errno ENOTBLK" "getpgrp 7=ok" \
		"getuid 0x80000000=ok" "getuid 0x7fffffff=errno ENOTBLK" "getuid 0xffffffff80000001=errno ENOTBLK" \
		"getuid 0x100000000=ok" \
		"geteuid 0=ok" "geteuid 1=errno ENOTBLK" "geteuid 0x100000000=errno ENOTBLK" "geteuid 0x100000001=ok" \
		"getgid 1 0xff=ok" "getgid 0x100000000 0=ok" "getgid 2 0=errno ENOTBLK" "getgid 1 0x100=errno ENOTBLK" \
		"getegid 9=ok" "getegid 10=errno ENOTBLK" "getegid 25=ok" "getegid 30=errno ENOTBLK" \
		"getegid 0x100000019=errno ENOTBLK" "getegid 0xffffffff00000000=ok"
}

t_mmap_outside_both_ranges_is_refused() {
	# the issue's case: mmap(NULL, 0x1000) is in neither range (preload:
	# the dynamic loader's own mmaps come before the filter)
	printf 'mmap: arg1 < 4096 || arg1 >= 0x1000000000\n@critical: 1\n' > "$tmp/mm.policy"
	ps 159 run --preload -S "$tmp/mm.policy" -- "$probe" mmap 0 0x1000 1 0x22 -1 0 || return 1
	ps 0 run --preload -S "$tmp/mm.policy" -- "$probe" mmap 0 0xfff 1 0x22 -1 0 || return 1
	out_has "ok" || return 1
	ps 0 run --preload -S "$tmp/mm.policy" -- "$probe" mmap 0 0x1000000000 0 0x4022 -1 0 || return 1
	out_has "ok"
}

t_program_too_long_names_the_costliest_rules() {
	# 150 syscalls with 12 distinct 64-bit values each: far over 4096
	# (values apart: consecutive ones would merge into one range)
	"$PINSCOPE" groups @known | sort -u | head -n 150 | awk '{
		printf "%s: arg0 == 1", $1
		for (i = 2; i <= 12; i++)
			printf " || arg0 == 0x%x%08x", NR, 2 * i
		printf "\n"
	}' > "$tmp/long.policy"
	rm -f "$tmp/started"
	ps 2 run -S "$tmp/long.policy" -- touch "$tmp/started" || return 1
	err_has "the filter needs [0-9]+ instructions; the kernel takes at most 4096" || return 1
	err_has "long.policy:[0-9]+:1: error: the rules of '[a-z0-9_]+' cost [0-9]+ instructions" || return 1
	[ ! -e "$tmp/started" ] || { why="the command ran"; return 1; }
	ps 2 compile "$tmp/long.policy" || return 1
	out_lacks "ok"
}

t_bare_return_and_every_errno() {
	# minijail's `expr; return`: killed where expr fails
	printf 'getppid: arg0 == 1; return\n@critical: 1\n' > "$tmp/bare.policy"
	ps 0 run -S "$tmp/bare.policy" -- "$probe" getppid 1 || return 1
	ps 159 run -S "$tmp/bare.policy" -- "$probe" getppid 2 || return 1
	# minijail's "kill otherwise": not the default action
	ps 159 run -S "$tmp/bare.policy" --default-action errno:ENOTBLK -- "$probe" getppid 2 || return 1
	err_names getppid || return 1
	for e in 0 1 4095; do
		printf 'getppid: arg0 == 1; return %s\n@critical: 1\n' "$e" > "$tmp/e.policy"
		ps 0 compile -q "$tmp/e.policy" || return 1
		ps 0 run -S "$tmp/e.policy" -- "$probe" getppid 2 || return 1
		if [ "$e" = 0 ]; then
			out_has "ok 0" || return 1
		else
			out_lacks "ok" || return 1
		fi
	done
}

t_preload_library_alone_reads_the_environment() {
	# Cloudflare sandbox's variables, unchanged, and pinscope's own
	lib=$(dirname "${PINSCOPE_PLAIN:-$PINSCOPE}")/libpinscope-preload.so
	LD_PRELOAD=$lib SECCOMP_SYSCALL_DENY=uname "$PROGS/myos" > "$tmp/out" 2> "$tmp/err"
	got=$?
	[ "$got" = 159 ] || { why="SECCOMP_SYSCALL_DENY=uname: exit $got"; return 1; }
	LD_PRELOAD=$lib SECCOMP_SYSCALL_ALLOW=exit_group:newfstatat:uname:write "$PROGS/myos" > "$tmp/out" 2> "$tmp/err" ||
		{ why="the 4-syscall allow list: $(cat "$tmp/err")"; return 1; }
	out_is "My OS is Linux!" || return 1
	LD_PRELOAD=$lib SECCOMP_SYSCALL_DENY=uname SECCOMP_DEFAULT_ACTION=errno:ENETDOWN "$PROGS/myos" > "$tmp/out" 2> "$tmp/err"
	err_has "Network is down" || return 1
	printf 'uname: return EPERM\n@system-service: 1\n' > "$tmp/env.policy"
	LD_PRELOAD=$lib PINSCOPE_POLICY=$tmp/env.policy "$PROGS/myos" > "$tmp/out" 2> "$tmp/err"
	err_has "Operation not permitted" || return 1
	# a policy that does not compile: the program does not run at all
	LD_PRELOAD=$lib SECCOMP_SYSCALL_ALLOW=exit_group:nosuchcall "$PROGS/myos" > "$tmp/out" 2> "$tmp/err"
	got=$?
	[ "$got" = 2 ] || { why="bad environment policy: exit $got"; return 1; }
	out_is "" && err_has "unknown syscall 'nosuchcall'"
}

t_preload_library_alone_names_its_kills() {
	lib=$(dirname "${PINSCOPE_PLAIN:-$PINSCOPE}")/libpinscope-preload.so
	LD_PRELOAD=$lib SECCOMP_SYSCALL_DENY=uname "$PROGS/myos" > "$tmp/out" 2> "$tmp/err"
	got=$?
	[ "$got" = 159 ] || { why="SECCOMP_SYSCALL_DENY=uname: exit $got"; return 1; }
	# the watcher writes a moment after the program's end
	i=0
	while ! grep -q 'killed: refused' "$tmp/err" && [ $i -lt 40 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	err_has 'myos \(pid [0-9]+\) killed: refused syscall uname \(63\)' || return 1
	# a program that ends well: nothing said, and its output's pipe ends with it
	LD_PRELOAD=$lib SECCOMP_SYSCALL_DENY=acct sh -c 'echo hi; exec sleep 0' 2> "$tmp/err" | cat > "$tmp/out" || return 1
	out_is "hi" || return 1
	sleep 0.5
	! grep -q 'killed' "$tmp/err" || { why="a normal end named a kill: $(cat "$tmp/err")"; return 1; }
}

t_preload_under_shells_and_interpreters() {
	# each runs the probe as a child: the filter holds there, and the
	# library's variables do not break it (bash interposes getenv)
	P="run --preload --deny getppid:EPERM --"
	ps 0 $P bash -c "$probe getppid; $probe getpid" || return 1
	out_has "errno EPERM" && out_has "ok" || return 1
	err_lacks_preload || return 1
	ps 0 $P dash -c "$probe getppid; $probe getpid" || return 1
	out_has "errno EPERM" && out_has "ok" || return 1
	ps 0 $P python3 -c "import subprocess; subprocess.run(['$probe', 'getppid'])" || return 1
	out_is "errno EPERM" || return 1
	ps 0 $P perl -e "system('$probe', 'getppid')" || return 1
	out_is "errno EPERM"
}

err_lacks_preload() {
	if grep -q "pinscope preload" "$tmp/err"; then
		why="the library complained: $(head -c 300 "$tmp/err")"
		return 1
	fi
}

t_preload_one_filter_however_deep() {
	# the outer filter and the library's: two, at every depth
	ps 0 run --preload --deny getppid:EPERM -- bash -c \
		'grep Seccomp_filters /proc/self/status; bash -c "bash -c \"grep Seccomp_filters /proc/self/status; env\""' || return 1
	[ "$(grep -c 'Seccomp_filters:	2' "$tmp/out")" = 2 ] ||
		{ why="filters: $(grep Seccomp_filters "$tmp/out" | tr '\n' ' ')"; return 1; }
	out_lacks "PINSCOPE_FILTER_FD" && out_lacks "libpinscope-preload" || return 1
	# by hand, with the sandbox's variables: one filter, not one per exec
	lib=$(dirname "${PINSCOPE_PLAIN:-$PINSCOPE}")/libpinscope-preload.so
	LD_PRELOAD=$lib SECCOMP_SYSCALL_DENY=acct bash -c \
		'bash -c "grep Seccomp_filters /proc/self/status; env"' > "$tmp/out" 2> "$tmp/err" ||
		{ why="by hand: $(cat "$tmp/err")"; return 1; }
	out_has "Seccomp_filters:	1" && out_lacks "SECCOMP_SYSCALL_DENY" && out_lacks "libpinscope-preload"
}

t_preload_static_interpreter_is_still_confined() {
	# the library never loads into a static interpreter: the outer
	# filter, loaded before exec, refuses the call all the same
	command -v busybox > /dev/null || { why="busybox (busybox-static) is missing"; return 1; }
	printf '#!%s sh\nbusybox uname -s\n' "$(command -v busybox)" > "$tmp/static.sh"
	chmod +x "$tmp/static.sh"
	ps 159 run --preload --deny uname -- "$tmp/static.sh" || return 1
	out_lacks "Linux" || return 1
	# and a preload the loader cannot load (the dynamic loader ignores it)
	PINSCOPE_PRELOAD_LIB=/nonexistent/libpinscope-preload.so ps 2 run --preload --deny uname -- uname || return 1
	ps 0 run --preload --deny getppid:EPERM -- "$tmp/static.sh" || return 1
	out_is "Linux"
}

# how the launcher itself ended: "exit N" or "signal N"
ended_by() {
	python3 -c 'import subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print("signal %d" % -r if r < 0 else "exit %d" % r)' "$@"
}

t_launcher_dies_of_the_commands_signal() {
	for mode in "" "--preload"; do
		got=$(ended_by "$PINSCOPE_PLAIN" run $mode --deny acct -- sh -c 'kill -TERM $$')
		[ "$got" = "signal 15" ] || { why="$mode: the launcher ended by $got, wanted signal 15"; return 1; }
		got=$(ended_by "$PINSCOPE_PLAIN" run $mode --deny getppid -- "$probe" getppid)
		[ "$got" = "signal 31" ] || { why="$mode: refused call: the launcher ended by $got"; return 1; }
		got=$(ended_by "$PINSCOPE_PLAIN" run $mode --deny acct -- sh -c 'exit 3')
		[ "$got" = "exit 3" ] || { why="$mode: exit 3 became $got"; return 1; }
	done
}

t_signals_sent_to_the_launcher_reach_the_command() {
	for mode in "" "--preload"; do
		for sig in USR1 INT QUIT TERM HUP; do
			rm -f "$tmp/ready"
			"$PINSCOPE_PLAIN" run $mode --deny acct -- sh -c \
				"trap 'echo got $sig; exit 0' $sig; touch $tmp/ready; while :; do sleep 0.05; done" \
				> "$tmp/out" 2> "$tmp/err" &
			pid=$!
			i=0
			while [ ! -e "$tmp/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
			kill -"$sig" "$pid"
			wait "$pid"
			rc=$?
			[ "$rc" = 0 ] && out_is "got $sig" ||
				{ why="$mode $sig: exit $rc, output '$(cat "$tmp/out")' $(cat "$tmp/err")"; return 1; }
		done
	done
}

t_refused_call_of_a_daemon_is_killed_and_named() {
	# the command exits at once; its orphan calls getppid later
	rm -f "$tmp/survived"
	ps 0 run --deny syncfs -- sh -c "(sleep 0.3; $probe syncfs 999 > $tmp/survived) & exit 0" || return 1
	[ -e "$tmp/survived" ] && [ ! -s "$tmp/survived" ] ||
		{ why="the daemon's call was not refused by a kill: '$(cat "$tmp/survived" 2> /dev/null)'"; return 1; }
	if kernel_logs_kills; then
		err_has "pid [0-9]+ of sh killed: refused syscall syncfs"
	else
		err_has "pid [0-9]+ of sh killed by SIGSYS"
	fi
}

t_exec_gate_without_execve_in_the_policy() {
	# learned for sh running the probe, minus execve: sh itself starts,
	# its exec of the probe is refused and named
	ps 0 learn -o "$tmp/sh.policy" -- sh -c "$probe getpid" || return 1
	grep -v '^execve' "$tmp/sh.policy" > "$tmp/noexec.policy"
	# the shell's child is killed by the gate with SIGKILL (launch.c: it
	# cannot depend on the sandbox's handling of SIGSYS)
	ps 137 run -S "$tmp/noexec.policy" -- sh -c "$probe getpid" || return 1
	err_has "refused execve\\(" || return 1
	out_lacks "ok" || return 1
	# with execve in the policy, both run
	ps 0 run -S "$tmp/sh.policy" -- sh -c "$probe getpid" || return 1
	out_has "ok"
}

# ---- pinscope learn ----

# compile -o writes a program that another loader loads, then executes the
# command under it: seccomp-loader does what bwrap --seccomp FD does, and
# the kernel decides its exec
t_compile_output_says_how_the_loader_execs() {
	loader=$PROGS/seccomp-loader
	# @critical without execve (what the probe needs to start), and getppid
	{
		grep -v -e '^#' -e '^execve$' "$here/../data/critical.list" | sed 's/$/: 1/'
		echo "getppid: 1"
	} > "$tmp/noexec.policy"
	# not chosen: as the policy says, with a note naming the choice
	ps 0 compile -q -o "$tmp/policy.bpf" "$tmp/noexec.policy" || return 1
	err_has "note: .*policy.bpf: the policy does not allow execve.*--exec-by-loader allow" || return 1
	"$loader" "$tmp/policy.bpf" "$probe" getppid > "$tmp/out" 2>&1
	exited 159 $? "$tmp/out" "the loader's exec under the policy's program" || return 1
	out_lacks "ok" || return 1
	# allow: the loader's execve and systemd's fexecve (execveat) pass,
	# and the command's own calls are still the policy's
	ps 0 compile -q --exec-by-loader allow -o "$tmp/allow.bpf" "$tmp/noexec.policy" || return 1
	[ ! -s "$tmp/err" ] || { why="a note after choosing: $(cat "$tmp/err")"; return 1; }
	for how in --execve --fexecve; do
		[ "$how" = --execve ] && set -- || set -- --fexecve
		"$loader" "$@" "$tmp/allow.bpf" "$probe" getppid > "$tmp/out" 2>&1
		exited 0 $? "$tmp/out" "the loader ($how) under --exec-by-loader allow" || return 1
		out_has "ok" || return 1
	done
	"$loader" "$tmp/allow.bpf" "$probe" getpid > "$tmp/out" 2>&1
	exited 159 $? "$tmp/out" "getpid, which the policy does not allow" || return 1
	# policy: the default's very program, without the note
	ps 0 compile -q --exec-by-loader policy -o "$tmp/chosen.bpf" "$tmp/noexec.policy" || return 1
	[ ! -s "$tmp/err" ] || { why="a note after choosing: $(cat "$tmp/err")"; return 1; }
	cmp -s "$tmp/policy.bpf" "$tmp/chosen.bpf" ||
		{ why="--exec-by-loader policy wrote another program than the default"; return 1; }
	# a policy that allows execve needs no choice
	echo "execve: 1" >> "$tmp/noexec.policy"
	ps 0 compile -q -o "$tmp/exec.bpf" "$tmp/noexec.policy" || return 1
	[ ! -s "$tmp/err" ] || { why="a note for a policy with execve: $(cat "$tmp/err")"; return 1; }
	"$loader" "$tmp/exec.bpf" "$probe" getppid > "$tmp/out" 2>&1
	exited 0 $? "$tmp/out" "the loader under a policy with execve" || return 1
	# where the choice means nothing, it is refused with the reason
	ps 2 compile --exec-by-loader maybe "$tmp/noexec.policy" || return 1
	err_has "bad --exec-by-loader 'maybe'" || return 1
	ps 2 compile --preload --exec-by-loader allow "$tmp/noexec.policy" || return 1
	err_has "without --preload" || return 1
	ps 2 compile --no-exec --exec-by-loader allow "$tmp/noexec.policy" || return 1
	err_has "cannot tell the loader's exec" || return 1
	# run's own table has no such option (it has the launcher's exec gate)
	ps 2 run --exec-by-loader allow --allow @critical -- true || return 1
	err_has "pinscope run: unknown option '--exec-by-loader'"
}

t_learn_myos_exec_and_preload() {
	# the seed's point: after start-up, myos needs 4 syscalls
	ps 0 learn -o "$tmp/exec.policy" -- "$PROGS/myos" || return 1
	ps 0 learn --preload -o "$tmp/preload.policy" -- "$PROGS/myos" || return 1
	# the learned block: the implicit set follows it
	exec_n=$(sed '/^# implicit:/,$d' "$tmp/exec.policy" | grep -c '^[a-z]')
	pre_n=$(sed '/^# implicit:/,$d' "$tmp/preload.policy" | grep -c '^[a-z]')
	echo "# myos needs $exec_n syscalls in exec mode, $pre_n after start-up"
	[ "$pre_n" -le 5 ] || { why="preload policy has $pre_n syscalls"; return 1; }
	[ "$exec_n" -ge 12 ] || { why="exec policy has only $exec_n syscalls"; return 1; }
	grep -q '^uname: 1' "$tmp/preload.policy" || { why="no uname in the preload policy"; return 1; }
	ps 0 run -S "$tmp/exec.policy" -- "$PROGS/myos" && out_is "My OS is Linux!" || return 1
	ps 0 run --preload -S "$tmp/preload.policy" -- "$PROGS/myos" && out_is "My OS is Linux!" || return 1
	# the tight policy is not enough for exec mode
	ps 159 run -S "$tmp/preload.policy" -- "$PROGS/myos"
}

t_learn_workload_then_refuse_the_rest() {
	seq 2000 | sort -R > "$tmp/numbers"
	sort "$tmp/numbers" > "$tmp/want"
	ps 0 learn --args -o "$tmp/sort.policy" -- sort "$tmp/numbers" || return 1
	cmp -s "$tmp/out" "$tmp/want" || { why="sort under learn gave other output"; return 1; }
	ps 0 run -S "$tmp/sort.policy" -- sort "$tmp/numbers" || return 1
	cmp -s "$tmp/out" "$tmp/want" || { why="sort under its learned policy gave other output"; return 1; }
	# learned on one call, the program may not open a network socket
	ps 0 learn --args -o "$tmp/probe.policy" -- "$probe" getppid || return 1
	ps 0 run -S "$tmp/probe.policy" -- "$probe" getppid || return 1
	ps 159 run -S "$tmp/probe.policy" -- "$probe" socket 2 1 0 || return 1
	err_names socket
}

t_learn_argument_filters_and_merge() {
	ps 0 learn --args -o "$tmp/a.policy" -- "$probe" ioctl 0 0x5401 0 || return 1
	grep -q '^ioctl: arg1 == TCGETS ' "$tmp/a.policy" || { why="$(grep ioctl "$tmp/a.policy")"; return 1; }
	grep -q '^mmap: arg2 == PROT_' "$tmp/a.policy" || { why="no mmap protections"; return 1; }
	ps 0 learn --args --merge "$tmp/a.policy" -o "$tmp/b.policy" -- "$probe" ioctl 0 0x5413 0 || return 1
	grep -q '^ioctl: arg1 == TCGETS || arg1 == TIOCGWINSZ ' "$tmp/b.policy" ||
		{ why="merged: $(grep ioctl "$tmp/b.policy")"; return 1; }
	# and the merged policy compiles and allows both
	ps 0 run -S "$tmp/b.policy" -- "$probe" ioctl 0 0x5413 0 || return 1
	ps 159 run -S "$tmp/b.policy" -- "$probe" ioctl 0 0x5402 0
}

t_learn_bad_input() {
	ps 2 learn || return 1
	err_has "no command" || return 1
	ps 2 learn --bogus -- true || return 1
	ps 2 learn --merge /nonexistent.policy -- true || return 1
	# the policy never goes to standard output, the command's
	ps 2 learn -- true || return 1
	err_has "give -o FILE" || return 1
	ps 2 learn --merge "$tmp/m.policy" --format oci -- true || return 1
	ps 127 learn -o "$tmp/nf.policy" -- /nonexistent/cmd || return 1
	[ ! -e "$tmp/nf.policy" ] || { why="a policy for a command that was not found"; return 1; }
}

# a command that never ran leaves no policy (and an older one as it was)
t_learn_writes_nothing_for_a_command_that_never_ran() {
	ps 126 learn -o "$tmp/ne.policy" -- /etc/hostname || return 1
	[ ! -e "$tmp/ne.policy" ] || { why="a policy of $(grep -c . "$tmp/ne.policy") lines for a command that never ran"; return 1; }
	printf '#!/nonexistent/interpreter\necho hi\n' > "$tmp/bad.sh"
	chmod +x "$tmp/bad.sh"
	ps 127 learn -o "$tmp/ne.policy" -- "$tmp/bad.sh" || return 1
	[ ! -e "$tmp/ne.policy" ] || { why="a policy for a script whose interpreter is missing"; return 1; }
	err_has "#! line names /nonexistent/interpreter" || return 1
	echo 'read: 1' > "$tmp/old.policy"
	ps 126 learn -o "$tmp/old.policy" -- /etc/hostname || return 1
	[ "$(cat "$tmp/old.policy")" = "read: 1" ] || { why="the older policy was rewritten"; return 1; }
}

# --merge FILE adds this run's calls to FILE, and only to FILE
t_learn_merge_writes_back_to_its_file() {
	echo 'getppid: 1' > "$tmp/merge.policy"
	ps 0 learn --merge "$tmp/merge.policy" -- ls "$tmp/merge.policy" || return 1
	out_is "$tmp/merge.policy" || return 1
	has '^getppid: 1' "$tmp/merge.policy" || return 1
	has '^(openat|getdents64): ' "$tmp/merge.policy"
}

t_preload_tsync_confines_earlier_threads() {
	# the plain build: ASan must come first in a process's libraries
	asan=$PINSCOPE
	PINSCOPE=${PINSCOPE_PLAIN:-$PINSCOPE}
	LD_PRELOAD=$PROGS/libthreader.so ps 0 run --preload --deny getrandom:EPERM -- sleep 1
	rc=$?
	PINSCOPE=$asan
	[ "$rc" = 0 ] || return 1
	# only the outer filter when the thread starts; the library's reaches it
	out_is "$(printf 'before the filter: Seccomp_filters:\t1\nthread: errno EPERM')"
}

# ---- refusals, as messages name them (decode.h) ----

t_no_exec_names_the_program_and_its_arguments() {
	ps 0 run --deny ptrace --no-exec -- sh -c 'id -u "a b" 2> /dev/null; echo rc=$?' || return 1
	out_is "rc=126" || return 1
	# the path and argv read from the caller, the environment not shown
	err_has 'refused execve\("/([a-z]+/)*id", \["id", "-u", "a b"\], 0x[0-9a-f]+\) in pid [0-9]+: no exec after start \(--no-exec\): EPERM' || return 1
	! grep -q 'execve(0x' "$tmp/err" || { why="an execve shown as registers: $(head -c 300 "$tmp/err")"; return 1; }
}

t_a_kill_says_its_arguments_are_unknown() {
	ps 159 run --allow @critical -- mkdir "$tmp/d" || return 1
	err_has 'killed: refused syscall mkdir \(83\) \(its arguments are unknown: the kernel.s record of a kill has none' || return 1
	# a call without arguments has nothing to be unknown
	ps 159 run --allow @critical -- "$probe" getppid || return 1
	err_has 'killed: refused syscall getppid \(110\)$' || return 1
	# --report: an errno's record has no arguments either
	ps 1 run --report --allow @critical --default-action errno:EPERM -- mkdir "$tmp/d" || return 1
	[ ! -e "$tmp/d" ] || { why="mkdir ran"; return 1; }
	err_has 'refused mkdir \(83\) in pid [0-9]+: errno:EPERM \(arguments not in the kernel.s record\)'
}

t_preload_names_the_refused_call() {
	ps 159 run --preload --deny getppid -- "$probe" getppid || return 1
	err_names getppid || return 1
	kernel_logs_kills || return 0
	err_has 'killed: refused syscall getppid \(110\)$'
}

# ---- the crosvm corpus ----

t_crosvm_policies_compile() {
	newer="MADV_GUARD_INSTALL|MADV_GUARD_REMOVE|PR_GET_AUXV|MFD_NOEXEC_SEAL|TCGETS2"
	dir=$here/crosvm-seccomp/x86_64
	count=0
	ok=0
	for f in "$dir"/*.policy; do
		count=$((count + 1))
		if "$PINSCOPE" compile -q -I "$dir" "$f" > "$tmp/out" 2> "$tmp/err"; then
			ok=$((ok + 1))
			continue
		fi
		# the only acceptable failure: a constant newer than our headers
		# (each error's source line and caret are indented)
		if grep -v -E "^  |^[^:]+:[0-9]+:[0-9]+: error: unknown constant '($newer)'" "$tmp/err" | grep -q .; then
			why="$(basename "$f"): $(head -n 3 "$tmp/err")"
			return 1
		fi
	done
	[ "$count" = 46 ] || { why="$count policies, wanted 46"; return 1; }
	echo "# crosvm: $ok of $count compile; the rest name constants newer than these headers"
	# given those constants (values from Linux 6.13 to 6.16), every
	# policy compiles: their rules, includes and merges are all sound
	for f in "$dir"/*.policy; do
		if ! "$PINSCOPE" compile -q -I "$dir" -D MADV_GUARD_INSTALL=102 \
			-D MADV_GUARD_REMOVE=103 -D PR_GET_AUXV=0x41555856 \
			-D MFD_NOEXEC_SEAL=8 -D TCGETS2=0x802c542a "$f" > "$tmp/out" 2> "$tmp/err"; then
			why="$(basename "$f") with -D: $(head -n 3 "$tmp/err")"
			return 1
		fi
	done
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	case "$t" in
	t_int80_killed | t_int80_upper_half_refused)
		# without ia32 emulation, int 0x80 cannot be tested
		if ! "$probe" --int80 getpid 2> /dev/null | grep -q '^ok'; then
			skip_test "$t" "this kernel runs no i386 syscalls (int 0x80)"
			continue
		fi
		;;
	t_a_kill_says_its_arguments_are_unknown | t_preload_library_alone_names_its_kills)
		if ! kernel_logs_kills; then
			skip_test "$t" "the kernel's records of kills cannot be read here (not root with an audit login uid)"
			continue
		fi
		;;
	t_deny_list_refuses_io_uring_setup)
		if ! "$PROGS/uring-mkdir" "$tmp/ring-check" > /dev/null 2>&1; then
			skip_test "$t" "io_uring is not available here (kernel.io_uring_disabled, or too old for IORING_OP_MKDIRAT)"
			continue
		fi
		;;
	t_x32_admitted_with_arch_all)
		if ! "$probe" --x32 getppid 2> /dev/null | grep -q '^ok'; then
			skip_test "$t" "this kernel has no x32 ABI"
			continue
		fi
		;;
	esac
	run_test "$t"
done
tap_end
