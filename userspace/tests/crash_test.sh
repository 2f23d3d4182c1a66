#!/bin/sh
# Host tests of the crash handler and the PR_SET_PTRACER helpers, TAP:
# libpinscope-crash with pinscope crash-report, pinscope catch, ptracer and
# status. The host need not scope ptrace: the rules of scopes 1 to 3 are
# tested in the guest (selftests/pinscope/crash_test.c); here, the reports,
# the exit statuses and the command lines.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/crash_test.sh
set -u
. "$(dirname "$0")/tap.sh"

crasher=$PROGS/crasher
# the reporter under test, not an installed one
export PINSCOPE_CRASH_REPORTER="$PINSCOPE"

# runs STATUS CMD...: output (both streams) in $tmp/out; fails unless CMD
# exits with STATUS (128+N: killed by signal N).
runs() {
	want=$1
	shift
	"$@" > "$tmp/out" 2>&1
	got=$?
	exited "$want" "$got" "$tmp/out" "$*"
}

# ---- the crash handler ----

t_report_names_the_crashing_function() {
	runs 139 "$crasher" --armed || return 1
	has 'got SIGSEGV \(signal 11\) at address 0, SEGV_MAPERR' || return 1
	has 'thread [0-9]+ \(crasher\), main, crashed' || return 1
	has 'registers at the fault' || return 1
	has '<signal handler called>' || return 1
	has '#[0-9]+ +[0-9a-f]+ crash_here\+0x[0-9a-f]+ \(.*/crasher\)' || return 1
	has ' on_the_way\+' || return 1
	has ' main\+'
}

# the fault's registers are the faulting instruction's, which the report
# names as the frame below the signal frame
t_fault_registers_point_into_the_crash() {
	runs 139 "$crasher" --armed || return 1
	rip=$(sed -n 's/^ *rip \([0-9a-f]*\) .*/\1/p' "$tmp/out" | head -n 1)
	[ -n "$rip" ] || { why="no rip"; return 1; }
	has "#[0-9]+ +$rip crash_here\+"
}

t_each_signal_keeps_its_exit_status() {
	for c in "abort 134 SIGABRT.*SI_TKILL" "fpe 136 SIGFPE.*FPE_INTDIV" \
		"ill 132 SIGILL.*ILL_ILLOPN" "bus 135 SIGBUS.*BUS_ADRERR"; do
		# shellcheck disable=SC2086
		set -- $c
		runs "$2" "$crasher" --armed "$1" || return 1
		has "got $3" || return 1
		has ' crash_here\+' || { why="$1: $why"; return 1; }
	done
}

t_every_thread_is_reported() {
	runs 139 "$crasher" --armed --threads 2 || return 1
	[ "$(grep -c '^  thread ' "$tmp/out")" = 3 ] || { why="not 3 threads"; return 1; }
	[ "$(grep -c ' idle_thread+' "$tmp/out")" = 2 ] || { why="not 2 idle threads"; return 1; }
	# the crashed thread comes first
	sed -n '2p' "$tmp/out" | grep -q 'crashed' || { why="crashed thread not first"; return 1; }
}

t_stack_overflow_is_reported_from_the_alternate_stack() {
	runs 139 "$crasher" --armed overflow || return 1
	has 'SIGSEGV' || return 1
	has ' overflow\+'
}

t_report_goes_to_stderr() {
	"$crasher" --armed > "$tmp/stdout" 2> /dev/null
	[ ! -s "$tmp/stdout" ] || { why="stdout: $(head -n 2 "$tmp/stdout")"; return 1; }
}

t_missing_reporter_fails_the_install() {
	PINSCOPE_CRASH_REPORTER=/nonexistent/pinscope runs 1 "$crasher" --armed || return 1
	has 'pinscope_crash_install: No such file or directory'
}

t_reporter_that_fails_leaves_the_signal_alone() {
	PINSCOPE_CRASH_REPORTER=/bin/false runs 139 "$crasher" --armed
}

# A program linked by pkg-config against an installed tree: the library
# finds the installed pinscope (PREFIX/bin, not the folder
# PREFIX/lib/pinscope) and its reporter, and the crash is reported.
t_installed_library_reports_a_crash() {
	src=$(cd "$(dirname "$0")/.." && pwd)
	if ! make -s -C "$src" BUILD="$tmp/build" PREFIX="$tmp/prefix" install > "$tmp/install.log" 2>&1; then
		why="make install: $(tail -n 3 "$tmp/install.log")"
		return 1
	fi
	flags=$(PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig pkg-config --cflags --libs pinscope-crash) ||
		{ why="pkg-config knows no pinscope-crash"; return 1; }
	# shellcheck disable=SC2086
	cc -O0 -g -fno-omit-frame-pointer -o "$tmp/crasher-installed" "$src/tests/progs/crasher.c" $flags -lpthread 2> "$tmp/cc.log" ||
		{ why="cannot link with $flags: $(head -n 3 "$tmp/cc.log")"; return 1; }
	# nothing but the install: no reporter named, no pinscope on PATH
	env -u PINSCOPE_CRASH_REPORTER LD_LIBRARY_PATH="$tmp/prefix/lib" PATH=/usr/bin:/bin \
		"$tmp/crasher-installed" --armed > "$tmp/out" 2>&1
	got=$?
	[ "$got" = 139 ] || { why="exited $got, wanted 139: $(head -n 3 "$tmp/out")"; return 1; }
	has 'got SIGSEGV' || return 1
	has ' crash_here\+'
}

