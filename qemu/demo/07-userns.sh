#!/bin/sh
# "Playing with prctl and seccomp": NoNewPrivileges= does not take every
# privilege away, since a new user namespace brings CAP_NET_RAW (and its
# CVE-2016-8655); drop-privs-harder refuses unshare and clone's
# CLONE_NEWUSER with seccomp.
. "$(dirname "$0")/lib.sh"

title "A user namespace gives CAP_NET_RAW; refusing CLONE_NEWUSER takes it away"
if ! command -v pinscope > /dev/null || [ ! -x "$demo_bin/rawsock" ]; then
	echo "(the pinscope launcher or the demonstration programs are not built: nothing to show)"
	exit 1
fi
raw=$demo_bin/rawsock
policy=$demo_dir/no-userns.policy

story "rawsock reports CAP_NET_RAW and opens a raw ICMP socket, if it may. The
unprivileged user may not, and so ping cannot either."
as_user "$raw"
outcome 1 'SOCK_RAW, IPPROTO_ICMP\): EPERM' \
	"as uid 1000 rawsock had no CAP_NET_RAW and the raw socket was refused with EPERM."
as_user "ping -c 1 127.0.0.1"
outcome 1 'ping: permission denied' \
	"ping as uid 1000 could not open its socket."

story "In a new user namespace with its own network namespace (unshare -Urn, the
post's unshare --map-root-user --net) the same user holds CAP_NET_RAW
there, and under NoNewPrivs too: pinscope run sets it, and the socket opens."
as_user "pinscope run --deny @obsolete -- unshare -Urn $raw"
outcome 0 'SOCK_RAW, IPPROTO_ICMP\): opened' \
	"under no_new_privs, unshare -Urn gave uid 1000 CAP_NET_RAW and a raw socket."
as_user "unshare -Urn sh -c \"ip link set lo up && ping -c 1 127.0.0.1\""
outcome 0 '1 packets received' \
	"and ping, which needs that raw socket, worked inside the namespaces."

story "The policy of drop-privs-harder: unshare refused, clone refused when its
flags hold CLONE_NEWUSER, clone3 (whose flags a filter cannot read)
refused with ENOSYS so that glibc falls back to clone. --deny refuses whole
calls, and clone must stay (fork, threads): the rule on its flags is a
policy line, with every call it does not name allowed. --report names
each refusal, from the kernel's own log of it."
show_sh "grep -v -e '^#' -e '^\$' $policy"
# A kernel that keeps its log from users (dmesg_restrict=1, as KSPP
# recommends and the test kernels do) keeps it from an unprivileged
# pinscope too: it says it cannot name the refusals, and the kernel's own
# audit lines, shown to root below, name them.
named_unshare='refused unshare \(.*errno:EPERM'
named_clone3='refused clone3 \(.*errno:ENOSYS'
named_clone='refused clone \(.*errno'
named="pinscope named both refusals"
if [ "$(cat /proc/sys/kernel/dmesg_restrict 2> /dev/null)" = 1 ]; then
	story "This kernel keeps its log from users (dmesg_restrict=1): pinscope, run by
uid 1000, says it cannot name the refusals; the kernel's audit lines name
them by number (272 unshare, 435 clone3, 56 clone)."
	named_unshare="cannot read the kernel's log of refusals"
	named_clone3=$named_unshare
	named_clone=$named_unshare
	named="pinscope said why it could not name them"
fi
as_user "pinscope run --report -S $policy -- unshare -Urn $raw"
outcome 1 "$named_unshare" \
	"the filter failed unshare -Urn with EPERM: no user namespace, no CAP_NET_RAW." \
	'Operation not permitted'
story "A program that makes the namespace with clone itself: its thread still
starts (clone3 gets ENOSYS, glibc retries with clone, which the policy
allows), the clone with CLONE_NEWUSER gets EPERM."
as_user "pinscope run --report -S $policy -- $raw --clone"
outcome 1 '^a thread started and ended' \
	"the thread started, clone(CLONE_NEWUSER) failed with EPERM, and $named." \
	'^clone\(CLONE_NEWUSER\|CLONE_NEWNET\|SIGCHLD\): EPERM' \
	"$named_clone3" "$named_clone"
exit $demo_failed
