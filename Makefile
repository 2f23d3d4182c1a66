# pinscope: the LSM, the seccomp tools, their tests and the QEMU pipeline.
#
#   make          build the userspace tools, the test kernel and guest images
#   make demo     boot the hardened kernel and run the demonstrations
#   make check    run every test (host tests, then guest selftests per scenario
#                 on each kernel: 6.1 and 6.12; KERNEL=6.12 picks one, for
#                 make demo and qemu/run too)
#   make farm-check  the kselftest collection as a LAVA job (lava-dispatcher)
#   make bench    measure the build/boot pipeline and the tools
#   make patches  the LSM as a git format-patch series in build/patches/
#   make lint     checkpatch --strict --codespell, sparse, W=1 and kernel-doc
#   make install  install the userspace tools (PREFIX, DESTDIR)
#
# Every target first makes sure the Debian packages it needs are installed.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD ?= $(TOP)/build
export PINSCOPE_BUILD := $(BUILD)
FLAVOUR ?= default
# the kernels, as qemu/lib.sh lists them; KERNEL=VERSION picks one
KERNELS := $(shell sed -n 's/^PINSCOPE_KERNELS="\(.*\)"$$/\1/p' $(TOP)/qemu/lib.sh)
ifneq ($(KERNEL),)
export PINSCOPE_KERNEL := $(KERNEL)
endif
THE_KERNEL := $(or $(KERNEL),$(firstword $(KERNELS)))
GUEST_DIRS ?= $(TOP)
PREFIX ?= /usr/local
DESTDIR ?=

# One list of what the project needs from Debian: package name per line.
DEB_PACKAGES := $(addprefix linux-source-,$(KERNELS)) qemu-system-x86 busybox-static \
	libseccomp-dev libunwind-dev libjson-c-dev python3-jsonschema seccomp bc flex bison libelf-dev libssl-dev cpio lz4 \
	e2fsprogs ccache gcc clang clang-format make perl python3 kmod sparse patch git xz-utils sqlite3 \
	squashfs-tools btrfs-progs cryptsetup-bin \
	codespell rsync lcov pkgconf jq gcc-12-plugin-dev openssl

HAVE_USERSPACE := $(wildcard $(TOP)/userspace/Makefile)

.PHONY: all deps kernel kernel-debug userspace selftests image guest demo-programs \
	check farm-check demo bench patches lint install clean distclean help

all: guest

help:
	@sed -n '3,14p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/qemu/deps $(DEB_PACKAGES)

kernel: deps
	@$(TOP)/qemu/build-kernel --kernel $(THE_KERNEL) --flavour default

kernel-debug: deps
	@$(TOP)/qemu/build-kernel --kernel $(THE_KERNEL) --flavour debug

userspace: deps
ifneq ($(HAVE_USERSPACE),)
	@$(MAKE) --no-print-directory -C $(TOP)/userspace BUILD=$(BUILD) all
endif

# The selftests' modules are built against the kernel they will run on.
selftests: deps
	@$(TOP)/qemu/build-kernel --kernel $(THE_KERNEL) --flavour $(FLAVOUR)
	@$(MAKE) --no-print-directory -C $(TOP)/selftests/pinscope \
		BUILD=$(BUILD) KERNEL=$(THE_KERNEL) FLAVOUR=$(FLAVOUR) all

guest: userspace selftests
	@$(TOP)/qemu/build-image $(foreach d,$(GUEST_DIRS),--with-dir $(d))

image: guest

# The demonstrations' programs run from the host share, so they need not be
# in the image.
DEMO_PROGRAMS := $(addprefix $(BUILD)/demo/,$(basename $(notdir $(wildcard $(TOP)/qemu/demo/src/*.c))))
demo-programs: $(DEMO_PROGRAMS)
ifneq ($(HAVE_USERSPACE),)
	@$(MAKE) --no-print-directory -C $(TOP)/userspace BUILD=$(BUILD) progs
endif
$(BUILD)/demo/%: $(TOP)/qemu/demo/src/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<

check: deps
	@$(TOP)/qemu/check

# lava-dispatcher is not in DEB_PACKAGES (115 packages): qemu/lava/run
# says how to install it
farm-check: guest
	@$(TOP)/qemu/lava/run --kernel $(THE_KERNEL)

demo: deps
	@$(TOP)/qemu/demo/run

bench: deps
	@$(TOP)/bench/run

patches: deps
	@$(TOP)/kernel/make-patches

lint: deps
	@$(TOP)/qemu/lint

install: userspace
ifneq ($(HAVE_USERSPACE),)
	@$(MAKE) --no-print-directory -C $(TOP)/userspace BUILD=$(BUILD) \
		PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) install
endif

clean:
	rm -rf $(BUILD)/run $(BUILD)/selftests $(BUILD)/userspace $(BUILD)/rootfs \
		$(BUILD)/initramfs.* $(BUILD)/root.ext4 $(BUILD)/root.squashfs $(BUILD)/root.btrfs $(BUILD)/data.ext2 \
		$(BUILD)/check $(BUILD)/lava-* $(BUILD)/kselftest-*

distclean:
	rm -rf $(BUILD)
