#!/bin/sh
# Host tests of the other formats, TAP: OCI profiles in (run --oci),
# minijail, OCI and systemd out (convert, learn --format), status --json.
# Real workloads run confined; refusals are checked by their errno.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/formats.sh
set -u
. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")" && pwd)
oci=$here/oci-seccomp
docker=$oci/docker-default.json
probe=$PROGS/probe
# Docker's default capabilities for a container (moby's oci/caps): what
# its profile's includes and excludes are written against
dcaps=CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW
dcaps=$dcaps,CAP_SETGID,CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE
dcaps=$dcaps,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE

# docker_probe WANT SYSCALL ARGS...: the probe's answer under Docker's profile
docker_probe() {
	want=$1
	shift
	ps 0 run --oci "$docker" --oci-caps "$dcaps" -- "$probe" "$@" || return 1
	[ "$(cat "$tmp/out")" = "$want" ] ||
		{ why="$*: $(cat "$tmp/out"), wanted $want"; return 1; }
}

# ---- Docker's default profile runs real workloads unchanged ----

t_docker_runs_a_python_script() {
	cat > "$tmp/script.py" <<'EOF'
import hashlib, json, os, subprocess, tempfile
d = tempfile.mkdtemp()
with open(os.path.join(d, "f"), "w") as f:
    json.dump({"n": list(range(1000))}, f)
with open(os.path.join(d, "f")) as f:
    n = sum(json.load(f)["n"])
out = subprocess.run(["echo", "child"], capture_output=True, text=True).stdout
print(n, hashlib.sha256(b"x").hexdigest()[:8], out.strip())
EOF
	ps 0 run --oci "$docker" --oci-caps "$dcaps" -- python3 "$tmp/script.py" || return 1
	out_is "499500 2d711642 child"
}

t_docker_runs_a_bash_pipeline() {
	ps 0 run --oci "$docker" --oci-caps "$dcaps" -- bash -c \
		'seq 1 5000 | sort -rn | awk "{ s += \$1 } END { print s }" | tee /dev/null | wc -c' ||
		return 1
	out_is "9"
}

t_docker_runs_a_tar_round_trip() {
	mkdir -p "$tmp/src/sub" "$tmp/dst"
	seq 1 3000 > "$tmp/src/sub/numbers"
	ln -s sub/numbers "$tmp/src/link"
	ps 0 run --oci "$docker" --oci-caps "$dcaps" -- sh -c \
		"tar -C '$tmp/src' -czf '$tmp/a.tgz' . && tar -C '$tmp/dst' -xzf '$tmp/a.tgz'" ||
		return 1
	diff -r "$tmp/src" "$tmp/dst" > /dev/null || { why="the tree changed"; return 1; }
	[ -L "$tmp/dst/link" ] || { why="the symlink was lost"; return 1; }
}

# ---- and refuses what Docker refuses, with Docker's errno ----

t_docker_refusals_and_errnos() {
	# defaultErrnoRet is 1 (EPERM); clone3 without CAP_SYS_ADMIN: 38
	grep -q '"defaultErrnoRet": 1,' "$docker" || { why="Docker's default errno changed"; return 1; }
	docker_probe "errno EPERM" mount 0 0 0 0 0 || return 1
	docker_probe "errno EPERM" unshare 0x10000000 || return 1	# CLONE_NEWUSER
	docker_probe "errno EPERM" keyctl 0 0 0 || return 1
	docker_probe "errno EPERM" personality 0x40000 || return 1	# ADDR_NO_RANDOMIZE
	docker_probe "errno EPERM" socket 40 1 0 || return 1		# AF_VSOCK
	docker_probe "errno ENOSYS" clone3 0 0 || return 1
	# what it allows: personality's query, other families, the rest
	docker_probe "ok 0" personality 0xffffffff || return 1
	for call in "getppid" "socket 1 1 0"; do
		# shellcheck disable=SC2086
		ps 0 run --oci "$docker" --oci-caps "$dcaps" -- "$probe" $call || return 1
		has '^ok [0-9]+$' "$tmp/out" || return 1
	done
}

