/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The exit statuses of the command-line contract (DESIGN 3.0) for a
 * command that never ran, as sh(1) and env(1) use them. Here, not in
 * util.h itself (which includes this file), so the LGPL crash library and
 * the preload library use the same ones without the launcher's header.
 */
#ifndef PINSCOPE_COMMON_EXIT_H
#define PINSCOPE_COMMON_EXIT_H

#include <errno.h>

#define EXIT_USAGE 2 /* a usage or policy error */
#define EXIT_CANNOT_EXEC 126 /* found, but it cannot be run (or confined) */
#define EXIT_NOT_FOUND 127 /* no such command */

/* The status for a command that could not be found or run (errno ERR). */
static inline int ps_exec_status(int err)
{
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

#endif
