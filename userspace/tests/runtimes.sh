#!/bin/sh
# The container runtimes' own seccomp test cases that fit a plain host,
# adapted: each profile run by `pinscope run --oci` (or decided by explain,
# which runs the compiled program in the BPF interpreter) must give what the
# runtime's test asserts, errno for errno. Each test names its source
# (repository, path, commit). tests/unit/runtimes_test.c holds the same
# profiles' programs against the oracle, and runc's ENOSYS stub tests.
#
# usage: PINSCOPE=path/to/pinscope PROGS=dir/of/test/programs sh tests/runtimes.sh
set -u
. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")" && pwd)
rt=$here/oci-seccomp/runtimes
docker=$here/oci-seccomp/docker-default.json
podman=$rt/containers-common-seccomp.json
probe=$PROGS/probe
RUNC=76d9cf5da5683ff449ae967db58fa8c5927ca54b
CRUN=ba38286f7d232be8087dbd393315bb05018da68c
MOBY=b985e2313a8676e18072b442911fc8f64f17d440
COMMON=f437c58aab67eec2b1c942f7ad4fec37a25a3766

# profile JSON: $tmp/p.json
profile() {
	printf '%s\n' "$1" > "$tmp/p.json"
}

# call_is PROFILE CAPS 'CALL(ARGS)' WANT: explain's decision is WANT
call_is() {
	ps 0 explain --oci "$1" --oci-caps "$2" --call "$3" || return 1
	has ": $4 after" || { why="$3 under $(basename "$1") ($2): $(cat "$tmp/out"), wanted $4"; return 1; }
}

# probe_is PROFILE 'SYSCALL ARGS' WANT: the probe's answer ("ok" for any)
probe_is() {
	# shellcheck disable=SC2086 # the call's words
	ps 0 run --oci "$1" -- "$probe" $2 || return 1
	case "$3" in
	ok) grep -q '^ok' "$tmp/out" || { why="$2: $(cat "$tmp/out"), wanted ok"; return 1; } ;;
	*) [ "$(cat "$tmp/out")" = "$3" ] || { why="$2: $(cat "$tmp/out"), wanted $3"; return 1; } ;;
	esac
}

# ---- runc: tests/integration/seccomp.bats ($RUNC) ----

# "runc run [seccomp -ENOSYS handling]": testdata/seccomp_syscall_test1.{c,json}
t_runc_enosys_handling() {
	ps 0 run --oci "$rt/runc-seccomp_syscall_test1.json" -- "$PROGS/runc-syscalls" test1 || return 1
	out_is "all passed"
}

# "runc run [seccomp defaultErrnoRet=ENXIO]": testdata/seccomp_syscall_test2.{c,json}
t_runc_default_errno_ret_enxio() {
	ps 0 run --oci "$rt/runc-seccomp_syscall_test2.json" -- "$PROGS/runc-syscalls" test2 || return 1
	out_is "all passed"
}

# "runc run [seccomp] (SCMP_ACT_ERRNO default)"
t_runc_errno_default_errno() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["mkdir","mkdirat"], "action":"SCMP_ACT_ERRNO"}]}'
	ps 1 run --oci "$tmp/p.json" -- mkdir "$tmp/foo" || return 1
	err_has "mkdir:.*foo.*Operation not permitted" || return 1
	[ ! -e "$tmp/foo" ] || { why="the directory was made"; return 1; }
}

# "runc run [seccomp] (SCMP_ACT_ERRNO explicit errno)"
t_runc_errno_explicit_errno() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["mkdir","mkdirat"], "action":"SCMP_ACT_ERRNO", "errnoRet": 100}]}'
	ps 1 run --oci "$tmp/p.json" -- mkdir "$tmp/foo" || return 1
	err_has "Network is down"
}

