#!/bin/sh
# Host tests of pinscope run --complain, TAP: real workloads under a
# learned policy with a few calls dropped run exactly as unconfined, each
# dropped call is named, and the rules written make an enforcing run
# pass; the sandbox cannot outlive a killed launcher unconfined (and
# escape.sh attacks it with a listener of its own). Landlock rules are
# checked, not applied: each use they would refuse is named, the same
# rules enforcing refuse it, and the rules written let it run.
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


# ---- Landlock rules in complain mode: checked, not applied ----
# Each use the rules would refuse is named and runs; the oracle for
# "would refuse" is the kernel: the same rules without --complain refuse
# it (and at a lowered ABI, let through what they do not name).

ll=$PROGS/llprobe
# the running kernel's Landlock ABI (0: none), as explain says it
ll_abi=$("$PINSCOPE" explain --ro / 2> /dev/null | sed -n 's/.*(Landlock ABI \([0-9]*\)).*/\1/p')
ll_abi=${ll_abi:-0}

# ll_run OUT_PREFIX RUN_ARGS... -- CMD: output, stderr and status apart
ll_run() {
	lp=$1
	shift
	"$PINSCOPE" run "$@" > "$lp.out" 2> "$lp.err"
	echo $? > "$lp.rc"
}

# one refused use named: "landlock: WHAT would be refused (CALL): ..."
refused_line() {
	echo "^pinscope: complain: pid [0-9]+ \([^)]*\): landlock: $1 would be refused \($2\): "
}

lt_complain_read_named_output_unchanged() {
	cat /etc/passwd /etc/hostname > "$tmp/u.out" 2> /dev/null
	want=$?
	ll_run "$tmp/c" --complain --rox /usr --rox /lib --rox '?/lib64' --ro /etc/hostname -- cat /etc/passwd /etc/hostname
	exited "$want" "$(cat "$tmp/c.rc")" "$tmp/c.err" "run --complain cat" || return 1
	cmp -s "$tmp/u.out" "$tmp/c.out" || { why="stdout under --complain differs from the unconfined run's"; return 1; }
	has "$(refused_line "read_file of /etc/passwd" openat)no rule grants it$" "$tmp/c.err" || return 1
	lacks "landlock: .* /etc/hostname would be refused" "$tmp/c.err" || return 1
	has '^pinscope: complain: [1-9][0-9]* uses? of files, ports or signals the Landlock rules refuse ran \([1-9][0-9]* distinct\)$' "$tmp/c.err" || return 1
	has '^pinscope: complain mode is not confinement: every call above ran$' "$tmp/c.err" || return 1
	# the rules do refuse it: the kernel says EACCES, the status is cat's failure
	ll_run "$tmp/e" --rox /usr --rox /lib --rox '?/lib64' --ro /etc/hostname -- cat /etc/passwd /etc/hostname
	[ "$(cat "$tmp/e.rc")" != 0 ] || { why="enforcing, cat /etc/passwd passed"; return 1; }
	has "^cat: /etc/passwd: Permission denied$" "$tmp/e.err" || return 1
	[ "$(cat "$tmp/e.out")" = "$(cat /etc/hostname)" ] || { why="enforcing, /etc/hostname was not read"; return 1; }
}

# a tree --ro has no execute: the command's own exec is named, and runs
lt_complain_exec_refused_named() {
	cat /etc/hostname > "$tmp/u.out"
	ll_run "$tmp/c" --complain --ro /usr --ro /lib --ro '?/lib64' --ro /etc -- cat /etc/hostname
	exited 0 "$(cat "$tmp/c.rc")" "$tmp/c.err" "run --complain (--ro, no x)" || return 1
	cmp -s "$tmp/u.out" "$tmp/c.out" || { why="stdout under --complain differs"; return 1; }
	real=$(readlink -f "$(command -v cat)")
	has "$(refused_line "execute of $real" execve)no rule grants it$" "$tmp/c.err" || return 1
	ll_run "$tmp/e" --ro /usr --ro /lib --ro '?/lib64' --ro /etc -- cat /etc/hostname
	[ "$(cat "$tmp/e.rc")" = 126 ] || { why="enforcing, the exec: status $(cat "$tmp/e.rc"), wanted 126"; return 1; }
	has "Permission denied" "$tmp/e.err"
}

