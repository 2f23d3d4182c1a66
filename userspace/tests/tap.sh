# The TAP runner and the helpers the host test scripts share (sourced,
# first thing after set -u). A test is a shell function that returns
# non-zero on failure, with the reason in $why; the output of the command
# under test is in $tmp/out and $tmp/err.
# shellcheck shell=sh

: "${PINSCOPE:?set PINSCOPE to the pinscope binary}"
: "${PROGS:?set PROGS to the directory of the test programs}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

n=0
failed=0
why=""

run_test() {
	why=""
	n=$((n + 1))
	if "$1" > "$tmp/log" 2>&1; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		[ -n "$why" ] || why=$(tail -n 3 "$tmp/log")
		echo "$why" | sed 's/^/# /'
		sed 's/^/#   stderr: /' "$tmp/err" 2> /dev/null | head -n 10
		sed 's/^/#   output: /' "$tmp/out" 2> /dev/null | head -n 30
	fi
}

skip_test() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# exited WANT GOT FILE DESC: fails (with the reason in $why) unless the
# command exited with WANT and left no sanitizer report in FILE
exited() {
	if [ "$2" != "$1" ]; then
		why="$4 exited $2, wanted $1"
		return 1
	fi
	if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$3"; then
		why="sanitizer report from $4"
		return 1
	fi
}

# ps STATUS ARGS...: runs pinscope, output in $tmp/out and $tmp/err;
# fails the test (with a reason) unless it exits with STATUS.
ps() {
	ps_want=$1
	shift
	"$PINSCOPE" "$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	exited "$ps_want" "$got" "$tmp/err" "pinscope $*"
}

# out_is TEXT: stdout is exactly TEXT
out_is() {
	if [ "$(cat "$tmp/out")" != "$1" ]; then
		why="stdout was '$(head -c 300 "$tmp/out")', wanted '$1'"
		return 1
	fi
}

# out_has / out_lacks STRING: stdout has (lacks) STRING, taken literally
out_has() {
	if ! grep -q -F -- "$1" "$tmp/out"; then
		why="stdout lacks '$1'"
		return 1
	fi
}

out_lacks() {
	if grep -q -F -- "$1" "$tmp/out"; then
		why="stdout has '$1'"
		return 1
	fi
}

# err_has REGEX: stderr matches REGEX
err_has() {
	if ! grep -q -E -- "$1" "$tmp/err"; then
		why="stderr lacks /$1/: $(head -c 400 "$tmp/err")"
		return 1
	fi
}

# has / lacks REGEX [FILE]: FILE (default $tmp/out) matches (does not match)
has() {
	if ! grep -q -E -- "$1" "${2:-$tmp/out}"; then
		why="$(basename "${2:-$tmp/out}") lacks /$1/: $(head -c 400 "${2:-$tmp/out}")"
		return 1
	fi
}

lacks() {
	if grep -q -E -- "$1" "${2:-$tmp/out}"; then
		why="$(basename "${2:-$tmp/out}") has /$1/"
		return 1
	fi
}

# Can pinscope read the kernel's records of seccomp kills here? The kernel
# must have audit (/proc/self/loginuid is there only then); root reads
# every record from the audit multicast group; others only what /dev/kmsg
# shows them (kernel.dmesg_restrict 0), ten in five seconds.
kernel_log_names=
kernel_logs_kills() {
	if [ -z "$kernel_log_names" ]; then
		kernel_log_names=no
		if [ -e /proc/self/loginuid ] && [ "$(id -u)" = 0 ]; then
			kernel_log_names=yes
		fi
	fi
	[ "$kernel_log_names" = yes ]
}

# err_names CALL: stderr names CALL as the refused syscall that killed the
# command, where the kernel's log can be read; elsewhere, says that a
# refused syscall did (the record is not to be had)
err_names() {
	if kernel_logs_kills; then
		err_has "refused syscall $1"
	else
		err_has "killed by SIGSYS: a refused syscall"
	fi
}

# the plan, and the status: every test passed
tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}

# decides -S FILE|--oci FILE "CALL ARGS=WANT"...: $probe makes each call
# under that policy; WANT is "ok" (any return value) or the exact
# "errno NAME" the probe prints
decides() {
	dk=$1
	dp=$2
	shift 2
	for c in "$@"; do
		call=${c%%=*}
		want=${c#*=}
		# shellcheck disable=SC2086
		ps 0 run "$dk" "$dp" -- "$probe" $call || return 1
		case "$want" in
		ok) grep -q '^ok' "$tmp/out" || { why="$call: $(cat "$tmp/out"), wanted ok"; return 1; } ;;
		*) [ "$(cat "$tmp/out")" = "$want" ] || { why="$call: $(cat "$tmp/out"), wanted $want"; return 1; } ;;
		esac
	done
}
