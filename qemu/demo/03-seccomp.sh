#!/bin/sh
# The seccomp demonstrations of the seeds (minijail's cat.policy, the
# @critical example, myos/uname, dup2), run by the pinscope launcher.
. "$(dirname "$0")/lib.sh"

title "seccomp with the pinscope launcher"
if ! command -v pinscope > /dev/null || [ ! -f "$top/userspace/demo/seccomp.sh" ]; then
	echo "(the pinscope launcher is not built yet: nothing to show)"
	exit 0
fi
cd "$top/userspace/demo" && PINSCOPE=pinscope sh ./seccomp.sh