# the tree of ll_tree's workload: ro/ (ro, with a symlink in it), rw/ (rw), out/ (no rule)
ll_tree() {
	rm -rf "$tmp/llt"
	mkdir -p "$tmp/llt/ro" "$tmp/llt/rw" "$tmp/llt/out"
	echo data > "$tmp/llt/ro/f"
	ln -s f "$tmp/llt/ro/link"
}
ll_work() {
	d=$tmp/llt
	echo "cat $d/ro/link; echo x >> $d/ro/f; echo y > $d/out/new; echo z > $d/rw/z; ls $d/out; cat $d/ro/f"
}
# what the workload left: status, output, files
ll_state() {
	echo "$1 $(cat "$2") $(cat "$tmp/llt/ro/f" "$tmp/llt/out/new" "$tmp/llt/rw/z" 2> /dev/null | tr '\n' ' ')"
}

lt_complain_write_create_named_symlink_not() {
	ll_tree
	sh -c "$(ll_work)" > "$tmp/u.out" 2> /dev/null
	want=$(ll_state $? "$tmp/u.out")
	ll_tree
	ll_run "$tmp/c" --complain --rox /usr --rox /lib --rox '?/lib64' --ro /etc \
		--ro "$tmp/llt/ro" --rw "$tmp/llt/rw" -- sh -c "$(ll_work)"
	got=$(ll_state "$(cat "$tmp/c.rc")" "$tmp/c.out")
	[ "$got" = "$want" ] || { why="under --complain: '$got', unconfined: '$want'"; return 1; }
	exited 0 "$(cat "$tmp/c.rc")" "$tmp/c.err" "run --complain sh" || return 1
	has "$(refused_line "write_file of $tmp/llt/ro/f" openat)" "$tmp/c.err" || return 1
	has "$(refused_line "make_reg in $tmp/llt/out" openat)" "$tmp/c.err" || return 1
	has "$(refused_line "read_dir of $tmp/llt/out" openat)" "$tmp/c.err" || return 1
	# granted: reading ro/ (through its symlink too), everything in rw/
	lacks "landlock: (read_file of $tmp/llt/ro|.* $tmp/llt/rw)" "$tmp/c.err" || return 1
	# (and nothing else of the tree: ls's /proc/filesystems is refused too)
	[ "$(grep -c "landlock: .* $tmp/llt.* would be refused" "$tmp/c.err")" = 3 ] ||
		{ why="not 3 refused uses of the tree named: $(grep 'would be refused' "$tmp/c.err")"; return 1; }
	# the rules do refuse those three
	ll_tree
	ll_run "$tmp/e" --rox /usr --rox /lib --rox '?/lib64' --ro /etc \
		--ro "$tmp/llt/ro" --rw "$tmp/llt/rw" -- sh -c "$(ll_work)"
	[ "$(grep -c 'Permission denied' "$tmp/e.err")" = 3 ] ||
		{ why="enforcing: $(cat "$tmp/e.err")"; return 1; }
	[ "$(cat "$tmp/llt/ro/f")" = data ] && [ ! -e "$tmp/llt/out/new" ] && [ "$(cat "$tmp/llt/rw/z")" = z ] ||
		{ why="enforcing: a refused write ran, or the allowed one did not"; return 1; }
}

