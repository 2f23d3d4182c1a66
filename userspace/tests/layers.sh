#!/bin/sh
# The layers of src/ depend one way (DESIGN.md's layout, the README's
# source layout): each folder may include and call only itself and the
# folders below it. The build already refuses most back edges (each
# folder is compiled with only the lower folders on its include path, and
# pinscope links the archives highest first), but an object pulled in by
# a higher layer can satisfy a lower layer's call silently, and a quoted
# path can reach any folder. So this checks both directly:
#   1. every #include "..." of a folder names a header of that folder, of
#      a lower one or of src/common/;
#   2. no symbol a layer's archive needs is defined in a higher layer's.
# One TAP line each; a back edge is named with the file or the symbol.
#
# usage: sh tests/layers.sh ARCHIVE_DIR LAYER...   (LAYER lowest first)
set -u
export LC_ALL=C

[ $# -ge 2 ] || { echo "usage: sh tests/layers.sh ARCHIVE_DIR LAYER..." >&2; exit 2; }
libdir=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# rank LAYER: its position, lowest 1; 0 if it is not a layer
rank() {
	n=0
	i=0
	for l in $layers; do
		i=$((i + 1))
		[ "$l" = "$1" ] && n=$i
	done
	echo "$n"
}
layers="$*"

# the folder a header named by `#include "NAME"` in folder FROM resolves
# to: a path names its folder, a bare name the folder that has it (its
# own first, as the compiler looks)
header_layer() {
	case $2 in
	*/*) echo "${2%%/*}"; return ;;
	esac
	if [ -f "$here/src/$1/$2" ]; then echo "$1"; return; fi
	for l in $layers; do
		[ -f "$here/src/$l/$2" ] && { echo "$l"; return; }
	done
	echo "?"
}

echo "1..2"
: > "$tmp/includes"
for l in $layers; do
	r=$(rank "$l")
	files="$here/src/$l/*.[ch]"
	# pinscope catch and crash-report are commands of the crash feature
	[ "$l" = cmd ] && files="$files $here/crash/catch.c"
	for f in $files; do
		[ -f "$f" ] || continue
		sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do
			to=$(header_layer "$l" "$h")
			[ "$to" = common ] && continue
			tr=$(rank "$to")
			if [ "$tr" = 0 ] || [ "$tr" -gt "$r" ]; then
				echo "#   ${f#"$here"/}: includes \"$h\" ($to is not below $l)"
			fi
		done
	done >> "$tmp/includes"
done
if [ -s "$tmp/includes" ]; then
	echo "not ok 1 layers: an #include goes up"
	cat "$tmp/includes"
	status=1
else
	echo "ok 1 layers: every #include is of its own folder, a lower one or common/"
fi

# symbols: what each archive defines, then what each needs from above
: > "$tmp/calls"
for l in $layers; do
	nm --defined-only -A "$libdir/libps-$l.a" 2> /dev/null |
		awk -v l="$l" 'NF == 3 && $2 ~ /^[TDBRVW]$/ { print $3, l }'
done | sort > "$tmp/defs"
for l in $layers; do
	r=$(rank "$l")
	[ -f "$libdir/libps-$l.a" ] || { echo "#   $libdir/libps-$l.a is missing" >> "$tmp/calls"; continue; }
	nm -A -u "$libdir/libps-$l.a" | awk '{ split($1, a, ":"); print $NF, a[2] }' | sort -u |
		join - "$tmp/defs" | while read -r sym obj to; do
			tr=$(rank "$to")
			[ "$tr" -gt "$r" ] &&
				echo "#   $l/$obj calls $sym, defined in $to"
		done >> "$tmp/calls"
done
if [ -s "$tmp/calls" ]; then
	echo "not ok 2 layers: a layer calls one above it"
	cat "$tmp/calls"
	status=1
else
	echo "ok 2 layers: no archive calls into a layer above it ($layers)"
fi
exit $status