t_docker_capabilities_decide_entries() {
	# with CAP_SYS_ADMIN the profile allows unshare (and mount)
	ps 0 run --oci "$docker" --oci-caps "$dcaps,CAP_SYS_ADMIN" -- "$probe" unshare 0x20000 || return 1
	out_is "ok 0" || return 1
	# clone3 is then allowed too: EFAULT from the kernel, not ENOSYS
	ps 0 run --oci "$docker" --oci-caps "$dcaps,CAP_SYS_ADMIN" -- "$probe" clone3 0 88 || return 1
	out_is "errno EFAULT" || return 1
	# a non-root launcher has none of them (no ambient capabilities)
	ps 0 run --oci "$docker" --oci-caps none -- "$probe" reboot || return 1
	out_is "errno EPERM"
}

t_docker_verbose_names_skipped() {
	ps 0 compile -v --oci "$docker" --oci-caps "$dcaps" || return 1
	# i386's own names (_llseek, mmap2) are i386's: the profile admits x86
	has 'skipped, not syscalls of x86_64 or i386 up to Linux 6.12: .*riscv_hwprobe' "$tmp/err" || return 1
	lacks 'skipped, .*_llseek' "$tmp/err" || return 1
	has 'syscalls\[[0-9]+\]: left out by its includes or excludes' "$tmp/err" || return 1
	# the native archMap entry names x86 and x32: admitted, as by Docker
	ps 0 explain --oci "$docker" --oci-caps "$dcaps" --call 'keyctl(0)' || return 1
	out_is "keyctl(0, 0, 0, 0, 0, 0): errno:EPERM after 6 instructions" 2> /dev/null ||
		has 'keyctl.*errno:EPERM' "$tmp/out"
}

# ---- bad profiles: located, exit 2, nothing runs ----

# bad_profile JSON MESSAGE: the error names the place and the command never ran
bad_profile() {
	printf '%s\n' "$1" > "$tmp/bad.json"
	rm -f "$tmp/ran"
	ps 2 run --oci "$tmp/bad.json" -- touch "$tmp/ran" || return 1
	[ ! -e "$tmp/ran" ] || { why="the command ran"; return 1; }
	has "$2" "$tmp/err"
}

t_bad_json_has_line_and_column() {
	bad_profile '{
  "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", } ]
}' 'bad.json:3:66: error: bad JSON' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO"' 'bad.json:2:1: error: bad JSON: unexpected end of file' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO" } x' 'bad.json:1:39: error: bad JSON' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"],
 "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 18446744073709551616, "op": "SCMP_CMP_EQ" } ] } ] }' \
		'bad.json:2:63: error: integer above 2\^64-1'
}

t_bad_values_name_their_json_path() {
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_DENY" } ] }' \
		"bad.json: error: \\\$.syscalls\\[0\\].action: unknown action 'SCMP_ACT_DENY'" || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_MASKED_NE" } ] } ] }' \
		"\\\$.syscalls\\[0\\].args\\[0\\].op: unknown operator 'SCMP_CMP_MASKED_NE'" || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 6, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] }' \
		'\$.syscalls\[0\].args\[0\].index: 6 is above 5' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_TRACE" }' '\$.defaultAction: SCMP_ACT_TRACE cannot be honoured' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_NOTIFY" } ] }' \
		'SCMP_ACT_NOTIFY cannot be honoured' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1 }' \
		'\$.defaultErrnoRet: SCMP_ACT_ALLOW takes no errno' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] }' \
		'\$.flags\[0\]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not honoured' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW" } ] }' \
		"use either 'name' or 'names'" || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "4.15abc" } } ] }' \
		'minKernel: invalid kernel version' || return 1
	bad_profile '{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoret": 1 }' \
		'\$: unknown member "defaultErrnoret"'
}

