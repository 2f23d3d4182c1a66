// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope convert: a minijail policy or an OCI profile, written as a
 * minijail policy, an OCI profile or a systemd drop-in. The source is
 * compiled first and the writer reads the filter's decisions, so the
 * output means what pinscope would enforce (formats.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compile.h"
#include "formats.h"
#include "oci.h"

static void usage(FILE *out)
{
	fputs("usage: pinscope convert --to minijail|oci|systemd [OPTIONS] FILE\n"
	      "Write FILE (a minijail policy, or an OCI seccomp profile: a .json name\n"
	      "or a '{' first) in another format, keeping every decision; systemd\n"
	      "has no argument filters, and the drop-in says in comments what it\n"
	      "widens.\n\n"
	      "  -t, --to FORMAT           minijail, oci or systemd\n"
	      "  -o, --output FILE         write here (default: standard output)\n"
	      "      --oci-caps LIST       for an OCI profile's includes/excludes:\n"
	      "                            CAP_A,CAP_B, docker, own or none (default: docker)\n"
	      "      --arch native|all     all: the output admits x32 and i386 too\n"
	      "                            (default: as the source says)\n"
	      "  -I, --include-dir DIR     look here for @include files not found\n"
	      "  -D, --define NAME=VALUE   a constant this system's headers lack\n"
	      "  -v, --verbose             name the profile's skipped names and entries\n"
	      "  -h, --help                this help\n",
	      out);
}

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "oci-caps", required_argument, NULL, 'c' },
		{ "arch", required_argument, NULL, 'a' },
		{ "include-dir", required_argument, NULL, 'I' },
		{ "define", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* what other programs load: OCI runtimes, systemd */
	struct ps_filter_options fo = { 0 };
	struct ps_oci_options oo = { 0 };
	const char *output = NULL, *to = NULL, *file;
	struct ps_policy p;
	struct ps_filter f;
	enum ps_format fmt;
	bool arch_set = false;
	int c, ret;

	ps_policy_init(&p);
	optind = 1;
	while ((c = ps_getopt("convert", argc, argv, "t:o:I:D:vh", opts)) !=
	       -1) {
		switch (c) {
		case 't':
			to = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'c':
			if (ps_oci_parse_caps(optarg, &oo.caps) < 0)
				goto usage;
			oo.caps_set = true;
			break;
		case 'a':
			if (strcmp(optarg, "all") && strcmp(optarg, "native")) {
				ps_warn("convert: bad --arch '%s' (native or all)",
					optarg);
				goto usage;
			}
			fo.arch_all = !strcmp(optarg, "all");
			arch_set = true;
			break;
		case 'I':
			ps_policy_add_include_dir(&p, optarg);
			break;
		case 'D':
			if (ps_policy_define(&p, optarg) < 0)
				goto usage;
			break;
		case 'v':
			oo.verbose = true;
			break;
		case 'h':
			usage(stdout);
			ps_policy_free(&p);
			return 0;
		default:
			goto usage;
		}
	}
	if (!to || ps_format_parse(to, &fmt) < 0) {
		ps_warn("convert: %s (minijail, oci or systemd)",
			to ? "unknown --to format" : "--to FORMAT is needed");
		goto usage;
	}
	if (argc - optind != 1) {
		ps_warn("convert: one FILE to convert");
		goto usage;
	}
	file = argv[optind];
	ret = ps_oci_is_profile(file) ? ps_oci_load(&p, file, &oo) :
					ps_policy_load_file(&p, file);
	if (ret < 0 || p.errors) {
		ps_policy_free(&p);
		return EXIT_USAGE;
	}
	if (!arch_set)
		fo.arch_all = p.arch_all;
	/* the writers say the Landlock rules as each format can */
	fo.landlock = &p.landlock;
	if (ps_filter_build(&f, &p, &fo) < 0) {
		ps_policy_free(&p);
		return EXIT_USAGE;
	}
	if (p.oci_enosys) {
		/* the header says which capabilities decided includes/excludes */
		char caps[1024];
		char *origin = xasprintf(
			"%s, includes and excludes read with the capabilities %s",
			file, ps_oci_caps_text(p.oci_caps, caps, sizeof(caps)));

		ret = ps_format_output(&f, fmt, origin, output);
		free(origin);
	} else {
		ret = ps_format_output(&f, fmt, file, output);
	}
	ps_filter_free(&f);
	ps_policy_free(&p);
	return ret;
usage:
	usage(stderr);
	ps_policy_free(&p);
	return EXIT_USAGE;
}
