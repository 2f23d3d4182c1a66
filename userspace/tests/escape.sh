#!/bin/sh
# The escape suite, TAP: a confined program goes after its launcher and
# after the refusals, as an attacker would (tests/progs/escape.c), and
# each test asserts that what the attacker wanted did not happen: no
# directory made by code planted in the launcher, no exec through a
# hijacked gate, no refused call that ran. Each attack is first run
# against an unprotected parent (tests/progs/victim.c) where it works,
# so a pass cannot come from a broken attack.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/escape.sh
set -u
. "$(dirname "$0")/tap.sh"

escape=$PROGS/escape
victim=$PROGS/victim
# the attacks as root and as an unprivileged user, where it matters
nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"
chmod 0777 "$tmp"

# as_who WHO CMD...: CMD as root, or as nobody; output in $tmp/out, $tmp/err
as_who() {
	who=$1
	shift
	if [ "$who" = nobody ]; then
		$nobody "$@" > "$tmp/out" 2> "$tmp/err"
	else
		"$@" > "$tmp/out" 2> "$tmp/err"
	fi
}

# no_marker M: the planted code did not make M
no_marker() {
	if [ -e "$1" ]; then
		why="$(basename "$1") exists: the planted code ran outside the sandbox ($(cat "$tmp/out"))"
		return 1
	fi
	if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/err"; then
		why="sanitizer report: $(head -c 300 "$tmp/err")"
		return 1
	fi
}

# control ATTACK WHO: the attack makes its marker against a bare parent
control() {
	m=$tmp/control-$1-$2
	as_who "$2" "$victim" "$escape" "$1" "$m"
	[ -d "$m" ] || { why="control: $1 as $2 made no marker against victim: $(cat "$tmp/out")"; return 1; }
}

# attack ATTACK WHO REACHED: against pinscope's launcher in each of its
# modes (a deny list, with no exec gate; the start-up calls and what the
# attack needs, with the gate, the issue's case; --preload), where the
# output shows the attack REACHED its door; no marker
attack() {
	a=$1 w=$2
	for mode in deny allow preload; do
		m=$tmp/$a-$w-$mode
		case $mode in
		deny) as_who "$w" "$PINSCOPE" run --deny reboot -- "$escape" "$a" "$m" ;;
		allow) as_who "$w" "$PINSCOPE" run \
			--allow @critical,getppid,pwrite64,ptrace,wait4,clock_nanosleep,nanosleep \
			-- "$escape" "$a" "$m" ;;
		preload) as_who "$w" "$PINSCOPE" run --preload --deny reboot -- "$escape" "$a" "$m" ;;
		esac
		has "$3" || { why="$a as $w ($mode) did not reach its door: $why"; return 1; }
		no_marker "$m" || { why="$a as $w ($mode): $why"; return 1; }
	done
}

# root's command holds no CAP_SYS_PTRACE, so the undumpable launcher is
# out of its reach too
t_proc_mem_write_into_launcher_as_root() {
	control mem root || return 1
	attack mem root 'mem: (syscall|open): (EACCES|EPERM)'
}

t_command_holds_no_cap_sys_ptrace() {
	for mode in "" --preload; do
		# shellcheck disable=SC2086
		as_who root "$PINSCOPE" run $mode --deny reboot -- grep CapEff /proc/self/status || return 1
		eff=$(sed -n 's/^CapEff:[[:space:]]*//p' "$tmp/out")
		[ $(((0x$eff >> 19) & 1)) = 0 ] || { why="$mode: CapEff $eff has CAP_SYS_PTRACE"; return 1; }
		[ $(((0x$eff >> 21) & 1)) = 1 ] || { why="$mode: CapEff $eff lost CAP_SYS_ADMIN: only CAP_SYS_PTRACE goes"; return 1; }
	done
}

# Code planted in the launcher all the same (here by root from outside,
# who may) runs under the launcher's own filter: it makes nothing
t_code_planted_in_the_launcher_stays_confined() {
	"$victim" /bin/sleep 1 &
	vp=$!
	sleep 0.3
	"$escape" memof "$vp" "$tmp/planted-victim" > "$tmp/out" 2>&1
	wait "$vp"
	[ -d "$tmp/planted-victim" ] || { why="control: planting into a bare parent made no marker: $(cat "$tmp/out")"; return 1; }
	for mode in deny gate preload; do
		case $mode in
		deny) "$PINSCOPE" run --deny reboot -- sleep 1 2> "$tmp/err" & ;;
		gate) "$PINSCOPE" run --no-exec --deny reboot -- sleep 1 2> "$tmp/err" & ;;
		preload) "$PINSCOPE" run --preload --deny reboot -- sleep 1 2> "$tmp/err" & ;;
		esac
		lp=$!
		# planted once the launcher has confined itself (what this tests),
		# not while it starts: a loaded machine can take longer than any sleep
		i=0
		while ! grep -q '^Seccomp:[[:space:]]*2' "/proc/$lp/status" 2> /dev/null && [ $i -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		grep -q '^Seccomp:[[:space:]]*2' "/proc/$lp/status" ||
			{ why="$mode: the launcher never confined itself"; wait "$lp"; return 1; }
		"$escape" memof "$lp" "$tmp/planted-$mode" > "$tmp/out" 2>&1
		wait "$lp"
		has 'mem: written' || { why="$mode: $why"; return 1; }
		no_marker "$tmp/planted-$mode" || { why="$mode: $why"; return 1; }
	done
}

