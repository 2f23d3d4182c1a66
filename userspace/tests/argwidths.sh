#!/bin/sh
# The committed argument table (data/argwidths.tsv) is what
# scripts/gen-argwidths.py makes of the kernels' own prototypes: each
# Debian source tarball is unpacked (only the files the script reads) and
# the table regenerated and compared. TAP; SKIP when a tarball is missing.
#
# usage: sh tests/argwidths.sh [TARBALL...]
#   default: /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz
set -u
PINSCOPE=${PINSCOPE:-unused} PROGS=${PROGS:-unused}
. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz

# unpack TARBALL: the prototypes and tables gen-argwidths.py reads; prints
# the tree's directory
unpack() {
	top=$(basename "$1" .tar.xz)
	tar -xJf "$1" -C "$tmp" --wildcards \
		"$top/include/linux/syscalls.h" "$top/include/linux/compat.h" \
		"$top/arch/x86/entry/syscalls/syscall_32.tbl" \
		"$top/arch/x86/entry/syscalls/syscall_64.tbl" \
		"$top/arch/x86/kernel/*.c" || return 1
	echo "$tmp/$top"
}

# argwidths_match TARBALL...: the table regenerated from their trees
argwidths_match() {
	trees=""
	for t in "$@"; do
		d=$(unpack "$t") || { why="cannot unpack $t"; return 1; }
		trees="$trees $d"
	done
	# shellcheck disable=SC2086 # one argument per tree
	python3 "$here/scripts/gen-argwidths.py" $trees > "$tmp/argwidths.tsv" 2> "$tmp/notes" ||
		{ why="gen-argwidths.py: $(tail -n 3 "$tmp/notes")"; return 1; }
	if ! diff -u "$here/data/argwidths.tsv" "$tmp/argwidths.tsv" > "$tmp/diff"; then
		why="data/argwidths.tsv is not what the kernels say (regenerate it): $(head -n 20 "$tmp/diff")"
		return 1
	fi	# the parameters' types and names, which the argument decoder reads
	# shellcheck disable=SC2086 # one argument per tree
	python3 "$here/scripts/gen-argwidths.py" --types $trees > "$tmp/argtypes.tsv" ||
		{ why="gen-argwidths.py --types failed"; return 1; }
	if ! diff -u "$here/data/argtypes.tsv" "$tmp/argtypes.tsv" > "$tmp/diff"; then
		why="data/argtypes.tsv is not what the kernels say (regenerate it): $(head -n 20 "$tmp/diff")"
		return 1
	fi
}

# lsm_match TARBALL: data/lsm.tsv is what the tree's uapi lsm.h and
# syscall_64.tbl say, with the integration patch's pinscope ID
lsm_match() {
	top=$(basename "$1" .tar.xz)
	tar -xJf "$1" -C "$tmp" "$top/include/uapi/linux/lsm.h" \
		"$top/arch/x86/entry/syscalls/syscall_64.tbl" || { why="cannot unpack $1"; return 1; }
	sh "$here/scripts/gen-lsm.sh" "$tmp/$top" "$here/../kernel/6.12/integration.patch" > "$tmp/lsm.tsv" ||
		{ why="gen-lsm.sh failed"; return 1; }
	if ! diff -u "$here/data/lsm.tsv" "$tmp/lsm.tsv" > "$tmp/diff"; then
		why="data/lsm.tsv is not what the kernel says (regenerate it): $(head -n 20 "$tmp/diff")"
		return 1
	fi
}

missing=""
for t in "$@"; do
	[ -f "$t" ] || missing="$missing $t"
done
if ! command -v python3 > /dev/null; then
	skip_test t_argwidths_match_the_kernels "python3 is not installed"
elif [ -n "$missing" ]; then
	skip_test t_argwidths_match_the_kernels "no kernel source:$missing (apt-get install linux-source-6.1 linux-source-6.12)"
else
	# run_test passes no arguments: the tarballs go through a global
	tarballs="$*"
	t_argwidths_match_the_kernels() { argwidths_match $tarballs; }
	run_test t_argwidths_match_the_kernels
fi
lsm_tar=/usr/src/linux-source-6.12.tar.xz
if [ ! -f "$lsm_tar" ]; then
	skip_test t_lsm_ids_match_the_kernel "no kernel source: $lsm_tar (apt-get install linux-source-6.12)"
else
	t_lsm_ids_match_the_kernel() { lsm_match "$lsm_tar"; }
	run_test t_lsm_ids_match_the_kernel
fi
tap_end
