# Shared by the qemu/ scripts: where things are, and how they speak.
# shellcheck shell=bash

BUILD=${PINSCOPE_BUILD:-$top/build}

note() {
	echo "pinscope: $*" >&2
}

die() {
	echo "pinscope: $*" >&2
	exit 2
}
