#!/bin/sh
# The LoadPin demonstration of LSS EU 2018, on the disk scenario: modules
# load only from the root filesystem, never from tmpfs, the untrusted data
# disk or the 9p share.
. "$(dirname "$0")/lib.sh"

module=/lib/modules/pinscope/test_module.ko
if lsm_active pinscope; then
	title "Load pinning with pinscope (the LoadPin demonstration, LSS EU 2018)"
else
	title "LoadPin (LSS EU 2018 demonstration; pinscope is not in this kernel)"
fi
story "The root is the read-only ext4 disk; /tmp, /mnt/data and the host share are not trusted."
cp "$module" /tmp/test_module.ko
cp "$module" /mnt/data/test_module.ko
mkdir -p "$BUILD/demo"
cp "$module" "$BUILD/demo/test_module.ko"
show df -h / /mnt/data /tmp
show insmod "$module"
show rmmod test_module
show insmod /tmp/test_module.ko
show insmod /mnt/data/test_module.ko
show insmod "$BUILD/demo/test_module.ko"
if [ -r /sys/kernel/security/pinscope/status ]; then
	show cat /sys/kernel/security/pinscope/status
fi
if [ -r /lib/modules/pinscope/test_module.unsigned.ko ] &&
	[ "$(cat /sys/module/module/parameters/sig_enforce 2> /dev/null)" = Y ]; then
	story "The kernel also enforces module signatures: on the pin, pinscope lets an unsigned module through and signing refuses it; off the pin, pinscope refuses it before signing looks."
	cp /lib/modules/pinscope/test_module.unsigned.ko /tmp/unsigned.ko
	show insmod /lib/modules/pinscope/test_module.unsigned.ko
	show insmod /tmp/unsigned.ko
fi