# "runc run [seccomp] (SECCOMP_FILTER_FLAG_*)": every set of the flags runc
# knows loads, still refuses mkdir, and reaches seccomp(2) as runc's debug
# log shows it: no "flags" at all means SPEC_ALLOW (runc's default), [] none
t_runc_filter_flags() {
	if ! command -v strace > /dev/null; then
		why="strace is not installed: the flags seccomp(2) gets cannot be seen"
		return 1
	fi
	for flags in REMOVE '[]' '["SECCOMP_FILTER_FLAG_TSYNC"]' \
		'["SECCOMP_FILTER_FLAG_LOG"]' '["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' \
		'["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'; do
		case "$flags" in
		REMOVE) member= want=SECCOMP_FILTER_FLAG_SPEC_ALLOW ;;
		'[]'|*TSYNC\"\]) member="\"flags\": $flags," want=0 ;;
		*LOG*SPEC*) member="\"flags\": $flags," want='SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW' ;;
		*LOG*) member="\"flags\": $flags," want=SECCOMP_FILTER_FLAG_LOG ;;
		*) member="\"flags\": $flags," want=SECCOMP_FILTER_FLAG_SPEC_ALLOW ;;
		esac
		profile "{\"defaultAction\":\"SCMP_ACT_ALLOW\", $member
			\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"], \"action\":\"SCMP_ACT_ERRNO\"}]}"
		# LeakSanitizer cannot run under ptrace; the rest of ASan can
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
			strace -f -qq -o "$tmp/strace" -e trace=seccomp -e signal=none \
			"$PINSCOPE" run --oci "$tmp/p.json" -- mkdir "$tmp/foo" > "$tmp/out" 2> "$tmp/err"
		got=$?
		exited 1 "$got" "$tmp/err" "flags $flags" || return 1
		err_has "Operation not permitted" || return 1
		# the command's filter is the last one loaded (after the launcher's own)
		last=$(grep 'SECCOMP_SET_MODE_FILTER' "$tmp/strace" | tail -n 1)
		case "$last" in
		*"SECCOMP_SET_MODE_FILTER, $want, "*) ;;
		*) why="flags $flags: the filter was loaded as '$last', wanted $want"; return 1 ;;
		esac
	done
}

# "runc run [seccomp] (SCMP_ACT_KILL)": SIGSYS, the shell sees 159
t_runc_kill() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["mkdir","mkdirat"], "action":"SCMP_ACT_KILL"}]}'
	ps 159 run --oci "$tmp/p.json" -- mkdir "$tmp/foo" || return 1
	[ ! -e "$tmp/foo" ] || { why="the directory was made"; return 1; }
}

# "runc run [seccomp] (verify syscall compatibility after seccomp enforcement)"
t_runc_syscall_compatibility() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["close_range", "fsopen", "fsconfig", "fspick", "openat2", "open_tree", "move_mount", "mount_setattr"], "action":"SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	ps 0 run --oci "$tmp/p.json" -- true || return 1
	probe_is "$tmp/p.json" "openat2 0 0 0 0" "errno ENOSYS"
}

# ---- crun: tests/test_seccomp.py ($CRUN); crun only asserts that each runs,
# so each gets the decision its profile means as well ----

# test_seccomp_block_syscall
t_crun_block_syscall() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
	probe_is "$tmp/p.json" getpid "errno EPERM" || return 1
	probe_is "$tmp/p.json" getppid ok
}

# test_seccomp_allow_default, test_seccomp_architectures, test_seccomp_flags
t_crun_allow_default_arches_and_log_flag() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW"}'
	ps 0 run --oci "$tmp/p.json" -- true || return 1
	profile '{"defaultAction":"SCMP_ACT_ALLOW",
		"architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]}'
	ps 0 run --oci "$tmp/p.json" -- true || return 1
	profile '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG"]}'
	ps 0 run --oci "$tmp/p.json" -- true || return 1
	ps 0 explain --oci "$tmp/p.json" || return 1
	out_has "loaded with SECCOMP_FILTER_FLAG_LOG"
}

# test_seccomp_log_action, test_seccomp_multiple_syscalls,
# test_seccomp_comparison_ops: logged calls run
t_crun_log_actions() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
		{"names":["getcwd"],"action":"SCMP_ACT_LOG"},
		{"names":["getpid","getppid","getuid","getgid"],"action":"SCMP_ACT_LOG"},
		{"names":["ioctl"],"action":"SCMP_ACT_LOG","args":[{"index":1,"value":0,"op":"SCMP_CMP_NE"}]},
		{"names":["write"],"action":"SCMP_ACT_LOG","args":[{"index":2,"value":1024,"op":"SCMP_CMP_GT"}]}]}'
	ps 0 run --oci "$tmp/p.json" -- true || return 1
	probe_is "$tmp/p.json" getuid ok || return 1
	call_is "$tmp/p.json" none 'write(1, 0, 2000)' log || return 1
	call_is "$tmp/p.json" none 'write(1, 0, 1024)' allow
}

