#!/bin/sh
# Host tests of pinscope's Landlock rules, TAP, as the attacker: for each
# right the sandboxed llprobe tries what it may not (read outside, write
# under ro, exec outside x, rename across, truncate, another port, a
# device ioctl, a signal to its launcher, an abstract socket outside) and
# the exact errno is checked, with the allowed case beside it. Then each
# right a lower ABI drops, said (PINSCOPE_LANDLOCK_ABI lowers the ABI for
# tests only), bad input, explain, and real workloads learned with
# --fs --net, run unchanged, refused a file and a port outside.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/landlock.sh
set -u
. "$(dirname "$0")/tap.sh"

ll=$PROGS/llprobe
# the rules are words of $base and "?PATH": no globbing
set -f
# what any dynamic program needs to start, and the probe itself
base="--rox /usr --rox /lib --rox ?/lib64 --ro /etc --rox $PROGS"
# a secret no rule names: not under $tmp, where the workloads write
secret=$(mktemp -d /var/tmp/pinscope-secret.XXXXXX)
trap 'rm -rf "$tmp" "$secret"' EXIT
echo "the secret" > "$secret/key"

landlock_abi() {
	[ -e /sys/kernel/security/landlock ] || grep -q landlock /sys/kernel/security/lsm 2> /dev/null
}

# tree: $tmp/rw (rw), $tmp/ro (ro), $tmp/outside (no rule)
setup_tree() {
	rm -rf "$tmp/rw" "$tmp/ro" "$tmp/outside"
	mkdir -p "$tmp/rw/x" "$tmp/rw/y" "$tmp/ro" "$tmp/outside"
	echo data > "$tmp/rw/x/f"
	echo data > "$tmp/ro/g"
	echo data > "$tmp/outside/h"
	cp /bin/true "$tmp/ro/true"
	cp /bin/true "$tmp/outside/true"
}

# probe WANT [ENV=VALUE] RULES... -- OP ARGS: llprobe under RULES prints WANT
probe() {
	pw=$1
	shift
	# shellcheck disable=SC2086
	ps 0 run $base "$@" || return 1
	out_is "$pw" || { why="$why ($*)"; return 1; }
}

rules() {
	echo --rw "$tmp/rw" --ro "$tmp/ro"
}

# ---- each right, enforced ----

t_read_outside_the_rules_refused() {
	setup_tree
	# shellcheck disable=SC2046
	probe "ok" $(rules) -- "$ll" read "$tmp/ro/g" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" read "$tmp/outside/h" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" read "$secret/key"
}

t_write_under_ro_refused() {
	setup_tree
	# shellcheck disable=SC2046
	probe "ok" $(rules) -- "$ll" write "$tmp/rw/new" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" write "$tmp/ro/g" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" write "$tmp/ro/new" || return 1
	if [ "$(cat "$tmp/ro/g")" != data ] || [ -e "$tmp/ro/new" ]; then
		why="the ro file was written"
		return 1
	fi
}

t_exec_outside_x_refused() {
	setup_tree
	# shellcheck disable=SC2046
	probe "ok" $(rules) -- "$ll" exec /bin/true || return 1
	# ro and rw without x: readable, not executable
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" exec "$tmp/ro/true" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" exec "$tmp/outside/true" || return 1
	probe "ok" --rox "$tmp/ro" -- "$ll" exec "$tmp/ro/true"
}

t_rename_and_link_across_dirs_refer() {
	setup_tree
	# within rw, across its directories: REFER (ABI 2) lets it
	# shellcheck disable=SC2046
	probe "ok" $(rules) -- "$ll" rename "$tmp/rw/x/f" "$tmp/rw/y/f" || return 1
	# out of ro into rw: the file would gain rights it had not
	# shellcheck disable=SC2046
	probe "errno EXDEV" $(rules) -- "$ll" link "$tmp/ro/g" "$tmp/rw/g" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" rename "$tmp/rw/y/f" "$tmp/ro/f" || return 1
	if [ ! -e "$tmp/rw/y/f" ] || [ -e "$tmp/ro/f" ] || [ -e "$tmp/rw/g" ]; then
		why="a refused rename or link happened"
		return 1
	fi
}

t_truncate_under_ro_refused() {
	setup_tree
	# shellcheck disable=SC2046
	probe "ok" $(rules) -- "$ll" truncate "$tmp/rw/x/f" || return 1
	# shellcheck disable=SC2046
	probe "errno EACCES" $(rules) -- "$ll" truncate "$tmp/ro/g" || return 1
	[ "$(cat "$tmp/ro/g")" = data ] || { why="the ro file was truncated"; return 1; }
}

# two ports nobody uses here: the probe's pid keeps runs apart
port_a=$((20000 + $$ % 20000))
port_b=$((port_a + 1))

t_tcp_bind_other_port_refused() {
	probe "ok" --bind-tcp "$port_a" -- "$ll" bind "$port_a" || return 1
	probe "errno EACCES" --bind-tcp "$port_a" -- "$ll" bind "$port_b"
}

