// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope status: the LSM's settings and counters (securityfs), and a
 * process's confinement: its seccomp mode, filter count and NoNewPrivs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
#include "lsm_info.h"
#include "util.h"

#define SECURITYFS "/sys/kernel/security"
#define PINSCOPE_DIR SECURITYFS "/pinscope"

static bool is_decimal(const char *s)
{
	return *s >= '0' && *s <= '9' && !s[strspn(s, "0123456789")] &&
	       strlen(s) < 20;
}

/* key=value lines of a securityfs file, as the pairs of one section */
static int print_keyfile(struct ps_out *o, const char *path,
			 const char *section)
{
	char line[256];
	FILE *f = fopen(path, "re");

	if (!f && errno == EACCES && !strcmp(section, "counters")) {
		/* the LSM keeps them from other users: they tell of root's loads */
		ps_out_begin(o, section);
		ps_out_string(o, "readable", "by root only");
		ps_out_end(o);
		return 0;
	}
	if (!f) {
		ps_out_error(o, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	ps_out_begin(o, section);
	if (!strcmp(section, "pinscope"))
		ps_out_bool(o, "active", true);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		/* the LSM's settings and counters are numbers; a word stays one */
		if (is_decimal(eq + 1))
			ps_out_uint(o, line, strtoull(eq + 1, NULL, 10));
		else
			ps_out_string(o, line, eq + 1);
	}
	fclose(f);
	ps_out_end(o);
	return 0;
}

/* No pinscope directory: say which of the reasons it is. */
static void print_inactive(struct ps_out *o)
{
	char lsms[256] = "", *why;
	const char *how;

	if (ps_lsm_active(lsms, sizeof(lsms), &how) < 0)
		why = xstrdup("securityfs is not mounted on " SECURITYFS
			      ", or the kernel has no LSMs");
	else if (!strstr(lsms, "pinscope"))
		why = xasprintf("not among this kernel's active LSMs (%s)",
				lsms);
	else
		why = xstrdup(
			"active, but securityfs is not mounted on " SECURITYFS);
	ps_out_begin(o, "pinscope");
	ps_out_bool(o, "active", false);
	ps_out_string(o, "why", why);
	ps_out_end(o);
	free(why);
}

/*
 * The kernel's LSMs, and Yama's ptrace scope where Yama runs: with
 * pinscope's own scope, it decides what learn, ptracer and catch may do.
 */
static void print_lsms(struct ps_out *o)
{
	char lsms[256];
	const char *how;
	int scope = ps_yama_ptrace_scope();

	ps_out_begin(o, "lsm");
	if (ps_lsm_active(lsms, sizeof(lsms), &how) == 0) {
		ps_out_string(o, "active", lsms);
		ps_out_string(o, "source", how);
	} else {
		ps_out_string(
			o, "active",
			"unknown (securityfs is not mounted; lsm_list_modules(2) needs Linux 6.8, and is not asked under a seccomp filter)");
	}
	ps_out_end(o);
	ps_out_begin(o, "yama");
	ps_out_bool(o, "active", scope >= 0);
	if (scope >= 0)
		ps_out_uint(o, "ptrace_scope", (uint64_t)scope);
	ps_out_end(o);
}

static int print_process(struct ps_out *o, pid_t pid)
{
	/* in the order /proc/PID/status has them */
	static const char *const keys[] = { "Name", "NoNewPrivs", "Seccomp",
					    "Seccomp_filters" };
	char v[256];
	size_t i;

	if (ps_proc_status(pid, keys[0], v, sizeof(v)) < 0) {
		ps_out_error(o, "no process %d: %s", pid, strerror(errno));
		return -1;
	}
	ps_out_begin(o, "process");
	ps_out_uint(o, "pid", (uint64_t)pid);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		/* a key this kernel lacks is left out */
		if (ps_proc_status(pid, keys[i], v, sizeof(v)) <= 0)
			continue;
		/* the name is text whatever it looks like */
		if (i == 0 || !is_decimal(v))
			ps_out_string(o, keys[i], v);
		else
			ps_out_uint(o, keys[i], strtoull(v, NULL, 10));
	}
	ps_out_end(o);
	return 0;
}

static void usage(FILE *out)
{
	fputs("usage: pinscope status [--json] [PID]\n"
	      "The pinscope LSM's settings and counters, the kernel's LSMs and Yama's\n"
	      "ptrace scope, and PID's seccomp mode, filter\n"
	      "count and NoNewPrivs (default: this command itself, which has what its\n"
	      "caller has: `pinscope run ... -- pinscope status` shows the confinement).\n\n"
	      "  --json       one JSON object; errors become its \"error\" member\n"
	      "  -h, --help   this help\n",
	      out);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ps_out o = { 0 };
	uint64_t pid = (uint64_t)getpid();
	int c, ret = 0;

	optind = 1;
	while ((c = ps_getopt("status", argc, argv, "h", opts)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1 ||
	    (optind < argc &&
	     (!ps_parse_u64(argv[optind], &pid) || !pid || pid > 0x3fffffff))) {
		ps_out_error(&o, "status: bad pid '%s'", argv[argc - 1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	ps_out_begin(&o, NULL);
	if (access(PINSCOPE_DIR, F_OK))
		print_inactive(&o);
	else if (print_keyfile(&o, PINSCOPE_DIR "/status", "pinscope") < 0 ||
		 print_keyfile(&o, PINSCOPE_DIR "/stats", "counters") < 0)
		ret = 1;
	print_lsms(&o);
	if (print_process(&o, (pid_t)pid) < 0)
		ret = 1;
	ps_out_end(&o);
	return ret;
}