t_proc_mem_write_into_launcher_as_nobody() {
	control mem nobody || return 1
	# undumpable: the door itself is shut for a user without CAP_SYS_PTRACE
	attack mem nobody 'mem: (syscall|open): EACCES'
}

t_ptrace_launcher_as_root() {
	control ptrace root || return 1
	attack ptrace root 'ptrace: attach: EPERM'
}

t_ptrace_launcher_as_nobody() {
	control ptrace nobody || return 1
	attack ptrace nobody 'ptrace: attach: EPERM'
}

t_process_vm_writev_into_launcher_refused() {
	as_who nobody "$PINSCOPE" run --deny reboot -- "$escape" vmwrite || return 1
	has '^vmwrite: EPERM$' || return 1
	as_who nobody "$PINSCOPE" run --preload --deny reboot -- "$escape" vmwrite || return 1
	has '^vmwrite: EPERM$'
}

t_pidfd_getfd_of_launcher_refused() {
	# the bare parent hands over its descriptors...
	as_who nobody "$victim" "$escape" getfd || return 1
	has 'getfd: took [1-9]' || return 1
	# ...the launcher, holding the gate's listener, does not, not even to
	# a root command (whose answer to the gate would let any exec pass)
	for w in nobody root; do
		as_who "$w" "$PINSCOPE" run --no-exec --deny reboot -- "$escape" getfd || return 1
		has '^getfd: [0-9]+: EPERM$' || { why="$w: $why"; return 1; }
		# nor its record and the kernel's log, which --preload --refusals holds
		as_who "$w" "$PINSCOPE" run --preload --refusals "$tmp/getfd-$w.jsonl" --deny reboot -- "$escape" getfd || return 1
		has '^getfd: [0-9]+: EPERM$' || { why="$w, --preload --refusals: $why"; return 1; }
	done
}

# listener_attack WHO OPTIONS...: under pinscope run OPTIONS, as WHO, the
# launcher killed, the gate's notification answered by a listener of the
# sandbox's own (with the op's upper half set, then plainly)
listener_attack() {
	who=$1
	shift
	as_who "$who" "$PINSCOPE" run "$@" -- "$escape" listener
	# the grandchild outlives the launcher: wait for its last line
	i=0
	while ! grep -q 'listener: done' "$tmp/out" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	has 'listener: done' || return 1
	has 'listener: killed the launcher' || return 1
	lacks 'got a listener' || return 1
	lacks 'exec ran' || return 1
	has 'op 0x100000001: EPERM' || return 1
	has 'listener: exec: ENOSYS'
}

t_exec_gate_not_answered_by_the_sandbox() {
	for w in root nobody; do
		listener_attack "$w" --no-exec --deny reboot || { why="$w: $why"; return 1; }
	done
}

# complain mode sends every refused call to the launcher, which lets it
# run: killed, it leaves them to ENOSYS, never to a listener of the sandbox
t_complain_not_answered_by_the_sandbox() {
	for w in root nobody; do
		listener_attack "$w" --complain --deny reboot,execve || { why="$w: $why"; return 1; }
	done
}

# learn --via notify: the launcher lets every call run and records it. The
# learned program cannot write into it, trace it or take its listener,
# as root or not.
# learn_notify WHO ATTACK [MARKER]: the attack under learn --via notify
learn_notify() {
	w=$1
	shift
	as_who "$w" "$PINSCOPE" learn --via notify -o "$tmp/ln-$w.policy" -- "$escape" "$@"
}

t_learn_notify_launcher_out_of_reach() {
	for w in root nobody; do
		control mem "$w" || return 1
		learn_notify "$w" mem "$tmp/ln-mem-$w"
		has 'mem: (syscall|open): (EACCES|EPERM)' || { why="$w: $why"; return 1; }
		no_marker "$tmp/ln-mem-$w" || { why="$w: $why"; return 1; }
		control ptrace "$w" || return 1
		learn_notify "$w" ptrace "$tmp/ln-ptrace-$w"
		has 'ptrace: attach: EPERM' || { why="$w: $why"; return 1; }
		no_marker "$tmp/ln-ptrace-$w" || { why="$w: $why"; return 1; }
		learn_notify "$w" getfd
		has '^getfd: [0-9]+: EPERM$' || { why="$w: $why"; return 1; }
		# and learning went on: what the attacks called is in the policy
		has '^pidfd_getfd: 1' "$tmp/ln-$w.policy" || { why="$w: $why"; return 1; }
	done
}