t_tcp_connect_other_port_refused() {
	# nobody listens: the connect the rules let goes out and is refused
	probe "ok" --connect-tcp "$port_a" -- "$ll" connect "$port_a" || return 1
	probe "errno EACCES" --connect-tcp "$port_a" -- "$ll" connect "$port_b" || return 1
	probe "errno EACCES" --no-tcp -- "$ll" connect "$port_a"
}

t_device_ioctl_refused() {
	# TCGETS on /dev/null: ENOTTY from the driver ("ok"), or EACCES
	probe "errno EACCES" --ro /dev/null -- "$ll" ioctl /dev/null || return 1
	probe "ok" --ro /dev/null --ioctl-dev /dev/null -- "$ll" ioctl /dev/null
}

t_scope_signal_to_launcher_refused() {
	probe "ok" --ro /dev/null -- "$ll" kill-parent || return 1
	probe "errno EPERM" --scope signal -- "$ll" kill-parent
}

t_scope_abstract_socket_outside_refused() {
	name="pinscope-test-$$"
	"$ll" ulisten "$name" &
	lp=$!
	sleep 0.3
	probe "ok" --ro /dev/null -- "$ll" uconnect "$name" || { kill "$lp"; return 1; }
	probe "errno EPERM" --scope abstract-unix-socket -- "$ll" uconnect "$name" || { kill "$lp"; return 1; }
	kill "$lp"
	wait "$lp" 2> /dev/null
	return 0
}

# Landlock checks opens, not reads: a descriptor the launcher left open
# (ruleset, rule paths, listener, --refusals, the policy, /dev/kmsg)
# would reach a file outside the rules. The command holds no descriptor
# its caller did not give pinscope, in any mode; the launcher's own are
# not readable through /proc/PPID/fd.
t_no_launcher_fd_reaches_the_command() {
	setup_tree
	"$ll" fds > "$tmp/fds.want"
	echo "read: 1" > "$tmp/fds.policy"
	for mode in "" "--refusals $tmp/refusals" "--report" "--preload" \
		"--complain --complain-out $tmp/complain" \
		"-S $tmp/fds.policy --default-action log"; do
		# shellcheck disable=SC2046,SC2086
		probe "$(cat "$tmp/fds.want")" --ro /proc $(rules) $mode -- "$ll" fds || return 1
	done
	(cd "$tmp/rw" && "$PINSCOPE" learn --fs --net -o "$tmp/fds.ll" -- "$ll" fds) > "$tmp/out" 2> "$tmp/err"
	out_is "$(cat "$tmp/fds.want")" || { why="learn: $why"; return 1; }
	# shellcheck disable=SC2046,SC2086
	ps 0 run $base --ro /proc $(rules) -- "$ll" parent-fds || return 1
	lacks "readable|writable|/" || return 1
}

t_preload_mode_rules_hold() {
	setup_tree
	# shellcheck disable=SC2046
	probe "errno EACCES" --preload $(rules) -- "$ll" read "$tmp/outside/h" || return 1
	# shellcheck disable=SC2046
	probe "ok" --preload $(rules) -- "$ll" read "$tmp/ro/g" || return 1
	# the library's own rule (rox on its one file) is no hole: not writable
	# shellcheck disable=SC2046
	probe "errno EACCES" --preload --ro /proc $(rules) -- "$ll" write-mapped libpinscope-preload
}

t_policy_file_rules_hold() {
	setup_tree
	cat > "$tmp/ll.policy" << EOF
@system-service: 1
@landlock rox /usr /lib ?/lib64 $PROGS
@landlock ro /etc $tmp/ro
@landlock rw $tmp/rw
@landlock bind-tcp $port_a
@landlock scope signal
EOF
	ps 0 run -S "$tmp/ll.policy" -- "$ll" read "$tmp/outside/h" || return 1
	out_is "errno EACCES" || return 1
	ps 0 run -S "$tmp/ll.policy" -- "$ll" bind "$port_b" || return 1
	out_is "errno EACCES" || return 1
	ps 0 run -S "$tmp/ll.policy" -- "$ll" write "$tmp/rw/z" || return 1
	out_is "ok"
}

# a failed command's denial: named from the kernel's record where audit
# logs it (ABI 7, auditd or audit=1), else what can be seen is said
t_denial_named_or_what_can_be_seen_said() {
	# shellcheck disable=SC2086
	"$PINSCOPE" run $base -- /bin/cat "$secret/key" > "$tmp/out" 2> "$tmp/err"
	[ $? = 1 ] || { why="cat of the secret did not fail"; return 1; }
	lacks "the secret" || return 1
	err_has "landlock refused /bin/cat('s openat:| an open for reading:) fs.read_file path=\"$secret/key\"|no Landlock denial of it can be named: (none was logged|its records cannot be read)" || return 1
	# shellcheck disable=SC2086
	PINSCOPE_LANDLOCK_ABI=6 "$PINSCOPE" run $base -- /bin/cat "$secret/key" > "$tmp/out" 2> "$tmp/err"
	err_has "no Landlock denial of it can be named: this kernel's Landlock \\(ABI below 7\\) logs no denial"
}

