#!/bin/sh
# The command line's one shape (src/cmd/cli.c) and the bash completion
# made from the same tables (src/cmd/completion.c): each command takes
# only its own options, a bad one is "pinscope CMD: ..." and a pointer to
# its --help, exit 2, with a "did you mean" where one is near; each
# command's help lists exactly the long options its table takes; the
# completion offers them. TAP on stdout.
#
# usage: PINSCOPE=path/to/pinscope sh tests/cli.sh
set -u

: "${PINSCOPE:?PINSCOPE=path/to/pinscope}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
why=

ok() {
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1${why:+: $why}"
		failed=1
	fi
	why=
}

# runs STATUS ARGS...: pinscope ARGS exits STATUS; out and err kept
runs() {
	want=$1
	shift
	"$PINSCOPE" "$@" > "$tmp/out" 2> "$tmp/err"
	got=$?
	[ "$got" = "$want" ] && return 0
	why="pinscope $*: exit $got, want $want: $(head -c 300 "$tmp/err")"
	return 1
}

# usage_error CMD LINE ARGS...: exit 2, and stderr is LINE then the pointer
usage_error() {
	cmd=$1
	line=$2
	shift 2
	runs 2 "$@" || return 1
	printf '%s\n%s\n' "$line" "try 'pinscope${cmd:+ $cmd} --help'" > "$tmp/want"
	cmp -s "$tmp/want" "$tmp/err" && return 0
	why="pinscope $*: stderr '$(cat "$tmp/err")', want '$(cat "$tmp/want")'"
	return 1
}

commands="run compile explain learn convert ptracer catch status syscalls groups completion"

t_unknown_option_is_one_line_and_a_pointer() {
	for c in $commands; do
		usage_error "$c" "pinscope $c: unknown option '--bogus'" "$c" --bogus || return 1
	done
}

t_options_a_command_does_not_take_are_errors() {
	usage_error run "pinscope run: unknown option '-o'" run -o x --allow read -- true &&
	usage_error run "pinscope run: unknown option '--call'" run --call 'read()' --allow read -- true &&
	usage_error explain "pinscope explain: unknown option '--output'" explain --output x --allow read &&
	usage_error compile "pinscope compile: unknown option '--cache'" compile --cache --allow read &&
	usage_error run "pinscope run: unknown option '--exec-by-loader'" run --exec-by-loader allow --allow read -- true
}

t_did_you_mean_an_option() {
	usage_error run "pinscope run: unknown option '--prelod' (did you mean '--preload'?)" \
		run --prelod --allow read -- true &&
	usage_error compile "pinscope compile: unknown option '--ouptut' (did you mean '--output'?)" \
		compile --ouptut=x --allow read
}

t_missing_argument_names_the_option() {
	usage_error run "pinscope run: option '--arch' needs an argument" run --arch &&
	usage_error compile "pinscope compile: option '-o' needs an argument" compile -o
}

t_did_you_mean_a_command() {
	usage_error "" "pinscope: unknown command 'rn' (did you mean 'run'?)" rn
}

t_did_you_mean_a_syscall_or_group() {
	runs 2 compile --allow redd,@basicio || return 1
	grep -q "unknown syscall 'redd' (did you mean 'read'?)" "$tmp/err" &&
		grep -q "unknown group '@basicio' (did you mean '@basic-io'?)" "$tmp/err" ||
		{ why="stderr: $(cat "$tmp/err")"; return 1; }
	runs 2 syscalls opnat || return 1
	grep -q "did you mean 'openat'" "$tmp/err" || { why="stderr: $(cat "$tmp/err")"; return 1; }
}

t_policy_error_shows_the_line_and_a_caret() {
	printf 'read: 1\nwrite: arg0 == NO_SUCH\n' > "$tmp/bad.policy"
	runs 2 compile "$tmp/bad.policy" || return 1
	printf '%s\n%s\n%s\n' \
		"$tmp/bad.policy:2:16: error: unknown constant 'NO_SUCH' (not in this system's headers; -D NO_SUCH=VALUE defines it)" \
		"  write: arg0 == NO_SUCH" \
		"                 ^" > "$tmp/want"
	cmp -s "$tmp/want" "$tmp/err" || { why="stderr: $(cat "$tmp/err")"; return 1; }
}