# the policy and the rules --complain-out adds run the workload enforcing
lt_complain_out_rules_run_it_enforcing() {
	cat > "$tmp/ll.policy" << EOP
@default-action allow
@landlock rox /usr
@landlock rox /lib
@landlock rox ?/lib64
@landlock ro /etc
@landlock ro $tmp/llt/ro
@landlock rw $tmp/llt/rw
EOP
	ll_tree
	sh -c "$(ll_work)" > "$tmp/u.out" 2> /dev/null
	want=$(ll_state $? "$tmp/u.out")
	ll_tree
	ll_run "$tmp/c" --complain --complain-out "$tmp/ll.add" -S "$tmp/ll.policy" -- sh -c "$(ll_work)"
	exited 0 "$(cat "$tmp/c.rc")" "$tmp/c.err" "run --complain --complain-out" || return 1
	has '^@landlock ' "$tmp/ll.add" || return 1
	ll_tree
	ll_run "$tmp/e" -S "$tmp/ll.policy" -S "$tmp/ll.add" -- sh -c "$(ll_work)"
	got=$(ll_state "$(cat "$tmp/e.rc")" "$tmp/e.out")
	[ "$got" = "$want" ] ||
		{ why="enforcing with the rules added: '$got', wanted '$want': $(cat "$tmp/ll.add" "$tmp/e.err")"; return 1; }
	# OCI has no Landlock field: said, not written
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' > "$tmp/allow.json"
	ll_run "$tmp/o" --complain --complain-out "$tmp/ll.json" --oci "$tmp/allow.json" \
		--rox /usr --rox /lib --rox '?/lib64' --ro /etc -- sh -c "$(ll_work)"
	has "complain: --complain-out: an OCI profile has no Landlock rules" "$tmp/o.err" || return 1
	has "complain:   @landlock rw $tmp/llt/out" "$tmp/o.err" || return 1
	lacks landlock "$tmp/ll.json"
}

