#!/bin/sh
# Runs the C unit tests (tests/unit/*_test.c, kselftest-harness programs
# built with ASan/UBSan) one after the other; their TAP goes to stdout.
# A program that fails without a "not ok" line of its own (it crashed in
# the harness, or a sanitizer stopped it) gets one, so the summary counts
# it. The status is non-zero if any program failed.
#
# usage: sh tests/unit.sh TEST...
set -u

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0

for t in "$@"; do
	name=$(basename "$t")
	echo "# selftest unit/$name"
	"$t" > "$out" 2>&1
	rc=$?
	cat "$out"
	# kselftest: 0 pass, 4 all skipped, anything else a failure
	if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
		status=1
		grep -q '^not ok' "$out" ||
			echo "not ok 1 unit/$name # exited with status $rc without a verdict"
	fi
done
exit $status
