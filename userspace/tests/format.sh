#!/bin/sh
# userspace/ is written as the kernel's .clang-format says (copied here
# from linux-source-6.12): every C file of src/, crash/ and tests/ but the
# generated tables. One TAP line; the files that differ are named, with
# the first lines clang-format would change. Fix with: make -C userspace format
# SKIP, saying so, where clang-format is missing (make deps installs it).
#
# usage: sh tests/format.sh
set -u
cd "$(dirname "$0")/.." || exit 2

if ! command -v clang-format > /dev/null; then
	echo "ok 1 - clang-format # SKIP clang-format is not installed (make deps installs it)"
	exit 0
fi
files=$(find src crash tests -name '*.[ch]' ! -name '*.gen.*' | sort)
bad=
for f in $files; do
	clang-format --dry-run -Werror "$f" > /dev/null 2>&1 || bad="$bad $f"
done
count=$(echo "$files" | wc -l)
if [ -z "$bad" ]; then
	echo "ok 1 - clang-format: the $count C files of userspace/ as .clang-format says"
	exit 0
fi
echo "not ok 1 - clang-format: not as .clang-format says:$bad (make -C userspace format)"
for f in $bad; do
	clang-format --dry-run "$f" 2>&1 | head -n 6 | sed 's/^/# /'
done
exit 1