# a local listener on 127.0.0.1 (python3), its port in $lport; 0 if none
ll_listen() {
	lport=0
	command -v python3 > /dev/null || return 0
	python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(20)' > "$tmp/lport" &
	lpid=$!
	i=0
	while [ ! -s "$tmp/lport" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	lport=$(cat "$tmp/lport")
}

lt_complain_tcp_connect_bind_named() {
	ll_listen
	[ "$lport" != 0 ] || { why="no listener"; return 1; }
	other=$((lport == 65535 ? 1 : lport + 1))
	ll_run "$tmp/c" --complain --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" \
		--connect-tcp "$other" -- "$ll" connect "$lport"
	[ "$(cat "$tmp/c.out")" = ok ] || { why="connect under --complain: $(cat "$tmp/c.out")"; kill "$lpid"; return 1; }
	has "$(refused_line "connect_tcp to port $lport" connect)no rule allows it$" "$tmp/c.err" || { kill "$lpid"; return 1; }
	ll_run "$tmp/e" --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" \
		--connect-tcp "$other" -- "$ll" connect "$lport"
	kill "$lpid"
	[ "$(cat "$tmp/e.out")" = "errno EACCES" ] || { why="enforcing connect: $(cat "$tmp/e.out")"; return 1; }
	# bind: a port nobody uses (the listener's, closed)
	ll_run "$tmp/c" --complain --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" \
		--bind-tcp "$other" -- "$ll" bind "$lport"
	[ "$(cat "$tmp/c.out")" = ok ] || { why="bind under --complain: $(cat "$tmp/c.out")"; return 1; }
	has "$(refused_line "bind_tcp on port $lport" bind)" "$tmp/c.err" || return 1
	lacks "port $other would be refused" "$tmp/c.err" || return 1
	ll_run "$tmp/e" --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" \
		--bind-tcp "$other" -- "$ll" bind "$lport"
	[ "$(cat "$tmp/e.out")" = "errno EACCES" ] || { why="enforcing bind: $(cat "$tmp/e.out")"; return 1; }
	# a UDP connect is not Landlock's: not named, and --no-tcp lets it through
	udp='import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("127.0.0.1", 53))'
	ll_run "$tmp/c" --complain --no-tcp -- python3 -c "$udp"
	exited 0 "$(cat "$tmp/c.rc")" "$tmp/c.err" "run --complain --no-tcp (UDP)" || return 1
	lacks "would be refused" "$tmp/c.err" || return 1
	ll_run "$tmp/e" --no-tcp -- python3 -c "$udp"
	[ "$(cat "$tmp/e.rc")" = 0 ] || { why="enforcing --no-tcp refused a UDP connect"; return 1; }
}

# a right a lower ABI drops is not enforced, so not named either
lt_complain_lower_abi_not_named() {
	ll_tree
	echo data > "$tmp/llt/ro/g"
	for abi in 2 "$ll_abi"; do
		export PINSCOPE_LANDLOCK_ABI=$abi
		# truncate(2) takes truncate alone (ABI 3)
		ll_run "$tmp/c" --complain --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" --ro /etc \
			--ro "$tmp/llt/ro" --connect-tcp 1 -- sh -c "$ll truncate $tmp/llt/ro/f; $ll connect 2"
		ll_run "$tmp/e" --rox /usr --rox /lib --rox '?/lib64' --rox "$PROGS" --ro /etc \
			--ro "$tmp/llt/ro" --connect-tcp 1 -- sh -c "$ll truncate $tmp/llt/ro/g; $ll connect 2"
		unset PINSCOPE_LANDLOCK_ABI
		[ "$(cat "$tmp/c.out")" = "ok
ok" ] || { why="ABI $abi, --complain: $(cat "$tmp/c.out")"; return 1; }
		if [ "$abi" = 2 ]; then
			[ "$(cat "$tmp/e.out")" = "ok
ok" ] || { why="ABI 2 enforcing refused: $(cat "$tmp/e.out")"; return 1; }
			lacks "would be refused" "$tmp/c.err" || return 1
		else
			[ "$(cat "$tmp/e.out")" = "errno EACCES
errno EACCES" ] || { why="ABI $abi enforcing: $(cat "$tmp/e.out")"; return 1; }
			has "$(refused_line "truncate of $tmp/llt/ro/f" truncate)" "$tmp/c.err" || return 1
			has "$(refused_line "connect_tcp to port 2" connect)" "$tmp/c.err" || return 1
		fi
	done
}

lt_complain_signal_out_of_sandbox_named() {
	ll_run "$tmp/c" --complain --scope signal -- "$ll" kill-parent
	[ "$(cat "$tmp/c.out")" = ok ] || { why="under --complain: $(cat "$tmp/c.out")"; return 1; }
	has "$(refused_line "a signal to pid [0-9]+, outside the sandbox" kill)scope signal$" "$tmp/c.err" || return 1
	ll_run "$tmp/e" --scope signal -- "$ll" kill-parent
	[ "$(cat "$tmp/e.out")" = "errno EPERM" ] || { why="enforcing: $(cat "$tmp/e.out")"; return 1; }
	# within the sandbox: not named, and allowed
	ll_run "$tmp/c" --complain --scope signal -- sh -c 'sleep 10 & kill $!; wait $!; echo $?'
	[ "$(cat "$tmp/c.out")" = 143 ] || { why="a signal within: $(cat "$tmp/c.out")"; return 1; }
	lacks "would be refused" "$tmp/c.err"
}

# lt_ tests: each where the kernel has the Landlock ABI it needs
ll_tests() {
	for t in $(sed -n 's/^\(lt_[a-z0-9_]*\)() {.*/\1/p' "$1"); do
		case $t in
		*tcp* | *lower_abi*) need=4 ;;
		*signal*) need=6 ;;
		*) need=1 ;;
		esac
		if [ "$ll_abi" -lt "$need" ]; then
			skip_test "$t" "this kernel's Landlock ABI is $ll_abi, below $need"
		elif [ "$t" = lt_complain_tcp_connect_bind_named ] && ! command -v python3 > /dev/null; then
			skip_test "$t" "python3 (the listener) is not installed"
		else
			run_test "$t"
		fi
	done
}

run_workload_tests "$0"
ll_tests "$0"
tap_end
