#!/bin/sh
# The committed tables generated from the kernels are what their scripts
# make of the kernel trees: the argument table (data/argwidths.tsv, by
# scripts/gen-argwidths.py from the prototypes) and the syscall table
# (data/syscalls.tsv, by scripts/gen-syscall-tables.sh from syscall_64.tbl
# and syscall_32.tbl). Each tree is an unpacked one where make has one
# ($BUILD/linux-VERSION), else Debian's source tarball, unpacked here (only
# the files the scripts read); both tables are regenerated and compared.
# TAP; SKIP, with the reason, when a kernel source is missing.
#
# usage: sh tests/argwidths.sh [TREE_OR_TARBALL...]
#   default: for 6.1 and 6.12, $BUILD/linux-VERSION if unpacked, else
#   /usr/src/linux-source-VERSION.tar.xz
set -u
PINSCOPE=${PINSCOPE:-unused} PROGS=${PROGS:-unused}
. "$(dirname "$0")/tap.sh"

here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
	for v in 6.1 6.12; do
		if [ -n "${BUILD:-}" ] && [ -f "$BUILD/linux-$v/arch/x86/entry/syscalls/syscall_64.tbl" ]; then
			set -- "$@" "$BUILD/linux-$v"
		else
			set -- "$@" "/usr/src/linux-source-$v.tar.xz"
		fi
	done
fi

# unpack TREE_OR_TARBALL: a tree as it is; of a tarball, the prototypes and
# tables the scripts read, unpacked; prints the tree's directory
unpack() {
	if [ -d "$1" ]; then
		echo "$1"
		return 0
	fi
	top=$(basename "$1" .tar.xz)
	tar -xJf "$1" -C "$tmp" --wildcards "$top/Makefile" \
		"$top/include/linux/syscalls.h" "$top/include/linux/compat.h" \
		"$top/arch/x86/entry/syscalls/syscall_32.tbl" \
		"$top/arch/x86/entry/syscalls/syscall_64.tbl" \
		"$top/arch/x86/kernel/*.c" || return 1
	echo "$tmp/$top"
}

# unpack_all TREE_OR_TARBALL...: sets $trees, each source unpacked once
trees=""
unpack_all() {
	[ -z "$trees" ] || return 0
	for t in "$@"; do
		d=$(unpack "$t") || { why="cannot unpack $t"; trees=""; return 1; }
		trees="$trees $d"
	done
}

# regenerated TABLE GENERATOR...: data/TABLE is what GENERATOR (a command
# and its first words) prints for the unpacked trees
regenerated() {
	table=$1
	shift
	# shellcheck disable=SC2086 # one argument per tree
	"$@" $trees > "$tmp/$table" 2> "$tmp/notes" ||
		{ why="$(basename "$2"): $(tail -n 3 "$tmp/notes")"; return 1; }
	if ! diff -u "$here/data/$table" "$tmp/$table" > "$tmp/diff"; then
		why="data/$table is not what the kernels say (regenerate it with $(basename "$2")): $(head -n 20 "$tmp/diff")"
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

# argwidths_match TREE_OR_TARBALL...: the argument table, from the prototypes
argwidths_match() {
	unpack_all "$@" || return 1
	regenerated argwidths.tsv python3 "$here/scripts/gen-argwidths.py"
}

# syscalls_match TREE_OR_TARBALL...: the syscall table, from syscall_64.tbl
# and syscall_32.tbl
syscalls_match() {
	unpack_all "$@" || return 1
	regenerated syscalls.tsv sh "$here/scripts/gen-syscall-tables.sh"
}

# a table line the generator cannot read is FILE:LINE:problem and a failure,
# never a table with a hole (needs no kernel source)
t_syscall_tables_refuse_a_bad_line() {
	d=$tmp/bad/arch/x86/entry/syscalls
	mkdir -p "$d"
	printf 'VERSION = 6\nPATCHLEVEL = 99\n' > "$tmp/bad/Makefile"
	printf '0\tcommon\tread\tsys_read\n1\tcommon\n' > "$d/syscall_64.tbl"
	printf '# a comment\n0\ti386\trestart_syscall\tsys_restart_syscall\n' > "$d/syscall_32.tbl"
	if sh "$here/scripts/gen-syscall-tables.sh" "$tmp/bad" > "$tmp/out" 2> "$tmp/err"; then
		why="a line without a name was accepted"
		return 1
	fi
	grep -q 'syscall_64.tbl:2: not a syscall name' "$tmp/err" ||
		{ why="no FILE:LINE:problem: $(cat "$tmp/err")"; return 1; }
}
run_test t_syscall_tables_refuse_a_bad_line

missing=""
for t in "$@"; do
	[ -e "$t" ] || missing="$missing $t"
done
if [ -n "$missing" ]; then
	skip_test t_syscall_tables_match_the_kernels "no kernel source:$missing (apt-get install linux-source-6.1 linux-source-6.12)"
else
	# run_test passes no arguments: the sources go through a global
	sources="$*"
	t_syscall_tables_match_the_kernels() { syscalls_match $sources; }
	run_test t_syscall_tables_match_the_kernels
fi
if ! command -v python3 > /dev/null; then
	skip_test t_argwidths_match_the_kernels "python3 is not installed"
elif [ -n "$missing" ]; then
	skip_test t_argwidths_match_the_kernels "no kernel source:$missing (apt-get install linux-source-6.1 linux-source-6.12)"
else
	t_argwidths_match_the_kernels() { argwidths_match $sources; }
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