# ---- a lower ABI: each dropped right said, and really not enforced ----

# dropped ABI WANT_REGEX RULES... -- OP ARGS: under ABI, stderr says
# WANT_REGEX and the probe prints "ok" (the right is not enforced)
dropped() {
	da=$1 dw=$2
	shift 2
	# shellcheck disable=SC2086
	PINSCOPE_LANDLOCK_ABI=$da "$PINSCOPE" run $base "$@" > "$tmp/out" 2> "$tmp/err"
	exited 0 $? "$tmp/err" "run (ABI $da) $*" || return 1
	err_has "$dw" || return 1
}

t_abi1_refers_refused_everywhere() {
	setup_tree
	# shellcheck disable=SC2046
	dropped 1 "landlock: kernel ABI 1 < 2: rename or link across directories \\(refer\\) refused everywhere.*asked by --rw $tmp/rw" \
		$(rules) -- "$ll" rename "$tmp/rw/x/f" "$tmp/rw/y/f" || return 1
	# stricter, as sandboxer.c says of ABI 1
	out_is "errno EXDEV"
}

t_abi2_truncate_dropped_and_said() {
	setup_tree
	# shellcheck disable=SC2046
	dropped 2 "kernel ABI 2 < 3: truncate not enforced.*asked by --rw $tmp/rw" \
		$(rules) -- "$ll" truncate "$tmp/ro/g" || return 1
	out_is ok
}

t_abi3_tcp_dropped_and_said() {
	dropped 3 "kernel ABI 3 < 4: TCP connect not enforced; asked by --connect-tcp $port_a" \
		--connect-tcp "$port_a" -- "$ll" connect "$port_b" || return 1
	out_is ok || return 1
	err_has "kernel ABI 3 < 4: TCP bind not enforced; asked by --connect-tcp $port_a"
}

t_abi4_device_ioctl_dropped_and_said() {
	dropped 4 "kernel ABI 4 < 5: ioctl on devices not enforced.*asked by --rox /usr" \
		--ro /dev/null -- "$ll" ioctl /dev/null || return 1
	out_is ok
}

t_abi5_scopes_dropped_and_said() {
	dropped 5 "kernel ABI 5 < 6: scope signal not enforced; asked by --scope signal" \
		--scope signal,abstract-unix-socket -- "$ll" kill-parent || return 1
	out_is ok || return 1
	err_has "scope abstract-unix-socket not enforced"
}

# no Landlock at all: the scope is named as what was asked, and a knob
# that is not a number lowers nothing
t_abi0_names_a_scope_alone() {
	PINSCOPE_LANDLOCK_ABI=0 "$PINSCOPE" run --scope signal -- "$ll" kill-parent > "$tmp/out" 2> "$tmp/err"
	exited 0 $? "$tmp/err" "run (ABI 0)" || return 1
	err_has "every Landlock rule not enforced .*; asked by --scope signal$" || return 1
	out_is ok || return 1
	PINSCOPE_LANDLOCK_ABI=5x "$PINSCOPE" run --scope signal -- "$ll" kill-parent > "$tmp/out" 2> "$tmp/err"
	out_is "errno EPERM"
}

t_abi6_says_nothing_dropped() {
	setup_tree
	# shellcheck disable=SC2046,SC2086
	PINSCOPE_LANDLOCK_ABI=6 "$PINSCOPE" run $base $(rules) --bind-tcp 1 --scope signal -- "$ll" read "$tmp/ro/g" > "$tmp/out" 2> "$tmp/err"
	exited 0 $? "$tmp/err" "run (ABI 6)" || return 1
	out_is ok || return 1
	lacks "." "$tmp/err"
}

t_min_abi_refuses_to_start() {
	rm -f "$tmp/started"
	ps 2 run --landlock-min-abi 99 --ro /usr -- /usr/bin/touch "$tmp/started" || return 1
	err_has "Landlock ABI is [0-9]+, below the 99 that --landlock-min-abi 99 asks for" || return 1
	printf '@landlock ro /usr\n@landlock min-abi 4\n@critical: 1\n' > "$tmp/min.policy"
	PINSCOPE_LANDLOCK_ABI=3 "$PINSCOPE" run -S "$tmp/min.policy" -- /usr/bin/touch "$tmp/started" > "$tmp/out" 2> "$tmp/err"
	exited 2 $? "$tmp/err" "run (ABI 3) min-abi 4" || return 1
	err_has "below the 4 that $tmp/min.policy:2: @landlock min-abi 4 asks for" || return 1
	[ ! -e "$tmp/started" ] || { why="the command ran"; return 1; }
}