t_compile_json_reports_diagnostics_as_data() {
	printf 'read: 1\nopnat: 1\n' > "$tmp/bad.policy"
	runs 2 compile --json "$tmp/bad.policy" || return 1
	[ ! -s "$tmp/err" ] || { why="stderr: $(cat "$tmp/err")"; return 1; }
	python3 - "$tmp/out" "$tmp/bad.policy" <<'PY' || { why="stdout: $(cat "$tmp/out")"; return 1; }
import json, sys
r = json.load(open(sys.argv[1]))
d = r["diagnostics"][0]
assert r["ok"] is False and len(r["diagnostics"]) == 1
assert d == {"severity": "error", "file": sys.argv[2], "line": 2, "col": 1,
             "message": "unknown syscall 'opnat'", "hint": "did you mean 'openat'?"}, d
PY
	runs 0 compile --json --allow read,write || return 1
	grep -qx '{"ok":true,"syscalls":2,"instructions":[0-9]*,"diagnostics":\[\]}' "$tmp/out" ||
		{ why="stdout: $(cat "$tmp/out")"; return 1; }
}

# the long options of CMD's table, one a line, sorted
table_of() {
	"$PINSCOPE" "$1" --completion-helper | sed -n 's/^\(--[a-z-]*\)=\{0,1\}$/\1/p' | sort -u
}

t_each_help_lists_exactly_its_options() {
	for c in $commands; do
		"$PINSCOPE" "$c" --help > "$tmp/help" 2>&1 || { why="$c --help failed"; return 1; }
		# the option lines: "  -S, --policy FILE" or "      --preload"
		sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' "$tmp/help" |
			sort -u > "$tmp/helped"
		table_of "$c" > "$tmp/table"
		comm -13 "$tmp/helped" "$tmp/table" > "$tmp/missing"
		comm -23 "$tmp/helped" "$tmp/table" > "$tmp/extra"
		if [ -s "$tmp/missing" ] || [ -s "$tmp/extra" ]; then
			why="$c --help: not listed: $(tr '\n' ' ' < "$tmp/missing"); not taken: $(tr '\n' ' ' < "$tmp/extra")"
			return 1
		fi
	done
}

# ---- bash completion ----

# complete WORDS...: what the generated completion offers for the last
# word, one a line, sorted; bash-completion's helpers stubbed, so the
# test needs only bash
complete_words() {
	bash -c '
		_init_completion() {
			words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
			cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
		}
		_filedir() { COMPREPLY=(FILE); }
		_command_offset() { COMPREPLY=(COMMAND); }
		complete() { :; }
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_pinscope
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' sh "$tmp/pinscope.bash" "$@"
}

# offers WANT WORDS...: the completion of WORDS is WANT (lines)
offers() {
	want=$1
	shift
	got=$(complete_words "$@")
	[ "$got" = "$want" ] && return 0
	why="'$*': got '$(echo "$got" | tr '\n' ' ')', want '$(echo "$want" | tr '\n' ' ')'"
	return 1
}

t_completion_comes_from_the_tables() {
	"$PINSCOPE" completion bash > "$tmp/pinscope.bash" || { why="completion bash failed"; return 1; }
	bash -n "$tmp/pinscope.bash" || { why="not bash"; return 1; }
	offers run pinscope ru &&
	offers --preload pinscope run --prel &&
	offers "" pinscope run --outp &&
	offers --output pinscope compile --outp &&
	offers "$(printf 'all\nnative')" pinscope run --arch "" &&
	offers "$(printf 'read,write\nread,writev')" pinscope run --allow read,wri &&
	offers FILE pinscope run -S "" &&
	offers COMMAND pinscope run --allow read -- "" &&
	offers @basic-io pinscope groups @basic
}

ok t_unknown_option_is_one_line_and_a_pointer
ok t_options_a_command_does_not_take_are_errors
ok t_did_you_mean_an_option
ok t_missing_argument_names_the_option
ok t_did_you_mean_a_command
ok t_did_you_mean_a_syscall_or_group
ok t_policy_error_shows_the_line_and_a_caret
ok t_compile_json_reports_diagnostics_as_data
ok t_each_help_lists_exactly_its_options
ok t_completion_comes_from_the_tables
echo "1..$n"
exit $failed
