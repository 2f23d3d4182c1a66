# Helpers for the demonstration scripts, which run inside the guest (busybox
# sh, as root).  Each shown command is printed, then its output, then the
# kernel log lines it caused.
# shellcheck shell=sh

# qemu/demo/run copies the scripts to $BUILD/demo/scripts, and the
# policies they show to its policies/
demo_dir=$(cd "$(dirname "$0")" && pwd)
BUILD=${PINSCOPE_BUILD:-$(cd "$demo_dir/../.." && pwd)}
policies=$demo_dir/policies
# what the demonstration programs (qemu/demo/src) were built into
demo_bin=$BUILD/demo
# set when a story did not come out as told: the script's exit status
demo_failed=0

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

# try CMD [ARGS] / try_sh 'shell text': as show and show_sh, for the
# stories that check their outcome: the output goes through a file (so the
# command's output is not a terminal), and last_rc and last_out keep the
# status and the output for outcome.
last_out=/tmp/demo-last.out

# the words as a shell reads them back: any word but a plain one quoted
shell_words() {
	words=
	for w in "$@"; do
		case "$w" in
		'' | *[!A-Za-z0-9_./:=@,+-]*)
			w="'$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'" ;;
		esac
		words="$words${words:+ }$w"
	done
	printf '%s' "$words"
}

try() {
	kernel_lines > /dev/null
	printf '# %s\n' "$(shell_words "$@")"
	cmd=$1
	shift
	case "$cmd" in */*) ;; *) cmd=$(which "$cmd" || echo "$cmd") ;; esac
	"$cmd" "$@" > "$last_out" 2>&1
	last_rc=$?
	cat "$last_out"
	[ "$last_rc" = 0 ] || echo "(exit status $last_rc)"
	kernel_lines
	return 0
}

try_sh() {
	kernel_lines > /dev/null
	printf '# %s\n' "$1"
	sh -c "$1" > "$last_out" 2>&1
	last_rc=$?
	cat "$last_out"
	[ "$last_rc" = 0 ] || echo "(exit status $last_rc)"
	kernel_lines
	return 0
}

# outcome STATUS PATTERN 'SENTENCE' [PATTERN...]: the story holds when the
# last try exited with STATUS and printed lines matching every PATTERN (an
# ERE); say SENTENCE, or what came out instead and remember the failure.
outcome() {
	want_rc=$1
	first=$2
	sentence=$3
	shift 3
	missing=
	[ "$last_rc" = "$want_rc" ] || missing=" exit status $want_rc (got $last_rc)"
	for p in "$first" "$@"; do
		grep -Eq -- "$p" "$last_out" || missing="$missing /$p/"
	done
	if [ -z "$missing" ]; then
		printf '=> %s\n' "$sentence"
	else
		printf '=> NOT AS TOLD: missing%s\n' "$missing"
		printf '   (the story was: %s)\n' "$sentence"
		demo_failed=1
	fi
}

# as_user 'shell text': run it as the unprivileged user of the image
as_user() {
	try_sh "su user -s /bin/sh -c '$1'"
}

lsm_active() {
	grep -q "\\(^\\|,\\)$1\\(,\\|$\\)" /sys/kernel/security/lsm
}