t_explain_shows_held_and_dropped_rules() {
	PINSCOPE_LANDLOCK_ABI=5 "$PINSCOPE" explain --rox /usr --rw /tmp --bind-tcp 8080 --scope signal > "$tmp/out" 2> "$tmp/err"
	exited 0 $? "$tmp/err" explain || return 1
	has '^# Landlock rules, as this kernel \(Landlock ABI 5\) enforces them:' || return 1
	has '^  --rox /usr +holds$' || return 1
	has '^  --bind-tcp 8080 +holds$' || return 1
	has '^  scope signal +dropped$' || return 1
	has '^# dropped: scope signal \(needs ABI 6\)' || return 1
	PINSCOPE_LANDLOCK_ABI=2 "$PINSCOPE" explain --rw /tmp > "$tmp/out" 2> "$tmp/err"
	has '^  --rw /tmp +holds without truncate \(dropped\)$'
}

# ---- other formats ----

t_convert_says_landlock_in_systemd_and_oci() {
	printf '@critical: 1\n@landlock rox /usr\n@landlock ro /etc/passwd\n@landlock rw ?%s/rw\n@landlock bind-tcp 8080\n@landlock connect-tcp 443\n@landlock scope signal\n' \
		"$tmp" > "$tmp/conv.policy"
	ps 0 convert --to systemd "$tmp/conv.policy" || return 1
	has '^# .*systemd enforces these with$' || return 1
	has '^# ExecPaths=) and BPF .*, not$' || return 1
	has '^ReadOnlyPaths=/$' || return 1
	has "^ReadWritePaths=-$tmp/rw$" || return 1
	has '^ExecPaths=/usr$' || return 1
	has '^InaccessiblePaths=-/boot -/home .*-/root' || return 1
	has '^SocketBindAllow=tcp:8080$' || return 1
	has '^SocketBindDeny=any$' || return 1
	has '^RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6$' || return 1
	has '^# connect-tcp 443: systemd has no rule' || return 1
	ps 0 convert --to oci "$tmp/conv.policy" || return 1
	has '"comment": ".*Landlock rules left out \(OCI has no Landlock field: runtime-spec pull request 1241\)' || return 1
	err_has 'leaves out the 3 Landlock path and 2 port rules and the scopes' || return 1
	ps 0 convert --to minijail "$tmp/conv.policy" || return 1
	has "^@landlock rw \\?$tmp/rw$" || return 1
	has '^@landlock scope signal$'
}

# ---- bad input ----

t_missing_path_named_not_started() {
	rm -f "$tmp/started"
	ps 2 run --ro /usr --ro /nonexistent/pinscope -- /usr/bin/touch "$tmp/started" || return 1
	err_has "--ro /nonexistent/pinscope: No such file or directory" || return 1
	printf '@critical: 1\n@landlock ro /usr\n@landlock rw /nonexistent/pinscope\n' > "$tmp/missing.policy"
	ps 2 run -S "$tmp/missing.policy" -- /usr/bin/touch "$tmp/started" || return 1
	err_has "missing.policy:3:[0-9]+: error: Landlock path '/nonexistent/pinscope': No such file or directory" || return 1
	[ ! -e "$tmp/started" ] || { why="the command ran"; return 1; }
	# ?PATH: skipped
	ps 0 run --rox /usr --rox /lib --ro "?/nonexistent/pinscope" --rw "$tmp" -- /usr/bin/touch "$tmp/started" || return 1
	[ -e "$tmp/started" ] || { why="the command did not run"; return 1; }
}

# A rule follows symlinks (the right goes to the target): one another
# user owns, planted where the rule's path goes (/tmp), would point the
# command's rights at any file of ours. Refused, named; our own is followed.
t_rule_path_through_another_users_symlink_refused() {
	setup_tree
	rm -f "$tmp/cache" "$tmp/mine" "$tmp/started"
	ln -s "$secret" "$tmp/cache"
	chown -h 65534 "$tmp/cache" || { why="cannot plant another user's symlink"; return 1; }
	# shellcheck disable=SC2086
	ps 2 run $base --rw "$tmp/cache" -- /usr/bin/touch "$tmp/started" || return 1
	err_has "--rw $tmp/cache: $tmp/cache is a symlink of uid 65534" || return 1
	[ ! -e "$tmp/started" ] || { why="the command ran"; return 1; }
	printf '@critical: 1\n@landlock rw %s/cache/key\n' "$tmp" > "$tmp/cache.policy"
	ps 2 run -S "$tmp/cache.policy" -- /usr/bin/touch "$tmp/started" || return 1
	err_has "cache.policy:2:14: error: Landlock path '$tmp/cache/key': $tmp/cache is a symlink of uid 65534" || return 1
	# explain says what run does with it
	"$PINSCOPE" explain -S "$tmp/cache.policy" > "$tmp/out" 2> "$tmp/err"
	exited 0 $? "$tmp/err" explain || return 1
	grep -q "cache/key .*refused ($tmp/cache is a symlink of uid 65534): run refuses to start" "$tmp/out" ||
		{ why="explain does not say the rule is refused: $(grep cache/key "$tmp/out")"; return 1; }
	ln -s "$tmp/ro" "$tmp/mine"
	probe "ok" --ro "$tmp/mine" -- "$ll" read "$tmp/ro/g"
}

# refused TEXT REGEX: a policy of TEXT does not compile, and says REGEX
refused() {
	printf '%b' "$1" > "$tmp/bad.policy"
	ps 2 compile "$tmp/bad.policy" || return 1
	err_has "$2"
}

