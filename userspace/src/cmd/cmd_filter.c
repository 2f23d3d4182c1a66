// SPDX-License-Identifier: GPL-2.0-only
/*
 * The subcommands that build a filter: run, compile and explain. They share
 * one set of policy options, parsed by parse_filter_args().
 */
#include <errno.h>
#include <linux/audit.h>
#include <getopt.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "bpf.h"
#include "compile.h"
#include "complain_landlock.h"
#include "diag.h"
#include "landlock_apply.h"
#include "launch.h"
#include "oci.h"
#include "syscalls.h"

static const struct ps_loc cmdline = { "pinscope", 0, 0 };

enum {
	OPT_ALLOW = 1000,
	OPT_DENY,
	OPT_DEFAULT_ACTION,
	OPT_SYSTEMD,
	OPT_PRELOAD,
	OPT_EXEC_FALLBACK,
	OPT_NO_EXEC,
	OPT_REPORT,
	OPT_ARCH,
	OPT_MINIJAIL,
	OPT_CALL,
	OPT_CACHE,
	OPT_OCI,
	OPT_OCI_CAPS,
	OPT_EXEC_BY_LOADER,
	OPT_JSON,
	OPT_COMPLAIN,
	OPT_COMPLAIN_OUT,
	OPT_REFUSALS,
	/* Landlock: the path kinds in the order of landlock_kinds[] */
	OPT_LL_RO,
	OPT_LL_ROX,
	OPT_LL_RW,
	OPT_LL_RWX,
	OPT_LL_IOCTL_DEV,
	OPT_LL_BIND,
	OPT_LL_CONNECT,
	OPT_LL_SCOPE,
	OPT_LL_NO_TCP,
	OPT_LL_MIN_ABI,
};

/* The policy options, every filter command's: a table's first rows. */
#define POLICY_OPTIONS                                                      \
	{ "policy", required_argument, NULL, 'S' },                         \
		{ "allow", required_argument, NULL, OPT_ALLOW },            \
		{ "deny", required_argument, NULL, OPT_DENY },              \
		{ "default-action", required_argument, NULL,                \
		  OPT_DEFAULT_ACTION },                                     \
		{ "systemd", required_argument, NULL, OPT_SYSTEMD },        \
		{ "preload", no_argument, NULL, OPT_PRELOAD },              \
		{ "no-exec", no_argument, NULL, OPT_NO_EXEC },              \
		{ "arch", required_argument, NULL, OPT_ARCH },              \
		{ "include-dir", required_argument, NULL, 'I' },            \
		{ "define", required_argument, NULL, 'D' },                 \
		{ "minijail", no_argument, NULL, OPT_MINIJAIL },            \
		{ "oci", required_argument, NULL, OPT_OCI },                \
		{ "oci-caps", required_argument, NULL, OPT_OCI_CAPS },      \
		{ "ro", required_argument, NULL, OPT_LL_RO },               \
		{ "rox", required_argument, NULL, OPT_LL_ROX },             \
		{ "rw", required_argument, NULL, OPT_LL_RW },               \
		{ "rwx", required_argument, NULL, OPT_LL_RWX },             \
		{ "ioctl-dev", required_argument, NULL, OPT_LL_IOCTL_DEV }, \
		{ "bind-tcp", required_argument, NULL, OPT_LL_BIND },       \
		{ "connect-tcp", required_argument, NULL, OPT_LL_CONNECT }, \
		{ "no-tcp", no_argument, NULL, OPT_LL_NO_TCP },             \
		{ "scope", required_argument, NULL, OPT_LL_SCOPE },         \
		{ "landlock-min-abi", required_argument, NULL,              \
		  OPT_LL_MIN_ABI },                                         \
		{ "verbose", no_argument, NULL, 'v' },                      \
	{                                                                   \
		"help", no_argument, NULL, 'h'                              \
	}

static const struct option run_options[] = {
	POLICY_OPTIONS,
	{ "exec-fallback", no_argument, NULL, OPT_EXEC_FALLBACK },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "complain", no_argument, NULL, OPT_COMPLAIN },
	{ "complain-out", required_argument, NULL, OPT_COMPLAIN_OUT },
	{ "refusals", required_argument, NULL, OPT_REFUSALS },
	{ NULL, 0, NULL, 0 },
};

