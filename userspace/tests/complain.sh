#!/bin/sh
# Host tests of pinscope run --complain, TAP: real workloads under a
# learned policy with a few calls dropped run exactly as unconfined, each
# dropped call is named, and the rules written make an enforcing run
# pass; the sandbox cannot outlive a killed launcher unconfined (and
# escape.sh attacks it with a listener of its own).
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/complain.sh
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/workloads.sh"

# without_calls POLICY NAME...: POLICY without the rules of NAME...
without_calls() {
	pattern=$(printf '%s\n' "$@" | sed 's/.*/^&:/' | paste -sd'|')
	grep -v -E "$pattern" "$1"
}

# check_complain NAME CALL...: the workload NAME learned, then run in
# complain mode without the rules of those CALLs it made (at least two);
# the policy a minijail one, or with format=oci an OCI profile, whose
# rules come back as the profile whole
format=minijail
check_complain() {
	w=$1
	shift
	names=""
	setup_workloads || { why="workload set-up failed"; return 1; }
	"${w}_reset"
	"${w}_cmd" > "$tmp/wl.out" 2> "$tmp/wl.err"
	want="$? $("${w}_result")"
	cp "$tmp/wl.out" "$tmp/want.out"
	"${w}_reset"
	"${w}_cmd" "$PINSCOPE" learn -o "$tmp/$w.full" -- > "$tmp/wl.out" 2> "$tmp/wl.err" ||
		{ why="learn $w failed: $(head -c 300 "$tmp/wl.err")"; return 1; }
	dropped=""
	for c in "$@"; do
		grep -q "^$c:" "$tmp/$w.full" && dropped="$dropped $c"
	done
	# shellcheck disable=SC2086
	[ "$(echo $dropped | wc -w)" -ge 2 ] ||
		{ why="$w made fewer than two of: $*"; return 1; }
	# shellcheck disable=SC2086
	without_calls "$tmp/$w.full" $dropped > "$tmp/$w.partial"
	src="-S $tmp/$w.partial"
	with="-S $tmp/$w.partial -S $tmp/$w.add"
	if [ "$format" = oci ]; then
		"$PINSCOPE" convert --to oci -o "$tmp/$w.partial.json" "$tmp/$w.partial" ||
			{ why="convert --to oci failed"; return 1; }
		src="--oci $tmp/$w.partial.json"
		with="--oci $tmp/$w.add"
	fi
	if [ "$format" = systemd ]; then
		# the learned block's names, one allow list
		names=$(sed -n 's/^\([a-z0-9_]*\): 1 .*/\1/p' "$tmp/$w.partial" | tr '\n' ' ')
		src="--systemd"
	fi
	# the partial policy does not run it...
	"${w}_reset"
	# shellcheck disable=SC2086
	"${w}_cmd" "$PINSCOPE" run $src ${names:+"$names"} -- > "$tmp/wl.out" 2> "$tmp/wl.err"
	got="$? $("${w}_result")"
	[ "$got" != "$want" ] ||
		{ why="$w ran under the partial policy (without$dropped)"; return 1; }
	# ...complain mode does, exactly as unconfined, naming each call
	"${w}_reset"
	# shellcheck disable=SC2086
	"${w}_cmd" "$PINSCOPE" run --complain --complain-out "$tmp/$w.add" \
		$src ${names:+"$names"} -- > "$tmp/wl.out" 2> "$tmp/wl.err"
	got="$? $("${w}_result")"
	exited 0 "${got%% *}" "$tmp/wl.err" "run --complain $w" ||
		{ why="$why: $(grep -m 3 . "$tmp/wl.err" | tr '\n' ' ')"; return 1; }
	[ "$got" = "$want" ] || { why="$w under --complain: $(echo "$got" | head -c 200)"; return 1; }
	cmp -s "$tmp/want.out" "$tmp/wl.out" ||
		{ why="$w: stdout under --complain differs from the unconfined run's"; return 1; }
	for c in $dropped; do
		has "^pinscope: complain: pid [0-9]+ \([^)]*\): $c\(.*\) would be refused: kill-process \(the default action\)$" "$tmp/wl.err" || return 1
		if [ "$format" = systemd ]; then
			sed -n 's/^SystemCallFilter=//p' "$tmp/$w.add" | tr ' ' '\n' > "$tmp/added"
			has "^$c$" "$tmp/added" || return 1
		elif [ "$format" = oci ]; then
			jq -r '.syscalls[-1] | select(.action == "SCMP_ACT_ALLOW") | .names[]' "$tmp/$w.add" > "$tmp/added"
			has "^$c$" "$tmp/added" || return 1
		else
			has "^$c: 1$" "$tmp/$w.add" || return 1
		fi
	done
	has '^pinscope: complain: [0-9]+ calls the policy refuses ran' "$tmp/wl.err" || return 1
	has '^pinscope: complain mode is not confinement' "$tmp/wl.err" || return 1
	# the policy and the rules written run it enforcing
	if [ "$format" = systemd ]; then
		"${w}_reset"
		"${w}_cmd" "$PINSCOPE" run --systemd "$names" --systemd "$(sed -n 's/^SystemCallFilter=//p' "$tmp/$w.add")" -- > "$tmp/wl.out" 2> "$tmp/wl.err"
		names=""
	else
		"${w}_reset"
		# shellcheck disable=SC2086
		"${w}_cmd" "$PINSCOPE" run $with -- > "$tmp/wl.out" 2> "$tmp/wl.err"
	fi
	got="$? $("${w}_result")"
	[ "$got" = "$want" ] && cmp -s "$tmp/want.out" "$tmp/wl.out" ||
		{ why="$w enforcing with the written rules: $(echo "$got" | head -c 200); $(grep -m 2 . "$tmp/wl.err" | tr '\n' ' ')"; return 1; }
	echo "# $w: dropped$dropped"
}

