#!/bin/sh
# A test suite in the shape of a project's integration tests, run with the
# guest's busybox: archives, compression, text tools, pipes, subshells,
# jobs, signals, timeouts, limits.  Each test checks a known answer.  TAP;
# the output names no pid, time or temporary path, so every run that
# behaves the same prints the same.
set -u
n=0
failed=0

check() {
	n=$((n + 1))
	desc=$1
	shift
	if "$@" > /dev/null 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=1
	fi
}

t_tar() {
	mkdir -p src/a/b && seq 1 2000 > src/a/b/numbers && echo x > src/a/x &&
		tar czf a.tgz src && mkdir out && tar xzf a.tgz -C out &&
		diff -r src out/src
}
t_bzip2() { seq 1 5000 > big && bzip2 -c big > big.bz2 && bzcat big.bz2 | cmp - big; }
t_gzip() { gzip -9 -c big > big.gz && zcat big.gz | cmp - big; }
t_sum() { [ "$(seq 1 5000 | awk '{ s += $1 } END { print s }')" = 12502500 ]; }
t_uniq() {
	[ "$(seq 1 1000 | awk '{ print $1 % 10 }' | sort | uniq -c |
		awk '$1 == 100' | wc -l)" = 10 ]
}
t_sed() { [ "$(echo 'hello world' | sed 's/world/pinscope/')" = 'hello pinscope' ]; }
t_sha() {
	printf abc | sha256sum |
		grep -q '^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad '
}
t_find() { [ "$(find src -type f | wc -l)" = 2 ]; }
t_subshells() {
	[ "$( (echo a; (echo b; echo c) | tr a-z A-Z) | paste -sd, -)" = a,B,C ]
}
t_jobs() {
	sleep 0.1 & sleep 0.1 & wait
	(exit 3) &
	wait $!
	[ $? = 3 ]
}
t_fifo() {
	mkfifo fifo && { echo through > fifo & } && read -r line < fifo &&
		wait && [ "$line" = through ]
}
t_umask() { (umask 077 && touch private && [ "$(stat -c %a private)" = 600 ]); }
t_signal() {
	got=0
	trap 'got=1' USR1
	kill -USR1 $$
	trap - USR1
	[ "$got" = 1 ]
}
t_timeout() { ! timeout 1 sleep 5; }
t_ulimit() { (ulimit -n 64 && [ "$(ulimit -n)" = 64 ]); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
check "tar czf and xzf round-trip a tree" t_tar
check "bzip2 round-trips 5000 lines" t_bzip2
check "gzip round-trips them too" t_gzip
check "awk sums 1..5000" t_sum
check "sort and uniq count residues" t_uniq
check "sed substitutes" t_sed
check "sha256sum of abc" t_sha
check "find counts the files" t_find
check "subshells in a pipeline" t_subshells
check "background jobs and their status" t_jobs
check "a fifo between two processes" t_fifo
check "umask makes a private file" t_umask
check "a trapped signal" t_signal
check "timeout stops a sleep" t_timeout
check "ulimit lowers the open-file limit" t_ulimit
echo "1..$n"
exit $failed
