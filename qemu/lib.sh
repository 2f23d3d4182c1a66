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

# The kernels pinscope is built for, each from Debian's
# linux-source-VERSION package; the first is the default. KERNEL (make) or
# PINSCOPE_KERNEL (the scripts) picks one.
PINSCOPE_KERNELS="6.1 6.12"
KERNEL=${PINSCOPE_KERNEL:-${PINSCOPE_KERNELS%% *}}

# check_kernel VERSION: die unless pinscope is built for it
check_kernel() {
	case " $PINSCOPE_KERNELS " in
	*" $1 "*) ;;
	*) die "unknown kernel '$1' (pinscope is built for: $PINSCOPE_KERNELS)" ;;
	esac
}

# Where each kernel's pieces are: the unpacked source, a flavour's object
# tree, and the per-kernel files of kernel/ (its integration patch and the
# port of the common sources, kernel/VERSION/port.patch, where one is
# needed).
kernel_tarball() { echo "/usr/src/linux-source-$1.tar.xz"; }
kernel_src() { echo "$BUILD/linux-$1"; }
kernel_obj() { echo "$BUILD/kernel-$1-$2"; }
kernel_dir() { echo "$top/kernel/$1"; }

# stage_pinscope_sources VERSION DIR: the files pinscope adds to a tree
# (kernel/security, kernel/Documentation), as that kernel gets them: the
# common sources with kernel/VERSION/port.patch applied. Fails, saying so,
# when the port no longer applies to the common sources.
stage_pinscope_sources() {
	local version=$1 dir=$2 d port
	rm -rf "$dir"
	mkdir -p "$dir"
	for d in security Documentation; do
		[ -d "$top/kernel/$d" ] && cp -r "$top/kernel/$d" "$dir/"
	done
	port=$(kernel_dir "$version")/port.patch
	[ -f "$port" ] || return 0
	if ! patch -s -d "$dir" -p1 --forward --batch --no-backup-if-mismatch < "$port" > "$dir.log" 2>&1; then
		echo "pinscope: kernel/$version/port.patch does not apply to the sources in kernel/: $(head -3 "$dir.log")" >&2
		echo "pinscope: refresh it: kernel/port stage $version DIR (fix the rejects there), then kernel/port save $version DIR" >&2
		return 1
	fi
	rm -f "$dir.log"
}