t_complain_bash_pipes() { check_complain bash_pipes pipe2 dup2 wait4 uname; }
t_complain_tar_czf() { check_complain tar_czf fchown utimensat getdents64 pipe2 wait4 fstatfs; }
t_complain_python3_threads() { check_complain py_threads clone3 getrandom set_robust_list sysinfo; }
t_complain_sqlite3() { check_complain sqlite3 pwrite64 fdatasync fsync ftruncate fcntl unlink; }
# systemd's allow list in, one more SystemCallFilter= line out
t_complain_bash_pipes_systemd_list() {
	format=systemd
	check_complain bash_pipes pipe2 dup2 wait4 uname
	ret=$?
	format=minijail
	return $ret
}

# an OCI profile in, the profile whole with one more entry out
t_complain_bash_pipes_oci_profile() {
	format=oci
	check_complain bash_pipes pipe2 dup2 wait4 uname
	ret=$?
	format=minijail
	return $ret
}

# the same call made twice is named once; the summary counts both
t_complain_names_each_call_once() {
	ps 0 run --complain --deny mkdir -- sh -c "mkdir '$tmp/m1'; mkdir '$tmp/m1'; mkdir '$tmp/m2'; true" || return 1
	[ -d "$tmp/m1" ] && [ -d "$tmp/m2" ] || { why="mkdir did not run"; return 1; }
	[ "$(grep -c "mkdir(\"$tmp/m1\", 0777) would be refused" "$tmp/err")" = 1 ] ||
		{ why="mkdir of m1 not named exactly once: $(cat "$tmp/err")"; return 1; }
	err_has "mkdir\(\"$tmp/m2\", 0777\) would be refused: kill-process \(rule mkdir: deny\)$" || return 1
	err_has '^pinscope: complain: 3 calls the policy refuses ran \(2 distinct, of 1 syscall\): mkdir 3$'
}

# a program making ever new calls: the first ones named, the rest counted
t_complain_record_is_bounded() {
	ps 0 run --complain --deny mkdir -- sh -c "i=0; while [ \$i -lt 300 ]; do mkdir '$tmp/b'\$i; i=\$((i + 1)); done" || return 1
	[ "$(grep -c 'would be refused' "$tmp/err")" = 256 ] ||
		{ why="$(grep -c 'would be refused' "$tmp/err") calls named, wanted 256"; return 1; }
	err_has '^pinscope: complain: 300 calls the policy refuses ran \(300 distinct, of 1 syscall\)' || return 1
	err_has '^pinscope: complain: 44 more distinct calls not named \(the first 256 are\)$'
}

t_complain_usage() {
	ps 2 run --complain-out "$tmp/x" --deny mkdir -- true || return 1
	err_has 'complain-out goes with --complain' || return 1
	ps 2 compile --complain --deny mkdir || return 1
	err_has "unknown option '--complain'" || return 1
	ps 2 run --complain --complain-out "$tmp/no/such/dir" --deny mkdir -- true || return 1
	err_has "cannot write $tmp/no/such/dir"
}

# killing the launcher ends the command; an orphan of the sandbox left
# behind has no listener of its own, and its refused calls fail (ENOSYS)
t_complain_bash_launcher_killed() {
	ps 137 run --complain --deny mkdir -- bash -c \
		"(sleep 1; mkdir '$tmp/orphan'; echo \$? > '$tmp/orphan.rc') & kill -KILL \$PPID; sleep 1; mkdir '$tmp/cmd'" || return 1
	i=0
	while [ ! -s "$tmp/orphan.rc" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1.2
	[ ! -e "$tmp/cmd" ] || { why="the command ran on after its launcher died"; return 1; }
	[ ! -e "$tmp/orphan" ] || { why="an orphan's refused mkdir ran without the launcher"; return 1; }
	[ "$(cat "$tmp/orphan.rc" 2> /dev/null)" = 1 ] || { why="the orphan's mkdir: status '$(cat "$tmp/orphan.rc" 2> /dev/null)', wanted 1"; return 1; }
}

run_workload_tests "$0"
tap_end