t_bad_port_and_right_file_line_col() {
	refused '@landlock bind-tcp 80 65536\n' "bad.policy:1:23: error: port '65536' out of range \\(0 to 65535\\)" || return 1
	refused '\n@landlock rwz /tmp\n' "bad.policy:2:11: error: unknown Landlock right 'rwz'" || return 1
	refused '@landlock scope signals\n' "bad.policy:1:17: error: unknown scope 'signals'" || return 1
	refused '@landlock ro tmp\n' "bad.policy:1:14: error: a Landlock path must be absolute" || return 1
	refused '@landlock min-abi 2 3\n' "bad.policy:1:21: error: unexpected '3' after 'min-abi'" || return 1
	refused '@landlock\n' "bad.policy:1:10: error: '@landlock' needs a right" || return 1
	ps 2 compile --minijail "$tmp/ll.policy" || return 1
	err_has "'@landlock' is a pinscope extension \\(strict minijail mode\\)"
}

# odd input: each line an error at its column, exit 2, the command never
# started, no sanitizer report; a NUL byte would have cut "rw /\0home/x"
# to "rw /"
t_bad_landlock_input_never_starts() {
	long=$(printf '%*s' 5000 '' | tr ' ' a)
	while IFS='|' read -r text col msg; do
		printf '@critical: 1\n%b\n' "$text" > "$tmp/odd.policy"
		rm -f "$tmp/started"
		ps 2 run -S "$tmp/odd.policy" -- /usr/bin/touch "$tmp/started" || return 1
		err_has "odd.policy:2:$col: error: $msg" || return 1
		[ ! -e "$tmp/started" ] || { why="started under '$text'"; return 1; }
		! grep -q -E 'AddressSanitizer|runtime error:' "$tmp/err" || { why="sanitizer: $text"; return 1; }
	done << EOF
@landlock rw /\\0home/x|15|a NUL byte in the line
@landlock bind-tcp -1|20|port '-1' out of range
@landlock bind-tcp 65536|20|port '65536' out of range
@landlock connect-tcp 99999999999999999999999|23|port '99999999999999999999999' out of range
@landlock bind-tcp 0x50|20|port '0x50' out of range
@landlock bind-tcp 80,81|20|port '80,81' out of range
@landlock bind-tcp|19|'@landlock bind-tcp' needs an argument
@landlock ro ??/tmp|14|a Landlock path must be absolute
@landlock ro ?|14|a Landlock path must be absolute
@landlock min-abi 0|19|'@landlock min-abi' takes an ABI version
@landlock min-abi 18446744073709551617|19|'@landlock min-abi' takes an ABI version
@landlock scope signal,abstract-unix-socket|17|unknown scope
@landlock no-tcp 80|18|unexpected '80' after 'no-tcp'
@landlock RO /tmp|11|unknown Landlock right 'RO'
@landlock ro /$long|14|Landlock path '/aaaa.*': File name too long
@landlock ro /tmp/\\0377\\0376|14|Landlock path '/tmp/
EOF
}

t_bad_options_usage_errors() {
	ps 2 run --bind-tcp 70000 -- /bin/true || return 1
	err_has "^pinscope run: bad --bind-tcp port '70000' \\(0 to 65535\\)" || return 1
	err_has "try 'pinscope run --help'" || return 1
	ps 2 run --connect-tcp 80,x -- /bin/true || return 1
	err_has "bad --connect-tcp port 'x'" || return 1
	ps 2 run --scope signal,pipes -- /bin/true || return 1
	err_has "unknown --scope 'pipes' \\(abstract-unix-socket, signal\\)" || return 1
	ps 2 run --landlock-min-abi x -- /bin/true || return 1
	err_has "bad --landlock-min-abi 'x'"
}

# ---- learned rules: real workloads ----

. "$(dirname "$0")/workloads.sh"

# learn_fs NAME: workload NAME learned with --fs --net from $tmp/wd,
# then run twice under what was learned, each result the unconfined one
learn_fs() {
	w=$1
	via=${2:-auto}
	setup_workloads || { why="workload set-up failed"; return 1; }
	mkdir -p "$tmp/wd"
	"${w}_reset"
	(cd "$tmp/wd" && "${w}_cmd") > "$tmp/wl.out" 2> "$tmp/wl.err"
	want="$? $("${w}_result")"
	"${w}_reset"
	(cd "$tmp/wd" && "${w}_cmd" "$PINSCOPE" learn --via "$via" --fs --net -o "$tmp/$w.ll" --) > "$tmp/wl.out" 2> "$tmp/wl.err"
	got="$? $("${w}_result")"
	[ "$got" = "$want" ] || { why="$w under learn: $(echo "$got" | head -c 200)"; return 1; }
	has '^@landlock rox /usr$' "$tmp/$w.ll" || return 1
	has '^@landlock scope abstract-unix-socket signal$' "$tmp/$w.ll" || return 1
	lacks "^@landlock .* $secret" "$tmp/$w.ll" || return 1
	for i in 1 2; do
		"${w}_reset"
		(cd "$tmp/wd" && "${w}_cmd" "$PINSCOPE" run -S "$tmp/$w.ll" --) > "$tmp/wl.out" 2> "$tmp/wl.err"
		got="$? $("${w}_result")"
		if [ "$got" != "$want" ] || grep -q -E 'AddressSanitizer|runtime error:' "$tmp/wl.err"; then
			why="$w, run $i under its learned rules: $(echo "$got" | head -c 200 | tr '\n' ' '); stderr: $(grep -m 3 . "$tmp/wl.err" | tr '\n' ' ')"
			return 1
		fi
	done
}