# Its listener is the launcher's alone: the launcher killed, the sandbox
# cannot make one of its own to answer (or forge) the notifications of
# its calls, which fail instead (ENOSYS). The calls the attack needs once
# the launcher is gone are allowed by a merged policy (they run in the
# kernel); exec is not, and must never run.
t_learn_notify_not_answered_by_the_sandbox() {
	printf '%s: 1\n' write exit_group exit getppid kill clock_nanosleep nanosleep \
		seccomp clone clone3 fork vfork wait4 waitid newfstatat fstat brk mmap \
		munmap mprotect rt_sigprocmask rt_sigaction pause poll ioctl \
		set_robust_list rseq getpid gettid futex madvise > "$tmp/attack.policy"
	chmod 0644 "$tmp/attack.policy"
	for w in root nobody; do
		as_who "$w" "$PINSCOPE" learn --via notify --merge "$tmp/attack.policy" \
			-o "$tmp/ln-listener-$w.policy" -- "$escape" listener
		i=0
		while ! grep -q 'listener: done' "$tmp/out" && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		has 'listener: done' || { why="$w: $why"; return 1; }
		has 'listener: killed the launcher' || { why="$w: $why"; return 1; }
		lacks 'got a listener' || { why="$w: $why"; return 1; }
		lacks 'exec ran' || { why="$w: $why"; return 1; }
		has 'op 0x100000001: EPERM' || { why="$w: $why"; return 1; }
		has 'listener: exec: ENOSYS' || { why="$w: $why"; return 1; }
	done
}

# a kill is the kernel's: no signal before the launcher's answer saves it
t_refused_call_dies_under_a_signal_storm_20_of_20() {
	i=0
	while [ $i -lt 20 ]; do
		as_who root "$PINSCOPE" run --deny mkdir -- "$escape" eintr "$tmp/eintr"
		got=$?
		[ "$got" = 159 ] || { why="run $i: exited $got, wanted 159 (SIGSYS): $(cat "$tmp/out")"; return 1; }
		lacks 'survived|mkdir ran' || return 1
		no_marker "$tmp/eintr" || return 1
		i=$((i + 1))
	done
}

# a tracer in the sandbox cannot turn the kill into a signal it drops
t_refused_call_dies_under_a_tracer_of_the_sandbox() {
	as_who root "$PINSCOPE" run --deny mkdir -- "$escape" tracer "$tmp/traced" || return 1
	has 'tracer: child killed by signal 31' || return 1
	lacks 'survived|mkdir ran' || return 1
	no_marker "$tmp/traced"
}

# learn's tracer is not the command's to write into either
t_learn_tracer_out_of_reach() {
	control mem nobody || return 1
	as_who nobody "$PINSCOPE" learn -o "$tmp/l.policy" -- "$escape" mem "$tmp/learned"
	no_marker "$tmp/learned" || return 1
	has 'mem: (syscall|open): EACCES'
}

# --preload: the inner filter is the policy alone, so a start-up call
# (getrandom, in @critical) shows which filter holds: refused by the
# inner one, allowed by the outer one alone
preload_policy="--allow getppid,write,exit_group,newfstatat,fstat,pwrite64,ftruncate --default-action errno:EPERM"

t_preload_filter_not_rewritten_before_the_library() {
	# shellcheck disable=SC2086
	as_who root "$PINSCOPE" run --preload $preload_policy -- "$PROGS/preinit-rewrite"
	has '^rewrite: Operation not permitted$' || return 1
	has '^getrandom: errno 1$'
}

t_preload_holds_with_ld_preload_twice() {
	lib=$(ldd "$PROGS/probe" | sed -n 's/.*=> \(\/[^ ]*libc\.so[^ ]*\) .*/\1/p')
	[ -n "$lib" ] || { why="no libc path from ldd"; return 1; }
	# the plain build: ASan's runtime must come first in LD_PRELOAD
	# shellcheck disable=SC2086
	as_who root "$PROGS/dupenv" "LD_PRELOAD=$lib" "LD_PRELOAD=$lib" -- \
		"${PINSCOPE_PLAIN:-$PINSCOPE}" run --preload $preload_policy -- "$PROGS/probe" getrandom 0 0 0
	has '^errno EPERM$'
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	run_test "$t"
done
tap_end
