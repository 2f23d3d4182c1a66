#!/bin/sh
# The seccomp demonstrations of the seeds, done with the pinscope launcher:
# seccomp-filter's @critical, minijail's cat.policy, myos/uname (systemd's
# SystemCallFilter= and the Cloudflare sandbox), the libseccomp dup2
# example, and strict mode.
. "$(dirname "$0")/lib.sh"

pol=$policies
progs=$BUILD/userspace/tests
cu=/opt/pinscope/coreutils

title "seccomp with the pinscope launcher"
if ! command -v pinscope > /dev/null || [ ! -x "$progs/myos" ]; then
	echo "(the pinscope launcher is not built: nothing to show)"
	exit 0
fi

story "seccomp-filter.py's @critical: only what a dynamic program needs to start.
ls gets as far as reading the directory, which fails with the chosen errno."
show pinscope run --allow @critical --default-action errno:ENOSYS -- $cu/ls /
show pinscope run --allow @critical --default-action errno:EPERM -- $cu/ls /
story "With getdents64 added it works; ioctl is refused, so ls does not see a
terminal and prints one name per line."
show_sh "pinscope run --allow @critical,getdents64 --default-action errno:EPERM -- $cu/ls / | head -n 5"

cd "$pol" || exit 1
story "minijail's cat.policy (Kees Cook, LSS-EU 2018), with the two calls a
2023 cat adds. In exec mode the filter is in force from execve on, and the
dynamic loader needs more than cat does: the launcher names what it refused."
show cat cat.policy
show pinscope run -S cat.policy -- $cu/cat cat.policy
story "minijail0 -S preloads the filter into dynamic programs; --preload does
the same, after libc's start-up."
show pinscope run --preload -S cat.policy -- $cu/cat cat.policy
show_sh "head -n1 cat-einval.policy"
show pinscope run --preload -S cat-einval.policy -- $cu/cat cat.policy

story "ls under cat's policy is killed over ioctl(1, TCGETS), until the policy
allows ioctl on fd 1 (exec mode, with the start-up calls of @critical)."
cp cat.policy /tmp/ls.policy
cd /tmp || exit 1
show pinscope run --report -S ls.policy --allow @critical -- $cu/ls ls.policy
show_sh 'echo "ioctl: arg0 == 1" >> ls.policy'
show pinscope run -S ls.policy --allow @critical -- $cu/ls ls.policy

story "myos (Cloudflare's sandbox post): refuse uname. systemd's
SystemCallFilter=~uname kills it; with an errno it reports the error."
show "$progs/myos"
show pinscope run --systemd '~uname' -- "$progs/myos"
show pinscope run --deny uname:ENETDOWN -- "$progs/myos"
story "libsandbox.so's variant: the filter arrives with LD_PRELOAD, after start-up,
from the launcher or straight from the sandbox's own variables."
show pinscope run --preload --deny uname:EPERM -- "$progs/myos"
show_sh "LD_PRELOAD=/usr/local/lib/pinscope/libpinscope-preload.so SECCOMP_SYSCALL_DENY=uname $progs/myos"

story "What does myos need? pinscope learn traces it (one stop per syscall) and
writes the policy: after start-up a handful of syscalls (the seed counted 4;
here stdout is a terminal, so stdio adds an ioctl); from execve on, many more."
show pinscope learn --preload -o /tmp/myos-preload.policy -- "$progs/myos"
show cat /tmp/myos-preload.policy
show pinscope learn -o /tmp/myos-exec.policy -- "$progs/myos"
show_sh "grep -c '^[a-z]' /tmp/myos-exec.policy"
show pinscope run --preload -S /tmp/myos-preload.policy -- "$progs/myos"
show pinscope run -S /tmp/myos-exec.policy -- "$progs/myos"

story "The libseccomp example of 'Linux Seccomp Learning': dup2(1, 2) is
allowed, dup2(2, 42) kills."
show_sh "cat $pol/dup2.policy | grep -v '^#'"
show pinscope run -S "$pol/dup2.policy" -- "$progs/dup2-demo"
story "Strict mode (the same post): after PR_SET_SECCOMP with
SECCOMP_MODE_STRICT only read, write, exit and sigreturn are left."
show "$progs/strict-demo"

story "No exec after start: systemd must allow execve for its own exec; the
launcher lets its own through and refuses every later one."
show pinscope run --deny ptrace --no-exec -- sh -c '/bin/true; echo "exit status $?"'

story "What a rule compiles to: a range is two comparisons of one argument,
which libseccomp cannot put in one rule; pinscope splits it exactly."
show_sh "printf 'getpgid: arg0 > 1 && arg0 < 5; return EPERM\n' > /tmp/range.policy; pinscope explain /tmp/range.policy | sed -n '/getpgid/,/^#/p' | head -n 4"