# refused_by W CMD...: CMD under W's learned rules fails, naming the secret
refused_by() {
	rw=$1
	shift
	(cd "$tmp/wd" && "$PINSCOPE" run -S "$tmp/$rw.ll" -- "$@") > "$tmp/out" 2> "$tmp/err"
	[ $? != 0 ] || { why="$* ran under $rw's rules"; return 1; }
	err_has "$secret.*(Permission denied|EACCES)|(Permission denied|EACCES).*$secret|unable to open"
}

t_learned_fs_tar_czf() {
	learn_fs tar_czf || return 1
	refused_by tar_czf tar czf "$tmp/a.tgz" -C "$tmp" tarsrc "$secret/key"
}

t_learned_fs_gcc_c() {
	learn_fs gcc_c || return 1
	cp "$tmp/gcc/t.c" "$secret/s.c"
	refused_by gcc_c gcc -O2 -c -o "$tmp/gcc/t.o" "$secret/s.c"
}

t_learned_fs_git_commit() {
	learn_fs git_commit || return 1
	has "^@landlock r[wo] $tmp/home/\\.gitconfig$|^@landlock rw $tmp/repo" "$tmp/git_commit.ll" || return 1
	# git reads nothing under $HOME it did not touch
	lacks "^@landlock [a-z]+ $tmp/home$" "$tmp/git_commit.ll" || return 1
	git_commit_reset
	refused_by git_commit git -C "$tmp/repo" commit -q -F "$secret/key"
}

t_learned_fs_sqlite3() {
	learn_fs sqlite3 || return 1
	refused_by sqlite3 sqlite3 "$secret/db.sqlite" "select 1;"
}

# learned by seccomp user notification (where ptrace is refused, as at
# ptrace scope 3): the same Landlock rules as the ptrace learner's, which
# run the workload and refuse the secret; git forks and execs its helpers
t_learned_fs_via_notify_as_by_ptrace() {
	for w in tar_czf git_commit; do
		learn_fs "$w" ptrace || return 1
		grep '^@landlock' "$tmp/$w.ll" > "$tmp/$w.ptrace"
		learn_fs "$w" notify || return 1
		grep '^@landlock' "$tmp/$w.ll" > "$tmp/$w.notify"
		cmp -s "$tmp/$w.ptrace" "$tmp/$w.notify" ||
			{ why="$w: notify learned $(diff "$tmp/$w.ptrace" "$tmp/$w.notify" | grep '^[<>]' | head -5 | tr '\n' ' ')"; return 1; }
	done
	refused_by tar_czf tar czf "$tmp/a.tgz" -C "$tmp" tarsrc "$secret/key" || return 1
	git_commit_reset
	refused_by git_commit git -C "$tmp/repo" commit -q -F "$secret/key"
}

# learned from $HOME itself: the file used, never the whole of $HOME
t_learned_fs_in_home_allows_only_what_it_touched() {
	mkdir -p "$tmp/h/.ssh" && echo key > "$tmp/h/.ssh/id" && echo notes > "$tmp/h/notes"
	(cd "$tmp/h" && HOME="$tmp/h" "$PINSCOPE" learn --fs -o "$tmp/home.ll" -- "$ll" read notes) > "$tmp/out" 2> "$tmp/err"
	has "^@landlock ro $tmp/h/notes$" "$tmp/home.ll" || return 1
	lacks "^@landlock [a-z]+ $tmp/h$" "$tmp/home.ll" || return 1
	(cd "$tmp/h" && "$PINSCOPE" run -S "$tmp/home.ll" -- "$ll" read .ssh/id) > "$tmp/out" 2> "$tmp/err"
	out_is "errno EACCES"
}

t_learn_fs_with_preload_refused() {
	ps 2 learn --fs --preload -o "$tmp/p.ll" -- /bin/true || return 1
	err_has "--fs and --net cannot be used with --preload"
}

# two runs merged: both pass, and the files of neither stay refused
t_learned_fs_merged_keeps_both_runs() {
	setup_tree
	ps 0 learn --fs -o "$tmp/merged.ll" -- "$ll" read "$tmp/ro/g" || return 1
	ps 0 learn --fs --merge "$tmp/merged.ll" -- "$ll" read "$tmp/rw/x/f" || return 1
	has "^@landlock ro $tmp/ro/g$" "$tmp/merged.ll" || return 1
	has "^@landlock ro $tmp/rw/x/f$" "$tmp/merged.ll" || return 1
	for f in "$tmp/ro/g" "$tmp/rw/x/f"; do
		ps 0 run -S "$tmp/merged.ll" -- "$ll" read "$f" || return 1
		out_is ok || return 1
	done
	ps 0 run -S "$tmp/merged.ll" -- "$ll" read "$tmp/outside/h" || return 1
	out_is "errno EACCES"
}

