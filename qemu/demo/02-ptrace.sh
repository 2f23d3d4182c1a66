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
