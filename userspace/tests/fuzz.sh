#!/bin/sh
# A short run of the libFuzzer target, as make check does it: every
# policy it makes up that compiles has its program's decisions compared
# with the oracle's (tests/fuzz/fuzz_policy.c), and a difference, a crash
# or a sanitizer report fails it. One TAP line; the full run is
# `make fuzz` (ten minutes).
#
# usage: sh tests/fuzz.sh FUZZER SECONDS SEED_DIR...
set -u

fuzzer=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
for d in "$@"; do
	cp "$d"/*.policy "$work/corpus/"
done
(cd "$work" && "$fuzzer" -max_total_time="$seconds" -timeout=25 \
	-dict="$here/fuzz/policy.dict" -print_final_stats=1 corpus > log 2>&1)
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$work/log")
echo "1..1"
if [ "$rc" = 0 ] && [ -n "$runs" ]; then
	echo "ok 1 fuzz: $runs policies in ${seconds} s, every program decided as the oracle"
	exit 0
fi
echo "not ok 1 fuzz: exit $rc after ${runs:-?} runs"
grep -E -A20 'differ|ERROR|SUMMARY|deadly' "$work/log" | head -n 40 | sed 's/^/# /'
exit 1