# The attacker is the program being learned: its learned rules must hold
# what it used at each call, nothing it arranged afterwards.

# a directory it wrote in, swapped at the end for a symlink to the secret
t_learned_fs_dir_swapped_for_symlink_not_allowed() {
	rm -rf "$tmp/swap" && mkdir -p "$tmp/swap"
	# shellcheck disable=SC2016
	(cd "$tmp/swap" && "$PINSCOPE" learn --fs -o "$tmp/swap.ll" -- sh -c 'mkdir d; echo x > d/f; cat d/key; rm -r d; ln -s "$1" d' sh "$secret") > "$tmp/out" 2> "$tmp/err"
	lacks "^@landlock [a-z]+ $secret" "$tmp/swap.ll" || return 1
	# shellcheck disable=SC2016
	(cd "$tmp/swap" && "$PINSCOPE" run -S "$tmp/swap.ll" -- sh -c 'cat d/key') > "$tmp/out" 2> "$tmp/err"
	lacks "the secret" || return 1
	err_has "Permission denied"
}

# a lookup that failed, of a name it then made a symlink to the secret
t_learned_fs_failed_lookup_made_symlink_not_allowed() {
	rm -rf "$tmp/swap" && mkdir -p "$tmp/swap"
	# shellcheck disable=SC2016
	(cd "$tmp/swap" && "$PINSCOPE" learn --fs -o "$tmp/swap.ll" -- sh -c 'cat key; ln -s "$1/key" key' sh "$secret") > "$tmp/out" 2> "$tmp/err"
	lacks "^@landlock [a-z]+ $secret" "$tmp/swap.ll"
}

# a file name with a newline and a directive in it: never a line of its own
t_learned_fs_newline_in_name_no_directive() {
	evil="$tmp/evil/x
@landlock rw $secret"
	rm -rf "$tmp/evil" "$tmp/swap" && mkdir -p "$(dirname "$evil")" "$tmp/swap" &&
		echo bait > "$evil"
	# from a working directory apart, so that the file gets a rule of its own
	(cd "$tmp/swap" && "$PINSCOPE" learn --fs -o "$tmp/evil.ll" -- cat "$evil") > "$tmp/out" 2> "$tmp/err"
	lacks "^@landlock [a-z]+ $secret" "$tmp/evil.ll" || return 1
	has "^# left out .*x\\\\x0a@landlock rw $secret" "$tmp/evil.ll" || return 1
	ps 0 compile "$tmp/evil.ll" || return 1
	# refused by Landlock, then killed for its message (write was not learned)
	if "$PINSCOPE" run -S "$tmp/evil.ll" -- cat "$secret/key" > "$tmp/out" 2> "$tmp/err"; then
		why="cat ran"
		return 1
	fi
	lacks "the secret"
}

# a setting written: that file rw, /proc ro, never the tree rw (a root
# command could then write every sysctl). The value written is the one
# read, so the host is left as it was.
t_learned_fs_sysctl_written_is_that_file_alone() {
	rm -rf "$tmp/swap" && mkdir -p "$tmp/swap"
	(cd "$tmp/swap" && "$PINSCOPE" learn --fs -o "$tmp/sysctl.ll" -- sh -c 'cat /proc/sys/vm/overcommit_ratio > /proc/sys/vm/overcommit_ratio') > "$tmp/out" 2> "$tmp/err"
	has "^@landlock rw /proc/sys/vm/overcommit_ratio$" "$tmp/sysctl.ll" || return 1
	has "^@landlock ro /proc$" "$tmp/sysctl.ll" || return 1
	lacks "^@landlock rw /proc$" "$tmp/sysctl.ll" || return 1
	# another setting, written back the same way: refused
	(cd "$tmp/swap" && "$PINSCOPE" run -S "$tmp/sysctl.ll" -- sh -c 'cat /proc/sys/vm/overcommit_kbytes > /proc/sys/vm/overcommit_kbytes') > "$tmp/out" 2> "$tmp/err"
	err_has "cannot create /proc/sys/vm/overcommit_kbytes: Permission denied"
}

