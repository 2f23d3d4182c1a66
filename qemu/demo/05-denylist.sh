#!/bin/sh
# The closing advice of "Playing with prctl and seccomp": run your
# integration test suite under seccomp-filter.py --blacklist @obsolete @debug
# @reboot @swap @resources, and see if you can at least get to that level.
. "$(dirname "$0")/lib.sh"

title "A test suite under a deny list (Playing with prctl and seccomp)"
if ! command -v pinscope > /dev/null; then
	echo "(the pinscope launcher is not built: nothing to show)"
	exit 1
fi
suite=$demo_dir/suite.sh
deny='~@obsolete @debug @reboot @swap @resources'

story "suite.sh is a test suite run by a real program, busybox: archives,
compression, text tools, pipes, subshells, jobs, a fifo, signals, timeout,
ulimit. Under systemd's deny list of the post (kill on a denied call), it
runs unchanged."
try pinscope run --systemd "$deny" -- sh "$suite"
outcome 0 '^1\.\.15$' \
	"all 15 tests passed under the deny list of @obsolete, @debug, @reboot, @swap and @resources."
cp "$last_out" /tmp/suite-confined.tap
try_sh "sh $suite | cmp - /tmp/suite-confined.tap && echo the same output unconfined"
outcome 0 '^the same output unconfined$' \
	"the confined run printed exactly what the unconfined run prints."

story "The same suite pinned to CPU 0, as a benchmark job would run it: taskset
calls sched_setaffinity, which is in @resources, so it is killed before
the suite starts, and the launcher names the call."
try pinscope run --systemd "$deny" -- taskset -c 0 sh "$suite"
outcome 159 'refused syscall sched_setaffinity' \
	"taskset was killed (exit status 159) for sched_setaffinity, named by pinscope."
exit $demo_failed
