/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing a compiled filter's decisions as a policy others read: a
 * minijail policy (with pinscope's extensions where minijail has no
 * word), an OCI runtime-spec seccomp profile, or a systemd drop-in.
 */
#ifndef PINSCOPE_FORMATS_H
#define PINSCOPE_FORMATS_H

#include <stdio.h>

#include "compile.h"

enum ps_format { PS_FORMAT_MINIJAIL, PS_FORMAT_OCI, PS_FORMAT_SYSTEMD };

/* "minijail", "oci", "systemd"; -1 for anything else. */
int ps_format_parse(const char *name, enum ps_format *fmt);

/*
 * F's decisions (its plans and default, as ps_filter_decide() makes
 * them; build F without a launcher) in FMT, with ORIGIN in a leading
 * comment where the format has comments. Minijail and OCI keep every
 * decision; a plan one of them cannot say is an error (-1, with the
 * syscall named on stderr). systemd has no argument filters and one
 * errno: what it widens or changes is said in a comment for each.
 */
int ps_format_write(FILE *out, const struct ps_filter *f, enum ps_format fmt,
		    const char *origin);

/*
 * The same into OUTPUT (NULL: standard output), whole or not at all:
 * 0, or EXIT_USAGE after a message.
 */
int ps_format_output(const struct ps_filter *f, enum ps_format fmt,
		     const char *origin, const char *output);

#endif
