#!/bin/sh
# Kees Cook's minijail0 run of LSS-EU 2018: without no_new_privs an
# unprivileged process may not load a seccomp filter (EACCES); minijail0 -n
# sets it, and so does pinscope, always.
. "$(dirname "$0")/lib.sh"

title "No seccomp filter without NoNewPrivs (LSS-EU 2018, minijail0 -n)"
if ! command -v pinscope > /dev/null || [ ! -x "$demo_bin/self-filter" ]; then
	echo "(the pinscope launcher or the demonstration programs are not built: nothing to show)"
	exit 1
fi
prog=$demo_bin/self-filter

story "self-filter is myos with its own filter (uname fails with EPERM) and no
PR_SET_NO_NEW_PRIVS. Root may load it: CAP_SYS_ADMIN is enough."
try "$prog"
outcome 0 '^uname failed: Operation not permitted' \
	"root loaded the filter without no_new_privs, and uname was refused by it." \
	'^uid 0, no_new_privs 0$' 'FILTER\): loaded$'

story "An unprivileged user may not: the kernel refuses the filter with EACCES,
as it refused minijail0's without -n ('prctl(seccomp_filter) failed:
Permission denied'). Otherwise a filter could make a setuid program it then
runs fail where that program does not expect to."
as_user "$prog"
outcome 1 '^seccomp\(SECCOMP_SET_MODE_FILTER\): EACCES' \
	"as uid 1000 without no_new_privs, seccomp(SECCOMP_SET_MODE_FILTER) failed with EACCES." \
	'^uid 1000, no_new_privs 0$'

story "pinscope sets no_new_privs before anything else, so under pinscope run the
same program, as the same user, loads the same filter on top of pinscope's."
as_user "pinscope run --deny @obsolete -- $prog"
outcome 0 '^uid 1000, no_new_privs 1$' \
	"under pinscope run no_new_privs was 1 and the user's own filter loaded and refused uname." \
	'FILTER\): loaded$' '^uname failed: Operation not permitted$'
story "And the filter itself, given to pinscope instead:"
as_user "pinscope run --deny uname:EPERM -- $BUILD/userspace/tests/myos"
outcome 1 '^uname failed: Operation not permitted' \
	"as uid 1000, pinscope loaded the uname filter for myos, which got EPERM."
exit $demo_failed