static const struct option compile_options[] = {
	POLICY_OPTIONS,
	{ "quiet", no_argument, NULL, 'q' },
	{ "output", required_argument, NULL, 'o' },
	{ "exec-by-loader", required_argument, NULL, OPT_EXEC_BY_LOADER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

static const struct option explain_options[] = {
	POLICY_OPTIONS,
	{ "call", required_argument, NULL, OPT_CALL },
	{ "cache", no_argument, NULL, OPT_CACHE },
	{ NULL, 0, NULL, 0 },
};

static const char policy_help[] =
	"Policy options:\n"
	"  -S, --policy FILE         a minijail-style policy file (repeatable)\n"
	"      --oci PROFILE.json    an OCI (Docker, Podman) seccomp profile, alone or\n"
	"                            with --deny\n"
	"      --oci-caps LIST       the capabilities its includes/excludes see:\n"
	"                            CAP_A,CAP_B, docker, own or none (default: docker)\n"
	"  -v, --verbose             name the profile's skipped names and entries\n"
	"      --allow LIST          allow these: name,@group,...\n"
	"      --deny LIST           refuse these: name,name:ERRNO,@group,...\n"
	"      --systemd VALUE       a SystemCallFilter= value (~ for a deny list)\n"
	"      --default-action ACT  kill-process (default), kill-thread, trap, log,\n"
	"                            errno:NAME or errno:NUMBER\n"
	"      --preload             install the filter after the dynamic loader and\n"
	"                            libc have started (libpinscope-preload.so)\n"
	"      --no-exec             the command may not execve after it starts\n"
	"      --arch native|all     all: also admit x32 and i386 (int 0x80) calls\n"
	"  -I, --include-dir DIR     look here for @include files not found\n"
	"  -D, --define NAME=VALUE   a constant this system's headers lack\n"
	"      --minijail            strict minijail syntax: no pinscope extensions\n"
	"Landlock options (files and ports; see pinscope.policy(5) for @landlock):\n"
	"      --ro PATH             PATH (a file, or a directory and all beneath) may\n"
	"                            be read; repeatable, as is each of these\n"
	"      --rox PATH            read and executed\n"
	"      --rw PATH             read and written (created, removed, renamed)\n"
	"      --rwx PATH            read, written and executed\n"
	"      --ioctl-dev PATH      ioctl on the devices there (ABI 5)\n"
	"                            (?PATH: skipped when missing; any of these: every\n"
	"                            other path is refused)\n"
	"      --bind-tcp PORT,...   the TCP ports it may bind (ABI 4)\n"
	"      --connect-tcp PORT,...\n"
	"                            the TCP ports it may connect to (ABI 4)\n"
	"      --no-tcp              no TCP bind or connect but those named\n"
	"      --scope abstract-unix-socket,signal\n"
	"                            no connecting to abstract UNIX sockets, no\n"
	"                            signals, outside the sandbox (ABI 6)\n"
	"      --landlock-min-abi N  refuse to start (exit 2) on a kernel whose\n"
	"                            Landlock ABI is below N (else rights the kernel\n"
	"                            cannot enforce are dropped, each said)\n";

/*
 * One Landlock option of CMD, C of OPTS: into LL, or a usage error. The
 * path and port options are spelt as @landlock's words (--ro PATH is
 * "@landlock ro PATH"), which the model says the rights of.
 */
static void landlock_option(const char *cmd, const struct option *opts, int c,
			    const char *arg, struct ps_landlock *ll)
{
	const char *kind = ps_option_name(opts, c);
	const struct ps_landlock_word *w = ps_landlock_word(kind);
	const char *bad, *s;
	uint64_t scopes;
	size_t bad_len;
	int port;

	if (w && w->type == PS_LL_PATHS) {
		if (!arg[0] || (arg[0] == '?' && !arg[1]))
			ps_usage_error(cmd, NULL, "--%s needs a path", kind);
		ps_landlock_add_path(ll, kind, arg, &cmdline);
		return;
	}
	if (w && w->type == PS_LL_PORTS) {
		for (s = arg;; s += bad_len + 1) {
			char word[16];

			bad_len = strcspn(s, ",");
			snprintf(word, sizeof(word), "%.*s", (int)bad_len, s);
			port = bad_len < sizeof(word) ?
				       ps_landlock_parse_port(word) :
				       -1;
			if (port < 0)
				ps_usage_error(
					cmd, NULL,
					"bad --%s port '%.*s' (0 to 65535)",
					kind, (int)bad_len, s);
			ps_landlock_add_port(ll, w->access, (uint16_t)port,
					     &cmdline);
			if (!s[bad_len])
				return;
		}
	}
	if (w && w->type == PS_LL_SCOPES) {
		if (ps_landlock_parse_scopes(arg, &scopes, &bad, &bad_len) < 0)
			ps_usage_error(
				cmd, NULL,
				"unknown --scope '%.*s' (abstract-unix-socket, signal)",
				(int)bad_len, bad);
		if (scopes & LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET)
			ps_landlock_add_scope(
				ll, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
				&cmdline);
		if (scopes & LANDLOCK_SCOPE_SIGNAL)
			ps_landlock_add_scope(ll, LANDLOCK_SCOPE_SIGNAL,
					      &cmdline);
	} else if (w && w->type == PS_LL_NO_TCP) {
		ps_landlock_restrict_tcp(ll, &cmdline);
	} else { /* --landlock-min-abi */
		int v = ps_landlock_parse_min_abi(arg);

		if (v < 0)
			ps_usage_error(
				cmd, NULL,
				"bad --landlock-min-abi '%s' (an ABI version: 1, 2, ...)",
				arg);
		if ((unsigned int)v > ll->min_abi) {
			ll->min_abi = (unsigned int)v;
			ll->min_abi_loc = cmdline;
		}
	}
}

/* One filter command: its name, its options and its help. */
struct filter_cmd {
	const char *name;
	const char *optstring;
	const struct option *options;
	const char *about; /* usage line and what it does */
	const char *own_help; /* the options only it takes */
};

static const struct filter_cmd run_cmd = {
	"run",
	"+S:I:D:hv",
	run_options,
	"usage: pinscope run [POLICY OPTIONS] -- CMD [ARGS]\n"
	"Run CMD confined by a seccomp filter: NoNewPrivs is set, everything the\n"
	"policy does not allow gets the default action, and the launcher names\n"
	"the refused syscall when CMD is killed. Exit status: CMD's, 128+signal,\n"
	"2 for a usage or policy error (CMD never starts).\n\n",
	"\nRun options:\n"
	"      --exec-fallback       with --preload: a static command runs in exec\n"
	"                            mode (with a warning) instead of being refused\n"
	"      --report              log every refused call with its arguments\n"
	"      --complain            NOT CONFINEMENT. Every call the policy would\n"
	"                            refuse runs, and is named once on stderr with the\n"
	"                            rule that would refuse it; a summary at the end\n"
	"                            (exec mode: not with --preload). Landlock rules\n"
	"                            are checked, not applied: each file, port or\n"
	"                            signal use they would refuse runs, and is named\n"
	"      --complain-out FILE   with --complain: the rules to add to the policy\n"
	"                            so that the same run passes enforcing\n"
	"      --refusals FILE       each refusal the launcher can name, as a JSON\n"
	"                            line (time, pid, comm, exe, syscall, args,\n"
	"                            action, rule), in exec and --preload mode\n"
	"  -h, --help                this help\n",
};

static const struct filter_cmd compile_cmd = {
	"compile",
	"S:I:D:qo:hv",
	compile_options,
	"usage: pinscope compile [POLICY OPTIONS] [FILE...]\n"
	"Check policies: exit 0, or print FILE:LINE:COL: error: ... and exit 2.\n"
	"--no-exec needs --preload here: a loader's own exec of the command\n"
	"cannot be told from later ones.\n\n",
	"\nCompile options:\n"
	"  -q, --quiet               print nothing on success but notes\n"
	"  -o, --output FILE         write the BPF program (raw sock_filter)\n"
	"      --exec-by-loader allow|policy\n"
	"                            the program's loader (bwrap --seccomp, a\n"
	"                            runtime) executes the command after loading\n"
	"                            it. allow: execve and execveat pass (every exec:\n"
	"                            a filter cannot tell the loader's); policy: as\n"
	"                            the policy says (the default, with a note when\n"
	"                            it does not allow execve)\n"
	"      --json                one JSON object on standard output: ok, the\n"
	"                            counts, and each diagnostic's file, line, col,\n"
	"                            message and hint\n"
	"  -h, --help                this help\n",
};

static const struct filter_cmd explain_cmd = {
	"explain",
	"S:I:D:hv",
	explain_options,
	"usage: pinscope explain [POLICY OPTIONS] [FILE...]\n"
	"Print the resolved rules, the BPF program's size and the program\n"
	"(as `pinscope run` with the same options would load it).\n\n",
	"\nExplain options:\n"
	"      --call 'NAME(A0,...)' what the program decides for this call\n"
	"                            (repeatable; missing arguments are 0)\n"
	"      --cache               only the syscalls the kernel's action cache\n"
	"                            answers, as /proc/PID/seccomp_cache lists them\n"
	"  -h, --help                this help\n",
};

static void usage(const struct filter_cmd *cmd, FILE *out)
{
	fputs(cmd->about, out);
	fputs(policy_help, out);
	fputs(cmd->own_help, out);
}

struct filter_args {
	struct ps_policy policy;
	struct ps_filter_options opt;
	bool any_source;
	bool preload;
	bool exec_fallback;
	bool quiet;
	const char *output;
	const char **calls;
	unsigned int n_calls, cap_calls;
	bool cache;
	int argc_left;
	char **argv_left;
	const char *const *files;
	unsigned int n_files;
	const char *oci;
	bool arch_set;
	bool exec_by_loader_set; /* the user chose (compile) */
	bool json; /* diagnostics kept for one JSON report */
};

/*
 * Parses the options; policy files are read after all options, so -I and
 * --minijail apply to every file whatever their order.
 */
static void parse_filter_args(const struct filter_cmd *fc, int argc,
			      char **argv, struct filter_args *a)
{
	const char *cmd = fc->name;
	const char **files = NULL;
	unsigned int n_files = 0, cap = 0, i;
	char **lists = NULL;
	int *kinds = NULL;
	unsigned int n_lists = 0;
	struct ps_oci_options oo = { 0 };
	const char *oci = NULL;
	unsigned int n_minijail_sources = 0;
	int c, errors = 0;

	memset(a, 0, sizeof(*a));
	ps_policy_init(&a->policy);
	optind = 1;
	/* run stops at the command; compile and explain take files anywhere */
	while ((c = ps_getopt(cmd, argc, argv, fc->optstring, fc->options)) !=
	       -1) {
		switch (c) {
		case 'S':
			PS_PUSH(files, n_files, cap);
			files[n_files++] = optarg;
			break;
		case 'I':
			ps_policy_add_include_dir(&a->policy, optarg);
			break;
		case 'D':
			if (ps_policy_define(&a->policy, optarg) < 0)
				exit(EXIT_USAGE);
			break;
		case OPT_OCI:
			if (oci)
				ps_usage_error(cmd, NULL,
					       "one --oci profile at a time");
			oci = optarg;
			break;
		case OPT_OCI_CAPS:
			if (ps_oci_parse_caps(optarg, &oo.caps) < 0)
				exit(EXIT_USAGE);
			oo.caps_set = true;
			break;
		case 'v':
			oo.verbose = true;
			break;
		case OPT_ALLOW:
		case OPT_SYSTEMD:
			n_minijail_sources++;
			/* fall through */
		case OPT_DENY:
			lists = xrealloc(lists, n_lists + 1, sizeof(*lists));
			kinds = xrealloc(kinds, n_lists + 1, sizeof(*kinds));
			lists[n_lists] = optarg;
			kinds[n_lists++] = c;
			break;
		case OPT_DEFAULT_ACTION:
			if (ps_parse_action(optarg, &a->opt.default_action) <
				    0 ||
			    a->opt.default_action.type == PS_ACT_ALLOW)
				ps_usage_error(
					cmd, NULL,
					"bad --default-action '%s' (kill-process, kill-thread, trap, log, errno:NAME)",
					optarg);
			a->opt.default_set = true;
			break;
		case OPT_PRELOAD:
			a->preload = true;
			break;
		case OPT_EXEC_FALLBACK:
			a->exec_fallback = true;
			break;
		case OPT_NO_EXEC:
			a->opt.no_exec = true;
			break;
		case OPT_REPORT:
			a->opt.report = true;
			break;
		/* run's only: its option table is the only one with them */
		case OPT_COMPLAIN:
			a->opt.complain = true;
			break;
		case OPT_COMPLAIN_OUT:
			a->opt.complain_out = optarg;
			break;
		case OPT_REFUSALS:
			a->opt.refusals = optarg;
			break;
		case OPT_ARCH:
			if (!strcmp(optarg, "all"))
				a->opt.arch_all = true;
			else if (strcmp(optarg, "native"))
				ps_usage_error(
					cmd, NULL,
					"bad --arch '%s' (native or all)",
					optarg);
			a->arch_set = true;
			break;
		case OPT_MINIJAIL:
			a->policy.minijail_strict = true;
			break;
		case OPT_EXEC_BY_LOADER:
			if (!strcmp(optarg, "allow"))
				a->opt.loader_exec = true;
			else if (strcmp(optarg, "policy"))
				ps_usage_error(
					cmd, NULL,
					"bad --exec-by-loader '%s' (allow or policy)",
					optarg);
			a->exec_by_loader_set = true;
			break;
		case OPT_LL_RO ... OPT_LL_MIN_ABI:
			landlock_option(cmd, fc->options, c, optarg,
					&a->policy.landlock);
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_CALL:
			PS_PUSH(a->calls, a->n_calls, a->cap_calls);
			a->calls[a->n_calls++] = optarg;
			break;
		case OPT_CACHE:
			a->cache = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'h':
			usage(fc, stdout);
			exit(0);
		}
	}
	/* the policy's diagnostics become the report's, not stderr's */
	if (a->json)
		ps_diag_set_sink(NULL, NULL);
	a->argc_left = argc - optind;
	a->argv_left = argv + optind;
	if (strcmp(cmd, "run")) {
		/* compile and explain: the remaining words are files too */
		for (i = 0; i < (unsigned int)a->argc_left; i++) {
			const char *f = a->argv_left[i];

			if (ps_oci_is_profile(f)) {
				if (oci)
					ps_usage_error(
						cmd, NULL,
						"one OCI profile at a time");
				oci = f;
				continue;
			}
			PS_PUSH(files, n_files, cap);
			files[n_files++] = f;
		}
		a->argc_left = 0;
	}
	/*
	 * A profile says what every syscall gets, its default included:
	 * mixed with other allow rules, which would win would be a guess.
	 */
	if (oci && (n_files || n_minijail_sources))
		ps_usage_error(
			cmd, NULL,
			"--oci goes alone (or with --deny): convert the profile to add rules to it");
	if (oci && a->opt.default_set)
		ps_usage_error(
			cmd, NULL,
			"--oci has the profile's defaultAction: no --default-action");
	if (!oci && (oo.caps_set || oo.verbose))
		ps_usage_error(cmd, NULL,
			       "--oci-caps and --verbose go with --oci");
	if (oci) {
		if (ps_oci_load(&a->policy, oci, &oo) < 0)
			errors++;
		else if (!a->arch_set)
			a->opt.arch_all = a->policy.arch_all;
		a->oci = oci;
	}
	for (i = 0; i < n_files; i++)
		if (ps_policy_load_file(&a->policy, files[i]) < 0)
			errors++;
	for (i = 0; i < n_lists; i++) {
		int ret;

		if (kinds[i] == OPT_SYSTEMD)
			ret = ps_policy_add_systemd(&a->policy, lists[i],
						    &cmdline);
		else
			ret = ps_policy_add_list(&a->policy, lists[i],
						 kinds[i] == OPT_DENY,
						 &cmdline);
		if (ret < 0)
			errors++;
	}
	a->any_source = n_files || n_lists || oci ||
			ps_landlock_any(&a->policy.landlock);
	if (ps_landlock_any(&a->policy.landlock) || a->policy.landlock.min_abi)
		a->opt.landlock = &a->policy.landlock;
	/* --complain-out writes what a systemd-only policy adds in its format */
	a->opt.complain_systemd = n_lists && !n_files && !oci;
	for (i = 0; i < n_lists; i++)
		if (kinds[i] != OPT_SYSTEMD)
			a->opt.complain_systemd = false;
	a->files = files;
	a->n_files = n_files;
	free(lists);
	free(kinds);
	if (errors || a->policy.errors) {
		if (a->json)
			ps_report_json(stdout, false, NULL, 0);
		free(files);
		ps_policy_free(&a->policy);
		exit(EXIT_USAGE);
	}
}

static void free_filter_args(struct filter_args *a)
{
	free(a->calls);
	ps_policy_free(&a->policy);
	free((void *)a->files);
}

/* --exec-fallback: a static command, which no preload reaches, runs in exec mode. */
static bool falls_back_to_exec(const struct filter_args *a)
{
	char *path;
	bool fall;

	if (!a->preload || !a->exec_fallback)
		return false;
	path = ps_resolve_command(a->argv_left[0]);
	fall = path && ps_is_static(path);
	if (fall)
		ps_warn("%s is statically linked: running it in exec mode (--exec-fallback); the policy must allow its start-up",
			path);
	free(path);
	return fall;
}

int cmd_run(int argc, char **argv)
{
	struct ps_complain_landlock *cl = NULL;
	struct filter_args a;
	struct ps_filter f;
	bool preload;
	int ret;

	parse_filter_args(&run_cmd, argc, argv, &a);
	if (!a.any_source)
		ps_usage_error(
			"run", NULL,
			"nothing to enforce: give -S, --oci, --allow, --deny or --systemd");
	if (a.argc_left == 0)
		ps_usage_error("run", NULL, "no command to run (after --)");
	if (a.preload && a.opt.report)
		ps_usage_error(
			"run", NULL,
			"--report needs exec mode, where the launcher holds the listener (drop --preload)");
	if (a.exec_fallback && !a.preload)
		ps_usage_error("run", NULL,
			       "--exec-fallback goes with --preload");
	if (a.opt.complain_out && !a.opt.complain)
		ps_usage_error("run", NULL,
			       "--complain-out goes with --complain");
	/*
	 * The policy's filter is the library's, loaded inside the program
	 * after start-up: a listener for it would be made in the program's
	 * own descriptor table, where the program (or a thread or handler of
	 * its own start-up code) could take it and answer, or forge, the
	 * notifications of its calls. The filter the launcher loads before
	 * the exec cannot tell start-up from the program.
	 */
	if (a.opt.complain && a.preload)
		ps_usage_error(
			"run", NULL,
			"--complain needs exec mode (drop --preload): under --preload the policy's filter is loaded by the library inside the program, so its notification listener would be the program's own, which could answer or forge the reports of its own calls; the launcher can hold only a listener made before the exec, whose filter cannot tell start-up from the program");
	/* the rules to add, in the profile's own format */
	a.opt.complain_oci = a.oci;
	preload = a.preload && !falls_back_to_exec(&a);
	if (!preload)
		ps_launch_needs(&a.opt);
	/* complain mode applies no Landlock rule: it checks the calls instead */
	if (a.opt.complain && a.opt.landlock &&
	    (cl = ps_complain_landlock_new(a.opt.landlock)))
		ps_complain_landlock_options(cl, &a.opt);
	if (ps_filter_build(&f, &a.policy, &a.opt) < 0) {
		ps_complain_landlock_free(cl);
		free_filter_args(&a);
		return EXIT_USAGE;
	}
	if (preload) {
		struct ps_filter_options o = a.opt;
		struct ps_policy needs;
		struct ps_filter outer;

		/* the library must load in the sandbox: its one file, rox */
		if (a.opt.landlock) {
			char *lib = ps_preload_lib_path();

			ps_landlock_add_path(&a.policy.landlock, "rox", lib,
					     &cmdline);
			free(lib);
		}
		o.first = &needs;
		if (ps_preload_needs(&needs) < 0 ||
		    ps_filter_build(&outer, &a.policy, &o) < 0) {
			ps_policy_free(&needs);
			ps_filter_free(&f);
			free_filter_args(&a);
			return EXIT_USAGE;
		}
		ret = ps_launch_preload(&f, &outer, a.argv_left);
		ps_filter_free(&outer);
		ps_policy_free(&needs);
	} else if (cl) {
		ret = ps_launch_complain(&f, a.argv_left,
					 ps_complain_landlock_hook(cl));
	} else {
		ret = ps_launch(&f, a.argv_left);
	}
	ps_complain_landlock_free(cl);
	ps_filter_free(&f);
	free_filter_args(&a);
	return ret;
}

static int write_program(const char *path, const struct sock_fprog *prog)
{
	FILE *out = fopen(path, "we");
	size_t size = prog->len * sizeof(struct sock_filter);

	if (!out || fwrite(prog->filter, 1, size, out) != size) {
		ps_warn("cannot write %s: %s", path, strerror(errno));
		if (out)
			fclose(out);
		return -1;
	}
	if (fclose(out)) {
		ps_warn("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_compile(int argc, char **argv)
{
	struct filter_args a;
	struct ps_filter f;
	unsigned int i;
	char name[64];

	parse_filter_args(&compile_cmd, argc, argv, &a);
	if (!a.any_source)
		ps_usage_error("compile", NULL, "no policy given");
	if (a.exec_by_loader_set && a.preload)
		ps_usage_error(
			"compile", NULL,
			"--exec-by-loader goes without --preload: the library loads the program after every exec the loader makes");
	if (a.opt.loader_exec && a.opt.no_exec)
		ps_usage_error(
			"compile", NULL,
			"--no-exec and --exec-by-loader allow contradict: a filter cannot tell the loader's exec from later ones");
	/*
	 * A program another loader loads (bwrap --seccomp, a runtime) is
	 * loaded before that loader execs the command, and a filter cannot
	 * tell that exec from later ones: it would refuse the command's
	 * start, or let every exec through. Neither is --no-exec, and a
	 * program that silently allowed exec would be a lie, so refuse.
	 */
	if (a.opt.no_exec && !a.preload)
		ps_usage_error(
			"compile", NULL,
			"--no-exec cannot be kept by a program another loader (bwrap --seccomp, a runtime) loads: it is loaded before the loader's own exec of the command, which a filter cannot tell from later ones; run the command under 'pinscope run --no-exec' (inside the sandbox), or compile --preload --no-exec for libpinscope-preload.so, which loads after that exec");
	if (ps_filter_build(&f, &a.policy, &a.opt) < 0) {
		if (a.json)
			ps_report_json(stdout, false, NULL, 0);
		free_filter_args(&a);
		return EXIT_USAGE;
	}
	ps_filter_warn_io_uring(&f);
	/* a policy of no rules at all is more often a mistake than a wish */
	if (!a.policy.n)
		ps_warn("warning: the policy has no rules: every call gets the default action (%s)",
			ps_action_name(&f.default_action, name, sizeof(name)));
	if (a.output && !a.preload && !a.exec_by_loader_set &&
	    !ps_filter_always_allows(&f, ps_syscall_lookup("execve")))
		ps_note_at(
			&cmdline,
			"%s: the policy does not allow execve, so the loader that loads this program (bwrap --seccomp, a runtime) will be refused its own exec of the command; --exec-by-loader allow lets execve and execveat pass, --exec-by-loader policy keeps the policy's rules (and silences this note)",
			a.output);
	if (a.output && write_program(a.output, &f.prog) < 0) {
		ps_filter_free(&f);
		free_filter_args(&a);
		return EXIT_USAGE;
	}
	if (a.json) {
		const struct ps_report_count counts[] = {
			{ "syscalls", f.n_plans },
			{ "instructions", f.prog.len },
		};

		ps_report_json(stdout, true, counts, ARRAY_SIZE(counts));
	} else if (!a.quiet) {
		if (a.oci)
			printf("%s: ok\n", a.oci);
		for (i = 0; i < a.n_files; i++)
			printf("%s: ok\n", a.files[i]);
		printf("%u syscalls ruled, %u BPF instructions\n", f.n_plans,
		       f.prog.len);
		/* -o writes the filter alone: the Landlock rules are run's */
		if (ps_landlock_any(&a.policy.landlock))
			printf("%u Landlock path and %u port rules (not in the BPF program: pinscope run applies them; see explain)\n",
			       a.policy.landlock.n_paths,
			       a.policy.landlock.n_ports);
	}
	ps_filter_free(&f);
	free_filter_args(&a);
	return 0;
}

/*
 * A call for --call: NAME(A0, A1, ...), each argument a number or a
 * constant (with | and ~ as in policies is not needed here: one value).
 * Missing arguments are 0.
 */
/*
 * One argument of --call as a policy writes a value: a number, a constant
 * (the headers' or -D's), or such values joined by '|'.
 */
static bool call_value(const struct ps_policy *p, char *word, uint64_t *out)
{
	char *part, *save = NULL;
	unsigned int i, parts = 0;
	uint64_t v;

	*out = 0;
	for (part = strtok_r(word, "|", &save); part;
	     part = strtok_r(NULL, "|", &save)) {
		while (*part == ' ')
			part++;
		part[strcspn(part, " ")] = '\0';
		if (!ps_parse_u64(part, &v)) {
			for (i = 0; i < p->n_defines; i++)
				if (!strcmp(p->define_names[i], part))
					break;
			if (i < p->n_defines)
				v = p->define_values[i];
			else if (!ps_constant_lookup(part, &v))
				return false;
		}
		*out |= v;
		parts++;
	}
	return parts > 0;
}

static int parse_call(const struct ps_policy *p, const char *text, int *nr,
		      uint64_t args[6])
{
	const char *open = strchr(text, '('), *s;
	char name[64], word[128];
	unsigned int n = 0;
	size_t len;

	memset(args, 0, 6 * sizeof(*args));
	len = open ? (size_t)(open - text) : strlen(text);
	if (!len || len >= sizeof(name))
		return -1;
	memcpy(name, text, len);
	name[len] = '\0';
	*nr = ps_syscall_lookup(name);
	if (*nr < 0) {
		ps_warn("explain: unknown syscall '%s' in --call '%s'", name,
			text);
		return -1;
	}
	if (!open)
		return 0;
	s = open + 1;
	for (;;) {
		const char *end = s + strcspn(s, ",)");
		const char *w = s;
		bool neg = false;
		uint64_t v;

		while (*w == ' ')
			w++;
		len = (size_t)(end - w);
		while (len && w[len - 1] == ' ')
			len--;
		if (!*end || len >= sizeof(word))
			goto bad;
		if (len == 0 && *end == ')' && n == 0 && end == s + (w - s))
			break; /* NAME() */
		memcpy(word, w, len);
		word[len] = '\0';
		if (word[0] == '-') {
			neg = true;
			memmove(word, word + 1, len);
		}
		if (n == 6)
			goto bad;
		if (!call_value(p, word, &v)) {
			ps_warn("explain: --call '%s': '%s' is not a number or a known constant (NAME, -N and A|B are)",
				text, word);
			return -1;
		}
		args[n++] = neg ? (uint64_t)0 - v : v;
		if (*end == ')') {
			if (end[1])
				goto bad;
			break;
		}
		s = end + 1;
	}
	return 0;
bad:
	ps_warn("explain: bad --call '%s': want NAME(ARG, ...), at most 6 numbers or constants",
		text);
	return -1;
}

static const char *ret_text(uint32_t ret, char *buf, size_t len)
{
	struct ps_action a = { PS_ACT_ERRNO, (int)(ret & SECCOMP_RET_DATA) };

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_USER_NOTIF:
		return "notify (the exec gate: the launcher decides)";
	case SECCOMP_RET_ERRNO:
		return ps_action_name(&a, buf, len);
	}
	return ps_bpf_ret_name(ret);
}

static int explain_call(const struct filter_args *a, const struct ps_filter *f,
			const char *text)
{
	struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };
	struct ps_action act;
	unsigned int steps, i;
	char b1[64], b2[64];
	uint64_t args[6];
	uint32_t r;
	int nr;

	if (parse_call(&a->policy, text, &nr, args) < 0)
		return -1;
	d.nr = nr;
	for (i = 0; i < 6; i++)
		d.args[i] = args[i];
	r = ps_bpf_run(f->prog.filter, f->prog.len, &d, &steps);
	act = ps_filter_decide(f, nr, args);
	printf("%s(", ps_syscall_name(nr));
	for (i = 0; i < 6; i++)
		printf("%s%#llx", i ? ", " : "", (unsigned long long)d.args[i]);
	printf("): %s after %u instructions", ret_text(r, b1, sizeof(b1)),
	       steps);
	if ((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
		printf("; the policy says %s",
		       ps_action_name(&act, b2, sizeof(b2)));
	putchar('\n');
	return 0;
}

/*
 * Does the running kernel pass native uretprobe through every filter?
 * Kernels with the syscall (6.11 and later) do (kernel/seccomp.c,
 * seccomp_uprobe_exception()), and their cache says so: no policy can
 * refuse it there.
 */
static bool kernel_passes_uretprobe(void)
{
	return ps_kernel_at_least(6, 11);
}

/*
 * The numbers the kernel's cache answers, as seccomp_cache lists them
 * (unassigned ones included); returns how many of them are syscalls.
 */
static unsigned int print_cache(const struct ps_filter *f, enum ps_arch arch,
				const char *kernel_name, bool print)
{
	const struct ps_syscall_table *t = &ps_syscall_tables[arch];
	int uretprobe = arch == PS_ARCH_X86_64 && kernel_passes_uretprobe() ?
				ps_syscall_lookup_arch(arch, "uretprobe") :
				-1;
	unsigned int i, n = 0;
	int nr, max = -1;

	for (i = 0; i < t->n; i++)
		if (t->by_name[i].nr > max)
			max = t->by_name[i].nr;
	for (nr = 0; nr <= max; nr++) {
		if (nr != uretprobe &&
		    !ps_bpf_const_allow(f->prog.filter, f->prog.len,
					ps_arch_audit(arch), nr))
			continue;
		/* the kernel lists unassigned numbers too; the count does not */
		n += ps_syscall_name_arch(arch, nr) != NULL;
		if (print)
			printf("%s %d ALLOW\n", kernel_name, nr);
	}
	return n;
}

int cmd_explain(int argc, char **argv)
{
	struct filter_args a;
	struct ps_filter f;
	unsigned int i, j, native = 0;
	char buf[64];
	int ret = 0;

	parse_filter_args(&explain_cmd, argc, argv, &a);
	if (!a.any_source)
		ps_usage_error("explain", NULL, "no policy given");
	/* what run loads: the launcher's exec gate, or the library's filter */
	if (!a.preload)
		ps_launch_needs(&a.opt);
	if (ps_filter_build(&f, &a.policy, &a.opt) < 0) {
		free_filter_args(&a);
		return EXIT_USAGE;
	}
	ps_filter_warn_io_uring(&f);
	if (a.cache) {
		print_cache(&f, PS_ARCH_X86_64, "x86_64", true);
		print_cache(&f, PS_ARCH_I386, "ia32", true);
		goto out;
	}
	if (a.n_calls) {
		for (i = 0; i < a.n_calls; i++)
			if (explain_call(&a, &f, a.calls[i]) < 0)
				ret = EXIT_USAGE;
		goto out;
	}
	printf("# default action: %s\n",
	       ps_action_name(&f.default_action, buf, sizeof(buf)));
	if (a.policy.oci_enosys)
		printf("# OCI includes and excludes read with the capabilities: %s\n",
		       ps_oci_caps_text(a.policy.oci_caps, buf, sizeof(buf)));
	if (f.load_flags & SECCOMP_FILTER_FLAG_LOG)
		printf("# loaded with SECCOMP_FILTER_FLAG_LOG (the profile's flags)\n");
	if (f.load_flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW)
		printf("# loaded with SECCOMP_FILTER_FLAG_SPEC_ALLOW (the profile's flags)\n");
	for (i = 0; i < PS_N_ARCH; i++)
		if (f.enosys_above[i] >= 0 &&
		    (i == PS_ARCH_NATIVE || f.opt.arch_all))
			printf("# %s numbers above %lld no rule names: errno:ENOSYS (runc's rule for OCI profiles)\n",
			       ps_arch_name(i), (long long)f.enosys_above[i]);
	for (i = 0; i < f.n_plans; i++) {
		const struct ps_plan *p = &f.plans[i];

		if (ps_is_i386_only(p->nr))
			printf("%s (i386 %d)", ps_syscall_name(p->nr),
			       p->nr - PS_I386_ONLY);
		else
			printf("%s (%d)", ps_syscall_name(p->nr), p->nr);
		if (p->rule && p->rule->loc.line)
			printf("    # %s:%u: %s", p->rule->loc.file,
			       p->rule->loc.line, p->rule->text);
		else if (p->rule)
			printf("    # %s: %s", p->rule->loc.file,
			       p->rule->text);
		if (p->cost)
			printf("    [%u instructions]", p->cost);
		if (ps_bpf_const_allow(f.prog.filter, f.prog.len,
				       AUDIT_ARCH_X86_64, p->nr))
			printf("    [constant allow: the kernel's cache]");
		putchar('\n');
		if (p->execve_gate)
			printf("  %-14s the launcher's own execve%s\n", "allow",
			       f.opt.no_exec ?
				       "; every later one: errno:EPERM" :
				       "; later ones as below");
		for (j = 0; j < p->n; j++) {
			printf("  %-14s ", ps_action_name(&p->d[j].action, buf,
							  sizeof(buf)));
			ps_expr_print(stdout, &p->d[j].when);
			putchar('\n');
		}
		if (!p->n || !ps_expr_is_true(&p->d[p->n - 1].when))
			printf("  %-14s %s\n",
			       ps_action_name(&f.default_action, buf,
					      sizeof(buf)),
			       p->n ? "otherwise" : "always");
	}
	for (i = 0; i < ps_syscall_tables[PS_ARCH_X86_64].n; i++)
		native++;
	printf("# constant: %u of %u native syscalls are answered by the kernel's action cache without running the filter\n",
	       print_cache(&f, PS_ARCH_X86_64, "x86_64", false), native);
	if (ps_landlock_any(&a.policy.landlock)) {
		struct ps_landlock_plan plan;

		ps_landlock_plan(&a.policy.landlock, ps_landlock_abi(), &plan);
		ps_landlock_print(stdout, &a.policy.landlock, &plan);
	}
	printf("# BPF program: %u instructions, %zu bytes\n", f.prog.len,
	       f.prog.len * sizeof(struct sock_filter));
	ps_bpf_print(stdout, f.prog.filter, f.prog.len);
out:
	ps_filter_free(&f);
	free_filter_args(&a);
	return ret;
}