t_oci_semantics_of_args_actions_and_order() {
	# distinct indexes: AND; one index twice: OR (runc); KILL is KILL_THREAD;
	# the first entry that holds decides
	cat > "$tmp/p.json" <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
      "args": [ { "index": 0, "value": 2147483632, "op": "SCMP_CMP_EQ" },
                { "index": 1, "value": 7, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["getsid"], "action": "SCMP_ACT_ERRNO",
      "args": [ { "index": 0, "value": 2147483637, "op": "SCMP_CMP_EQ" },
                { "index": 0, "value": 2147483639, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
      "args": [ { "index": 0, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ" } ] },
    { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2 },
    { "names": ["sync"], "action": "SCMP_ACT_KILL" }
  ] }
EOF
	# (no process has the ids 0x7ffffff0 to 0x7ffffff7: ESRCH when allowed)
	decides --oci "$tmp/p.json" "getpgid 0x7ffffff0 7=errno EACCES" "getpgid 0x7ffffff0 8=errno ESRCH" \
		"getsid 0x7ffffff7=errno EPERM" "getsid 0x7ffffff5=errno EPERM" \
		"getsid 0x7ffffff6=errno ESRCH" \
		"getppid 0x1f=errno EINVAL" "getppid 0x20=errno ENOENT" || return 1
	ps 159 run --oci "$tmp/p.json" -- "$probe" sync || return 1
	ps 0 explain --oci "$tmp/p.json" --call 'sync()' || return 1
	has 'sync\(.*\): kill-thread' "$tmp/out"
}

# ---- writers ----

t_convert_writes_three_formats() {
	ps 0 convert --to minijail --oci-caps "$dcaps" -o "$tmp/d.policy" "$docker" || return 1
	has '^@default-action return EPERM$' "$tmp/d.policy" || return 1
	has '^clone3: return ENOSYS$' "$tmp/d.policy" || return 1
	has '^socket: arg0 <= 0x25 \|\| arg0 == 0x27 \|\| arg0 >= 0x29$' "$tmp/d.policy" || return 1
	ps 0 convert --to oci -o "$tmp/d.json" "$tmp/d.policy" || return 1
	python3 "$oci/validate.py" "$tmp/d.json" > "$tmp/v" 2>&1 || { why="schema: $(cat "$tmp/v")"; return 1; }
	ps 0 convert --to systemd -o "$tmp/d.conf" "$tmp/d.json" || return 1
	has '^NoNewPrivileges=yes$' "$tmp/d.conf" || return 1
	has '^SystemCallArchitectures=native$' "$tmp/d.conf" || return 1
	has '^SystemCallErrorNumber=EPERM$' "$tmp/d.conf" || return 1
	has '^# socket: allowed only when .*systemd has no argument filters: allowed always$' "$tmp/d.conf" || return 1
	has '^SystemCallFilter=.* socket' "$tmp/d.conf" || return 1
	# a refused output leaves no file
	printf 'getpid: arg0 == 1; return EPERM\ngetppid: errno EPERM\n' > "$tmp/ok.policy"
	ps 0 convert --to oci "$tmp/ok.policy" || return 1
	ps 2 convert --to nosuch "$tmp/ok.policy" || return 1
	ps 2 convert --to oci || return 1
	ps 2 convert --to oci "$tmp/nonexistent.policy"
}

t_converted_docker_profile_runs_and_refuses_the_same() {
	ps 0 convert --to minijail --oci-caps "$dcaps" -o "$tmp/d.policy" "$docker" || return 1
	ps 0 convert --to oci -o "$tmp/d.json" "$tmp/d.policy" || return 1
	for how in "-S $tmp/d.policy" "--oci $tmp/d.json"; do
		# shellcheck disable=SC2086
		ps 0 run $how -- "$probe" mount 0 0 0 0 0 || return 1
		out_is "errno EPERM" || { why="$how: $why"; return 1; }
		# shellcheck disable=SC2086
		ps 0 run $how -- "$probe" clone3 0 0 || return 1
		out_is "errno ENOSYS" || { why="$how: $why"; return 1; }
		# shellcheck disable=SC2086
		ps 0 run $how -- bash -c 'seq 100 | sort -n | tail -n 1' || return 1
		out_is 100 || { why="$how: $why"; return 1; }
	done
}

t_systemd_output_reads_back() {
	printf 'getppid: 1\ngetpid: arg0 == 0\n@critical: 1\n' > "$tmp/s.policy"
	ps 0 convert --to systemd -o "$tmp/s.conf" "$tmp/s.policy" || return 1
	has '^# getpid: allowed only when arg0 == 0; systemd has no argument filters: allowed always$' "$tmp/s.conf" || return 1
	# every SystemCallFilter= line, as pinscope reads systemd's values
	set --
	while read -r line; do
		set -- "$@" --systemd "${line#SystemCallFilter=}"
	done <<EOF
$(grep '^SystemCallFilter=' "$tmp/s.conf")
EOF
	ps 0 run "$@" -- "$probe" getpid 7 || return 1
	has '^ok' "$tmp/out" || return 1
	ps 159 run "$@" -- "$probe" reboot
}

t_learned_policy_runs_in_each_format() {
	seq 3000 | sort -R > "$tmp/numbers"
	sort -n "$tmp/numbers" > "$tmp/want"
	for f in minijail oci systemd; do
		ps 0 learn --args --format $f -o "$tmp/learned.$f" -- sort -n "$tmp/numbers" ||
			{ why="learn --format $f: $why"; return 1; }
	done
	python3 "$oci/validate.py" "$tmp/learned.oci" > "$tmp/v" 2>&1 || { why="schema: $(cat "$tmp/v")"; return 1; }
	ps 0 run -S "$tmp/learned.minijail" -- sort -n "$tmp/numbers" || return 1
	cmp -s "$tmp/out" "$tmp/want" || { why="minijail: other output"; return 1; }
	ps 0 run --oci "$tmp/learned.oci" -- sort -n "$tmp/numbers" || return 1
	cmp -s "$tmp/out" "$tmp/want" || { why="oci: other output"; return 1; }
	set --
	while read -r line; do
		set -- "$@" --systemd "${line#SystemCallFilter=}"
	done <<EOF
$(grep '^SystemCallFilter=' "$tmp/learned.systemd")
EOF
	ps 0 run "$@" -- sort -n "$tmp/numbers" || return 1
	cmp -s "$tmp/out" "$tmp/want" || { why="systemd: other output"; return 1; }
	# each still refuses what sort never did
	ps 159 run -S "$tmp/learned.minijail" -- "$probe" reboot || return 1
	ps 159 run --oci "$tmp/learned.oci" -- "$probe" reboot || return 1
	ps 2 learn --format nosuch -- true
}

t_learned_oci_profile_survives_jq() {
	# jq (1.6) reads numbers as doubles: a mask such as ~1 comes back as
	# 2^64. A learned profile (its implicit futex rule, its --args values)
	# holds no number a double cannot carry, and reads back through jq.
	seq 300 | sort -R > "$tmp/numbers"
	ps 0 learn --args --format oci -o "$tmp/l.json" -- sort -n "$tmp/numbers" || return 1
	jq -e '[.. | numbers | select(. > 9007199254740992)] | length == 0' "$tmp/l.json" > /dev/null ||
		{ why="numbers above 2^53: $(jq -c '[.. | numbers | select(. > 9007199254740992)]' "$tmp/l.json")"; return 1; }
	jq . "$tmp/l.json" > "$tmp/jq.json" || { why="jq failed"; return 1; }
	ps 0 compile --oci "$tmp/jq.json" || return 1
	ps 0 run --oci "$tmp/jq.json" -- sort -n "$tmp/numbers" || return 1
	[ "$(tail -n 1 "$tmp/out")" = 300 ] || { why="sort printed $(tail -n 1 "$tmp/out") last"; return 1; }
	ps 159 run --oci "$tmp/jq.json" -- "$probe" reboot
}

# ---- status --json: one writer, typed values ----

t_status_json_types_its_values() {
	cp "$(command -v sleep)" "$tmp/12345"
	"$tmp/12345" 5 &
	pid=$!
	sleep 0.2
	ps 0 status --json "$pid"
	rc=$?
	kill "$pid"
	[ "$rc" = 0 ] || return 1
	python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))["process"]
assert p["Name"] == "12345", p
assert isinstance(p["pid"], int) and isinstance(p["Seccomp"], int), p' "$tmp/out" ||
		{ why="not typed: $(cat "$tmp/out")"; return 1; }
}

t_status_shows_the_lsms_and_yamas_ptrace_scope() {
	ps 0 status --json || return 1
	# the oracles: securityfs's list (mounted in a namespace of its own
	# where it is not mounted), Yama's sysctl
	want=$(cat /sys/kernel/security/lsm 2> /dev/null ||
		unshare -m sh -c 'mount -t securityfs none /sys/kernel/security && cat /sys/kernel/security/lsm' 2> /dev/null)
	scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2> /dev/null || echo none)
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
want, scope = sys.argv[2], sys.argv[3]
if want:
    assert s["lsm"]["active"] == want, (s["lsm"], want)
if scope == "none":
    assert s["yama"] == {"active": False}, s["yama"]
else:
    assert s["yama"] == {"active": True, "ptrace_scope": int(scope)}, s["yama"]' "$tmp/out" "$want" "$scope" ||
		{ why="status: $(cat "$tmp/out"), wanted LSMs '$want', Yama scope $scope"; return 1; }
	ps 0 status || return 1
	has '^yama:$' "$tmp/out"
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	if [ "$t" = t_learned_oci_profile_survives_jq ] && ! command -v jq > /dev/null; then
		skip_test "$t" "jq is not installed (make deps installs it)"
		continue
	fi
	run_test "$t"
done
tap_end
