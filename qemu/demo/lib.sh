# Helpers for the demonstration scripts, which run inside the guest (busybox
# sh, as root).  Each shown command is printed, then its output, then the
# kernel log lines it caused.
# shellcheck shell=sh

demo_dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$demo_dir/../.." && pwd)
BUILD=${PINSCOPE_BUILD:-$top/build}

title() {
	printf '\n==== %s ====\n' "$*"
}

story() {
	printf '\n%s\n' "$*"
}

# Print the kernel's new log lines, without timestamps, and forget them.
kernel_lines() {
	dmesg -c | sed -E 's/^\[ *[0-9.]+\] /[kernel] /'
}

# show CMD [ARGS]: run one command as the transcript shows it
show() {
	kernel_lines > /dev/null
	printf '# %s\n' "$*"
	# By path: busybox runs a bare applet name inside this shell, and the
	# kernel log would name the shell instead of the command.
	cmd=$1
	shift
	case "$cmd" in */*) ;; *) cmd=$(which "$cmd" || echo "$cmd") ;; esac
	"$cmd" "$@" 2>&1
	rc=$?
	[ "$rc" = 0 ] || echo "(exit status $rc)"
	kernel_lines
	return 0
}

# show_sh 'shell text': the same for a pipeline or redirection
show_sh() {
	kernel_lines > /dev/null
	printf '# %s\n' "$1"
	sh -c "$1" 2>&1
	rc=$?
	[ "$rc" = 0 ] || echo "(exit status $rc)"
	kernel_lines
	return 0
}

lsm_active() {
	grep -q "\\(^\\|,\\)$1\\(,\\|$\\)" /sys/kernel/security/lsm
}