# test_seccomp_kill_action: default KILL with crun's short list; crun
# accepts a run or a kill, pinscope's decisions are exact: KILL is
# KILL_THREAD, and numbers above the highest named (rseq) get ENOSYS
t_crun_kill_default() {
	profile '{"defaultAction":"SCMP_ACT_KILL","syscalls":[{"names":
		["read","write","exit","exit_group","rt_sigreturn","brk","mmap","munmap","mprotect","arch_prctl",
		 "set_tid_address","set_robust_list","rseq","prlimit64","futex","getrandom","close",
		 "execve","openat","newfstatat","fstat","access","readlink","getuid","getgid","geteuid","getegid"],
		"action":"SCMP_ACT_ALLOW"}]}'
	call_is "$tmp/p.json" none 'getppid()' kill-thread || return 1
	call_is "$tmp/p.json" none 'statx(0)' kill-thread || return 1
	call_is "$tmp/p.json" none 'mseal(0)' errno:ENOSYS || return 1
	call_is "$tmp/p.json" none 'getuid()' allow
}

# test_seccomp_syscall_args: ioctl(_, TCGETS) refused, others not
t_crun_syscall_args() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ioctl"],
		"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":1,"value":21505,"op":"SCMP_CMP_EQ"}]}]}'
	probe_is "$tmp/p.json" "ioctl 0 0x5401 0" "errno EPERM" || return 1
	ps 0 run --oci "$tmp/p.json" -- "$probe" ioctl 0 0x5402 0 || return 1
	lacks "EPERM" || return 1
	ps 0 run --oci "$tmp/p.json" -- true
}

# test_seccomp_errno_default: default ERRNO 1 with crun's list
t_crun_errno_default() {
	profile '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[{"names":
		["read","write","exit","exit_group","rt_sigreturn","brk","mmap","munmap","mprotect","arch_prctl",
		 "set_tid_address","set_robust_list","rseq","prlimit64","futex","getrandom","close",
		 "execve","openat","newfstatat","fstat","access","readlink","getuid","getgid","geteuid","getegid",
		 "prctl","uname","readlinkat","fcntl","dup","dup2","dup3","lseek","ioctl","getcwd","chdir","rt_sigaction",
		 "rt_sigprocmask","sigaltstack","clock_gettime","gettid","tgkill","getpid","getppid","wait4","pread64"],
		"action":"SCMP_ACT_ALLOW"}]}'
	probe_is "$tmp/p.json" getppid ok || return 1
	probe_is "$tmp/p.json" "getsid 0" "errno EPERM" || return 1
	probe_is "$tmp/p.json" "500" "errno ENOSYS"
}

# test_annotation_seccomp_fail_unknown_syscall (without the annotation):
# an unknown name is skipped, the profile loads and runs
t_crun_unknown_syscall_ignored() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["this_syscall_does_not_exist_12345"],
		"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
	ps 0 run --oci "$tmp/p.json" -- true
}

# ---- moby: integration-cli/docker_cli_run_unix_test.go ($MOBY) ----

# TestRunSeccompProfileDenyUnshare (and DenyUnshareUserns: CLONE_NEWUSER only)
t_moby_deny_unshare() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"unshare","action":"SCMP_ACT_ERRNO"}]}'
	ps 1 run --oci "$tmp/p.json" -- unshare -p -m -f -r mount -t proc none /proc || return 1
	err_has "Operation not permitted" || return 1
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"unshare","action":"SCMP_ACT_ERRNO",
		"args":[{"index":0,"value":268435456,"op":"SCMP_CMP_EQ"}]}]}'
	ps 1 run --oci "$tmp/p.json" -- unshare --map-root-user --user sh -c whoami || return 1
	err_has "Operation not permitted" || return 1
	probe_is "$tmp/p.json" "unshare 0" ok
}

# TestRunSeccompProfileDenyChmod, TestRunSeccompJSONNewFormat
t_moby_deny_chmod() {
	: > "$tmp/f"
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"chmod","action":"SCMP_ACT_ERRNO"},
		{"name":"fchmod","action":"SCMP_ACT_ERRNO"},{"name":"fchmodat","action":"SCMP_ACT_ERRNO"}]}'
	ps 1 run --oci "$tmp/p.json" -- chmod 400 "$tmp/f" || return 1
	err_has "Operation not permitted" || return 1
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod","fchmod","fchmodat"],"action":"SCMP_ACT_ERRNO"}]}'
	ps 1 run --oci "$tmp/p.json" -- chmod 777 "$tmp/f" || return 1
	err_has "Operation not permitted"
}

# TestRunSeccompJSONNoNameAndNames, TestRunSeccompJSONNoArchAndArchMap
t_moby_refuses_name_and_names_and_arch_pairs() {
	profile '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"chmod","names":["fchmod","fchmodat"],"action":"SCMP_ACT_ERRNO"}]}'
	ps 2 run --oci "$tmp/p.json" -- true || return 1
	err_has "use either 'name' or 'names'" || return 1
	profile '{"archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
		"architectures":["SCMP_ARCH_X32"],"defaultAction":"SCMP_ACT_ALLOW",
		"syscalls":[{"names":["chmod","fchmod","fchmodat"],"action":"SCMP_ACT_ERRNO"}]}'
	ps 2 run --oci "$tmp/p.json" -- true || return 1
	err_has "archMap"
}