# ---- pinscope catch ----

t_catch_arms_an_unarmed_program() {
	runs 139 "$PINSCOPE" catch -- "$crasher" || return 1
	has 'got SIGSEGV' || return 1
	has ' crash_here\+'
}

t_catch_keeps_other_preloads_for_children() {
	lib=$(ldd /bin/sh | sed -n 's/.*libc.so.6 => \([^ ]*\).*/\1/p')
	# (an ASan pinscope must not mind a library before its runtime)
	LD_PRELOAD=$lib ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 runs 0 "$PINSCOPE" catch -- sh -c 'echo "preload=$LD_PRELOAD arm=${PINSCOPE_CRASH_ARM:-}"' || return 1
	has "^preload=$lib arm=\$"
}

t_catch_refuses_a_static_program() {
	[ -x /bin/busybox ] || { why="no /bin/busybox"; return 1; }
	runs 2 "$PINSCOPE" catch -- /bin/busybox true || return 1
	has 'statically linked'
}

t_catch_without_a_command_is_a_usage_error() {
	runs 2 "$PINSCOPE" catch || return 1
	runs 2 "$PINSCOPE" catch --bogus -- true || return 1
	runs 127 "$PINSCOPE" catch -- /nonexistent/cmd
}

# ---- pinscope crash-report by hand ----

t_crash_report_of_a_live_process_leaves_it_running() {
	sleep 30 &
	pid=$!
	runs 0 "$PINSCOPE" crash-report "$pid" || { kill "$pid"; return 1; }
	alive=0
	kill -0 "$pid" 2> /dev/null && alive=1
	kill "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	[ "$alive" = 1 ] || { why="the process died"; return 1; }
	has "pid $pid \(sleep\)" || return 1
	has 'registers:' || return 1
	has '#0 '
}

t_crash_report_bad_input_exits_2() {
	runs 2 "$PINSCOPE" crash-report || return 1
	runs 2 "$PINSCOPE" crash-report nope || return 1
	runs 2 "$PINSCOPE" crash-report 0 || return 1
	runs 2 "$PINSCOPE" crash-report --signal 0 1 || return 1
	runs 2 "$PINSCOPE" crash-report --bogus 1 || return 1
	runs 2 "$PINSCOPE" crash-report 1 2
}

t_crash_report_of_no_process_fails() {
	runs 1 "$PINSCOPE" crash-report 1073741823 || return 1
	has 'no process 1073741823'
}

# ---- pinscope ptracer ----

t_ptracer_bad_input_exits_2_with_usage() {
	for args in "--allow nope -- true" "--allow 0 -- true" "--any" \
		"--bogus -- true" "--any --none -- true" "-- true"; do
		# shellcheck disable=SC2086
		runs 2 "$PINSCOPE" ptracer $args || return 1
		has "try 'pinscope ptracer --help'" || { why="$args: $why"; return 1; }
	done
}

# every mode runs the command, whether or not an LSM scopes ptrace here;
# where none does, it says that no exception is needed
t_ptracer_runs_the_command_in_every_mode() {
	for mode in --none --parent --any "--allow $$"; do
		# shellcheck disable=SC2086
		runs 0 "$PINSCOPE" ptracer $mode -- echo ran || { why="$mode: $why"; return 1; }
		has '^ran$' || return 1
		if [ -e /proc/sys/kernel/yama/ptrace_scope ] || [ -e /proc/sys/kernel/pinscope/ptrace_scope ]; then
			lacks 'no LSM scopes ptrace' || return 1
		else
			has 'no LSM scopes ptrace here' || return 1
		fi
	done
}

t_ptracer_unknown_pid_exits_2() {
	runs 2 "$PINSCOPE" ptracer --allow 1073741823 -- true || return 1
	has 'no process 1073741823'
}

# ---- pinscope status ----

t_status_json_is_one_object() {
	runs 0 "$PINSCOPE" status --json || return 1
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["pinscope"]["active"], bool)
assert d["process"]["Seccomp"] == 0 and "NoNewPrivs" in d["process"]' "$tmp/out" ||
		{ why="not the JSON wanted"; return 1; }
}

t_status_shows_a_confinement() {
	runs 0 "$PINSCOPE" run --deny reboot -- "$PINSCOPE" status || return 1
	has '^  Seccomp +2$' || return 1
	has '^  NoNewPrivs +1$'
}

t_status_errors_are_json_with_json() {
	runs 1 "$PINSCOPE" status --json 1073741823 || return 1
	python3 -c 'import json, sys
assert "no process" in json.load(open(sys.argv[1]))["error"]' "$tmp/out" ||
		{ why="no error member"; return 1; }
	runs 2 "$PINSCOPE" status nope || return 1
	has "bad pid 'nope'"
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	run_test "$t"
done
tap_end
