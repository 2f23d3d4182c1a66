# The TAP runner the host test scripts share (sourced). A test is a shell
# function that returns non-zero on failure, with the reason in $why; the
# script's output files are $tmp/out and $tmp/err.
# shellcheck shell=sh

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

# the plan, and the status: every test passed
tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}
