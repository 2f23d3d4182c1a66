# Shared by the qemu/ scripts: where things are, and how they speak.
# shellcheck shell=bash

BUILD=${PINSCOPE_BUILD:-$top/build}

# A kernel console line that means the kernel crashed or warned (an ERE,
# and a Python re).
# shellcheck disable=SC2034
kernel_crash_re='Kernel panic|Oops|BUG:|WARNING:|watchdog: BUG: soft lockup|blocked for more than [0-9]+ seconds|rcu: INFO:|detected stall|general protection fault|UBSAN:|KASAN:'

# The kernel command line KSPP recommends, beside qemu/hardening.config
# (much of it repeats what the configuration makes the default, so that a
# kernel configured otherwise still boots hardened).  Not followed:
# lockdown=confidentiality (integrity is forced by the configuration; see
# its deviation), debugfs=off (the debug flavour's coverage boots read gcov
# there; the default flavour has no debugfs), intel_iommu=on, iommu=force
# (no IOMMU in the guest), cfi=kcfi (clang), ia32_emulation=0 and vdso32=0
# (the kernels have no 32-bit emulation at all).
# shellcheck disable=SC2034
hardening_kargs="slab_nomerge page_alloc.shuffle=1 init_on_alloc=1 init_on_free=1 hardened_usercopy=1 randomize_kstack_offset=1 kfence.sample_interval=100 module.sig_enforce=1 pti=on mitigations=auto,nosmt nosmt vsyscall=none tsx=off proc_mem.force_override=never iommu.strict=1 iommu.passthrough=0"

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

# kernel_fragments VERSION FLAVOUR: the configuration fragments merged over
# tinyconfig for that kernel and flavour, in order (a later one overrides
# an earlier one): the boot and test needs, pinscope's Kconfig.snippet, the
# hardening, then the debug flavour's additions
# (PINSCOPE_HARDENING=0 leaves the hardening out: make bench builds such a
# kernel beside the hardened one, to say what the hardening costs)
kernel_fragments() {
	local f hardening="hardening.config hardening-$1.config"
	[ "${PINSCOPE_HARDENING:-1}" = 0 ] && hardening=
	for f in kernel.config "kernel-$1.config" ../Kconfig.snippet $hardening; do
		[ -f "$top/qemu/$f" ] && realpath "$top/qemu/$f"
	done
	[ "$2" = debug ] || return 0
	for f in debug.config "debug-$1.config"; do
		[ -f "$top/qemu/$f" ] && echo "$top/qemu/$f"
	done
	return 0
}

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
