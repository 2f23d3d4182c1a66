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
#include "util.h"

#define SECURITYFS "/sys/kernel/security/pinscope"

/* One writer for both forms: "key: value" lines or one JSON object. */
struct out {
	bool json;
	int items;
	int depth;
};

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void out_begin(struct out *o, const char *section)
{
	if (o->json) {
		printf("%s", o->items ? ", " : "");
		if (section) {
			json_string(section);
			fputs(": ", stdout);
		}
		putchar('{');
		o->depth++;
		o->items = 0;
	} else if (section) {
		printf("%s:\n", section);
	}
}

static void out_end(struct out *o)
{
	if (o->json) {
		putchar('}');
		o->depth--;
		o->items = 1;
		if (!o->depth)
			putchar('\n');
	}
}

/* numbers stay numbers in JSON */
static void out_pair(struct out *o, const char *key, const char *val)
{
	char *end;

	if (!o->json) {
		printf("  %-28s %s\n", key, val);
		return;
	}
	printf("%s", o->items++ ? ", " : "");
	json_string(key);
	fputs(": ", stdout);
	strtoll(val, &end, 10);
	if (*val && !*end)
		fputs(val, stdout);
	else
		json_string(val);
}

/* key=value lines of a securityfs file */
static int print_keyfile(struct out *o, const char *path, const char *section)
{
	char line[256];
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	out_begin(o, section);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		out_pair(o, line, eq + 1);
	}
	fclose(f);
	out_end(o);
	return 0;
}

static int print_process(struct out *o, const char *pid)
{
	static const char *const keys[] = { "Name", "Seccomp", "Seccomp_filters",
					    "NoNewPrivs" };
	char path[64], line[256], *section;
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "re");
	if (!f) {
		ps_warn("no process %s: %s", pid, strerror(errno));
		return -1;
	}
	section = xasprintf("process %s", pid);
	out_begin(o, section);
	free(section);
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			size_t n = strlen(keys[i]);

			if (!strncmp(line, keys[i], n) && line[n] == ':') {
				char *v = line + n + 1;

				v += strspn(v, " \t");
				v[strcspn(v, "\n")] = '\0';
				out_pair(o, keys[i], v);
			}
		}
	}
	fclose(f);
	out_end(o);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0 };
	uint64_t pid;
	char self[32];
	int c, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			puts("usage: pinscope status [--json] [PID]\n"
			     "The pinscope LSM's settings and counters, and PID's (default: this\n"
			     "process, so `pinscope run ... -- pinscope status` shows the confinement)\n"
			     "seccomp mode, filter count and NoNewPrivs.");
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1 ||
	    (optind < argc && (!ps_parse_u64(argv[optind], &pid) || !pid)))
		ps_usage_error("status: bad pid '%s' (usage: pinscope status [--json] [PID])",
			       optind < argc ? argv[argc - 1] : "");
	snprintf(self, sizeof(self), "%d", (int)getpid());
	out_begin(&o, NULL);
	if (access(SECURITYFS, F_OK)) {
		out_begin(&o, "pinscope");
		out_pair(&o, "active", "no");
		out_pair(&o, "why", "/sys/kernel/security/pinscope is missing: pinscope is not in this kernel's LSM list");
		out_end(&o);
	} else {
		if (print_keyfile(&o, SECURITYFS "/status", "pinscope") < 0 ||
		    print_keyfile(&o, SECURITYFS "/stats", "counters") < 0) {
			ps_warn("cannot read %s: %s", SECURITYFS, strerror(errno));
			ret = 1;
		}
	}
	if (print_process(&o, optind < argc ? argv[optind] : self) < 0)
		ret = EXIT_USAGE;
	out_end(&o);
	return ret;
}
