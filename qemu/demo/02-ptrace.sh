#!/bin/sh
# The Yama demonstration of LSS EU 2018: the same process tree, with the
# ptrace scope off and then relational (scope 1).
. "$(dirname "$0")/lib.sh"

tree=$BUILD/demo/ptrace-tree
if lsm_active pinscope; then
	lsm=pinscope
	scope=/proc/sys/kernel/pinscope/ptrace_scope
elif lsm_active yama; then
	lsm=Yama
	scope=/proc/sys/kernel/yama/ptrace_scope
else
	echo "neither pinscope nor Yama is active: nothing to show"
	exit 1
fi

title "Ptrace scope with $lsm (the Yama demonstration, LSS EU 2018)"
if [ "$(cat "$scope")" = 0 ]; then
	story "Before $lsm: ptrace scope 0, only DAC applies."
	show cat "$scope"
	show "$tree"
fi
story "With $lsm: ptrace scope 1, only ancestors and declared tracers may attach."
show_sh "echo 1 > $scope"
show "$tree"

if [ "$lsm" = pinscope ] && [ -x /opt/pinscope/selftests/crasher-dyn ] && command -v pinscope > /dev/null; then
	crasher=/opt/pinscope/selftests/crasher-dyn
	story "The crash handler of the slides, as an unprivileged user: the handler
starts a reporter that is its child, not its ancestor, so scope 1 refuses the
attach..."
	show_sh "su user -s /bin/sh -c 'PINSCOPE_CRASH_NO_PTRACER=1 PINSCOPE_CRASH_REPORTER=\$(command -v pinscope) $crasher --armed'"
	story "...until the crashing process names it with PR_SET_PTRACER, which
libpinscope-crash does: the report names crash_here, and the program still
dies of SIGSEGV."
	show_sh "su user -s /bin/sh -c 'PINSCOPE_CRASH_REPORTER=\$(command -v pinscope) $crasher --armed' 2>&1 | grep -E 'crash-report|thread|#[0-9]'"
	story "An unmodified program gets the same with pinscope catch; pinscope ptracer
names a debugger for any command; pinscope status shows the counters."
	show_sh "su user -s /bin/sh -c 'pinscope catch -- $crasher' 2>&1 | grep -E 'crash-report|#[0-9] '"
	show_sh "pinscope status | grep -E 'ptrace|ptracer'"
fi