# TestRunSeccompProfileDenyCloneUserns, TestRunSeccompDefaultProfileNS,
# TestRunSeccompWithDefaultProfile: namespaces need CAP_SYS_ADMIN
t_moby_default_profile_namespaces() {
	call_is "$docker" docker 'clone(0x10000000)' errno:EPERM || return 1
	call_is "$docker" docker 'unshare(0x20000)' errno:EPERM || return 1
	call_is "$docker" docker,CAP_SYS_ADMIN 'unshare(0x20000)' allow || return 1
	call_is "$docker" CAP_SYS_ADMIN 'unshare(0x20000)' allow || return 1
	ps 1 run --oci "$docker" -- unshare --map-root-user --user sh -c whoami || return 1
	err_has "unshare failed: Operation not permitted"
}

# TestRunSeccompDefaultProfileAcct: acct needs CAP_SYS_PACCT, not SYS_ADMIN
t_moby_default_profile_acct() {
	call_is "$docker" docker 'acct(0)' errno:EPERM || return 1
	call_is "$docker" docker,CAP_SYS_ADMIN 'acct(0)' errno:EPERM || return 1
	call_is "$docker" docker,CAP_SYS_PACCT 'acct(0)' allow || return 1
	call_is "$docker" CAP_SYS_PACCT 'acct(0)' allow || return 1
	# as root, the path is looked up when seccomp lets it through
	if [ "$(id -u)" = 0 ]; then
		ps 0 run --oci "$docker" --oci-caps docker,CAP_SYS_PACCT -- "$probe" acct 1 || return 1
		out_is "errno EFAULT"
	fi
}

# TestRunSeccompProfileAllow32Bit: syscall-test's exit32 (int 0x80 exit(0))
t_moby_allow_32bit_exit() {
	ps 0 run --oci "$docker" -- "$probe" --int80 exit 0 || return 1
	out_is ""
}

# issue 22 item 4 (moby's exit32 and "socketcall(AF_INET) fails"): i386's
# own syscalls are resolved in i386's table where the archMap admits x86:
# the kernel runs socketcall (EFAULT for its NULL arguments), mmap2 and
# _llseek (EBADF for their closed descriptors) rather than the default's EPERM; a profile of x86_64 alone kills
# every i386 call
t_moby_i386_names_in_i386_table() {
	for c in "socketcall 1 0=errno EFAULT" "_llseek 99 0 0=errno EBADF" "mmap2 0 4096 1 2 -1=errno EBADF"; do
		# shellcheck disable=SC2086 # the call's words
		ps 0 run --oci "$docker" -- "$probe" --int80 ${c%%=*} || return 1
		out_is "${c#*=}" || return 1
	done
	profile '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
		"syscalls":[{"names":["socketcall","execve","exit_group","brk","mmap","openat","read","close",
		"newfstatat","fstat","arch_prctl","set_tid_address","set_robust_list","rseq","mprotect",
		"prlimit64","munmap","getrandom","write","pread64","access"],"action":"SCMP_ACT_ALLOW"}]}'
	ps 159 run --oci "$tmp/p.json" -- "$probe" --int80 socketcall 1 0 || return 1
	ps 0 syscalls socketcall || return 1
	out_is "i386 102 socketcall"
}

# TestRunSeccompAllowSetrlimit
t_moby_allow_setrlimit() {
	ps 0 run --oci "$docker" -- bash -c 'ulimit -v 1048510'
}

# ---- containers-common: pkg/seccomp ($COMMON) ----

# TestLoadDefaultProfile, TestLoadProfile: the profiles load (defaultErrno
# read as Podman reads it: ENOSYS) and run what Docker's runs
t_common_profiles_load_and_run() {
	ps 0 compile --oci "$podman" || return 1
	ps 0 compile --oci "$rt/containers-common-example.json" || return 1
	ps 0 explain --oci "$podman" || return 1
	out_has "# default action: errno:ENOSYS" || return 1
	out_has "read with the capabilities: docker" || return 1
	ps 0 run --oci "$podman" -- sh -c 'ls -l / > /dev/null && stat / > /dev/null && echo ok' || return 1
	out_is ok || return 1
	probe_is "$podman" "bpf 0 0 0" "errno EPERM" || return 1
	# run by the kernel (a NULL path), not refused: 6.12 names it
	probe_is "$podman" "fchmodat2 -100 0 0 0" "errno EFAULT" || return 1
	probe_is "$podman" "500" "errno ENOSYS"
}

