# The real workloads of the host tests (sourced by learn.sh and
# complain.sh, after tap.sh): each has NAME_reset, NAME_cmd and
# NAME_result, and setup_workloads makes their inputs in $tmp.
# shellcheck shell=sh

# Each: NAME_reset prepares its input, NAME_cmd runs it after the words
# given as its arguments (none: unconfined), NAME_result prints what it
# made.

py_threads_reset() { :; }
py_threads_cmd() { "$@" /usr/bin/python3 "$tmp/threads.py"; }
py_threads_result() { cat "$tmp/wl.out"; }

bash_pipes_reset() { rm -f "$tmp/bash/result.txt"; }
bash_pipes_cmd() { "$@" /bin/bash "$tmp/bash/script.sh" "$tmp/bash"; }
bash_pipes_result() { cat "$tmp/wl.out"; }

gcc_c_reset() { rm -f "$tmp/gcc/t.o"; }
gcc_c_cmd() { "$@" gcc -O2 -c -o "$tmp/gcc/t.o" "$tmp/gcc/t.c"; }
gcc_c_result() { cat "$tmp/wl.out"; cksum < "$tmp/gcc/t.o"; }

tar_czf_reset() { rm -f "$tmp/a.tgz"; }
tar_czf_cmd() { "$@" tar czf "$tmp/a.tgz" -C "$tmp" tarsrc; }
tar_czf_result() { cat "$tmp/wl.out"; tar tzvf "$tmp/a.tgz"; gzip -dc "$tmp/a.tgz" | cksum; }

tar_xzf_reset() { rm -rf "$tmp/x" && mkdir "$tmp/x"; }
tar_xzf_cmd() { "$@" tar xzf "$tmp/ref.tgz" -C "$tmp/x"; }
tar_xzf_result() { cat "$tmp/wl.out"; (cd "$tmp/x" && find . -type f | LC_ALL=C sort | xargs cksum); }

xz_t2_reset() { rm -f "$tmp/xz.out"; }
xz_t2_cmd() { "$@" xz -T2 -1 --block-size=128KiB -c "$tmp/xz.in" > "$tmp/xz.out"; }
xz_t2_result() { cat "$tmp/wl.out"; cksum < "$tmp/xz.out"; }

sort_parallel_reset() { :; }
# -S 1M: temporary files, whose names glibc draws (mkstemp)
sort_parallel_cmd() { "$@" sort --parallel=2 -S 1M -T "$tmp" "$tmp/sort.in"; }
sort_parallel_result() { cksum < "$tmp/wl.out"; }

sqlite3_reset() { rm -f "$tmp/db.sqlite"; }
sqlite3_cmd() {
	"$@" sqlite3 "$tmp/db.sqlite" "create table t(a integer, b text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000)
insert into t select x, hex(x * x) from c;
create index tb on t(b);
select count(*), sum(a), max(b) from t where a % 3 = 1;"
}
sqlite3_result() { cat "$tmp/wl.out"; }

git_commit_reset() { rm -rf "$tmp/repo" && cp -a "$tmp/repo.template" "$tmp/repo"; }
git_commit_cmd() { "$@" git -C "$tmp/repo" commit -q -m "learned and run"; }
git_commit_result() { cat "$tmp/wl.out"; git -C "$tmp/repo" rev-parse HEAD; }

setup_workloads() {
	[ -e "$tmp/threads.py" ] && return 0
	cat > "$tmp/threads.py" << 'EOF'
import threading
total = []
lock = threading.Lock()
def work(n):
    s = sum(i * i for i in range(n))
    with lock:
        total.append(s)
threads = [threading.Thread(target=work, args=(30000 + k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(total))
EOF
	mkdir -p "$tmp/bash" "$tmp/gcc" "$tmp/tarsrc/sub" "$tmp/home"
	cat > "$tmp/bash/script.sh" << 'EOF'
#!/bin/bash
set -eu
cd "$1"
words=$(printf '%s\n' delta alpha charlie bravo | sort | tr '\n' ' ')
count=$( (printf '%s\n' 1 2 3 4 5 | head -n 3) | wc -l )
{ echo "${words^^}"; echo "$count"; } > result.txt
for i in 3 1 2; do echo "n$i"; done | sort -r | paste -sd, >> result.txt
inner=$( (cd / && pwd) )
echo "inner $inner" >> result.txt
cat result.txt
EOF
	cat > "$tmp/gcc/t.c" << 'EOF'
#include <stdio.h>
static int square(int x) { return x * x; }
int main(void) { printf("%d\n", square(7)); return 0; }
EOF
	for i in 1 2 3 4 5 6 7 8; do
		seq "$((i * 500))" > "$tmp/tarsrc/f$i"
		echo "file $i" > "$tmp/tarsrc/sub/g$i"
	done
	tar czf "$tmp/ref.tgz" -C "$tmp" tarsrc
	# compressible, and several blocks for two threads
	awk 'BEGIN { srand(7); for (i = 0; i < 60000; i++) printf "%d %x\n", i, int(rand() * 1e9) }' > "$tmp/xz.in"
	awk 'BEGIN { srand(3); for (i = 0; i < 100000; i++) print int(rand() * 1e9) }' > "$tmp/sort.in"
	export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1
	export GIT_AUTHOR_NAME=pinscope GIT_AUTHOR_EMAIL=pinscope@example.org
	export GIT_COMMITTER_NAME=pinscope GIT_COMMITTER_EMAIL=pinscope@example.org
	export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
	git init -q "$tmp/repo.template" &&
		cp "$tmp/gcc/t.c" "$tmp/repo.template/" &&
		git -C "$tmp/repo.template" add t.c
}

# the programs each workload test needs: a missing one is a SKIP
needs() {
	case "$1" in
	*oci*) echo bash jq ;;
	*python3*) echo python3 ;;
	*bash*) echo bash ;;
	*gcc*) echo gcc ;;
	*tar*) echo tar gzip ;;
	*xz*) echo xz ;;
	*sort*) echo sort ;;
	*sqlite3*) echo sqlite3 ;;
	*git*) echo git ;;
	*refused*) echo python3 bash ;;
	*terminal*) echo script ;;
	esac
}

# run_workload_tests SCRIPT: each test of SCRIPT, a SKIP where a program
# it needs is not installed
run_workload_tests() {
	for t in $(sed -n 's/^\(t_[a-z0-9_]*\)() {.*/\1/p' "$1"); do
		for p in $(needs "$t"); do
			command -v "$p" > /dev/null || { skip_test "$t" "$p is not installed"; continue 2; }
		done
		run_test "$t"
	done
}
