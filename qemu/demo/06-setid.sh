#!/bin/sh
# "Playing with prctl and seccomp": under NoNewPrivileges= su fails even
# for whoever knows root's password, and so does Postfix's setgid postdrop
# (mail from PHP stops).  The set-id bits are ignored under no_new_privs.
. "$(dirname "$0")/lib.sh"

# a mount namespace of its own: the root password and the set-id programs
# below are this script's, and vanish with it
if [ -z "${DEMO_MOUNT_NS:-}" ]; then
	DEMO_MOUNT_NS=1 exec unshare -m sh "$0" "$@"
fi

title "su and a setgid helper under NoNewPrivs (Playing with prctl and seccomp)"
if ! command -v pinscope > /dev/null || [ ! -x "$demo_bin/postdrop" ]; then
	echo "(the pinscope launcher or the demonstration programs are not built: nothing to show)"
	exit 1
fi
# The image's busybox is not setuid (the image is built without root), and
# its root has no password: a setuid copy of busybox as su, a root password
# ("demo") in a copy of /etc/passwd bound over it, and postdrop installed
# setgid nogroup with a maildrop only that group may write into, as
# Postfix installs it (root:postdrop, drwx-wx--T), on a tmpfs that allows
# set-id programs.
d=/tmp/setid
deny=@obsolete,@debug,@reboot,@swap,@resources
mkdir -p "$d"
mount -t tmpfs -o mode=0755 tmpfs "$d" || exit 1
cp /bin/busybox "$d/busybox" && chmod 4755 "$d/busybox" && ln -s busybox "$d/su"
sed "s|^root:[^:]*:|root:$(mkpasswd -m sha512 demo):|" /etc/passwd > "$d/passwd"
mount --bind "$d/passwd" /etc/passwd || exit 1
cp "$demo_bin/postdrop" "$d/postdrop" && chgrp nogroup "$d/postdrop" &&
	chmod 2555 "$d/postdrop"
mkdir "$d/maildrop" && chgrp nogroup "$d/maildrop" && chmod 1730 "$d/maildrop"

story "Root's password is 'demo' here; su is setuid root, postdrop setgid nogroup."
show_sh "ls -l $d | grep -E ' (su|busybox|postdrop|maildrop)'"

story "Without NoNewPrivs, the user who knows the password becomes root..."
as_user "echo demo | $d/su -c id root"
outcome 0 '^uid=0\(root\)' \
	"uid 1000 became root with su and the password."
story "...and under pinscope run (which sets NoNewPrivs) does not: execve ignores
the set-user-ID bit, su runs as uid 1000 and cannot switch, whatever the
password. The post's su said 'Authentication failure', busybox's says it
lacks its setuid bit: neither knows what is going on."
as_user "pinscope run --deny $deny -- sh -c \"echo demo | $d/su -c id root\""
outcome 1 'must be suid to work properly' \
	"under no_new_privs su stayed uid 1000 and could not become root (exit status 1)."

story "The setgid helper: without NoNewPrivs postdrop runs with group nogroup and
drops the message into the maildrop..."
as_user "$d/postdrop $d/maildrop"
outcome 0 '^postdrop: queued ' \
	"postdrop ran with effective gid 65534 (nogroup) and queued the message."
story "...under NoNewPrivs the set-group-ID bit is ignored too: postdrop keeps the
user's group and cannot write into the maildrop, the post's
'mail_queue_enter: create file maildrop/...: Permission denied'."
as_user "pinscope run --deny $deny -- $d/postdrop $d/maildrop"
outcome 1 'create file .*: Permission denied' \
	"under no_new_privs postdrop kept gid 1000 and the create failed with EACCES."
umount /etc/passwd "$d"
exit $demo_failed