# a file of $HOME appended to (an O_CREAT open of a file that is there):
# that file, never the whole of $HOME with .ssh in it; an O_EXCL one of a
# file that is there fails, and asks for nothing
t_learned_fs_home_file_appended_is_that_file_alone() {
	rm -rf "$tmp/swap" "$tmp/h2" && mkdir -p "$tmp/swap" "$tmp/h2/.ssh"
	echo key > "$tmp/h2/.ssh/id" && echo old > "$tmp/h2/.hist"
	# shellcheck disable=SC2016
	(cd "$tmp/swap" && HOME="$tmp/h2" "$PINSCOPE" learn --fs -o "$tmp/h2.ll" -- sh -c 'echo new >> "$HOME/.hist"; set -C; echo x 2> /dev/null > "$HOME/.ssh/id"; cat "$HOME/.none" 2> /dev/null; :') > "$tmp/out" 2> "$tmp/err"
	has "^@landlock rw $tmp/h2/.hist$" "$tmp/h2.ll" || return 1
	lacks "^@landlock [a-z]+ $tmp/h2$" "$tmp/h2.ll" || return 1
	# O_CREAT|O_EXCL (noclobber) of a file that is there fails: asks nothing
	lacks "^@landlock [a-z]+ $tmp/h2/.ssh" "$tmp/h2.ll" || return 1
	# shellcheck disable=SC2016
	(cd "$tmp/swap" && HOME="$tmp/h2" "$PINSCOPE" run -S "$tmp/h2.ll" -- sh -c 'cat "$HOME/.ssh/id"; :') > "$tmp/out" 2> "$tmp/err"
	lacks key || return 1
	err_has "Permission denied"
}

# the server learned on port_a, fetched once; then run again, fetched,
# and refused another port: the bind names it
t_learned_net_python3_http_server() {
	setup_workloads || return 1
	mkdir -p "$tmp/www" && echo "served" > "$tmp/www/index.html"
	cat > "$tmp/fetch.py" << 'EOF'
import sys, time, urllib.request
for i in range(100):
    try:
        print(urllib.request.urlopen("http://127.0.0.1:%s/index.html" % sys.argv[1], timeout=5).read().decode().strip())
        break
    except OSError:
        time.sleep(0.05)
EOF
	(cd "$tmp/www" && exec "$PINSCOPE" learn --fs --net -o "$tmp/http.ll" -- python3 -m http.server --bind 127.0.0.1 "$port_a") > /dev/null 2>&1 &
	lp=$!
	got=$(python3 "$tmp/fetch.py" "$port_a")
	kill -INT "$lp"; sleep 0.2; kill -INT "$lp" 2> /dev/null
	wait "$lp"
	[ "$got" = served ] || { why="learning: fetched '$got'"; return 1; }
	has "^@landlock bind-tcp $port_a$" "$tmp/http.ll" || return 1
	(cd "$tmp/www" && exec "$PINSCOPE" run -S "$tmp/http.ll" -- python3 -m http.server --bind 127.0.0.1 "$port_a") > /dev/null 2> "$tmp/srv.err" &
	sp=$!
	got=$(python3 "$tmp/fetch.py" "$port_a")
	kill -INT "$sp"; wait "$sp"
	[ "$got" = served ] || { why="under the learned rules: fetched '$got'; $(head -3 "$tmp/srv.err")"; return 1; }
	(cd "$tmp/www" && "$PINSCOPE" run -S "$tmp/http.ll" -- python3 -m http.server --bind 127.0.0.1 "$port_b") > "$tmp/out" 2> "$tmp/err"
	[ $? != 0 ] || { why="another port was bound"; return 1; }
	err_has "PermissionError|Permission denied"
}

# the client learned on port_a; another port refused, EACCES
t_learned_net_client_other_port_refused() {
	setup_workloads || return 1
	printf 'import socket, sys\ns = socket.socket()\ntry:\n    s.connect(("127.0.0.1", int(sys.argv[1])))\nexcept ConnectionRefusedError:\n    pass\nprint("done")\n' > "$tmp/client.py"
	(cd "$tmp/wd" && "$PINSCOPE" learn --fs --net -o "$tmp/client.ll" -- python3 "$tmp/client.py" "$port_a") > "$tmp/out" 2> "$tmp/err"
	has "^@landlock connect-tcp $port_a$" "$tmp/client.ll" || return 1
	ps 0 run -S "$tmp/client.ll" -- python3 "$tmp/client.py" "$port_a" || return 1
	out_is "done" || return 1
	"$PINSCOPE" run -S "$tmp/client.ll" -- python3 "$tmp/client.py" "$port_b" > "$tmp/out" 2> "$tmp/err"
	err_has "PermissionError: \\[Errno 13\\]"
}

if ! "$PINSCOPE" explain --ro / 2> /dev/null | grep -q 'Landlock ABI [1-9]'; then
	echo "ok 1 # SKIP this kernel has no Landlock"
	echo "1..1"
	exit 0
fi
for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	case "$t" in
	*tar*) p=tar ;; *gcc*) p=gcc ;; *git*) p=git ;; *sqlite3*) p=sqlite3 ;;
	*python3* | *client*) p=python3 ;; *) p= ;;
	esac
	if [ "$t" = t_rule_path_through_another_users_symlink_refused ] &&
		[ "$(id -u)" != 0 ]; then
		skip_test "$t" "not root: cannot plant another user's symlink"
		continue
	fi
	if [ -n "$p" ] && ! command -v "$p" > /dev/null; then
		skip_test "$t" "$p is not installed"
		continue
	fi
	run_test "$t"
done
tap_end
