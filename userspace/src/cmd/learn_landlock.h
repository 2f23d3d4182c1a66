/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * learn --fs --net (learn_landlock.c): the paths a traced command opened,
 * executed, created and removed, and the ports it bound and connected to,
 * read from its calls at their seccomp stops; then the smallest Landlock
 * rules that let the same run pass.
 */
#ifndef PINSCOPE_LEARN_LANDLOCK_H
#define PINSCOPE_LEARN_LANDLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "landlock.h"

struct ps_fsnet;

/* FS, NET: what to learn. The working directory and $HOME are read now. */
struct ps_fsnet *ps_fsnet_new(bool fs, bool net);
void ps_fsnet_free(struct ps_fsnet *l);

/*
 * Native call NR of tracee PID (stopped) with ARGS: its paths and ports,
 * read from the tracee's memory. OUTSIDE(pid) says whether a signal's
 * target is outside the traced processes.
 */
void ps_fsnet_call(struct ps_fsnet *l, pid_t pid, int nr,
		   const uint64_t args[6],
		   bool (*outside)(void *ctx, pid_t pid), void *ctx);

/*
 * /proc's directory, opened by ps_fsnet_new(): every path of a call is
 * resolved under it (openat O_PATH, then readlinkat of self/fd/N), so
 * a confined launcher that may open there alone can use it. -1: none.
 */
int ps_fsnet_proc(const struct ps_fsnet *l);

/*
 * run --complain (complain_landlock.c): each use is shown to the check
 * as it is read, and only those it keeps are recorded, so that
 * ps_fsnet_rules() gives the rules for them alone. PATH: a file or
 * directory resolved at the call (of TYPE, S_IFMT), NEED the Landlock
 * rights the call takes on it (LANDLOCK_ACCESS_FS_*; a create or remove
 * takes its right on the directory, which is then PATH). PORT: a bind
 * or connect (ACCESS, LANDLOCK_ACCESS_NET_*) of socket FD of PID to an
 * inet address's port. A NULL member keeps everything.
 */
struct ps_fsnet_check {
	bool (*path)(void *ctx, const char *path, mode_t type, uint64_t need);
	bool (*port)(void *ctx, pid_t pid, int fd, uint64_t access,
		     uint16_t port);
	void *ctx;
};
void ps_fsnet_set_check(struct ps_fsnet *l, const struct ps_fsnet_check *c);

/* What L reads of native call NR: a path, a port, a signal's target. */
enum ps_fsnet_kind {
	PS_FSNET_NONE,
	PS_FSNET_PATH,
	PS_FSNET_PORT,
	PS_FSNET_SIGNAL,
};
enum ps_fsnet_kind ps_fsnet_kind(const struct ps_fsnet *l, int nr);

/* Does L read the arguments of native call NR (it must stop there)? */
bool ps_fsnet_watches(const struct ps_fsnet *l, int nr);

/* The rules learned, added to LL (line numbers 0). */
void ps_fsnet_rules(struct ps_fsnet *l, struct ps_landlock *ll);

#endif
