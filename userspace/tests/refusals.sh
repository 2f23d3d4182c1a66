#!/bin/sh
# Host tests of pinscope run --refusals FILE, TAP: the launcher writes one
# JSON line per refusal it can name (the exec gate's with their decoded
# arguments, the kernel's records without), and says so where it cannot.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/refusals.sh
set -u
. "$(dirname "$0")/tap.sh"

chmod 0777 "$tmp"
# a line's field, as jq prints it (raw)
field() {
	jq -r "$2" "$1"
}

# the fields every line of a refusal has
t_refusals_gate_names_the_arguments() {
	ps 0 run --refusals "$tmp/r.jsonl" --no-exec --deny reboot -- sh -c '/bin/true a b; echo after' || return 1
	out_is after || return 1
	[ "$(wc -l < "$tmp/r.jsonl")" = 1 ] || { why="$(wc -l < "$tmp/r.jsonl") lines, wanted 1: $(cat "$tmp/r.jsonl")"; return 1; }
	[ "$(field "$tmp/r.jsonl" .syscall)" = execve ] || { why="syscall: $(cat "$tmp/r.jsonl")"; return 1; }
	field "$tmp/r.jsonl" .args > "$tmp/args"
	has '^execve\("/bin/true", \["/bin/true", "a", "b"\], 0x[0-9a-f]+\)$' "$tmp/args" || return 1
	[ "$(field "$tmp/r.jsonl" .action)" = "errno EPERM" ] || { why="action: $(cat "$tmp/r.jsonl")"; return 1; }
	[ "$(field "$tmp/r.jsonl" .rule)" = "--no-exec" ] || { why="rule: $(cat "$tmp/r.jsonl")"; return 1; }
	[ "$(field "$tmp/r.jsonl" .comm)" = sh ] || { why="comm: $(cat "$tmp/r.jsonl")"; return 1; }
	[ "$(field "$tmp/r.jsonl" .exe)" = "$(readlink -f "$(command -v sh)")" ] || { why="exe: $(cat "$tmp/r.jsonl")"; return 1; }
	field "$tmp/r.jsonl" '.time, .pid' > "$tmp/tp"
	has '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' "$tmp/tp" || return 1
	has '^[1-9][0-9]*$' "$tmp/tp"
}

# the kernel's records: the command's, and its children's while they are
# there to be told the sandbox's; no arguments, and the line says why
t_refusals_from_the_kernels_records() {
	ps 159 run --refusals "$tmp/k.jsonl" --deny chdir:EACCES,uname -- sh -c "sh -c 'cd /; sleep 0.5'; exec uname" || return 1
	jq -c '[.syscall, .comm, .args, .action, .rule]' "$tmp/k.jsonl" > "$tmp/k"
	has '^\["chdir","sh","unknown","errno:EACCES","rule chdir: deny"\]$' "$tmp/k" || return 1
	has '^\["uname","uname","unknown","kill-process","rule uname: deny"\]$' "$tmp/k" || return 1
	[ "$(jq -r 'select(.syscall == "uname") | .args_unknown' "$tmp/k.jsonl")" = "the kernel's record of a refusal has none" ] ||
		{ why="args_unknown: $(cat "$tmp/k.jsonl")"; return 1; }
}

# --preload: the library's filter refuses in the kernel as exec mode's
# does, and the launcher writes the records the same way (the filter is
# loaded with SECCOMP_FILTER_FLAG_LOG, so errno refusals are recorded too)
t_refusals_preload_from_the_kernels_records() {
	ps 159 run --preload --refusals "$tmp/p.jsonl" --deny chdir:EACCES,uname -- sh -c "sh -c 'cd /; sleep 0.5'; exec uname" || return 1
	err_has 'killed: refused syscall uname' || return 1
	jq -c '[.syscall, .comm, .args, .action, .rule]' "$tmp/p.jsonl" > "$tmp/p"
	has '^\["chdir","sh","unknown","errno:EACCES","rule chdir: deny"\]$' "$tmp/p" || return 1
	has '^\["uname","uname","unknown","kill-process","rule uname: deny"\]$' "$tmp/p" || return 1
	# a call the policy allows is not a refusal
	lacks '"syscall":"(sleep|nanosleep|clock_nanosleep|execve)"' "$tmp/p.jsonl"
}

# no record to read (not root, kernel.dmesg_restrict 1): the kill is
# written all the same, as one nobody could name
t_refusals_unnamed_kill_says_so() {
	for mode in "" --preload; do
		# shellcheck disable=SC2086
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$PINSCOPE" run $mode --refusals "$tmp/u.jsonl" --deny uname -- uname > "$tmp/out" 2> "$tmp/err"
		exited 159 $? "$tmp/err" "run $mode --refusals as nobody" || return 1
		jq -c '[.syscall, .args, .action]' "$tmp/u.jsonl" > "$tmp/u"
		has '^\["unknown","unknown","kill"\]$' "$tmp/u" || { why="$mode: $why"; return 1; }
		has 'no record of the kernel' "$tmp/u.jsonl" || { why="$mode: $why"; return 1; }
	done
}

t_refusals_usage() {
	# complain mode keeps the refusal: its listener would be the program's
	rm -f "$tmp/ran"
	ps 2 run --complain --preload --deny mkdir -- touch "$tmp/ran" || return 1
	err_has 'complain needs exec mode .*its notification listener would be the program.s own' || return 1
	[ ! -e "$tmp/ran" ] || { why="the command ran"; return 1; }
	ps 2 compile --refusals "$tmp/x" --deny mkdir || return 1
	err_has "unknown option '--refusals'" || return 1
	ps 2 run --refusals "$tmp/no/such/dir" --deny mkdir -- true || return 1
	err_has "cannot write $tmp/no/such/dir"
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	command -v jq > /dev/null || { skip_test "$t" "jq is not installed (make deps installs it)"; continue; }
	case "$t" in
	t_refusals_from_the_kernels_records | t_refusals_preload_from_the_kernels_records)
		if ! kernel_logs_kills; then
			skip_test "$t" "the kernel's records of refusals cannot be read here (not root with an audit login uid)"
			continue
		fi
		;;
	t_refusals_unnamed_kill_says_so)
		if [ "$(id -u)" != 0 ] || [ "$(cat /proc/sys/kernel/dmesg_restrict 2> /dev/null)" != 1 ] || ! command -v setpriv > /dev/null; then
			skip_test "$t" "needs root with setpriv and kernel.dmesg_restrict=1 (a user who cannot read the kernel's records)"
			continue
		fi
		;;
	esac
	run_test "$t"
done
tap_end
