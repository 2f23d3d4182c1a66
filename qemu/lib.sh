# Shared by the qemu/ scripts: where things are, and how they speak.
# shellcheck shell=bash

BUILD=${PINSCOPE_BUILD:-$top/build}

# A kernel console line that means the kernel crashed or warned (an ERE,
# and a Python re).
# shellcheck disable=SC2034
kernel_crash_re='Kernel panic|Oops|BUG:|WARNING:|watchdog: BUG: soft lockup|blocked for more than [0-9]+ seconds|rcu: INFO:|detected stall|general protection fault|UBSAN:|KASAN:'

note() {
	echo "pinscope: $*" >&2
}

die() {
	echo "pinscope: $*" >&2
	exit 2
}