# TestValidateProfile: the four inputs, refused where Podman refuses them
t_common_validate_profile() {
	profile '{"defaultAction": "SCMP_ACT_KILL"}'
	ps 0 compile --oci "$tmp/p.json" || return 1
	profile 'wrong'
	printf 'wrong\n' > "$tmp/p.json"
	ps 2 compile --oci "$tmp/p.json" || return 1
	profile '{"defaultAction": "SCMP_ACT_KILL", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86"}]}'
	ps 2 compile --oci "$tmp/p.json" || return 1
	profile '{"defaultAction": "SCMP_ACT_KILL", "architectures": ["SCMP_ARCH_X86"], "syscalls": [{ "name": "open" }]}'
	ps 2 compile --oci "$tmp/p.json"
}

# getErrno (seccomp_linux.go): a number or a name; an unknown name refused
t_common_errno_strings() {
	profile '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"defaultErrno":"ENXIO",
		"syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"errno":"22"}]}'
	call_is "$tmp/p.json" none 'getpid()' errno:EINVAL || return 1
	call_is "$tmp/p.json" none 'getppid()' errno:ENXIO || return 1
	profile '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrno":"ENOSUCHERRNO"}'
	ps 2 compile --oci "$tmp/p.json" || return 1
	err_has "unknown errno 'ENOSUCHERRNO'"
}

# ---- issue 22: a policy names the 6.12 syscalls (tables from the kernels) ----

# cachestat, fchmodat2 and mseal by name, in a minijail policy; on a kernel
# that has them the kernel runs what the policy allows (EFAULT, EBADF from
# its own checks), and a kernel that lacks them says ENOSYS
t_policy_names_the_6_12_syscalls() {
	printf 'cachestat: 1\nfchmodat2: arg3 == 0; return EACCES\nmseal: return EPERM\n@critical: 1\n' > "$tmp/new.policy"
	ps 0 compile "$tmp/new.policy" || return 1
	ps 0 explain "$tmp/new.policy" || return 1
	has '^cachestat \(451\)' || return 1
	has '^fchmodat2 \(452\)' || return 1
	has '^mseal \(462\)' || return 1
	# by number: the probe resolves names with libseccomp 2.5.4, which
	# knows no mseal (the numbers are the ones explain just showed)
	for c in "451 -1 0 0 0=errno EBADF" "452 -100 0 0 0=errno EFAULT" \
		"452 -100 0 0 1=errno EACCES" "462 0 0 0=errno EPERM"; do
		want=${c#*=}
		# shellcheck disable=SC2086 # the call's words
		ps 0 run -S "$tmp/new.policy" -- "$probe" ${c%%=*} || return 1
		got=$(cat "$tmp/out")
		[ "$got" = "$want" ] || [ "$got" = "errno ENOSYS" ] ||
			{ why="${c%%=*}: $got, wanted $want"; return 1; }
	done
	# 463, past the tables: the default action (kill), not a name
	ps 159 run -S "$tmp/new.policy" -- "$probe" 463
}

# ---- issue 22 item 4: two shapes minijail0 -S takes ----

# a bare `return` as the whole rule is the default action (not the "kill
# otherwise" of `expr; return`); an errno above 4095 fails the call with
# 4095, as the kernel caps SECCOMP_RET_DATA
t_minijail_bare_return_and_big_errno() {
	printf 'getppid: return\ngetpgid: return 5000\n@critical: 1\n' > "$tmp/mj.policy"
	ps 0 compile "$tmp/mj.policy" || return 1
	ps 159 run -S "$tmp/mj.policy" -- "$probe" getppid || return 1
	ps 0 run -S "$tmp/mj.policy" --default-action errno:ENOTBLK -- "$probe" getppid || return 1
	out_is "errno ENOTBLK" || return 1
	ps 0 explain -S "$tmp/mj.policy" --call 'getpgid(0)' || return 1
	has 'errno:4095 after' || return 1
	ps 0 run -S "$tmp/mj.policy" -- "$probe" getpgid 0 || return 1
	lacks '^ok' || return 1
	printf 'getpgid: return 65536\n' > "$tmp/mj.policy"
	ps 2 compile "$tmp/mj.policy" || return 1
	err_has "mj.policy:1:17: error: expected an errno"
}

for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$0"); do
	run_test "$t"
done
tap_end
